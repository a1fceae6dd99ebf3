import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/access/audit.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { type AccessDeps, signIn } from '../../src/access/sign-in.ts';
import { lockoutPolicy, usernameKey } from '../../src/access/throttle.ts';
import { createUser } from '../../src/access/users.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isAppError } from '../../src/core/errors.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/**
 * Lockout counting under concurrency. On PGlite the queries serialise but the password checks in
 * between interleave, which is enough to lose updates with read-then-write; on PostgreSQL (CI) the
 * attempts truly race.
 */
let db: TestDb;
let deps: AccessDeps;
const clock = fixedClock('2026-03-02T06:00:00Z');
const roles = loadRoles('kz');
const ctx = (address: string | null = null): RequestContext => ({ clock, clientAddress: address, requestId: null });

beforeAll(async () => {
  db = await openTestDb();
  deps = { db, roles, secretKey: Buffer.alloc(32), demoMode: false };
  await db.transaction((tx) =>
    createUser(tx, roles, { username: 'clerk.parallel', displayName: 'Clerk', jurisdiction: null, roles: ['statistician'], password: 'quiet rivers under snow', mustChangePassword: false }, ctx()),
  );
});
afterAll(() => db.close());

async function failures(username: string): Promise<number> {
  const { rows } = await db.query<{ failures: number }>('SELECT failures FROM sign_in_throttle WHERE key = $1', [usernameKey(username)]);
  return rows[0]?.failures ?? 0;
}

async function answers(username: string, password: string, n: number): Promise<string[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => signIn(deps, { username, password }, ctx())));
  return settled.map((s) => (s.status === 'rejected' && isAppError(s.reason) ? s.reason.message : 'signed in'));
}

describe('lockout counting under concurrency', () => {
  for (const username of ['clerk.parallel', 'nobody.at.all']) {
    it(`counts 40 parallel wrong passwords for ${username} as 40, and checks only those before the lock`, async () => {
      const got = await answers(username, 'not the password at all', 40);
      expect(await failures(username)).toBe(40);
      // The first few are checked; the attempt after them locks the name before its own check, so
      // the rest of the burst is refused unchecked, whether or not the user exists.
      const checked = lockoutPolicy.freeAttempts + 1;
      expect(got.filter((m) => m === 'wrong username or password')).toHaveLength(checked);
      expect(got.filter((m) => m.startsWith('too many failed sign-ins'))).toHaveLength(40 - checked);
    });
  }

  it('times the lock with the injected clock, and lets the right password in once it has passed', async () => {
    const locked = await signIn(deps, { username: 'clerk.parallel', password: 'quiet rivers under snow' }, ctx()).catch((e: unknown) => e);
    expect(isAppError(locked) && locked.details.retryAfterSeconds).toBe(lockoutPolicy.firstLockMs / 1000);
    clock.advance(lockoutPolicy.firstLockMs);
    const session = await signIn(deps, { username: 'clerk.parallel', password: 'quiet rivers under snow' }, ctx());
    expect(session.session.stage).toBe('active');
    expect(await failures('clerk.parallel')).toBe(0);
  });
});
