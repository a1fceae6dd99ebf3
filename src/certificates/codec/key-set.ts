import { fromBase64Url, toHex } from './bytes.ts';
import { importEd25519PublicKey, sha256, type WebCryptoKey } from './webcrypto.ts';

/**
 * The published key set (GET /api/v1/certificates/keys, /.well-known/tirkeu-keys.json): every
 * public half tirkeu has signed with, retired ones included, so old certificates keep verifying.
 * JWK-like (RFC 7517/8037 members) plus when each key may sign.
 */
export interface KeySet {
  issuer: string;
  keys: PublishedKey[];
}

export interface PublishedKey {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The raw 32-byte public key, base64url. */
  x: string;
  /** 16 hex characters: the first 8 bytes of SHA-256 over the raw public key; the COSE kid is those 8 bytes. */
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  /** ISO instants: the period in which the key may sign. A payload whose iat falls outside it fails key_expired. */
  validFrom: string;
  validTo: string;
  retired: boolean;
}

/**
 * Finds the key a payload names. `validFrom`/`validTo` bound when the key may be used and
 * `validityAppliesTo` says to what: 'signing' (default) checks the payload's iat (tirkeu keys:
 * a certificate signed in the key's period stays valid after it); 'verification' checks the
 * verification time (an X.509 signer certificate, valid only while it is). `label` names the key to a person.
 */
export type KeyResolver = (
  kid: Uint8Array | undefined,
  alg: number | undefined,
) => Promise<ResolvedKey | undefined>;

export interface ResolvedKey {
  key: WebCryptoKey;
  validFrom?: Date;
  validTo?: Date;
  validityAppliesTo?: 'signing' | 'verification';
  label: string;
}

/** The COSE kid of a raw Ed25519 public key: the first 8 bytes of its SHA-256. */
export async function kidOfPublicKey(rawPublicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(rawPublicKey)).slice(0, 8);
}

/**
 * A resolver over a key set. A kid that is not in the set, or whose published `kid` does not
 * derive from its `x` (a set that was edited or mixed up), is unknown: verification fails unknown_key.
 * Imported keys are cached per kid.
 */
export function keySetResolver(set: KeySet): KeyResolver {
  const byKid = new Map(set.keys.map((key) => [key.kid.toLowerCase(), key]));
  const imported = new Map<string, Promise<WebCryptoKey | undefined>>();
  const importChecked = async (published: PublishedKey): Promise<WebCryptoKey | undefined> => {
    const raw = fromBase64Url(published.x);
    if (toHex(await kidOfPublicKey(raw)) !== published.kid.toLowerCase()) return undefined;
    return importEd25519PublicKey(raw);
  };
  return async (kid) => {
    if (!kid) return undefined;
    const hex = toHex(kid);
    const published = byKid.get(hex);
    if (!published) return undefined;
    let key = imported.get(hex);
    if (!key) {
      key = importChecked(published);
      imported.set(hex, key);
    }
    const cryptoKey = await key;
    if (!cryptoKey) return undefined;
    return {
      key: cryptoKey,
      validFrom: new Date(published.validFrom),
      validTo: new Date(published.validTo),
      validityAppliesTo: 'signing',
      label: `${set.issuer} key ${hex}${published.retired ? ' (retired)' : ''}`,
    };
  };
}

/**
 * A key set from untrusted JSON (a fetched URL, a file): checks every member a verifier relies
 * on and throws an Error naming the first wrong one. Members it does not know are ignored.
 */
export function parseKeySet(value: unknown): KeySet {
  const fail = (field: string, what: string): never => {
    throw new Error(`key set: ${field} ${what}`);
  };
  if (!isRecord(value)) fail('the document', 'is not a JSON object');
  const set = value as Record<string, unknown>;
  if (typeof set.issuer !== 'string' || set.issuer === '') fail('issuer', 'is not a non-empty string');
  if (!Array.isArray(set.keys)) fail('keys', 'is not an array');
  const keys = (set.keys as unknown[]).map((entry, i): PublishedKey => {
    const at = `keys[${i}]`;
    if (!isRecord(entry)) return fail(at, 'is not an object');
    const k = entry as Record<string, unknown>;
    if (k.kty !== 'OKP') fail(`${at}.kty`, 'is not "OKP"');
    if (k.crv !== 'Ed25519') fail(`${at}.crv`, 'is not "Ed25519"');
    if (k.alg !== 'EdDSA') fail(`${at}.alg`, 'is not "EdDSA"');
    if (k.use !== 'sig') fail(`${at}.use`, 'is not "sig"');
    if (typeof k.x !== 'string') return fail(`${at}.x`, 'is not a string');
    let raw: Uint8Array = new Uint8Array(0);
    try {
      raw = fromBase64Url(k.x);
    } catch {
      fail(`${at}.x`, 'is not base64url');
    }
    if (raw.length !== 32) fail(`${at}.x`, 'is not a 32-byte Ed25519 public key');
    if (typeof k.kid !== 'string' || !/^[0-9a-f]{16}$/i.test(k.kid)) fail(`${at}.kid`, 'is not 16 hex characters');
    for (const field of ['validFrom', 'validTo'] as const) {
      if (typeof k[field] !== 'string' || Number.isNaN(Date.parse(k[field] as string))) fail(`${at}.${field}`, 'is not an ISO instant');
    }
    if (typeof k.retired !== 'boolean') fail(`${at}.retired`, 'is not true or false');
    return {
      kty: 'OKP',
      crv: 'Ed25519',
      x: k.x,
      kid: k.kid as string,
      alg: 'EdDSA',
      use: 'sig',
      validFrom: k.validFrom as string,
      validTo: k.validTo as string,
      retired: k.retired as boolean,
    };
  });
  return { issuer: set.issuer as string, keys };
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

