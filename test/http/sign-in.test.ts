import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  await t.db.transaction((tx) =>
    createUser(tx, loadRoles('kz'), { username: 'admin.almaty', displayName: 'Admin', jurisdiction: null, roles: ['system_admin'], password: 'first password given by hand' }, ctx()),
  );
});
afterAll(() => t.close());

function cookieOf(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name === 'tirkeu_session');
  return `tirkeu_session=${c?.value}`;
}

describe('sign-in with password change and TOTP, over HTTP', () => {
  it('walks a sensitive role from first sign-in to an active session, refusing what it must', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin.almaty', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);

    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin.almaty', password: 'first password given by hand' } });
    expect(first.json()).toMatchObject({ stage: 'pending_password' });
    let cookie = cookieOf(first);
    const csrf = first.json().csrfToken as string;
    const headers = { cookie, 'x-csrf-token': csrf };

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie }, payload: { currentPassword: 'first password given by hand', newPassword: 'steppe horses run at dawn' } });
    expect(noCsrf.statusCode).toBe(403);
    const common = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: 'first password given by hand', newPassword: 'password1234' } });
    expect(common.json()).toMatchObject({ code: 'validation_failed', rule: 'common' });
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: 'first password given by hand', newPassword: 'steppe horses run at dawn' } });
    expect(changed.json()).toEqual({ stage: 'pending_enrolment' });
    // Each step gives a new session cookie (a cookie planted before it is worth nothing).
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers, payload: {} })).statusCode).toBe(401);
    headers.cookie = cookie = cookieOf(changed);

    const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers, payload: {} });
    const { secret, qrSvg, uri } = enrol.json();
    expect(uri).toContain('otpauth://totp/');
    expect(qrSvg).toContain('<svg');
    const epoch = Math.floor(t.clock.now().getTime() / 1000);
    const code = await generate({ secret, epoch });
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/confirm', headers, payload: { code } });
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    cookie = cookieOf(confirmed);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ username: 'admin.almaty', totpEnabled: true, scopes: expect.arrayContaining(['user.manage']) });

    // Next sign-in: password, then a TOTP code; the code already used is refused as replayed.
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin.almaty', password: 'steppe horses run at dawn' } });
    expect(again.json().stage).toBe('pending_totp');
    const h2 = { cookie: cookieOf(again), 'x-csrf-token': again.json().csrfToken };
    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: h2, payload: { code } });
    expect(replay.statusCode).toBe(401);
    t.clock.advance(30_000);
    const fresh = await generate({ secret, epoch: epoch + 30 });
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: h2, payload: { code: fresh } });
    expect(ok.json()).toEqual({ stage: 'active' });

    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?event=sign_in', headers: { cookie: cookieOf(ok) } });
    expect(audit.statusCode).toBe(200);
    // Newest first: the replayed code, the two password sign-ins, the wrong password.
    const lines = audit.json().items as { outcome: string; details: { reason?: string } }[];
    expect(lines.map((l) => `${l.outcome}:${l.details.reason ?? ''}`)).toEqual(['failure:totp_replayed', 'success:', 'success:', 'failure:wrong_password']);
  });
});
