import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPolicy } from '../../src/access/sessions.ts';
import { addressPolicy, lockoutPolicy, maxCodeFailuresPerSignIn } from '../../src/access/throttle.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { addUser, codeAt, codeNow, type Enrolled, enrolledUser, me, signedIn, signIn } from '../support/sign-in.ts';

let t: TestApp;
let admin: Enrolled;

beforeAll(async () => {
  t = await openTestApp();
  await addUser(t, 'stat.known', 'statistician', 'amber lanterns over water');
  await addUser(t, 'stat.sprayer', 'statistician', 'the sprayer own password');
  await addUser(t, 'stat.idle', 'statistician', 'slow trains to pavlodar');
  admin = await enrolledUser(t, 'admin.codes');
});
afterAll(() => t.close());

/** The answer without what differs on every request. */
function answer(res: { statusCode: number; body: string }) {
  const { requestId: _id, ...body } = JSON.parse(res.body) as Record<string, unknown>;
  return { status: res.statusCode, body };
}

describe('lockout per username', () => {
  it('locks a known and an unknown username after the same failures, with the same answers', async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < lockoutPolicy.freeAttempts + 3; i++) {
      known.push(answer(await signIn(t, 'stat.known', 'wrong password here', '10.0.0.1')));
      unknown.push(answer(await signIn(t, 'stat.unknown', 'wrong password here', '10.0.0.2')));
    }
    expect(unknown).toEqual(known);
    expect(known.slice(0, lockoutPolicy.freeAttempts + 1)).toEqual(
      Array(lockoutPolicy.freeAttempts + 1).fill(expect.objectContaining({ status: 401, body: expect.objectContaining({ detail: 'wrong username or password' }) })),
    );
    expect(known.at(-1)).toMatchObject({ status: 401, body: { detail: 'too many failed sign-ins: wait before trying again', retryAfterSeconds: 30 } });

    // Locked: even the right password waits, and the wait comes from the injected clock.
    const locked = await signIn(t, 'stat.known', 'amber lanterns over water', '10.0.0.1');
    expect(answer(locked)).toMatchObject({ status: 401, body: { retryAfterSeconds: 30 } });
    t.clock.advance(30_000);
    expect((await signIn(t, 'stat.known', 'amber lanterns over water', '10.0.0.1')).statusCode).toBe(200);
  });

  it('doubles the wait with each further failure', async () => {
    // The fifth and later attempts lock before they are checked, for 30 s doubled per attempt since
    // the last success; an attempt refused while locked counts too.
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wait = (await signIn(t, 'stat.known', 'wrong password again', '10.0.0.3')).json().retryAfterSeconds as number | undefined;
      if (wait) {
        waits.push(wait);
        t.clock.advance(wait * 1000);
      }
    }
    expect(waits).toEqual([30, 120, 480]);
  });
});

describe('throttling per client address', () => {
  it('refuses an address after 100 failures in 15 minutes, whatever successes it has in between, until they age out', async () => {
    const address = '203.0.113.7';
    const half = addressPolicy.maxFailures / 2;
    // Attempts refused because the name is locked count against the address as well (and cost no
    // password check, which keeps this test quick).
    const spray = async (from: number) => {
      for (let i = from; i < from + half; i++) {
        expect((await signIn(t, 'sprayed.name', 'Spring2026!', address)).statusCode).toBe(401);
        // A sprayer signs into their own account every few tries: that resets nothing.
        if (i % 10 === 0) expect((await signIn(t, 'stat.sprayer', 'the sprayer own password', address)).statusCode).toBe(200);
      }
    };
    await spray(0);
    t.clock.advance(10 * 60_000);
    await spray(half);
    const blocked = await signIn(t, 'stat.sprayer', 'the sprayer own password', address);
    expect(answer(blocked)).toMatchObject({ status: 401, body: { detail: 'too many failed sign-ins: wait before trying again', retryAfterSeconds: 5 * 60 } });
    // Another address (another office) is not affected.
    expect((await signIn(t, 'stat.sprayer', 'the sprayer own password', '203.0.113.8')).statusCode).toBe(200);
    // Sliding: once the first half is older than the window, the address may try again.
    t.clock.advance(5 * 60_000);
    expect((await signIn(t, 'stat.sprayer', 'the sprayer own password', address)).statusCode).toBe(200);
  });

  it('counts an IPv6 network as one address', async () => {
    for (let i = 0; i < addressPolicy.maxFailures; i++) {
      await signIn(t, 'v6.name', 'not a password', `2001:db8:1:2::${(i + 1).toString(16)}`);
    }
    expect((await signIn(t, 'stat.sprayer', 'the sprayer own password', '2001:db8:1:2:ffff::1')).statusCode).toBe(401);
    t.clock.advance(addressPolicy.windowMs);
  });
});

describe('the second factor', () => {
  it('ends a pending sign-in after 5 wrong codes, and locks the user’s codes like passwords', async () => {
    const s = await signedIn(t, admin.username, admin.password);
    for (let i = 1; i <= maxCodeFailuresPerSignIn; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: '000000' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toBe(i < maxCodeFailuresPerSignIn ? 'wrong code' : 'too many wrong codes: this sign-in has ended');
    }
    // The right code no longer helps: that sign-in is over.
    const after = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: await codeAt(t, admin.secret) } });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toBe('sign in first');

    // A new sign-in finds the user's codes locked (the fifth failure locked them for 30 s).
    const again = await signedIn(t, admin.username, admin.password);
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: again.headers, payload: { code: await codeAt(t, admin.secret) } });
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toMatchObject({ detail: 'too many failed sign-ins: wait before trying again', retryAfterSeconds: 30 });
  });

  it('refuses the 301st guess as surely as the 6th (no unlimited guessing in one pending sign-in)', async () => {
    t.clock.advance(lockoutPolicy.maxLockMs);
    const s = await signedIn(t, admin.username, admin.password);
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: String(100000 + i) } }),
      ),
    );
    expect(guesses.every((g) => g.statusCode === 401)).toBe(true);
    const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: await codeNow(t, admin.secret) } });
    expect(right.statusCode).toBe(401);
  });

  it('accepts each recovery code once, and no other code', async () => {
    t.clock.advance(lockoutPolicy.maxLockMs);
    const [first, second] = admin.recoveryCodes;
    const s = await signedIn(t, admin.username, admin.password);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: first!.toUpperCase() } });
    expect(ok.json()).toEqual({ stage: 'active' });

    const s2 = await signedIn(t, admin.username, admin.password);
    const reused = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s2.headers, payload: { code: first! } });
    expect(reused.statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s2.headers, payload: { code: 'aaaa-bbbb-cccc' } });
    expect(wrong.statusCode).toBe(401);
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s2.headers, payload: { code: second! } });
    expect(other.json()).toEqual({ stage: 'active' });
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, and after 12 hours however busy', async () => {
    const s = await signedIn(t, 'stat.idle', 'slow trains to pavlodar');
    t.clock.advance(sessionPolicy.idleMs - 60_000);
    expect(await me(t, s)).toBe(200);
    t.clock.advance(sessionPolicy.idleMs + 1000);
    expect(await me(t, s)).toBe(401);

    const busy = await signedIn(t, 'stat.idle', 'slow trains to pavlodar');
    for (let at = 0; at + 20 * 60_000 < sessionPolicy.absoluteMs; at += 20 * 60_000) {
      t.clock.advance(20 * 60_000);
      expect(await me(t, busy)).toBe(200);
    }
    t.clock.advance(20 * 60_000);
    expect(await me(t, busy)).toBe(401);
  });
});
