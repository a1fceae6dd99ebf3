import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../api/session.tsx';
import { Page } from '../../app/Page.tsx';
import { LanguageSwitcher } from '../../app/Shell.tsx';
import SignInForm from './SignInForm.tsx';
import { startPage } from './start-page.ts';
import './messages.ts';
import './sign-in.css';

export default function SignInPage() {
  const { t } = useTranslation('signIn');
  const { t: shell } = useTranslation('shell');
  const { me, loading } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as { from?: unknown } | null)?.from;
  // Once a sign-in is under way the form decides when it is done (the recovery codes must be saved first),
  // even if the session is already active on the server.
  const [started, setStarted] = useState(false);

  if (me && !started) return <Navigate to={startPage(me, from)} replace />;
  return (
    <div className="sign-in-screen">
      <a className="skip-link" href="#main">
        {shell('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{shell('appName')}</span>
        <div className="topbar-end">
          <LanguageSwitcher />
        </div>
      </header>
      <main id="main">
        {loading ? (
          <p className="loading">{shell('common.loading')}</p>
        ) : (
          <Page title={t('page.title')}>
            <p>{t('page.intro')}</p>
            <SignInForm onStarted={() => setStarted(true)} onSignedIn={(fresh) => navigate(startPage(fresh, from), { replace: true })} />
          </Page>
        )}
      </main>
    </div>
  );
}
