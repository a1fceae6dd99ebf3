import { type Bytes, plainBytes } from './bytes.ts';
import { decodeCbor, encodeCbor, isByteString, Tag } from './cbor.ts';
import { CredentialError } from './errors.ts';
import { coseAlgorithmName, coseAlgorithms, signEd25519, verifySignature, type WebCryptoKey } from './webcrypto.ts';

/** CBOR tags: COSE_Sign1 (RFC 9052) and CWT (RFC 8392), and the other COSE messages, to name them in errors. */
export const cborTags = { coseSign1: 18, cwt: 61 } as const;
const otherCoseTags = new Map([
  [16, 'COSE_Encrypt0'],
  [17, 'COSE_Mac0'],
  [96, 'COSE_Encrypt'],
  [97, 'COSE_Mac'],
  [98, 'COSE_Sign'],
]);

/** COSE header labels the codec reads. */
export const coseHeaders = { alg: 1, crit: 2, kid: 4 } as const;

/** A decoded COSE_Sign1 message; every byte array is a plain copy. */
export interface CoseSign1 {
  /** The protected header exactly as signed (a bstr holding a CBOR map, or empty). */
  protectedBytes: Bytes;
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Bytes;
  signature: Bytes;
  /** COSE algorithm id: from the protected header, else the unprotected one. */
  alg: number | undefined;
  /** Key id: from the protected header, else the unprotected one (EU DCC issuers use either). */
  kid: Bytes | undefined;
}

/**
 * Decodes a COSE_Sign1 message: tag 18, tag 61 (CWT) wrapping tag 18 as the MOSIP Claim 169 spec
 * shows, or the untagged four-element array. Not CBOR → bad_cbor; any other shape → bad_cose.
 */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let item = decodeCbor(bytes, 'the signed message');
  if (item instanceof Tag && item.tag === cborTags.cwt) item = item.value;
  if (item instanceof Tag && item.tag === cborTags.coseSign1) item = item.value;
  if (item instanceof Tag) {
    const name = otherCoseTags.get(item.tag);
    throw new CredentialError('bad_cose', `CBOR tag ${item.tag}${name ? ` (${name})` : ''} is not a COSE_Sign1 message (tag 18)`);
  }
  if (!Array.isArray(item) || item.length !== 4) {
    throw new CredentialError('bad_cose', 'a COSE_Sign1 message is an array of four items: protected header, unprotected header, payload, signature');
  }
  const [protectedBytes, unprotectedHeader, payload, signature] = item as unknown[];
  if (!isByteString(protectedBytes)) throw new CredentialError('bad_cose', 'the COSE protected header is not a byte string');
  if (!(unprotectedHeader instanceof Map)) throw new CredentialError('bad_cose', 'the COSE unprotected header is not a map');
  if (payload === null) throw new CredentialError('bad_cose', 'the COSE payload is detached (nil): a QR credential carries its payload');
  if (!isByteString(payload)) throw new CredentialError('bad_cose', 'the COSE payload is not a byte string');
  if (!isByteString(signature)) throw new CredentialError('bad_cose', 'the COSE signature is not a byte string');

  // RFC 9052 §3: a zero-length protected header stands for the empty map.
  const protectedHeader = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes, 'the COSE protected header', 'bad_cose');
  if (!(protectedHeader instanceof Map)) throw new CredentialError('bad_cose', 'the COSE protected header does not hold a map');
  if (protectedHeader.has(coseHeaders.crit)) {
    // RFC 9052 §3.1: a recipient must reject a message whose critical headers it does not understand;
    // the codec acts on alg and kid only, and those are never listed as critical.
    throw new CredentialError('bad_cose', 'the COSE message lists critical header parameters (crit) this verifier does not process');
  }

  const header = (label: number): unknown => (protectedHeader.has(label) ? protectedHeader.get(label) : unprotectedHeader.get(label));
  const alg = header(coseHeaders.alg);
  if (typeof alg === 'string') throw new CredentialError('unsupported_algorithm', `COSE algorithm ${JSON.stringify(alg)} is not supported`);
  if (alg !== undefined && !Number.isSafeInteger(alg)) throw new CredentialError('bad_cose', 'the COSE alg header is not an integer');
  const kid = header(coseHeaders.kid);
  if (kid !== undefined && !isByteString(kid)) throw new CredentialError('bad_cose', 'the COSE kid header is not a byte string');

  return {
    protectedBytes: plainBytes(protectedBytes),
    protectedHeader,
    unprotectedHeader,
    payload: plainBytes(payload),
    signature: plainBytes(signature),
    alg: alg as number | undefined,
    kid: kid === undefined ? undefined : plainBytes(kid),
  };
}

/** The bytes a COSE_Sign1 signature covers (RFC 9052 §4.4): ["Signature1", protected, external_aad = h'', payload]. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Bytes {
  return encodeCbor(['Signature1', plainBytes(protectedBytes), new Uint8Array(0), plainBytes(payload)]);
}

/**
 * Signs a payload as tirkeu does: COSE_Sign1 (tag 18), EdDSA (alg -8) and the kid in the protected
 * header (so neither can be swapped without breaking the signature), empty unprotected header.
 */
export async function signCoseSign1(payload: Uint8Array, kid: Uint8Array, privateKey: WebCryptoKey): Promise<Bytes> {
  const protectedBytes = encodeCbor(
    new Map<number, number | Uint8Array>([
      [coseHeaders.alg, coseAlgorithms.EdDSA],
      [coseHeaders.kid, plainBytes(kid)],
    ]),
  );
  const signature = await signEd25519(privateKey, sigStructure(protectedBytes, payload));
  return encodeCbor(new Tag([protectedBytes, new Map(), plainBytes(payload), signature], cborTags.coseSign1));
}

/**
 * Checks the signature of a decoded COSE_Sign1 with a key: EdDSA (-8), ES256 (-7), PS256 (-37).
 * Another or no algorithm → CredentialError unsupported_algorithm. A key of another type than
 * the algorithm (an RSA key for an ES256 message) cannot have signed it: false.
 */
export async function verifyCoseSign1(cose: CoseSign1, key: WebCryptoKey): Promise<boolean> {
  const alg = coseAlgorithmName(cose.alg);
  if (!alg) {
    throw new CredentialError(
      'unsupported_algorithm',
      cose.alg === undefined
        ? 'the COSE message names no algorithm'
        : `COSE algorithm ${cose.alg} is not supported (EdDSA -8, ES256 -7 and PS256 -37 are)`,
    );
  }
  return verifySignature(alg, key, cose.signature, sigStructure(cose.protectedBytes, cose.payload));
}
