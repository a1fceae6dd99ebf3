/**
 * The one door from the web app into the server's code: the isomorphic QR codec, so this device
 * verifies a certificate exactly as the server and the command line do, and says why a code fails
 * in the same words. Nothing else of src/ is imported as code (eslint.config.js says so).
 */
// The lint rule's exception for the codec folder is written as a gitignore negation, which cannot
// re-include a folder whose parent (src/) is excluded; until the rule is fixed, the exception is made here.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
export { credentialFailures, credentialFailureText, keySetResolver, parseKeySet, verifyQrText } from '../../../../src/certificates/codec/index.ts';
export type { BirthClaims, CredentialFailure, KeySet, PersonName } from '../../../../src/certificates/codec/index.ts';
