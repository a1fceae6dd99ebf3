/**
 * The QR codec: what the server, the CLI and the browser (the public verification page) share.
 * Web APIs and browser-safe libraries only (cbor-x, fflate); nothing of Node or the rest of src/.
 */
export { decodeBase45, encodeBase45 } from './base45.ts';
export { fromBase64Url, fromHex, toBase64Url, toHex } from './bytes.ts';
export type { JsonValue } from './cbor.ts';
export { type BirthClaims, type CertificateKind, type PersonName, birthClaimKeys, cwtClaims, encodeBirthCwt, readBirthClaims } from './claims.ts';
export { type CoseSign1, decodeCoseSign1, signCoseSign1, sigStructure, verifyCoseSign1 } from './cose.ts';
export { type CredentialFailure, CredentialError, credentialFailures, credentialFailureText, isCredentialError, type LocalisedText } from './errors.ts';
export { type KeyResolver, type KeySet, type PublishedKey, type ResolvedKey, keySetResolver, kidOfPublicKey, parseKeySet } from './key-set.ts';
export { knownQrPrefixes, maxQrTextLength, tirkeuQrPrefix, unwrapQrText, wrapQrText } from './qr-text.ts';
export { type CredentialFormat, type DecodedCredential, decodeQrText, type VerifiedCredential, type VerifyOptions, verifyQrText } from './verify.ts';
export {
  coseAlgorithms,
  importEd25519PublicKey,
  importP256PublicKey,
  importPublicJwk,
  type PublicJwk,
  type WebCryptoKey,
} from './webcrypto.ts';
