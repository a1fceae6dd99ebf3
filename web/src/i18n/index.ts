import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { shellMessages } from './shell-messages.ts';

/**
 * Kazakh, Russian and English. Each feature folder owns its messages (messages.ts: one object per
 * language) and adds them with addMessages under its own namespace, so screens never share a file.
 * Names of people are shown as typed, in the script they were written in: nothing here transliterates.
 */
export const languages = ['kk', 'ru', 'en'] as const;
export type Language = (typeof languages)[number];
export type Messages = Record<Language, Record<string, unknown>>;

/** The language chosen before signing in on this device (a language code, not personal data). */
const storageKey = 'tirkeu.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** A first visit follows the browser's languages; a choice made on this device wins. */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'ru';
}

export function addMessages(namespace: string, messages: Messages): void {
  for (const language of languages) i18next.addResourceBundle(language, namespace, messages[language], true, true);
}

/** A language the person picked before signing in, not yet saved to their account. */
let chosenBeforeSignIn: Language | undefined;

/** The language picked on the sign-in screen, once: the sign-in saves it to the account. */
export function takeChosenLanguage(): Language | undefined {
  const chosen = chosenBeforeSignIn;
  chosenBeforeSignIn = undefined;
  return chosen;
}

/** Shows the app in this language; `chosen` when the person picked it before signing in. */
export async function setLanguage(language: Language, options: { chosen?: boolean } = {}): Promise<void> {
  if (options.chosen) chosenBeforeSignIn = language;
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
  await i18next.changeLanguage(language);
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...languages],
    ns: ['shell'],
    defaultNS: 'shell',
    resources: {},
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  addMessages('shell', shellMessages);
  return i18next;
}
