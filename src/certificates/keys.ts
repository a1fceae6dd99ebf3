import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as signWithNode,
  verify as verifyWithNode,
  webcrypto,
} from 'node:crypto';
import type { CheckpointSigner } from '../core/action-log/checkpoint.ts';
import type { CheckpointSignatureCheck } from '../core/action-log/verify.ts';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Queryable } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';

/**
 * Signing keys: Ed25519 key pairs that sign certificates' QR payloads and the action log's
 * checkpoints. The private half is kept as a PKCS#8 PEM encrypted with the passphrase from the
 * environment (TIRKEU_SIGNING_KEY_PASSPHRASE), so neither the database nor a backup of it can sign
 * anything alone; the public half is published in the key set for as long as the key exists, so
 * what an old key signed still verifies after rotation. No function here returns a private half
 * except the signer.
 */

import type { KeySet, PublishedKey } from './codec/key-set.ts';

export interface SigningKeyInfo {
  kid: string;
  alg: 'EdDSA';
  /** The raw public key, base64url. */
  publicKey: string;
  validFrom: Date;
  validTo: Date;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The current key, opened: what signs. Held in memory only. */
export interface Signer {
  kid: string;
  /** The 8 bytes whose hex is `kid`: the COSE kid header. */
  kidBytes: Uint8Array;
  /** WebCrypto Ed25519 private key, for the codec's signCoseSign1. */
  privateKey: webcrypto.CryptoKey;
  /** The same key as a Node KeyObject, for jose. */
  keyObject: KeyObject;
  /** The Ed25519 signature of `data` (64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * The published passphrase of demo installations (TIRKEU_DEMO=1 and no TIRKEU_SIGNING_KEY_PASSPHRASE),
 * like the demo users' password: a demo's certificates prove nothing, and anyone may know it.
 */
export const demoSigningKeyPassphrase = 'steppe demo keys';

const passphraseVariable = 'TIRKEU_SIGNING_KEY_PASSPHRASE';
const kidPattern = /^[0-9a-f]{16}$/;
const defaultValidYears = 5;
const maxValidDays = 36_500;

/** The passphrase that opens the signing keys: the configured one, else the demo's in demo mode. */
export function signingKeyPassphrase(config: Pick<Config, 'signingKeyPassphrase' | 'demo'>): string | undefined {
  return config.signingKeyPassphrase ?? (config.demo ? demoSigningKeyPassphrase : undefined);
}

/** Whether the database is migrated to signing keys (a register upgraded but not yet migrated is not). */
export async function signingKeysInstalled(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ table: string | null }>("SELECT to_regclass('signing_keys')::text AS table");
  return rows[0]?.table != null;
}

/** The key id: hex of the first 8 bytes of SHA-256 of the raw 32-byte public key. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 8).toString('hex');
}

const infoColumns = `kid, alg, public_key AS "publicKey", valid_from AS "validFrom", valid_to AS "validTo",
  created_at AS "createdAt", retired_at AS "retiredAt"`;

function checkKid(kid: string): void {
  if (!kidPattern.test(kid)) {
    throw new AppError('validation_failed', 'a key id is 16 hexadecimal characters', {
      field: 'kid',
      hint: 'tirkeu keys list shows the key ids',
    });
  }
}

function missingPassphrase(): AppError {
  return new AppError('unavailable', `${passphraseVariable} is not set: the signing keys cannot be opened`, {
    field: passphraseVariable,
    hint: `set ${passphraseVariable} to the passphrase the signing keys were generated with (see docs/keys.md)`,
  });
}

/**
 * Makes a new Ed25519 key that may sign from `validFrom` (now by default) for `validDays` days
 * (five years by default), its private half encrypted with the passphrase.
 */
export async function generateSigningKey(
  db: Queryable,
  clock: Clock,
  options: { passphrase: string; validFrom?: Date; validDays?: number },
): Promise<SigningKeyInfo> {
  if (!options.passphrase) throw missingPassphrase();
  const validFrom = options.validFrom ?? clock.now();
  let validTo: Date;
  if (options.validDays === undefined) {
    validTo = new Date(validFrom);
    validTo.setUTCFullYear(validTo.getUTCFullYear() + defaultValidYears);
  } else {
    if (!Number.isInteger(options.validDays) || options.validDays < 1 || options.validDays > maxValidDays) {
      throw new AppError('validation_failed', `the validity of a key is a whole number of days between 1 and ${maxValidDays}`, {
        field: 'validDays',
        hint: 'leave it out for five years',
      });
    }
    validTo = new Date(validFrom.getTime() + options.validDays * 86_400_000);
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const kid = keyIdOf(Buffer.from(x, 'base64url'));
  // aes-256-cbc PKCS#8: `openssl pkey -in key.pem` opens a backed-up row with the passphrase.
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: options.passphrase });
  const { rows } = await db.query<SigningKeyInfo>(
    `INSERT INTO signing_keys (kid, alg, public_key, private_key_pem, valid_from, valid_to, created_at)
     VALUES ($1, 'EdDSA', $2, $3, $4, $5, $6) RETURNING ${infoColumns}`,
    [kid, x, pem, validFrom, validTo, clock.now()],
  );
  return rows[0]!;
}

