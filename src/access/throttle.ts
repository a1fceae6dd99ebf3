import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Lockout policy, the same for a username's passwords and for a user's second-factor codes: the
 * first few failures cost nothing (people mistype), the attempt after them locks the key for 30 s,
 * and each further attempt doubles the wait, up to an hour. Every attempt counts, including those
 * refused while the key is locked, so hammering a locked account only makes its next wait longer.
 * A success resets the key; a key idle for a day is forgotten.
 */
export const lockoutPolicy = {
  freeAttempts: 4,
  firstLockMs: 30_000,
  maxLockMs: 3_600_000,
  forgetAfterMs: 24 * 3_600_000,
} as const;

/**
 * Per client address: a sliding window that no success resets (a sprayer signing into their own
 * account every few tries gains nothing). Sized for a whole office behind one NAT: an address with
 * this many failed sign-in steps in the last 15 minutes is refused until enough of them are older.
 */
export const addressPolicy = {
  windowMs: 15 * 60_000,
  maxFailures: 100,
} as const;

/** A half-finished sign-in ends after this many wrong second-factor codes; the user starts again. */
export const maxCodeFailuresPerSignIn = 5;

/** How long the attempt numbered `attempt` (1, 2, …, counted since the last success) locks its key; 0 when free. */
export function lockMsForAttempt(attempt: number): number {
  if (attempt <= lockoutPolicy.freeAttempts) return 0;
  const doublings = Math.min(attempt - lockoutPolicy.freeAttempts - 1, 20);
  return Math.min(lockoutPolicy.maxLockMs, lockoutPolicy.firstLockMs * 2 ** doublings);
}

export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * The throttle key of a username, whether or not such a user exists (so unknown names answer as
 * known ones do). Hashed: people type passwords into the username field, and this table keeps them.
 */
export function usernameKey(username: string): string {
  return `user:${createHash('sha256').update(username.normalize('NFKC').trim().toLowerCase()).digest('hex')}`;
}

export function secondFactorKey(userId: string): string {
  return `code:${userId}`;
}

function ipv6Groups(address: string): string[] {
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [[a, b], [c, d]].map(([x, y]) => ((Number(x) << 8) | Number(y)).toString(16)).join(':'),
  );
  const [head = '', tail] = hex.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.padStart(4, '0'));
}

/**
 * The throttled unit of a client address: an IPv4 address, or an IPv6 /64 (one subscriber's
 * network, which holds more addresses than anyone could count failures for one by one).
 */
export function addressKey(address: string): string {
  const ip = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv6(ip)) return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
  return ip;
}
