import { listActions } from '../core/action-log/record-store.ts';
import type { Queryable } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import type { Names } from '../places/pack.ts';
import type { BirthClaims } from './codec/claims.ts';
import { CredentialError, type CredentialFailure, credentialFailureText } from './codec/errors.ts';
import { type KeyResolver, keySetResolver } from './codec/key-set.ts';
import { verifyQrText } from './codec/verify.ts';
import { type CertificateDeps, findCertificate } from './issuance.ts';
import { publishedKeySet } from './keys.ts';
import { type CertificateStatus, certificateStatus } from './status.ts';
import type { VerifyLimiter } from './verify-limit.ts';

/**
 * Verification for anyone holding a certificate: the signature against the published keys, then
 * the certificate's status. The answer holds nothing the QR code does not already hold, beyond
 * the status and its date, and a status is only told to someone who holds the signed payload.
 */
export type VerifyReason = CredentialFailure | 'revoked' | 'superseded' | 'unknown_certificate';

export interface VerifyResult {
  verdict: 'valid' | 'superseded' | 'revoked' | 'invalid';
  reason: VerifyReason | null;
  message: Names;
  birth: BirthClaims | null;
  keyId: string | null;
  /** The day the certificate was superseded or revoked. */
  statusDate: string | null;
}

/** What a person reads for each verdict: the codec's sentence for each failure, and the statuses. */
export const verifyMessages: Record<VerifyReason | 'valid', Names> = {
  ...credentialFailureText,
  valid: {
    kk: 'Қолтаңба дұрыс, куәлік жарамды. Төмендегі деректерді қағаздағымен салыстырыңыз.',
    ru: 'Подпись верна, свидетельство действительно. Сверьте данные ниже с бумажным документом.',
    en: 'The signature is valid and the certificate stands. Compare the facts below with the paper.',
  },
  superseded: {
    kk: 'Бұл куәлік берілгеннен кейін акт жазбасына түзету енгізілген: жаңа куәлік қажет.',
    ru: 'После выдачи этого свидетельства в актовую запись внесено исправление: нужно новое свидетельство.',
    en: 'The record was corrected after this certificate was issued: a new certificate is needed.',
  },
  revoked: { kk: 'Бұл куәліктің күші жойылған.', ru: 'Это свидетельство аннулировано.', en: 'This certificate has been revoked.' },
  unknown_certificate: {
    kk: 'Қолтаңба дұрыс, бірақ мұндай куәлік тізілімде жоқ.',
    ru: 'Подпись верна, но такого свидетельства в реестре нет.',
    en: 'The signature is valid, but the register has no such certificate.',
  },
};

/** The published keys, read at most once a minute: a new key appears within a minute of its generation. */
const keyCacheMs = 60_000;
const keyCaches = new WeakMap<CertificateDeps, { until: number; resolver: KeyResolver }>();

async function keysFor(deps: CertificateDeps, now: number): Promise<KeyResolver> {
  const cached = keyCaches.get(deps);
  if (cached && cached.until > now) return cached.resolver;
  const resolver = keySetResolver(await publishedKeySet(deps.births.db, deps.country.code));
  keyCaches.set(deps, { until: now + keyCacheMs, resolver });
  return resolver;
}

function invalid(reason: VerifyReason, keyId: string | null = null, birth: BirthClaims | null = null): VerifyResult {
  return { verdict: 'invalid', reason, message: verifyMessages[reason], birth, keyId, statusDate: null };
}

/**
 * The status of a certificate this register issued with the key `kid`; undefined when it has no
 * such certificate (a signature by our key on a serial we never issued, or a restored older backup).
 */
export async function storedCertificateStatus(db: Queryable, timeZone: string, serial: string, kid: string): Promise<CertificateStatus | undefined> {
  const row = await findCertificate(db, serial);
  if (!row || row.keyId !== kid) return undefined;
  return certificateStatus(row, await listActions(db, row.recordId), timeZone);
}

/** The payload a verifier holds (the QR text, with or without the page address), checked whole. */
export async function verifyCertificate(deps: CertificateDeps, payload: string, from: { address: string; limiter: VerifyLimiter }): Promise<VerifyResult> {
  const now = deps.births.clock.now();
  const wait = from.limiter.take(from.address, now.getTime());
  if (wait) {
    throw new AppError('rate_limited', 'too many certificate checks from your address: wait a minute', { retryAfterSeconds: wait, hint: 'a verifier checks one certificate at a time; bulk checks use the status list' });
  }
  let credential;
  try {
    credential = await verifyQrText(payload, { keys: await keysFor(deps, now.getTime()), at: now });
  } catch (error) {
    if (error instanceof CredentialError) return invalid(error.reason);
    throw error;
  }
  const birth = credential.birth;
  if (credential.format !== 'tirkeu-birth' || !birth) return invalid('bad_claims', credential.kid);
  const status = await storedCertificateStatus(deps.births.db, deps.births.timeZone, birth.serial, credential.kid);
  if (!status) return invalid('unknown_certificate', credential.kid, birth);
  if (status.state === 'valid') return { verdict: 'valid', reason: null, message: verifyMessages.valid, birth, keyId: credential.kid, statusDate: null };
  return { verdict: status.state, reason: status.state, message: verifyMessages[status.state], birth, keyId: credential.kid, statusDate: status.since };
}
