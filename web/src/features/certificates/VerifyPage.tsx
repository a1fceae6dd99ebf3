import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ApiProblem, Offline } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { TextAreaField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { LanguageSwitcher } from '../../app/Shell.tsx';
import { askStatus } from './api.ts';
import { checkInBrowser } from './check-in-browser.ts';
import { cleanPasted, payloadFromHash } from './payload.ts';
import { loadPublishedKeys } from './published-keys.ts';
import { Scanner } from './Scanner.tsx';
import { combine, type LocalCheck, needsStatus, type Outcome, type StatusCheck } from './verdict.ts';
import { VerifyResult } from './VerifyResult.tsx';
import './certificates.css';
import './messages.ts';

/** The registry's status for a payload this device has checked, or why it could not be had. */
async function statusOf(local: LocalCheck): Promise<StatusCheck> {
  if (!needsStatus(local)) return { kind: 'not_asked' };
  try {
    return { kind: 'answered', answer: await askStatus(local.text) };
  } catch (error) {
    if (error instanceof Offline) return { kind: 'unreachable', why: 'offline' };
    if (error instanceof ApiProblem && error.status === 429) return { kind: 'unreachable', why: 'rate_limited' };
    return { kind: 'unreachable', why: 'refused' };
  }
}

/** One check from start to end: the keys, the signature here, the registry's status. Never throws, never says valid on a fault. */
async function check(text: string): Promise<{ outcome: Outcome; keysKept: boolean }> {
  try {
    const keys = await loadPublishedKeys();
    const local = await checkInBrowser(text, keys.keySet);
    return { outcome: combine(local, await statusOf(local)), keysKept: keys.kept && local.kind !== 'no_keys' };
  } catch {
    // Something this page did not foresee: a reason in general words.
    return { outcome: { verdict: 'invalid', reason: null, statusDate: null, birth: null, keyId: null, unreachable: null, serverMessage: null }, keysKept: false };
  }
}

/**
 * The public verification page, for anyone holding a birth certificate (a school, a bank, a border
 * officer): no sign-in. The code comes from the link the QR code holds (`/verify#KZ1:…`), the
 * camera, a photo or a paste. The signature is checked here, with the codec the server uses,
 * against the registry's published keys (kept for offline use); then the registry is asked
 * whether the certificate still stands. What is checked is never put in the address bar.
 */
export default function VerifyPage() {
  const { t } = useTranslation('certificates');
  const { t: shell } = useTranslation('shell');
  const { me } = useSession();
  const { hash } = useLocation();
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState(false);
  // A text scanned or pasted here, remembered with the link it was given under: a new link opened
  // in this tab (another QR code) is what is checked then. The count makes "Check" check again.
  const [given, setGiven] = useState<{ text: string; hash: string; count: number } | null>(null);
  const fromLink = payloadFromHash(hash);
  const current = given && (given.hash === hash || !fromLink) ? given : fromLink ? { text: fromLink, hash, count: 0 } : null;
  const result = useQuery({
    queryKey: ['verify', current?.text, current?.count],
    queryFn: () => check(current!.text),
    enabled: current !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const checking = result.isFetching;
  const verify = (text: string) => setGiven((old) => ({ text, hash, count: (old?.count ?? 0) + 1 }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = cleanPasted(pasted);
    setPasteError(!text);
    if (text) verify(text);
  };

  return (
    <div className="verify-screen">
      <a className="skip-link" href="#main">
        {shell('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{shell('appName')}</span>
        <div className="topbar-end">
          <LanguageSwitcher />
          {me ? null : <Link to="/sign-in">{t('verify.signIn')}</Link>}
        </div>
      </header>
      <main id="main">
        <Page title={t('verify.title')}>
          <p>{t('verify.intro')}</p>
          {checking ? (
            <p className="loading" role="status">
              {t('verify.checking')}
            </p>
          ) : result.data ? (
            <VerifyResult outcome={result.data.outcome} keysKept={result.data.keysKept} />
          ) : null}
          <section className="verify-sources" aria-labelledby="sources-title">
            <h2 id="sources-title">{t('verify.sources')}</h2>
            <Scanner onText={(text) => verify(cleanPasted(text))} />
            <form onSubmit={submit} noValidate>
              <TextAreaField
                label={t('verify.paste')}
                help={t('verify.pasteHelp')}
                error={pasteError ? t('verify.pasteEmpty') : undefined}
                value={pasted}
                onValueChange={(value) => {
                  setPasted(value);
                  setPasteError(false);
                }}
                rows={4}
                spellCheck={false}
                autoCapitalize="off"
                autoComplete="off"
                maxLength={5000}
              />
              <div className="actions">
                <button type="submit" className="primary" disabled={checking}>
                  {checking ? t('verify.checking') : t('verify.check')}
                </button>
              </div>
            </form>
          </section>
        </Page>
      </main>
    </div>
  );
}
