import i18next from 'i18next';
import { addMessages } from '../../../i18n/index.ts';

/** The menu entry of family tracing (/protection/tracing, scope protection.case.read); added once i18next has started. */
function addNavMessages(): void {
  addMessages('shell', {
    en: { nav: { tracing: 'Family tracing' } },
    ru: { nav: { tracing: 'Розыск семей' } },
    kk: { nav: { tracing: 'Отбасын іздестіру' } },
  });
}

if (i18next.isInitialized) addNavMessages();
else i18next.on('initialized', addNavMessages);
