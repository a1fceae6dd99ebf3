/**
 * Every country as ISO 3166-1 alpha-2, named in the user's language by the browser (Intl), so no
 * list of names ships with the app. Codes the browser cannot name, and groupings that are not
 * countries (EU, UN, the reserved X* and Q* codes), are left out.
 */
const notCountries = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB', 'XK']);
const cache = new Map<string, { code: string; name: string }[]>();

export function countries(language: string): { code: string; name: string }[] {
  const known = cache.get(language);
  if (known) return known;
  const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
  const list: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (notCountries.has(code) || code.startsWith('X') || code.startsWith('Q')) continue;
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (name && name !== code) list.push({ code, name });
    }
  }
  list.sort((x, y) => x.name.localeCompare(y.name, language));
  cache.set(language, list);
  return list;
}
