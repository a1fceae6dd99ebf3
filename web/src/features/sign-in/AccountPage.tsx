import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, Offline } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { LanguageSwitcher } from '../../app/Shell.tsx';
import { isLanguage } from '../../i18n/index.ts';
import { type Enrolment, EnrolmentStep, RecoveryCodes, StepHeading } from './Enrolment.tsx';
import { type Field, type Refusal, sessionEnded, useRefusal } from './refusals.ts';
import './messages.ts';
import './sign-in.css';

/** The proof the server asks before a change to how the account signs in: the password, and a code once a second factor is enrolled. */
interface Proof {
  currentPassword: string;
  code: string;
}

const noProof: Proof = { currentPassword: '', code: '' };

/** The refusal to show, or none when the session ended (the shell's dialog then asks to sign in again, over the form). */
function useAccountRefusal(): (error: unknown) => Refusal | undefined {
  const refusal = useRefusal();
  return (error) => (sessionEnded(error) ? undefined : refusal(error, 'stepUp'));
}

function errorOf(refused: Refusal | undefined, field: Field): string | undefined {
  return refused?.field === field ? [refused.text, refused.hint].filter(Boolean).join(' ') : undefined;
}

function General({ refused }: { refused: Refusal | undefined }) {
  if (!refused || refused.field) return null;
  return (
    <p className="problem" role="alert">
      {refused.text}
    </p>
  );
}

/** What is missing from the proof, checked before asking the server. */
function missingProof(proof: Proof, totpEnabled: boolean, t: (key: string) => string): Refusal | undefined {
  if (!proof.currentPassword) return { field: 'currentPassword', text: t('account.stepUp.missingPassword') };
  if (totpEnabled && !proof.code.trim()) return { field: 'code', text: t('account.stepUp.missingCode') };
  return undefined;
}

function proofBody(proof: Proof, totpEnabled: boolean): { currentPassword: string; code?: string } {
  const code = proof.code.trim().replace(/^(\d{3})\s+(\d{3})$/, '$1$2');
  return totpEnabled ? { currentPassword: proof.currentPassword, code } : { currentPassword: proof.currentPassword };
}