/** Every key, retired ones too, newest first. */
export async function listSigningKeys(db: Queryable): Promise<SigningKeyInfo[]> {
  const { rows } = await db.query<SigningKeyInfo>(`SELECT ${infoColumns} FROM signing_keys ORDER BY created_at DESC, kid`);
  return rows;
}

/** The newest key that is not retired and may sign at `at`, if any. */
async function findKeyValidAt(db: Queryable, at: Date): Promise<(SigningKeyInfo & { pem: string }) | undefined> {
  const { rows } = await db.query<SigningKeyInfo & { pem: string }>(
    `SELECT ${infoColumns}, private_key_pem AS pem FROM signing_keys
     WHERE retired_at IS NULL AND valid_from <= $1 AND valid_to > $1
     ORDER BY valid_from DESC, created_at DESC, kid LIMIT 1`,
    [at],
  );
  return rows[0];
}

/** The key that signs now (the newest unretired key valid now), if there is one. */
export async function findCurrentSigningKey(db: Queryable, clock: Clock): Promise<SigningKeyInfo | undefined> {
  const key = await findKeyValidAt(db, clock.now());
  if (!key) return undefined;
  const { pem: _, ...info } = key;
  return info;
}

/**
 * Stops a key signing from now on. Its public half stays in the key set, so what it signed still
 * verifies (a leaked key's certificates must be revoked as well: see docs/keys.md).
 */
export async function retireSigningKey(db: Queryable, clock: Clock, kid: string): Promise<SigningKeyInfo> {
  checkKid(kid);
  const { rows } = await db.query<SigningKeyInfo>(
    `UPDATE signing_keys SET retired_at = $2 WHERE kid = $1 AND retired_at IS NULL RETURNING ${infoColumns}`,
    [kid, clock.now()],
  );
  if (rows[0]) return rows[0];
  const { rows: existing } = await db.query<{ retiredAt: Date }>('SELECT retired_at AS "retiredAt" FROM signing_keys WHERE kid = $1', [kid]);
  if (!existing[0]) {
    throw new AppError('not_found', `there is no signing key ${kid}`, { field: 'kid', hint: 'tirkeu keys list shows the key ids' });
  }
  throw new AppError('conflict', `signing key ${kid} was already retired on ${existing[0].retiredAt.toISOString()}`, {
    field: 'kid',
    hint: 'nothing to do: it no longer signs, and its public half stays published',
  });
}

/**
 * Rotation: a new key signs from now on and the key that signed until now is retired, in one
 * transaction (the caller's). The old public half stays published.
 */
export async function rotateSigningKey(
  db: Queryable,
  clock: Clock,
  options: { passphrase: string; validDays?: number },
): Promise<{ generated: SigningKeyInfo; retired: SigningKeyInfo | undefined }> {
  const current = await findKeyValidAt(db, clock.now());
  const generated = await generateSigningKey(db, clock, { passphrase: options.passphrase, validDays: options.validDays });
  const retired = current ? await retireSigningKey(db, clock, current.kid) : undefined;
  return { generated, retired };
}

function published(key: SigningKeyInfo): PublishedKey {
  // "When it may sign": a retired key's period ends at its retirement.
  let until = key.retiredAt && key.retiredAt < key.validTo ? key.retiredAt : key.validTo;
  if (until < key.validFrom) until = key.validFrom; // retired before it ever might sign
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: key.publicKey,
    kid: key.kid,
    alg: 'EdDSA',
    use: 'sig',
    validFrom: key.validFrom.toISOString(),
    validTo: until.toISOString(),
    retired: key.retiredAt !== null,
  };
}

/** Every key's public half, retired ones too (what they signed must still verify), newest first. */
export async function publishedKeySet(db: Queryable, issuer = 'KZ'): Promise<KeySet> {
  return { issuer, keys: (await listSigningKeys(db)).map(published) };
}

