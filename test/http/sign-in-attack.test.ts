import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { noteRecord } from '../support/note-record.ts';
import { codeNow, cookieOf, enrolledUser, me, signedIn } from '../support/sign-in.ts';

/** What an independent attack on sign-in and access control found after issue 8. */
let t: TestApp;
const roles = loadRoles('kz');
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
const password = 'attack test password one';

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
});
afterAll(() => t.close());

async function user(username: string, jurisdiction: string | null, roleIds: string[]): Promise<string> {
  return (await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, roles: roleIds, password, mustChangePassword: false }, ctx()))).id;
}

async function session(userId: string): Promise<Record<string, string>> {
  const s = await t.db.transaction((tx) => createSession(tx, userId, 'active', ctx()));
  return { cookie: `tirkeu_session=${s.token}`, 'x-csrf-token': s.csrfToken };
}

const post = (headers: Record<string, string>, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });

describe('a half-finished first sign-in', () => {
  it('cannot replace a second factor that was enrolled meanwhile', async () => {
    await user('late.enroller', null, ['office_registrar']);
    // Someone who knows only the password signs in before the owner enrols, and keeps that sign-in.
    const thief = await signedIn(t, 'late.enroller', password);
    expect(thief.stage).toBe('pending_enrolment');
    // The owner enrols.
    const owner = await signedIn(t, 'late.enroller', password);
    const started = await post(owner.headers, '/api/v1/auth/totp/enrol', {});
    const confirmed = await post(owner.headers, '/api/v1/auth/totp/confirm', { code: await codeNow(t, started.json().secret) });
    expect(confirmed.statusCode).toBe(200);
    // The stale sign-in must now give the owner's code, not enrol a second factor of its own.
    const hijack = await post(thief.headers, '/api/v1/auth/totp/enrol', {});
    expect(hijack.statusCode).toBe(409);
    expect(hijack.json().detail).toBe('a second factor was enrolled meanwhile: this sign-in has ended');
    // That sign-in is over: nothing more goes through it.
    expect((await post(thief.headers, '/api/v1/auth/totp/confirm', { code: '123456' })).statusCode).toBe(401);
    expect((await post(thief.headers, '/api/v1/auth/totp/enrol', {})).statusCode).toBe(401);
    const { rows } = await t.db.query("SELECT outcome, details FROM access_audit WHERE event = 'totp_enrolment' AND outcome = 'denied'");
    expect(rows).toEqual([{ outcome: 'denied', details: { reason: 'already_enrolled' } }]);
  });
});

describe('granting a role that needs a second factor', () => {
  it('ends the sessions that were opened without one', async () => {
    const admin = await session(await user('grant.admin', null, ['system_admin']));
    const clerkId = await user('promoted.clerk', null, ['facility_clerk']);
    const clerk = await signedIn(t, 'promoted.clerk', password);
    expect(clerk.stage).toBe('active');
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${clerkId}/roles`, headers: admin, payload: { roles: ['office_registrar'] } });
    expect(res.statusCode).toBe(200);
    // Registrar scopes with a password alone: the session must go, and the next sign-in asks for enrolment.
    expect(await me(t, clerk)).toBe(401);
    expect((await signedIn(t, 'promoted.clerk', password)).stage).toBe('pending_enrolment');
  });
});

describe('a registry office outside the administrator', () => {
  it('refuses an account placed at an office of another region', async () => {
    const admin = await session(await user('office.admin.astana', '710000000', ['system_admin']));
    const res = await post(admin, '/api/v1/users', {
      username: 'astana.registrar.almaty.office',
      displayName: 'X',
      officeId: 'kz-rgo-75-01',
      jurisdiction: '710000000',
      roles: ['registration_agent'],
      password: 'river stones under moonlight',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().field).toBe('officeId');
    expect((await t.db.query("SELECT 1 FROM users WHERE username = 'astana.registrar.almaty.office'")).rowCount).toBe(0);
  });
});

describe('attempts outside the jurisdiction are in the audit', () => {
  it('audits an administrator who tries to reset or demote an account outside its jurisdiction', async () => {
    const adminId = await user('probe.admin.astana', '710000000', ['system_admin']);
    const admin = await session(adminId);
    const victim = await user('victim.almaty', '750000000', ['registration_agent']);
    const reset = await post(admin, `/api/v1/users/${victim}/password`, { password: 'river stones under moonlight' });
    expect(reset.statusCode).toBe(404);
    const demote = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${victim}/roles`, headers: admin, payload: { roles: ['facility_clerk'] } });
    expect(demote.statusCode).toBe(404);
    const { rows } = await t.db.query<{ event: string }>(
      "SELECT event FROM access_audit WHERE actor_id = $1 AND target_id = $2 AND outcome = 'denied' ORDER BY seq",
      [adminId, victim],
    );
    expect(rows.map((r) => r.event)).toEqual(['password_reset', 'roles_changed']);
  });

  it('audits a reader who asks for a record outside its jurisdiction', async () => {
    const outside = (await t.db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'system', payload: { jurisdiction: '751300000', text: 'x' } }, { clock: t.clock }))).record.id;
    const readerId = await user('probe.reader.astana', '710000000', ['registration_agent']);
    const reader = await session(readerId);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${outside}`, headers: reader })).statusCode).toBe(404);
    const { rows } = await t.db.query<{ event: string; outcome: string }>('SELECT event, outcome FROM access_audit WHERE actor_id = $1 AND target_id = $2', [readerId, outside]);
    expect(rows).toEqual([{ event: 'access_denied', outcome: 'denied' }]);
  });
});

describe('cross-site requests', () => {
  it('signs nobody in from a cross-site form (login CSRF), and signs nobody out without the CSRF token', async () => {
    const id = await user('csrf.target', null, ['facility_clerk']);
    // The only bodies a cross-site page can post without a preflight: neither signs the victim in.
    for (const [type, body] of [
      ['text/plain', JSON.stringify({ username: 'csrf.target', password })],
      ['application/x-www-form-urlencoded', `username=csrf.target&password=${encodeURIComponent(password)}`],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="username"\r\n\r\ncsrf.target\r\n--x--\r\n`],
    ]) {
      const form = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': type! }, payload: body });
      expect([400, 415], type).toContain(form.statusCode);
      expect(form.cookies, type).toEqual([]);
    }
    const s = await session(id);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: s.cookie! } });
    expect(out.statusCode).toBe(403);
    expect(await me(t, { cookie: s.cookie! })).toBe(200);
    const everywhere = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out-everywhere', headers: { cookie: s.cookie! } });
    expect(everywhere.statusCode).toBe(403);
    expect(await me(t, { cookie: s.cookie! })).toBe(200);
  });
});

