import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.ts';

/**
 * Password hashing with scrypt. The stored string names its parameters, so they can be raised
 * later and old hashes still verify (and needsRehash says which to upgrade at next sign-in).
 * Tuned by `npm run bench access` on the 2-core reference server to about 50–100 ms: N = 2^15 took
 * ~160–200 ms there (its 32 MiB leave the CPU cache), N = 2^14 alone ~30 ms, so N = 2^14 with two
 * sequential passes (p = 2, 16 MiB each).
 */
export const scryptParams = { N: 2 ** 14, r: 8, p: 2 } as const;
const keyLength = 32;
const maxLength = 256;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** NFKC, so the same password typed on different keyboards (composed or not) is the same password. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length > maxLength) throw new AppError('validation_failed', `a password is at most ${maxLength} characters`, { field: 'password' });
  const salt = randomBytes(16);
  const key = await derive(normalisePassword(password), salt, scryptParams);
  const { N, r, p } = scryptParams;
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { params: { N: number; r: number; p: number }; salt: Buffer; key: Buffer } | undefined {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return undefined;
  return {
    params: { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) },
    salt: Buffer.from(match[4]!, 'base64'),
    key: Buffer.from(match[5]!, 'base64'),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || password.length > maxLength) return false;
  const key = await derive(normalisePassword(password), parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N < scryptParams.N || parsed.params.r < scryptParams.r;
}

const dummy = { salt: randomBytes(16) };

/** Spends the time of a real check when the username is unknown, so timing does not tell which names exist. */
export async function verifyPasswordDummy(): Promise<void> {
  await derive('not a password', dummy.salt, scryptParams);
}

/** Milliseconds one hash takes here (for the benchmark and for tuning N). */
export async function measureHashMs(): Promise<number> {
  const start = performance.now();
  await hashPassword('a sample password for timing');
  return performance.now() - start;
}