function StepUpFields({ proof, onChange, refused, totpEnabled }: { proof: Proof; onChange(proof: Proof): void; refused: Refusal | undefined; totpEnabled: boolean }) {
  const { t } = useTranslation('signIn');
  return (
    <fieldset>
      <legend>{t('account.stepUp.legend')}</legend>
      <TextField
        label={t('account.stepUp.currentPassword')}
        type="password"
        autoComplete="current-password"
        value={proof.currentPassword}
        onValueChange={(currentPassword) => onChange({ ...proof, currentPassword })}
        error={errorOf(refused, 'currentPassword')}
      />
      {totpEnabled ? (
        <TextField
          label={t('account.stepUp.code')}
          help={t('account.stepUp.codeHelp')}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={32}
          className="code-input"
          value={proof.code}
          onValueChange={(code) => onChange({ ...proof, code })}
          error={errorOf(refused, 'code')}
        />
      ) : null}
    </fieldset>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="account-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function PasswordSection({ totpEnabled }: { totpEnabled: boolean }) {
  const { t } = useTranslation('signIn');
  const accountRefusal = useAccountRefusal();
  const [proof, setProof] = useState(noProof);
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const missing =
      missingProof(proof, totpEnabled, t) ??
      (!newPassword ? { field: 'newPassword' as const, text: t('newPassword.missing') } : undefined) ??
      (newPassword === proof.currentPassword ? { field: 'newPassword' as const, text: t('rules.same') } : undefined) ??
      (newPassword !== repeat ? { field: 'repeat' as const, text: t('newPassword.mismatch') } : undefined);
    setRefused(missing);
    if (missing) return;
    setBusy(true);
    try {
      await api('POST', '/auth/password', { body: { ...proofBody(proof, totpEnabled), newPassword } });
      setProof(noProof);
      setNewPassword('');
      setRepeat('');
      setDone(true);
    } catch (error) {
      setRefused(accountRefusal(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="account-password" title={t('account.password.heading')}>
      <p>{t('account.password.intro')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <StepUpFields proof={proof} onChange={setProof} refused={refused} totpEnabled={totpEnabled} />
        <TextField
          label={t('newPassword.new')}
          help={t('newPassword.help')}
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onValueChange={setNewPassword}
          error={errorOf(refused, 'newPassword')}
        />
        <TextField label={t('newPassword.repeat')} type="password" autoComplete="new-password" value={repeat} onValueChange={setRepeat} error={errorOf(refused, 'repeat')} />
        <General refused={refused} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('account.password.submit')}
          </button>
        </div>
        <p role="status">{done ? <span className="success">{t('account.password.done')}</span> : null}</p>
      </form>
    </Section>
  );
}

type AuthenticatorStep = { kind: 'idle'; done: boolean } | { kind: 'proof' } | { kind: 'enrol'; enrolment: Enrolment } | { kind: 'codes'; codes: string[] };

function AuthenticatorSection({ totpEnabled }: { totpEnabled: boolean }) {
  const { t } = useTranslation('signIn');
  const { refresh } = useSession();
  const accountRefusal = useAccountRefusal();
  const [step, setStep] = useState<AuthenticatorStep>({ kind: 'idle', done: false });
  const [proof, setProof] = useState(noProof);
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const cancel = (
    <button type="button" onClick={() => setStep({ kind: 'idle', done: false })}>
      {t('account.authenticator.cancel')}
    </button>
  );

  async function begin(event: FormEvent) {
    event.preventDefault();
    const missing = missingProof(proof, totpEnabled, t);
    setRefused(missing);
    if (missing) return;
    setBusy(true);
    try {
      const enrolment = await api<Enrolment>('POST', '/auth/totp/enrol', { body: proofBody(proof, totpEnabled) });
      setProof(noProof);
      setStep({ kind: 'enrol', enrolment });
    } catch (error) {
      setRefused(accountRefusal(error));
    } finally {
      setBusy(false);
    }
  }

  let body: ReactNode;
  switch (step.kind) {
    case 'idle':
      body = (
        <>
          <p>{t(totpEnabled ? 'account.authenticator.introOn' : 'account.authenticator.introOff')}</p>
          <p role="status">{step.done ? <span className="success">{t('account.authenticator.done')}</span> : null}</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setRefused(undefined);
                setStep({ kind: 'proof' });
              }}
            >
              {t(totpEnabled ? 'account.authenticator.replace' : 'account.authenticator.setUp')}
            </button>
          </div>
        </>
      );
      break;
    case 'proof':
      body = (
        <form onSubmit={(event) => void begin(event)} noValidate>
          <StepUpFields proof={proof} onChange={setProof} refused={refused} totpEnabled={totpEnabled} />
          <General refused={refused} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('account.authenticator.next')}
            </button>
            {cancel}
          </div>
        </form>
      );
      break;
    case 'enrol':
      body = (
        <>
          <StepHeading level={3}>{t('enrol.heading')}</StepHeading>
          <EnrolmentStep enrolment={step.enrolment} onConfirmed={(codes) => setStep({ kind: 'codes', codes })} onProblem={sessionEnded}>
            {cancel}
          </EnrolmentStep>
        </>
      );
      break;
    case 'codes':
      body = (
        <>
          <StepHeading level={3}>{t('recovery.heading')}</StepHeading>
          <RecoveryCodes
            codes={step.codes}
            onDone={() => {
              setStep({ kind: 'idle', done: true });
              void refresh();
            }}
          />
        </>
      );
      break;
  }
  return (
    <Section id="account-authenticator" title={t('account.authenticator.heading')}>
      {body}
    </Section>
  );
}

type RecoveryStep = { kind: 'idle'; done: boolean } | { kind: 'proof' } | { kind: 'codes'; codes: string[] };

