import type { Db, Queryable } from '../core/db/types.ts';
import { addressPolicy, lockMsForAttempt, lockoutPolicy } from './throttle.ts';

/**
 * The lockout counters in the database. Every count is one atomic statement (an upsert that adds
 * one and returns the new value), never read-then-write, so parallel attempts are all counted; and
 * an attempt is counted before the secret is checked, so a burst of parallel guesses cannot slip
 * past a lock that the first guesses of the burst set.
 */
export type Attempt =
  | { allowed: true; attempt: number; /** this attempt set a lock (kept if it fails) */ locks: boolean }
  | { allowed: false; lockedUntil: Date };

/** Forgets idle counters and old address failures; skips rows others hold, so it never waits or deadlocks. */
async function prune(db: Queryable, now: Date): Promise<void> {
  await db.query(
    `DELETE FROM sign_in_throttle WHERE key IN (
       SELECT key FROM sign_in_throttle WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $2)
       LIMIT 100 FOR UPDATE SKIP LOCKED)`,
    [new Date(now.getTime() - lockoutPolicy.forgetAfterMs), now],
  );
  await db.query(
    `DELETE FROM sign_in_address_failures WHERE id IN (
       SELECT id FROM sign_in_address_failures WHERE at <= $1 LIMIT 1000 FOR UPDATE SKIP LOCKED)`,
    [new Date(now.getTime() - addressPolicy.windowMs)],
  );
}

/**
 * Counts one attempt on a key (a username, a user's second factor) and says whether it may be
 * checked now. The count and the lock it implies are one transaction, so on PostgreSQL the row
 * lock makes the next attempt on the key see this one's lock.
 */
export async function beginAttempt(db: Db, key: string, now: Date): Promise<Attempt> {
  await prune(db, now);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ failures: number; lockedUntil: Date | null }>(
      `INSERT INTO sign_in_throttle (key, failures, locked_until, updated_at) VALUES ($1, 1, NULL, $2)
       ON CONFLICT (key) DO UPDATE SET failures = sign_in_throttle.failures + 1, updated_at = $2
       RETURNING failures, locked_until AS "lockedUntil"`,
      [key, now],
    );
    const { failures, lockedUntil } = rows[0]!;
    if (lockedUntil && lockedUntil.getTime() > now.getTime()) return { allowed: false as const, lockedUntil };
    const lockMs = lockMsForAttempt(failures);
    if (lockMs > 0) {
      await tx.query('UPDATE sign_in_throttle SET locked_until = $2 WHERE key = $1', [key, new Date(now.getTime() + lockMs)]);
    }
    return { allowed: true as const, attempt: failures, locks: lockMs > 0 };
  });
}

/** A success: the key starts again from nothing. */
export async function clearAttempts(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM sign_in_throttle WHERE key = $1', [key]);
}

/** When the address may try again, if it has used up its failures in the current window. */
export async function addressBlockedUntil(db: Queryable, address: string, now: Date): Promise<Date | undefined> {
  // The failure that, once older than the window, brings the address back under the limit.
  const { rows } = await db.query<{ at: Date }>(
    `SELECT at FROM sign_in_address_failures WHERE address = $1 AND at > $2 ORDER BY at DESC OFFSET $3 LIMIT 1`,
    [address, new Date(now.getTime() - addressPolicy.windowMs), addressPolicy.maxFailures - 1],
  );
  return rows[0] ? new Date(rows[0].at.getTime() + addressPolicy.windowMs) : undefined;
}

export async function recordAddressFailure(db: Queryable, address: string, now: Date): Promise<void> {
  await db.query('INSERT INTO sign_in_address_failures (address, at) VALUES ($1, $2)', [address, now]);
}
