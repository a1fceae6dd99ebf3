import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { CheckboxField, TextField } from '../../app/fields.tsx';
import { type Refusal, useRefusal } from './refusals.ts';
import './sign-in.css';

/** A new TOTP secret as POST /auth/totp/enrol gives it. */
export interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** A step's heading that takes focus when the step appears, so a screen reader says where the person is now. */
export function StepHeading({ children, level = 2 }: { children: ReactNode; level?: 2 | 3 }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const Tag = level === 2 ? 'h2' : 'h3';
  return (
    <Tag tabIndex={-1} ref={heading} className="step-heading">
      {children}
    </Tag>
  );
}

/** Four characters at a time, as authenticator apps show keys and as people copy them. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/**
 * Adding tirkeu to an authenticator app: the QR code, the key to type for those who cannot scan,
 * and the first code, which confirms the new secret and brings the recovery codes.
 */
export function EnrolmentStep({
  enrolment,
  onConfirmed,
  onProblem,
  children,
}: {
  enrolment: Enrolment;
  onConfirmed(recoveryCodes: string[]): void;
  /** Takes care of a refusal the form should not show (a session that ended); true when it did. */
  onProblem?(error: unknown): boolean;
  /** More buttons beside Confirm (Cancel). */
  children?: ReactNode;
}) {
  const { t } = useTranslation('signIn');
  const refusal = useRefusal();
  const [code, setCode] = useState('');
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    const given = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(given)) {
      setRefused({ field: 'code', text: t('totp.missing') });
      return;
    }
    setBusy(true);
    setRefused(undefined);
    try {
      const answer = await api<{ recoveryCodes: string[] }>('POST', '/auth/totp/confirm', { body: { code: given } });
      onConfirmed(answer.recoveryCodes);
    } catch (error) {
      if (!onProblem?.(error)) setRefused(refusal(error, 'enrol'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void confirm(event)} noValidate>
      <ol className="enrol-steps">
        <li>
          <p>{t('enrol.scan')}</p>
          <img className="totp-qr" src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`} alt={t('enrol.qrAlt')} width={200} height={200} />
        </li>
        <li>
          <p>{t('enrol.type')}</p>
          <p>
            <code className="totp-secret" translate="no">
              {grouped(enrolment.secret)}
            </code>
          </p>
        </li>
        <li>
          <p>{t('enrol.enter')}</p>
          <TextField
            label={t('enrol.code')}
            value={code}
            onValueChange={setCode}
            error={refused?.field === 'code' ? refused.text : undefined}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            className="code-input"
          />
        </li>
      </ol>
      {refused && !refused.field ? (
        <p className="problem" role="alert">
          {refused.text}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('enrol.submit')}
        </button>
        {children}
      </div>
    </form>
  );
}

/** New recovery codes, shown this once: the person says they saved them before going on. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useTranslation('signIn');
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p>{t('recovery.intro')}</p>
      <ol className="recovery-codes" aria-label={t('recovery.list')} translate="no">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            // The clipboard may be refused (no permission, no secure context): the codes stay on screen to copy by hand.
            void navigator.clipboard
              ?.writeText(codes.join('\n'))
              .then(() => setCopied(true))
              .catch(() => undefined);
          }}
        >
          {t('recovery.copy')}
        </button>
        <span role="status" className="copied">
          {copied ? t('recovery.copied') : ''}
        </span>
      </div>
      <CheckboxField label={t('recovery.saved')} checked={saved} onCheckedChange={setSaved} />
      <div className="actions">
        <button type="button" className="primary" disabled={!saved} onClick={onDone}>
          {t('recovery.continue')}
        </button>
      </div>
    </div>
  );
}
