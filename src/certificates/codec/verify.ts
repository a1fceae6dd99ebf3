import { toHex } from './bytes.ts';
import { decodeCbor, type JsonValue, toJsonValue } from './cbor.ts';
import { type BirthClaims, cwtClaims, type CwtTimes, readBirthClaims, readCwtTimes } from './claims.ts';
import { type CoseSign1, decodeCoseSign1, verifyCoseSign1 } from './cose.ts';
import { CredentialError } from './errors.ts';
import type { KeyResolver, ResolvedKey } from './key-set.ts';
import { unwrapQrText } from './qr-text.ts';
import { coseAlgorithmName, describeKey, keyFitsAlgorithm } from './webcrypto.ts';

export type CredentialFormat = 'tirkeu-birth' | 'eu-dcc' | 'claim169' | 'cwt';

/** What a QR payload says, decoded (not necessarily verified: see VerifiedCredential). */
export interface DecodedCredential {
  format: CredentialFormat;
  /** 'EdDSA', 'ES256', 'PS256', or "COSE <n>" / "none" for what the codec cannot verify. */
  alg: string;
  /** The COSE kid as lower-case hex; '' when the payload names no key (possible only with a key given directly). */
  kid: string;
  issuer?: string;
  issuedAt?: Date;
  expiresAt?: Date;
  notBefore?: Date;
  /** The CWT claims as JSON values (see toJsonValue: "-260": {...}, byte strings base64url). */
  claims: JsonValue;
  /** The birth claims, when format is 'tirkeu-birth'. */
  birth?: BirthClaims;
}

/** A payload whose signature verified with a trusted key and whose times hold at the verification instant. */
export interface VerifiedCredential extends DecodedCredential {
  /** The resolver's name for the key that verified it. */
  keyLabel: string;
}

export interface VerifyOptions {
  keys: KeyResolver;
  /** The instant validity is judged at: now, or a test vector's validation clock. */
  at: Date;
}

/**
 * The one verification procedure (server, CLI, browser). Each step has its failure, in order:
 * unwrap (too_large, bad_base45, bad_compression) → COSE (bad_cbor, bad_cose,
 * unsupported_algorithm) → key (unknown_key) → signature (bad_signature) → claims (bad_cbor,
 * bad_claims) → times at `at`: exp < at expired, nbf > at not_yet_valid, then the key's
 * validity (key_expired). Throws CredentialError; anything else thrown is a fault (the resolver's).
 */
export async function verifyQrText(text: string, options: VerifyOptions): Promise<VerifiedCredential> {
  checkInstant(options.at);
  const cose = decodeCoseSign1(unwrapQrText(text));
  const alg = coseAlgorithmName(cose.alg);
  if (!alg) {
    throw new CredentialError(
      'unsupported_algorithm',
      cose.alg === undefined ? 'the COSE message names no algorithm' : `COSE algorithm ${cose.alg} is not supported (EdDSA, ES256 and PS256 are)`,
    );
  }
  const resolved = await options.keys(cose.kid, cose.alg);
  if (!resolved) {
    throw new CredentialError(
      'unknown_key',
      cose.kid ? `no trusted key has the id ${toHex(cose.kid)}` : 'the payload names no key id and no trusted key was given for it',
    );
  }
  if (!keyFitsAlgorithm(resolved.key, alg)) {
    throw new CredentialError('bad_signature', `the payload is signed with ${alg}, which the ${describeKey(resolved.key)} key ${resolved.label} cannot have made`);
  }
  if (!(await verifyCoseSign1(cose, resolved.key))) {
    throw new CredentialError('bad_signature', `the ${alg} signature does not verify with ${resolved.label}`);
  }
  const { credential, payload } = readCredential(cose);
  checkTimes(credential, options.at);
  checkKeyValidity(resolved, credential, options.at);
  if (credential.format === 'tirkeu-birth') credential.birth = readBirthClaims(payload);
  return { ...credential, keyLabel: resolved.label };
}

/**
 * Decodes a payload WITHOUT checking its signature (for showing what an unverifiable code says,
 * and for test vectors published without a key). With `at`, checks exp and nbf there too.
 * Never treat its result as verified.
 */
export function decodeQrText(text: string, options: { at?: Date } = {}): DecodedCredential {
  const cose = decodeCoseSign1(unwrapQrText(text));
  const { credential, payload } = readCredential(cose);
  if (options.at) {
    checkInstant(options.at);
    checkTimes(credential, options.at);
  }
  if (credential.format === 'tirkeu-birth') credential.birth = readBirthClaims(payload);
  return credential;
}

function readCredential(cose: CoseSign1): { credential: DecodedCredential; payload: Map<unknown, unknown> } {
  const payload = decodeCbor(cose.payload, 'the signed payload');
  if (!(payload instanceof Map)) throw new CredentialError('bad_claims', 'the signed payload is not a CWT claims map');
  const times: CwtTimes = readCwtTimes(payload);
  const credential: DecodedCredential = {
    format: formatOf(payload),
    alg: coseAlgorithmName(cose.alg) ?? (cose.alg === undefined ? 'none' : `COSE ${cose.alg}`),
    kid: cose.kid ? toHex(cose.kid) : '',
    ...times,
    claims: toJsonValue(payload, 'bad_claims'),
  };
  return { credential, payload };
}

function formatOf(payload: Map<unknown, unknown>): CredentialFormat {
  if (payload.has(cwtClaims.tirkeuBirth)) return 'tirkeu-birth';
  if (payload.has(cwtClaims.euDcc)) return 'eu-dcc';
  if (payload.has(cwtClaims.claim169)) return 'claim169';
  return 'cwt';
}

function checkTimes(credential: DecodedCredential, at: Date): void {
  if (credential.expiresAt && credential.expiresAt.getTime() < at.getTime()) {
    throw new CredentialError('expired', `the credential expired at ${credential.expiresAt.toISOString()} (checked at ${at.toISOString()})`);
  }
  if (credential.notBefore && credential.notBefore.getTime() > at.getTime()) {
    throw new CredentialError('not_yet_valid', `the credential is valid from ${credential.notBefore.toISOString()} (checked at ${at.toISOString()})`);
  }
}

function checkKeyValidity(resolved: ResolvedKey, credential: DecodedCredential, at: Date): void {
  const bySigning = (resolved.validityAppliesTo ?? 'signing') === 'signing';
  const instant = bySigning ? (credential.issuedAt ?? at) : at;
  const what = bySigning ? (credential.issuedAt ? 'signed' : 'checked') : 'checked';
  if (resolved.validFrom && instant.getTime() < resolved.validFrom.getTime()) {
    throw new CredentialError(
      'key_expired',
      `${resolved.label} is valid from ${resolved.validFrom.toISOString()}; the credential was ${what} at ${instant.toISOString()}`,
    );
  }
  if (resolved.validTo && instant.getTime() > resolved.validTo.getTime()) {
    throw new CredentialError(
      'key_expired',
      `${resolved.label} was valid until ${resolved.validTo.toISOString()}; the credential was ${what} at ${instant.toISOString()}`,
    );
  }
}

function checkInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('the verification instant `at` is not a valid Date');
}