describe('the audit of the audit', () => {
  it('refuses a regional administrator the national audit, and keeps a line of the attempt', async () => {
    const adminId = await user('audit.peeker.astana', '710000000', ['system_admin']);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: await session(adminId) });
    expect(res.statusCode).toBe(403);
    const { rows } = await t.db.query("SELECT event, outcome, target_type FROM access_audit WHERE actor_id = $1", [adminId]);
    expect(rows).toEqual([{ event: 'access_denied', outcome: 'denied', target_type: 'audit' }]);
  });
});

describe('a leaked client secret', () => {
  it('can be stopped at once: secrets (even within a rotation grace period) and bearer tokens end, only inside the jurisdiction', async () => {
    const root = await session(await user('client.root', null, ['system_admin']));
    const regionalId = await user('client.admin.astana', '710000000', ['system_admin']);
    const regional = await session(regionalId);
    const created = await post(root, '/api/v1/clients', { id: 'leaky-hospital', name: 'Leaky', scopes: ['birth.notify'], jurisdiction: '750000000', facilityId: 'kz-hf-75-001' });
    expect(created.statusCode).toBe(201);
    const oldSecret = created.json().secret as string;
    const rotated = await post(root, '/api/v1/clients/leaky-hospital/secrets', {});
    const newSecret = rotated.json().secret as string;
    const tokenFor = (secret: string) => post({}, '/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: 'leaky-hospital', client_secret: secret });
    const bearer = (await tokenFor(oldSecret)).json().access_token as string;
    const asClient = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${bearer}` } });
    expect((await asClient()).statusCode).toBe(200);

    // Another region's administrator gets the answer of a missing client, and the attempt is audited.
    const refused = await post(regional, '/api/v1/clients/leaky-hospital/deactivate', {});
    expect(refused.statusCode).toBe(404);
    expect((await t.db.query("SELECT 1 FROM access_audit WHERE actor_id = $1 AND event = 'client_deactivated' AND outcome = 'denied'", [regionalId])).rowCount).toBe(1);

    const stopped = await post(root, '/api/v1/clients/leaky-hospital/deactivate', {});
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({ id: 'leaky-hospital', active: false });
    expect((await asClient()).statusCode).toBe(401);
    expect((await tokenFor(oldSecret)).statusCode).toBe(401);
    expect((await tokenFor(newSecret)).statusCode).toBe(401);
    expect((await post(root, '/api/v1/clients/leaky-hospital/secrets', {})).statusCode).toBe(404);
  });
});

describe('session fixation', () => {
  it('changes the session cookie whenever a sign-in moves on a stage, so a cookie planted before is worth nothing', async () => {
    const u = await enrolledUser(t, 'fixated.admin');
    // Someone who knows the password (not the code) plants a half-finished sign-in in the victim's
    // browser (a cookie set from a sibling subdomain); the victim, asked for a code, gives it.
    const planted = await signedIn(t, u.username, u.password);
    const done = await post(planted.headers, '/api/v1/auth/second-factor', { code: await codeNow(t, u.secret) });
    expect(done.json()).toEqual({ stage: 'active' });
    const fresh = cookieOf(done);
    expect(fresh).not.toBe(planted.cookie);
    expect(await me(t, planted)).toBe(401);
    expect(await me(t, { cookie: fresh })).toBe(200);

    // The same for a first enrolment and for the forced password change.
    await user('fixated.clerk', null, ['office_registrar']);
    const first = await signedIn(t, 'fixated.clerk', password);
    const secret = (await post(first.headers, '/api/v1/auth/totp/enrol', {})).json().secret as string;
    const confirmed = await post(first.headers, '/api/v1/auth/totp/confirm', { code: await codeNow(t, secret) });
    expect(confirmed.statusCode).toBe(200);
    expect(await me(t, first)).toBe(401);
    expect(await me(t, { cookie: cookieOf(confirmed) })).toBe(200);
  });
});
