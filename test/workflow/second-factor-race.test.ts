import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/access/audit.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../../src/access/recovery-codes.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { sealSecret } from '../../src/access/secret-box.ts';
import { createSession } from '../../src/access/sessions.ts';
import { type AccessDeps, completeSecondFactor } from '../../src/access/sign-in.ts';
import { newTotpSecret } from '../../src/access/totp.ts';
import { createUser } from '../../src/access/users.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/**
 * A code is spent once, even when the same code is sent in parallel through several half-finished
 * sign-ins (someone who read it over a shoulder races the owner). On PostgreSQL (CI) they truly race.
 */
let db: TestDb;
let deps: AccessDeps;
let userId: string;
const secret = newTotpSecret();
const codes = newRecoveryCodes();
const clock = fixedClock('2026-03-02T06:00:00Z');
const roles = loadRoles('kz');
const ctx = (): RequestContext => ({ clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  db = await openTestDb();
  deps = { db, roles, secretKey: Buffer.alloc(32, 7), demoMode: false };
  userId = (
    await db.transaction((tx) =>
      createUser(tx, roles, { username: 'raced.registrar', displayName: 'Registrar', jurisdiction: null, roles: ['office_registrar'], password: 'quiet rivers under snow', mustChangePassword: false }, ctx()),
    )
  ).id;
  await db.query('UPDATE users SET totp_secret = $2, totp_enabled = true WHERE id = $1', [userId, sealSecret(secret, deps.secretKey)]);
  for (const c of codes) await db.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, hashRecoveryCode(c)]);
});
afterAll(() => db.close());

async function race(code: string, n: number): Promise<string[]> {
  const sessions = await Promise.all(Array.from({ length: n }, () => db.transaction((tx) => createSession(tx, userId, 'pending_totp', ctx()))));
  const settled = await Promise.allSettled(sessions.map((s) => completeSecondFactor(deps, s.session, code, ctx())));
  return settled.map((s) => (s.status === 'fulfilled' ? s.value.stage : 'refused'));
}

describe('a second-factor code sent in parallel', () => {
  it('activates exactly one of 4 sign-ins with one TOTP code', async () => {
    clock.advance(30_000);
    const code = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    expect((await race(code, 4)).filter((r) => r === 'active')).toHaveLength(1);
  });

  it('activates exactly one of 4 sign-ins with one recovery code', async () => {
    expect((await race(codes[0]!, 4)).filter((r) => r === 'active')).toHaveLength(1);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL', [userId]);
    expect(rows).toEqual([{ n: 1 }]);
  });
});
