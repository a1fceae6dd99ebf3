import i18next from 'i18next';
import { addMessages } from '../../i18n/index.ts';

/**
 * The menu entry of the ready-to-print list. The shell names it before the screen's own code loads,
 * and the shell's module is read before i18next starts, so the words are added once it has.
 */
function addNavMessages(): void {
  addMessages('shell', {
    en: { nav: { readyToPrint: 'Ready to print' } },
    ru: { nav: { readyToPrint: 'Готовы к печати' } },
    kk: { nav: { readyToPrint: 'Басып шығаруға дайын' } },
  });
}

if (i18next.isInitialized) addNavMessages();
else i18next.on('initialized', addNavMessages);
