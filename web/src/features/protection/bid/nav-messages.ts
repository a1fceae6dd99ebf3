import i18next from 'i18next';
import { addMessages } from '../../../i18n/index.ts';

/**
 * The menu entry of the panel's sign-off list (/protection/bids), for the shell's navigation
 * (scopes protection.bid.decide or protection.case.read); added once i18next has started.
 */
function addNavMessages(): void {
  addMessages('shell', {
    en: { nav: { bids: 'Best-interests panels' } },
    ru: { nav: { bids: 'Комиссии по интересам ребёнка' } },
    kk: { nav: { bids: 'Бала мүддесі комиссиялары' } },
  });
}

if (i18next.isInitialized) addNavMessages();
else i18next.on('initialized', addNavMessages);
