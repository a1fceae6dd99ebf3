import i18next from 'i18next';
import { addMessages } from '../../i18n/index.ts';

/**
 * The menu entries of child protection (the inbox, my cases, the dashboard, tracing). The shell
 * names them before the screens' own code loads, so the words are added once i18next has started.
 */
function addNavMessages(): void {
  addMessages('shell', {
    en: { nav: { protectionInbox: 'Referrals', protectionCases: 'My cases', protectionDashboard: 'Protection dashboard', protectionTracing: 'Tracing' } },
    ru: { nav: { protectionInbox: 'Направления', protectionCases: 'Мои дела', protectionDashboard: 'Сводка по защите детей', protectionTracing: 'Розыск семей' } },
    kk: { nav: { protectionInbox: 'Жолдамалар', protectionCases: 'Менің істерім', protectionDashboard: 'Қорғау көрсеткіштері', protectionTracing: 'Отбасын іздеу' } },
  });
}

if (i18next.isInitialized) addNavMessages();
else i18next.on('initialized', addNavMessages);
