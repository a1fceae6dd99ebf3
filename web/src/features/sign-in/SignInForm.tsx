import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../../api/client.ts';
import { type Me, useSession } from '../../api/session.tsx';
import { TextField } from '../../app/fields.tsx';
import { takeChosenLanguage } from '../../i18n/index.ts';
import { type Enrolment, EnrolmentStep, RecoveryCodes, StepHeading } from './Enrolment.tsx';
import { type Asker, endsSignIn, type Field, type Refusal, useRefusal } from './refusals.ts';
import { startPage } from './start-page.ts';

type Stage = 'pending_password' | 'pending_totp' | 'pending_enrolment' | 'active';

type Step =
  | { kind: 'password'; again: boolean }
  | { kind: 'totp' }
  | { kind: 'newPassword' }
  | { kind: 'enrol'; enrolment: Enrolment }
  | { kind: 'recovery'; codes: string[] };

/** A code as people type it: a TOTP code may come as "123 456"; a recovery code keeps its dashes. */
function normalCode(code: string): string {
  const given = code.trim();
  return /^\d{3}\s+\d{3}$/.test(given) ? given.replace(/\s+/, '') : given;
}

/**
 * Every step of signing in: password, then as the server asks a code, a first authenticator
 * enrolment (with the recovery codes) or a new password. Used by the sign-in screen and by the
 * dialog that opens over a page whose session ended.
 */
