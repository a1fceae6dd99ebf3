import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser as addUserUseCase } from '../../src/access/administration.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { isAppError } from '../../src/core/errors.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { addUser, codeAt, codeNow, cookieOf, type Enrolled, enrolledUser, me, type Signed, signedIn, signedInWithCode, signIn } from '../support/sign-in.ts';

let t: TestApp;
let admin: Enrolled;
let adminSession: Signed;
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  // The pack's regions are context words for passwords.
  await loadPackIntoDb(t.db, loadPack('kz'));
  admin = await enrolledUser(t, 'admin.security');
  adminSession = await signedInWithCode(t, admin);
});
afterAll(() => t.close());

const post = (s: Signed, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: s.headers, payload });

describe('step-up: a session cookie alone does not change how an account signs in', () => {
  it('asks for the current password and a current code before replacing the second factor, then ends the other sessions', async () => {
    const cookieOnly = await post(adminSession, '/api/v1/auth/totp/enrol', {});
    expect(cookieOnly.json()).toMatchObject({ status: 400, field: 'currentPassword' });
    const noCode = await post(adminSession, '/api/v1/auth/totp/enrol', { currentPassword: admin.password });
    expect(noCode.json()).toMatchObject({ status: 400, field: 'code' });
    const wrongPassword = await post(adminSession, '/api/v1/auth/totp/enrol', { currentPassword: 'not my password', code: await codeNow(t, admin.secret) });
    expect(wrongPassword.json()).toMatchObject({ status: 400, field: 'currentPassword' });
    const wrongCode = await post(adminSession, '/api/v1/auth/totp/enrol', { currentPassword: admin.password, code: '000000' });
    expect(wrongCode.json()).toMatchObject({ status: 400, field: 'code' });

    const started = await post(adminSession, '/api/v1/auth/totp/enrol', { currentPassword: admin.password, code: await codeNow(t, admin.secret) });
    expect(started.statusCode).toBe(200);
    const next = started.json().secret as string;
    // Until the new secret is confirmed, the old one is still the second factor.
    const elsewhere = await signedInWithCode(t, admin);
    const confirmed = await post(adminSession, '/api/v1/auth/totp/confirm', { code: await codeAt(t, next) });
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    admin.secret = next;
    admin.recoveryCodes = confirmed.json().recoveryCodes;
    // Replacing the second factor signs out everyone else: whoever held the old one included.
    expect(await me(t, elsewhere)).toBe(401);
    expect(await me(t, adminSession)).toBe(200);
    await signedInWithCode(t, admin);
  });

  it('asks for both before new recovery codes are made; the old codes stop working', async () => {
    const cookieOnly = await post(adminSession, '/api/v1/auth/recovery-codes', { currentPassword: 'not my password', code: '000000' });
    expect(cookieOnly.json()).toMatchObject({ status: 400, field: 'currentPassword' });
    // A recovery code is a code too (for someone whose phone is gone).
    const [old] = admin.recoveryCodes;
    const res = await post(adminSession, '/api/v1/auth/recovery-codes', { currentPassword: admin.password, code: old! });
    expect(res.statusCode).toBe(200);
    const fresh = res.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);

    const s = await signedIn(t, admin.username, admin.password);
    expect((await post(s, '/api/v1/auth/second-factor', { code: admin.recoveryCodes[1]! })).statusCode).toBe(401);
    expect((await post(s, '/api/v1/auth/second-factor', { code: fresh[0]! })).json()).toEqual({ stage: 'active' });
    admin.recoveryCodes = fresh.slice(1);
  });

  it('asks for both before a password change, and then ends every other session', async () => {
    const other = await signedInWithCode(t, admin);
    const next = 'walnut shelves in autumn light';
    const noCode = await post(adminSession, '/api/v1/auth/password', { currentPassword: admin.password, newPassword: next });
    expect(noCode.json()).toMatchObject({ status: 400, field: 'code' });
    const changed = await post(adminSession, '/api/v1/auth/password', { currentPassword: admin.password, newPassword: next, code: await codeNow(t, admin.secret) });
    expect(changed.json()).toEqual({ stage: 'active' });
    admin.password = next;
    // This session goes on under a new cookie; the old value and every other session end.
    expect(await me(t, adminSession)).toBe(401);
    const cookie = cookieOf(changed);
    adminSession = { ...adminSession, cookie, headers: { cookie, 'x-csrf-token': adminSession.csrf } };
    expect(await me(t, adminSession)).toBe(200);
    expect(await me(t, other)).toBe(401);
  });

  it('keeps the forced first change working with the current password alone', async () => {
    const by = { kind: 'system' as const, id: 'test' };
    await addUserUseCase(t.db, loadRoles('kz'), { username: 'new.agent', displayName: 'New Agent', jurisdiction: null, roles: ['registration_agent'], password: 'handed over on paper' }, ctx(), by);
    const s = await signedIn(t, 'new.agent', 'handed over on paper');
    expect(s.stage).toBe('pending_password');
    const res = await post(s, '/api/v1/auth/password', { currentPassword: 'handed over on paper', newPassword: 'lanterns and long evenings' });
    expect(res.json()).toEqual({ stage: 'active' });
  });
});

