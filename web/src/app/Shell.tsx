import { type ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api, onSessionExpired } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { isLanguage, languages, setLanguage } from '../i18n/index.ts';
import '../features/certificates/nav-messages.ts';
import '../features/linkage/nav-messages.ts';
import '../features/protection/nav-messages.ts';
import '../features/protection/bid/nav-messages.ts';
import { OutboxBadge } from '../features/offline/OutboxBadge.tsx';
import { useGuardedSignOut } from '../features/offline/SignOutGuard.tsx';
import { useOnline } from './online.ts';
import { SessionExpiredDialog } from './SessionExpiredDialog.tsx';

/** Menu entries, each shown only to those whose scopes let them use it. */
const navigation: { to: string; label: string; scopes: string[] }[] = [
  { to: '/queues', label: 'nav.queues', scopes: ['birth.declare', 'birth.validate', 'birth.register', 'correction.approve'] },
  { to: '/search', label: 'nav.search', scopes: ['record.read'] },
  { to: '/duplicates', label: 'nav.duplicates', scopes: ['birth.register'] },
  { to: '/births/new', label: 'nav.declare', scopes: ['birth.declare'] },
  { to: '/certificates/ready', label: 'nav.readyToPrint', scopes: ['certificate.issue'] },
  { to: '/notifications', label: 'nav.notifications', scopes: ['birth.notify'] },
  { to: '/outbox', label: 'nav.outbox', scopes: ['birth.declare', 'birth.notify'] },
  { to: '/protection/referrals', label: 'nav.protectionInbox', scopes: ['protection.case.read'] },
  { to: '/protection/cases', label: 'nav.protectionCases', scopes: ['protection.case.read'] },
  { to: '/protection/dashboard', label: 'nav.protectionDashboard', scopes: ['protection.case.supervise'] },
  { to: '/protection/tracing', label: 'nav.protectionTracing', scopes: ['protection.case.read'] },
  { to: '/protection/bids', label: 'nav.bids', scopes: ['protection.bid.decide', 'protection.case.read'] },
  { to: '/admin/users', label: 'nav.users', scopes: ['user.manage'] },
  { to: '/admin/clients', label: 'nav.clients', scopes: ['system.admin'] },
  { to: '/admin/audit', label: 'nav.audit', scopes: ['audit.read'] },
];

/** The screens behind sign-in; the place someone was going is kept in router state, not the URL. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { me, loading, offline } = useSession();
  const location = useLocation();
  const { t } = useTranslation('shell');
  if (loading) return <p className="loading">{t('common.loading')}</p>;
  if (!me && !offline) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation('shell');
  const { me } = useSession();
  return (
    <label className="language">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value;
          if (!isLanguage(language)) return;
          void setLanguage(language, { chosen: !me });
          if (me?.kind === 'user') void api('PUT', '/auth/language', { body: { language } }).catch(() => undefined);
        }}
      >
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Shell() {
  const { t } = useTranslation('shell');
  const { me, can, signOut } = useSession();
  const online = useOnline();
  const navigate = useNavigate();
  const [expired, setExpired] = useState(false);
  useEffect(() => onSessionExpired(() => setExpired(true)), []);
  // Unsent declarations would be lost with the device's data: signing out asks first.
  const guardedSignOut = useGuardedSignOut(() => void signOut().finally(() => navigate('/sign-in', { replace: true })));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {navigation
              .filter((entry) => entry.scopes.some((scope) => can(scope)))
              .map((entry) => (
                <li key={entry.to}>
                  <NavLink to={entry.to}>
                    {t(entry.label)}
                    {entry.to === '/outbox' ? <OutboxBadge /> : null}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <LanguageSwitcher />
          <NavLink to="/account" className="who">
            {me?.displayName ?? me?.username ?? t('nav.account')}
          </NavLink>
          <button
            type="button"
            className="link-button"
            onClick={guardedSignOut.request}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      {online ? null : (
        <p className="offline-banner" role="status">
          {t('offline.banner')}
        </p>
      )}
      <main id="main">
        <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
          <Outlet />
        </Suspense>
      </main>
      {guardedSignOut.dialog}
      {expired ? <SessionExpiredDialog onSignedIn={() => setExpired(false)} /> : null}
    </div>
  );
}