function RecoverySection() {
  const { t } = useTranslation('signIn');
  const accountRefusal = useAccountRefusal();
  const [step, setStep] = useState<RecoveryStep>({ kind: 'idle', done: false });
  const [proof, setProof] = useState(noProof);
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);

  async function regenerate(event: FormEvent) {
    event.preventDefault();
    const missing = missingProof(proof, true, t);
    setRefused(missing);
    if (missing) return;
    setBusy(true);
    try {
      const answer = await api<{ recoveryCodes: string[] }>('POST', '/auth/recovery-codes', { body: proofBody(proof, true) });
      setProof(noProof);
      setStep({ kind: 'codes', codes: answer.recoveryCodes });
    } catch (error) {
      setRefused(accountRefusal(error));
    } finally {
      setBusy(false);
    }
  }

  let body: ReactNode;
  switch (step.kind) {
    case 'idle':
      body = (
        <>
          <p>{t('account.recovery.intro')}</p>
          <p role="status">{step.done ? <span className="success">{t('account.recovery.done')}</span> : null}</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setRefused(undefined);
                setStep({ kind: 'proof' });
              }}
            >
              {t('account.recovery.start')}
            </button>
          </div>
        </>
      );
      break;
    case 'proof':
      body = (
        <form onSubmit={(event) => void regenerate(event)} noValidate>
          <StepUpFields proof={proof} onChange={setProof} refused={refused} totpEnabled />
          <General refused={refused} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('account.recovery.submit')}
            </button>
            <button type="button" onClick={() => setStep({ kind: 'idle', done: false })}>
              {t('account.recovery.cancel')}
            </button>
          </div>
        </form>
      );
      break;
    case 'codes':
      body = (
        <>
          <StepHeading level={3}>{t('recovery.heading')}</StepHeading>
          <RecoveryCodes codes={step.codes} onDone={() => setStep({ kind: 'idle', done: true })} />
        </>
      );
      break;
  }
  return (
    <Section id="account-recovery" title={t('account.recovery.heading')}>
      {body}
    </Section>
  );
}

function SignOutEverywhereSection() {
  const { t } = useTranslation('signIn');
  const { signOut } = useSession();
  const navigate = useNavigate();
  const problem = useRefusal();
  const [confirming, setConfirming] = useState(false);
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);

  async function signOutEverywhere() {
    setBusy(true);
    setRefused(undefined);
    try {
      await api('POST', '/auth/sign-out-everywhere');
      await signOut();
      navigate('/sign-in', { replace: true });
    } catch (error) {
      if (!sessionEnded(error)) setRefused(problem(error, 'stepUp'));
      setBusy(false);
    }
  }

  return (
    <Section id="account-everywhere" title={t('account.everywhere.heading')}>
      <p>{t('account.everywhere.intro')}</p>
      <General refused={refused} />
      {confirming ? (
        <div className="warning" role="group" aria-labelledby="everywhere-confirm">
          <p id="everywhere-confirm">{t('account.everywhere.confirm')}</p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void signOutEverywhere()}>
              {t('account.everywhere.yes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('account.everywhere.no')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('account.everywhere.start')}
          </button>
        </div>
      )}
    </Section>
  );
}

export default function AccountPage() {
  const { t, i18n } = useTranslation('signIn');
  const { me } = useSession();
  // Opened with no connection before the server said who is signed in: nothing to show yet.
  if (!me) {
    return (
      <Page title={t('account.title')}>
        <ProblemAlert error={new Offline()} />
      </Page>
    );
  }
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  const roles = me.roleNames?.map((role) => role.name[language]) ?? me.roles;
  const totpEnabled = me.totpEnabled ?? false;
  const people = me.kind === 'user';
  return (
    <Page title={t('account.title')}>
      <Section id="account-about" title={t('account.about')}>
        <dl className="facts">
          <dt>{t('account.name')}</dt>
          <dd>{me.displayName ?? '—'}</dd>
          <dt>{t('account.username')}</dt>
          <dd>{me.username ?? '—'}</dd>
          <dt>{t('account.roles')}</dt>
          <dd>{roles.length ? roles.join(', ') : '—'}</dd>
          <dt>{t('account.secondFactor')}</dt>
          <dd>{t(totpEnabled ? 'account.secondFactorOn' : 'account.secondFactorOff')}</dd>
        </dl>
      </Section>
      <Section id="account-language" title={t('account.language')}>
        <p>{t('account.languageHelp')}</p>
        <LanguageSwitcher />
      </Section>
      {people ? (
        <>
          <PasswordSection totpEnabled={totpEnabled} />
          <AuthenticatorSection totpEnabled={totpEnabled} />
          {totpEnabled ? <RecoverySection /> : null}
          <SignOutEverywhereSection />
        </>
      ) : null}
    </Page>
  );
}
