/**
 * The one door from the web app into the server's code: the isomorphic QR codec, so this device
 * verifies a certificate exactly as the server and the command line do, and says why a code fails
 * in the same words. Nothing else of src/ is imported as code (eslint.config.js says so).
 */
export { credentialFailures, credentialFailureText, keySetResolver, parseKeySet, verifyQrText } from '../../../../src/certificates/codec/index.ts';
export type { BirthClaims, CredentialFailure, KeySet, PersonName } from '../../../../src/certificates/codec/index.ts';
