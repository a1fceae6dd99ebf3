import { type Bytes, plainBytes } from './bytes.ts';
import { CredentialError } from './errors.ts';

/**
 * WebCrypto (globalThis.crypto.subtle) is the codec's only crypto: Node 20 and browsers both have
 * Ed25519, ECDSA P-256 and RSA-PSS there. The key type is taken from `subtle` itself because Node's
 * type definitions have no global CryptoKey while the DOM's do; this name works under both.
 */
const subtle = (): (typeof globalThis.crypto)['subtle'] => globalThis.crypto.subtle;
export type WebCryptoKey = Awaited<ReturnType<ReturnType<typeof subtle>['importKey']>>;

/** COSE algorithm identifiers (IANA "COSE Algorithms") the codec verifies. */
export const coseAlgorithms = { EdDSA: -8, ES256: -7, PS256: -37 } as const;
export type CoseAlgorithmName = keyof typeof coseAlgorithms;

export function coseAlgorithmName(alg: number | undefined): CoseAlgorithmName | undefined {
  for (const [name, id] of Object.entries(coseAlgorithms)) if (id === alg) return name as CoseAlgorithmName;
  return undefined;
}

interface KeyAlgorithmShape {
  name: string;
  namedCurve?: string;
  hash?: { name: string };
}

/** Whether a key can have made signatures of a COSE algorithm (right family, curve and hash). */
export function keyFitsAlgorithm(key: WebCryptoKey, alg: CoseAlgorithmName): boolean {
  const algorithm = key.algorithm as KeyAlgorithmShape;
  switch (alg) {
    case 'EdDSA':
      return algorithm.name === 'Ed25519';
    case 'ES256':
      return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
    case 'PS256':
      return algorithm.name === 'RSA-PSS' && algorithm.hash?.name === 'SHA-256';
  }
}

/** A short description of a key's algorithm for messages: "Ed25519", "ECDSA P-256", "RSA-PSS SHA-256". */
export function describeKey(key: WebCryptoKey): string {
  const algorithm = key.algorithm as KeyAlgorithmShape;
  return [algorithm.name, algorithm.namedCurve, algorithm.hash?.name].filter(Boolean).join(' ');
}

/**
 * Verifies a signature with WebCrypto. COSE signatures are the raw forms WebCrypto uses: r||s for
 * ECDSA (not DER), the 64 bytes of Ed25519, the RSA-PSS octets (salt length = hash length, 32).
 */
export async function verifySignature(
  alg: CoseAlgorithmName,
  key: WebCryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (!keyFitsAlgorithm(key, alg)) return false;
  // Fixed-size signatures of another length cannot verify; say so without asking WebCrypto.
  if ((alg === 'EdDSA' || alg === 'ES256') && signature.length !== 64) return false;
  const params =
    alg === 'EdDSA'
      ? { name: 'Ed25519' }
      : alg === 'ES256'
        ? { name: 'ECDSA', hash: 'SHA-256' }
        : { name: 'RSA-PSS', saltLength: 32 };
  try {
    return await subtle().verify(params, key, plainBytes(signature), plainBytes(data));
  } catch {
    // WebCrypto throws on malformed signatures (an RSA signature of the wrong size): not a match.
    return false;
  }
}

export async function signEd25519(privateKey: WebCryptoKey, data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, privateKey, plainBytes(data)));
}

export async function sha256(data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', plainBytes(data)));
}

/** A raw 32-byte Ed25519 public key (as JWK `x` and COSE OKP keys carry it) for verification. */
export async function importEd25519PublicKey(raw: Uint8Array): Promise<WebCryptoKey> {
  if (raw.length !== 32) throw new CredentialError('unknown_key', `an Ed25519 public key has 32 bytes, not ${raw.length}`);
  return subtle().importKey('raw', plainBytes(raw), { name: 'Ed25519' }, true, ['verify']);
}

/** A raw SEC1 P-256 public key (65 bytes, 0x04 || x || y) for ES256 verification. */
export async function importP256PublicKey(raw: Uint8Array): Promise<WebCryptoKey> {
  return subtle().importKey('raw', plainBytes(raw), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
}

/** The public members of a JWK the codec reads (RFC 7517/7518/8037). */
export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  alg?: string;
}

/**
 * A public JWK as a verification key: OKP Ed25519 → EdDSA, EC P-256 → ES256, RSA → PS256 (RSA
 * keys are imported for RSA-PSS with SHA-256, the only RSA scheme COSE credentials use here).
 * Private members are dropped, so a private JWK given by mistake is never imported as private.
 */
export async function importPublicJwk(jwk: PublicJwk): Promise<WebCryptoKey> {
  const pick = (...names: (keyof PublicJwk)[]): PublicJwk => {
    const picked: PublicJwk = { kty: jwk.kty };
    for (const name of names) if (jwk[name] !== undefined) picked[name] = jwk[name];
    return picked;
  };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return subtle().importKey('jwk', pick('crv', 'x'), { name: 'Ed25519' }, true, ['verify']);
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    return subtle().importKey('jwk', pick('crv', 'x', 'y'), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  }
  if (jwk.kty === 'RSA') {
    return subtle().importKey('jwk', pick('n', 'e'), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
  }
  throw new CredentialError(
    'unsupported_algorithm',
    `a ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''} key: only Ed25519 (EdDSA), EC P-256 (ES256) and RSA (PS256) keys verify credentials`,
  );
}
