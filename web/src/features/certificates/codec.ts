/**
 * The one door from the web app into the server's code: the isomorphic QR codec, so this device
 * verifies a certificate exactly as the server and the command line do. Nothing else of src/ is
 * imported as code (eslint.config.js says so).
 */
// The lint rule's exception for the codec folder is written as a gitignore negation, which cannot
// re-include a folder whose parent src/ is excluded; until it is fixed, the exception is made here.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
export { keySetResolver } from '../../../../src/certificates/codec/key-set.ts';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
export { verifyQrText } from '../../../../src/certificates/codec/verify.ts';
export type { KeySet } from '../../../../src/certificates/codec/key-set.ts';
export type { BirthClaims } from '../../../../src/certificates/codec/claims.ts';
