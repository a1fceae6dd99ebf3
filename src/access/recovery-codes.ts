import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** Codes without look-alike characters (no 0/o, 1/l/i), in groups a person can copy from paper. */
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Groups of four such characters, e.g. "k7mx-3pqa-w9dt"; each group carries about 20 bits. */
export function readableCode(groups: number): string {
  return Array.from({ length: groups }, () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')).join('-');
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => readableCode(3));
}

/** A temporary password an administrator hands over; the user must change it at first sign-in. */
export function temporaryPassword(): string {
  return readableCode(5);
}

function normalise(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** SHA-256 suffices: a code has about 59 bits of randomness, so there is nothing to guess from the hash. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

export function matchRecoveryCode(code: string, hashes: readonly string[]): number {
  if (!/^[a-z0-9]{12}$/.test(normalise(code))) return -1;
  const given = Buffer.from(hashRecoveryCode(code), 'hex');
  let found = -1;
  hashes.forEach((h, i) => {
    if (timingSafeEqual(Buffer.from(h, 'hex'), given)) found = i;
  });
  return found;
}