describe('an administrator’s reset', () => {
  it('ends every session of the user, and checks the new password’s strength', async () => {
    const userId = await addUser(t, 'reset.me', 'statistician', 'orchard ladders in the rain');
    const a = await signedIn(t, 'reset.me', 'orchard ladders in the rain');
    const b = await signedIn(t, 'reset.me', 'orchard ladders in the rain');
    const adminId = (await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'admin.security'")).rows[0]!.id;
    const session = await t.db.transaction((tx) => createSession(tx, adminId, 'active', ctx()));
    const headers = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };

    const weak = await t.app.inject({ method: 'POST', url: `/api/v1/users/${userId}/password`, headers, payload: { password: 'Welcome12345' } });
    expect(weak.json()).toMatchObject({ status: 400, field: 'password', rule: 'guessable' });
    expect(weak.json().detail).toMatch(/^password: /);
    expect(await me(t, a)).toBe(200);

    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${userId}/password`, headers, payload: { password: 'ferry timetables of the north' } });
    expect(reset.statusCode).toBe(204);
    expect(await me(t, a)).toBe(401);
    expect(await me(t, b)).toBe(401);
  });
});

describe('password rules', () => {
  const refused = ['Password123!', 'Qwerty123456!', 'Welcome12345', 'iloveyou1234'];

  it('refuses common long passwords when a user changes their own, naming newPassword', async () => {
    await addUser(t, 'stat.rules', 'statistician', 'granite steps by the river');
    const s = await signedIn(t, 'stat.rules', 'granite steps by the river');
    for (const newPassword of refused) {
      const res = await post(s, '/api/v1/auth/password', { currentPassword: 'granite steps by the river', newPassword });
      expect(res.json(), newPassword).toMatchObject({ status: 400, field: 'newPassword', rule: 'guessable', hint: expect.stringContaining('phrase') });
      expect(res.json().detail).toMatch(/^newPassword: this password is too easy to guess/);
    }
  });

  it('refuses passwords built on the username, the name, "tirkeu" or a region', async () => {
    await addUser(t, 'aigerim.nurlanovna', 'statistician', 'granite steps by the river');
    const s = await signedIn(t, 'aigerim.nurlanovna', 'granite steps by the river');
    for (const newPassword of ['Tirkeu2026Tirkeu!', 'Shymkent.Almaty.2026', 'Aigerim1990Astana', 'nurlanovna#Pavlodar7']) {
      const res = await post(s, '/api/v1/auth/password', { currentPassword: 'granite steps by the river', newPassword });
      expect(res.json(), newPassword).toMatchObject({ status: 400, field: 'newPassword', rule: expect.stringMatching(/^(context|guessable)$/) });
    }
    expect((await post(s, '/api/v1/auth/password', { currentPassword: 'granite steps by the river', newPassword: 'Shymkent evenings smell of apricots' })).statusCode).toBe(200);
  });

  it('checks a password given to `tirkeu user add --password-stdin` (the addUser use case)', async () => {
    const error = await addUserUseCase(t.db, loadRoles('kz'), { username: 'cli.user', displayName: 'Cli User', jurisdiction: null, roles: ['statistician'], password: 'iloveyou1234' }, ctx(), { kind: 'system', id: 'cli:test' }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.details).toMatchObject({ field: 'password', rule: 'guessable' });
  });

  it('answers the sign-in of an unknown user as that of a known one', async () => {
    const known = await signIn(t, 'stat.rules', 'wrong password entirely');
    const unknown = await signIn(t, 'stat.nobody', 'wrong password entirely');
    const strip = (body: string) => ({ ...JSON.parse(body), requestId: undefined });
    expect(strip(unknown.body)).toEqual(strip(known.body));
  });
});