export default function SignInForm({ onSignedIn, onStarted }: { onSignedIn?(me: Me): void; onStarted?(): void }) {
  const { t } = useTranslation('signIn');
  const { me, refresh } = useSession();
  const refusal = useRefusal();
  // Who was signed in when the form opened (the session-expired dialog): if someone else signs in, nothing of that page may stay.
  const [previous] = useState(me);
  const [step, setStep] = useState<Step>({ kind: 'password', again: false });
  const [username, setUsername] = useState(previous?.username ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  function startAgain(ended: boolean) {
    setStep({ kind: 'password', again: true });
    setPassword('');
    setCode('');
    setNewPassword('');
    setRepeat('');
    setRefused(ended ? { text: t('ended') } : undefined);
  }

  async function finish() {
    const fresh = await api<Me>('GET', '/auth/me');
    setCsrfToken(fresh.csrfToken);
    const language = takeChosenLanguage();
    if (language && language !== fresh.language) await api('PUT', '/auth/language', { body: { language } }).catch(() => undefined);
    if (previous && previous.id !== fresh.id) {
      // A reload, not a route change: the other person's page, its typed text and its cached answers all go.
      window.location.assign(startPage(fresh, undefined));
      return;
    }
    await refresh();
    onSignedIn?.(fresh);
  }

  async function advance(stage: Stage) {
    setCode('');
    if (stage === 'active') return finish();
    if (stage === 'pending_totp') return setStep({ kind: 'totp' });
    if (stage === 'pending_password') return setStep({ kind: 'newPassword' });
    const enrolment = await api<Enrolment>('POST', '/auth/totp/enrol', { body: {} });
    setStep({ kind: 'enrol', enrolment });
  }

  async function run(asker: Asker, action: () => Promise<void>) {
    setBusy(true);
    setRefused(undefined);
    try {
      await action();
    } catch (error) {
      if (step.kind !== 'password' && endsSignIn(error)) startAgain(true);
      else setRefused(refusal(error, asker));
    } finally {
      setBusy(false);
    }
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault();
    if (!username.trim()) return setRefused({ field: 'username', text: t('password.missingUsername') });
    if (!password) return setRefused({ field: 'password', text: t('password.missingPassword') });
    void run('signIn', async () => {
      const answer = await api<{ stage: Stage; csrfToken: string }>('POST', '/auth/sign-in', { body: { username: username.trim(), password } });
      setCsrfToken(answer.csrfToken);
      onStarted?.();
      await advance(answer.stage);
    });
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    const given = normalCode(code);
    if (given.length < 6) return setRefused({ field: 'code', text: t('totp.missing') });
    void run('code', async () => {
      const answer = await api<{ stage: Stage }>('POST', '/auth/second-factor', { body: { code: given } });
      await advance(answer.stage);
    });
  }

  function submitNewPassword(event: FormEvent) {
    event.preventDefault();
    if (!newPassword) return setRefused({ field: 'newPassword', text: t('newPassword.missing') });
    if (newPassword === password) return setRefused({ field: 'newPassword', text: t('rules.same') });
    if (newPassword !== repeat) return setRefused({ field: 'repeat', text: t('newPassword.mismatch') });
    void run('newPassword', async () => {
      // The forced change needs only the password given a moment ago, not typed again.
      const answer = await api<{ stage: Stage }>('POST', '/auth/password', { body: { currentPassword: password, newPassword } });
      await advance(answer.stage);
    });
  }

  const errorOf = (field: Field) => (refused?.field === field ? [refused.text, refused.hint].filter(Boolean).join(' ') : undefined);
  const general =
    refused && !refused.field ? (
      <p className="problem" role="alert">
        {refused.text}
      </p>
    ) : null;
  const startOver = (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        // The half-finished sign-in ends on the server too, not only on this screen.
        void api('POST', '/auth/sign-out').catch(() => undefined);
        startAgain(false);
      }}
    >
      {t('totp.startOver')}
    </button>
  );

  let body: ReactNode;
  switch (step.kind) {
    case 'password':
      body = (
        <form onSubmit={submitPassword} noValidate>
          {step.again ? <StepHeading>{t('password.heading')}</StepHeading> : <h2 className="step-heading">{t('password.heading')}</h2>}
          {general}
          <TextField
            label={t('password.username')}
            value={username}
            onValueChange={setUsername}
            error={errorOf('username')}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={!username}
          />
          <TextField
            label={t('password.password')}
            type="password"
            value={password}
            onValueChange={setPassword}
            error={errorOf('password')}
            autoComplete="current-password"
            autoFocus={Boolean(username)}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('password.submit')}
            </button>
          </div>
        </form>
      );
      break;
    case 'totp':
      body = (
        <form onSubmit={submitCode} noValidate>
          <StepHeading>{t('totp.heading')}</StepHeading>
          <p>{t('totp.intro')}</p>
          {general}
          <TextField
            label={t('totp.code')}
            help={t('totp.help')}
            value={code}
            onValueChange={setCode}
            error={errorOf('code')}
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={32}
            className="code-input"
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('totp.submit')}
            </button>
            {startOver}
          </div>
        </form>
      );
      break;
    case 'newPassword':
      body = (
        <form onSubmit={submitNewPassword} noValidate>
          <StepHeading>{t('newPassword.heading')}</StepHeading>
          <p>{t('newPassword.intro')}</p>
          {general}
          <TextField
            label={t('newPassword.new')}
            help={t('newPassword.help')}
            type="password"
            value={newPassword}
            onValueChange={setNewPassword}
            error={errorOf('newPassword')}
            autoComplete="new-password"
          />
          <TextField
            label={t('newPassword.repeat')}
            type="password"
            value={repeat}
            onValueChange={setRepeat}
            error={errorOf('repeat')}
            autoComplete="new-password"
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('newPassword.submit')}
            </button>
            {startOver}
          </div>
        </form>
      );
      break;
    case 'enrol':
      body = (
        <>
          <StepHeading>{t('enrol.heading')}</StepHeading>
          <p>{t('enrol.intro')}</p>
          {general}
          <EnrolmentStep
            enrolment={step.enrolment}
            onConfirmed={(codes) => setStep({ kind: 'recovery', codes })}
            onProblem={(error) => {
              if (!endsSignIn(error)) return false;
              startAgain(true);
              return true;
            }}
          >
            {startOver}
          </EnrolmentStep>
        </>
      );
      break;
    case 'recovery':
      body = (
        <>
          <StepHeading>{t('recovery.heading')}</StepHeading>
          {general}
          <RecoveryCodes codes={step.codes} onDone={() => void run('code', finish)} />
        </>
      );
      break;
  }
  return <div className="sign-in-form">{body}</div>;
}
