import i18next from 'i18next';
import { addMessages } from '../../i18n/index.ts';

/**
 * The menu entries of search and the duplicate review. The shell names them before the screens'
 * own code loads, and the shell's module is read before i18next starts, so the words are added once it has.
 */
function addNavMessages(): void {
  addMessages('shell', {
    en: { nav: { search: 'Search', duplicates: 'Suspected duplicates' } },
    ru: { nav: { search: 'Поиск', duplicates: 'Возможные дубликаты' } },
    kk: { nav: { search: 'Іздеу', duplicates: 'Ықтимал қайталамалар' } },
  });
}

if (i18next.isInitialized) addNavMessages();
else i18next.on('initialized', addNavMessages);
