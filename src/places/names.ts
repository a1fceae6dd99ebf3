/**
 * Name normalisation for search: case, compatibility forms, punctuation and the letters people
 * type without a Kazakh keyboard (ә→а, қ→к, ө→о…; ё→е) all fold away, so "Актобе", "АҚТӨБЕ" and
 * "ақтөбе" find the same place.
 */
const folds: Record<string, string> = {
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
  ё: 'е',
};

export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[әғқңөұүһіё]/g, (c) => folds[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Search keys of a name: the whole name from each word on, so a prefix of any word (and of the
 * words after it) finds the place: "bukhar zhyrau district", "zhyrau district", "district".
 */
export function searchKeys(name: string): string[] {
  const words = normaliseName(name).split(' ').filter(Boolean);
  return words.map((_, i) => words.slice(i).join(' '));
}