/** Opened keys by kid and by what opened them: a wrong passphrase never reads a cached key. */
const openedKeys = new Map<string, Promise<Signer>>();

async function openSigner(key: SigningKeyInfo & { pem: string }, passphrase: string): Promise<Signer> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: key.pem, format: 'pem', passphrase });
  } catch {
    throw new AppError('unavailable', `${passphraseVariable} does not open signing key ${key.kid}`, {
      field: passphraseVariable,
      hint: 'set the passphrase the key was generated with; if it is lost, set a new one and run tirkeu keys rotate (see docs/keys.md)',
    });
  }
  // A private half that does not belong to the published public half would sign what nobody can verify.
  if (createPublicKey(keyObject).export({ format: 'jwk' }).x !== key.publicKey) {
    throw new AppError('unavailable', `the private half of signing key ${key.kid} does not match its public half`, {
      field: 'kid',
      hint: 'the signing_keys row was altered: retire the key (tirkeu keys retire) and generate a new one',
    });
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', keyObject.export({ type: 'pkcs8', format: 'der' }), { name: 'Ed25519' }, false, [
    'sign',
  ]);
  return {
    kid: key.kid,
    kidBytes: new Uint8Array(Buffer.from(key.kid, 'hex')),
    privateKey,
    keyObject,
    sign: async (data) => new Uint8Array(signWithNode(null, data, keyObject)),
  };
}

/**
 * The signer of the newest unretired key valid now. Refuses with 'unavailable', saying what to do,
 * when there is no such key or the passphrase is missing or does not open it. The opened key is
 * cached per kid, so a sealer on a timer decrypts once.
 */
export async function currentSigner(db: Queryable, clock: Clock, passphrase: string | undefined): Promise<Signer> {
  const key = await findKeyValidAt(db, clock.now());
  if (!key) {
    throw new AppError('unavailable', 'there is no signing key valid now', {
      hint: `run tirkeu keys generate (with ${passphraseVariable} set)`,
    });
  }
  if (!passphrase) throw missingPassphrase();
  const cacheKey = `${key.kid}:${createHash('sha256').update(passphrase).update('\0').update(key.pem).digest('hex')}`;
  let signer = openedKeys.get(cacheKey);
  if (!signer) {
    signer = openSigner(key, passphrase);
    openedKeys.set(cacheKey, signer);
    signer.catch(() => openedKeys.delete(cacheKey));
  }
  return signer;
}

/** A signer as the action log's checkpoints need it: base64url over the UTF-8 of the checkpoint hash. */
export function checkpointSigner(signer: Signer): CheckpointSigner {
  return {
    keyId: signer.kid,
    sign: async (hash) => Buffer.from(await signer.sign(new TextEncoder().encode(hash))).toString('base64url'),
  };
}

/**
 * For a sealer that runs on a timer (the server, `tirkeu checkpoint`): each call gives the current
 * key's checkpoint signer, or undefined when there is none (no key, no passphrase, a wrong one), so
 * the log is sealed unsigned rather than not at all. `onChange` hears each change of state once —
 * to log it — not every call. Errors other than a missing or unopened key (the database) are thrown.
 */
export function checkpointSignerSource(
  db: Queryable,
  clock: Clock,
  passphrase: string | undefined,
  onChange: (state: { keyId: string; unsigned?: undefined } | { keyId?: undefined; unsigned: AppError }) => void,
): () => Promise<CheckpointSigner | undefined> {
  let last: string | undefined;
  return async () => {
    try {
      const signer = checkpointSigner(await currentSigner(db, clock, passphrase));
      if (last !== signer.keyId) onChange({ keyId: signer.keyId });
      last = signer.keyId;
      return signer;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'unavailable') throw error;
      if (last !== error.message) onChange({ unsigned: error });
      last = error.message;
      return undefined;
    }
  };
}

/**
 * Checks checkpoint signatures against a key set (verify-log). A key whose kid is not the one its
 * public key gives is treated as absent.
 */
export function checkpointSignatureCheck(set: KeySet): CheckpointSignatureCheck {
  const keys = new Map<string, KeyObject>();
  for (const key of set.keys) {
    if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || keyIdOf(Buffer.from(key.x, 'base64url')) !== key.kid) continue;
    keys.set(key.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' }));
  }
  return async ({ keyId, hash, signature }) => {
    const key = keys.get(keyId);
    if (!key) return 'unknown_key';
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return 'bad_signature';
    return verifyWithNode(null, Buffer.from(hash, 'utf8'), key, bytes) ? 'valid' : 'bad_signature';
  };
}

