import { credentialFailures } from './codec.ts';
import type { BirthClaims, CredentialFailure, VerifyAnswer } from './types.ts';

/**
 * The verification page's decision, from two checks: the signature checked on this device against
 * the published keys, and the registry's status answer when it can be asked. Pure, so every
 * combination is tested without a browser or a server. Nothing here ever turns a failure into "valid".
 */

/** What the device's own check found. */
export type LocalCheck =
  | { kind: 'verified'; text: string; birth: BirthClaims | null; keyId: string; issuedAt: Date | null }
  | { kind: 'failed'; text: string; reason: CredentialFailure }
  /** No key set on the device, and none could be fetched. */
  | { kind: 'no_keys'; text: string };

/** What asking the registry gave. */
export type StatusCheck =
  | { kind: 'answered'; answer: VerifyAnswer }
  | { kind: 'unreachable'; why: 'offline' | 'rate_limited' | 'refused' }
  | { kind: 'not_asked' };

export type Verdict = 'valid' | 'superseded' | 'revoked' | 'invalid' | 'unchecked' | 'unknown';

export interface Outcome {
  verdict: Verdict;
  /** Why it is invalid (a codec failure), or why the status could not be learnt. */
  reason: CredentialFailure | 'no_keys' | null;
  /** When the certificate was superseded or revoked. */
  statusDate: string | null;
  /** The certified facts, when a signature vouches for them. */
  birth: BirthClaims | null;
  keyId: string | null;
  /** Why the registry could not be asked, for "unchecked" and "unknown". */
  unreachable: 'offline' | 'rate_limited' | 'refused' | null;
  /** The registry's own sentence, for a reason this page has no words for. */
  serverMessage: VerifyAnswer['message'] | null;
}

/**
 * The stages of verification in order: a failure found later got further through the checks, so
 * among the readings of one text (see payload.ts) the one that got furthest is the one reported.
 */
const stages: CredentialFailure[] = [
  'too_large',
  'bad_base45',
  'bad_compression',
  'bad_cbor',
  'bad_cose',
  'unsupported_algorithm',
  'unknown_key',
  'bad_signature',
  'bad_claims',
  'key_expired',
  'not_yet_valid',
  'expired',
];

export function furthest(failures: CredentialFailure[]): CredentialFailure | undefined {
  return failures.reduce<CredentialFailure | undefined>((best, next) => (best === undefined || stages.indexOf(next) > stages.indexOf(best) ? next : best), undefined);
}

/**
 * Whether to ask the registry: always after a good signature (revocation is only known there), and
 * when this device could not judge the key (a key set not yet fetched, or a key newer than it).
 * A text that is damaged or forged is refused here and never sent.
 */
export function needsStatus(local: LocalCheck): boolean {
  return local.kind === 'verified' || local.kind === 'no_keys' || local.reason === 'unknown_key';
}

const empty: Omit<Outcome, 'verdict'> = { reason: null, statusDate: null, birth: null, keyId: null, unreachable: null, serverMessage: null };

function fromServer(answer: VerifyAnswer, local: LocalCheck): Outcome {
  const birth = local.kind === 'verified' ? local.birth : answer.birth;
  const keyId = local.kind === 'verified' ? local.keyId : answer.keyId;
  if (answer.verdict === 'invalid') {
    // A codec failure is said in the codec's words; any other reason, in the registry's own sentence.
    const reason = (credentialFailures as readonly string[]).includes(answer.reason ?? '') ? (answer.reason as CredentialFailure) : null;
    return { ...empty, verdict: 'invalid', reason, keyId, serverMessage: answer.message };
  }
  // The registry vouches only for a signature it checked: it names the facts, or this device did.
  return { ...empty, verdict: answer.verdict, statusDate: answer.statusDate, birth, keyId, serverMessage: answer.message };
}

export function combine(local: LocalCheck, status: StatusCheck): Outcome {
  if (local.kind === 'failed' && local.reason !== 'unknown_key') return { ...empty, verdict: 'invalid', reason: local.reason };
  if (status.kind === 'answered') return fromServer(status.answer, local);
  const unreachable = status.kind === 'unreachable' ? status.why : null;
  if (local.kind === 'verified') return { ...empty, verdict: 'unchecked', birth: local.birth, keyId: local.keyId, unreachable };
  // Offline, and this device knows no key that signed it: not valid, as far as anyone here can tell.
  if (local.kind === 'failed') return { ...empty, verdict: 'invalid', reason: 'unknown_key', unreachable };
  return { ...empty, verdict: 'unknown', reason: 'no_keys', unreachable };
}

/** How the verdict looks: green only for valid; a certificate with a good signature whose status is unknown is a warning. */
export function toneOf(verdict: Verdict): 'ok' | 'warn' | 'danger' {
  if (verdict === 'valid') return 'ok';
  if (verdict === 'unchecked' || verdict === 'unknown' || verdict === 'superseded') return 'warn';
  return 'danger';
}
