import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClient, addUser } from '../../src/access/administration.ts';
import { createClient } from '../../src/access/clients.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser, findUserByUsername } from '../../src/access/users.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/** Issue 8, item 9: nobody grants themselves anything, roles.json says who grants what, machines never administer. */
let t: TestApp;
const roles = loadRoles('kz');
const ids: Record<string, string> = {};
const as: Record<string, Record<string, string>> = {};
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
const password = 'privilege test password one';

beforeAll(async () => {
  t = await openTestApp();
  const people: [string, string | null, string[]][] = [
    ['root.national', null, ['system_admin']],
    ['admin.astana', '710000000', ['system_admin']],
    ['peer.astana', '710000000', ['system_admin']],
    ['clerk.astana', '711300000', ['facility_clerk']],
  ];
  for (const [username, jurisdiction, roleIds] of people) {
    ids[username] = (await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, roles: roleIds, password }, ctx()))).id;
  }
});
beforeEach(async () => {
  for (const username of ['root.national', 'admin.astana']) {
    const session = await t.db.transaction((tx) => createSession(tx, ids[username]!, 'active', ctx()));
    as[username] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
});
afterAll(() => t.close());

const roleOf = async (username: string) => (await findUserByUsername(t.db, username))?.roles;
const denials = async (event: string) =>
  (await t.db.query<{ actor_id: string; target_id: string | null }>("SELECT actor_id, target_id FROM access_audit WHERE event = $1 AND outcome = 'denied' ORDER BY seq", [event])).rows;

describe('privilege escalation (the attack chain of issue 8)', () => {
  it('refuses an administrator who gives themselves national_registrar, and leaves an audit line of the attempt', async () => {
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${ids['root.national']}/roles`, headers: as['root.national'], payload: { roles: ['system_admin', 'national_registrar'] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().field).toBe('id');
    expect(await roleOf('root.national')).toEqual(['system_admin']);
    expect(await denials('roles_changed')).toEqual([{ actor_id: ids['root.national'], target_id: ids['root.national'] }]);
  });

  it('refuses an API client with registrar scopes or user.manage, naming the field and what a client may hold', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: as['root.national'],
      payload: { id: 'escalator', name: 'Escalator', scopes: ['birth.register', 'correction.approve', 'record.read', 'user.manage'], jurisdiction: null },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'scopes', detail: 'an API client may not hold: birth.register, correction.approve, record.read, user.manage', hint: 'a client may hold: birth.notify' });
    for (const scope of ['user.manage', 'audit.read', 'system.admin']) {
      const one = await t.app.inject({ method: 'POST', url: '/api/v1/clients', headers: as['root.national'], payload: { id: 'escalator', name: 'E', scopes: [scope], jurisdiction: null } });
      expect(one.statusCode, scope).toBe(400);
    }
    expect((await t.db.query("SELECT 1 FROM api_clients WHERE id = 'escalator'")).rowCount).toBe(0);
  });

  it('gives a client that already holds user.manage (made before this fix) no way to create an administrator', async () => {
    const { secret } = await t.db.transaction((tx) =>
      createClient(tx, { id: 'old-escalator', name: 'Made before the fix', scopes: ['birth.register', 'correction.approve', 'record.read', 'user.manage', 'system.admin', 'audit.read'], jurisdiction: null }, ctx()),
    );
    const token = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'old-escalator', client_secret: secret } });
    const bearer = { authorization: `Bearer ${token.json().access_token}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer,
      payload: { username: 'second.admin', displayName: 'Second', jurisdiction: null, roles: ['system_admin'], password: 'a long enough first password' },
    });
    expect(created.statusCode).toBe(403);
    expect(await findUserByUsername(t.db, 'second.admin')).toBeUndefined();
    for (const url of ['/api/v1/users', '/api/v1/clients', '/api/v1/audit']) {
      expect((await t.app.inject({ method: 'GET', url, headers: bearer })).statusCode, url).toBe(403);
    }
    const client = await t.app.inject({ method: 'POST', url: '/api/v1/clients', headers: bearer, payload: { id: 'child-client', name: 'C', scopes: ['birth.notify'], jurisdiction: null } });
    expect(client.statusCode).toBe(403);
  });
});

describe('what an administrator may grant (roles.json grants / nationalGrants)', () => {
  const newUser = (username: string, roleIds: string[], jurisdiction: string | null = '711300000') => ({
    username,
    displayName: username,
    jurisdiction,
    roles: roleIds,
    password: 'a long enough first password',
  });

  it('lets a regional administrator grant operational roles but not make another administrator', async () => {
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: as['admin.astana'], payload: newUser('new.admin', ['system_admin']) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ field: 'roles', refused: ['system_admin'] });
    expect(await findUserByUsername(t.db, 'new.admin')).toBeUndefined();
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: as['admin.astana'], payload: newUser('new.registrar', ['office_registrar', 'statistician']) });
    expect(ok.statusCode).toBe(201);
    expect(await denials('user_created')).toEqual([{ actor_id: ids['admin.astana'], target_id: null }]);
  });

  it('lets a national administrator make another administrator', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: as['root.national'], payload: newUser('astana.admin.two', ['system_admin'], '710000000') });
    expect(ok.statusCode).toBe(201);
  });

  it('lets an administrator change the roles of an account it could have made, only to roles it may grant', async () => {
    const url = `/api/v1/users/${ids['clerk.astana']}/roles`;
    expect((await t.app.inject({ method: 'PUT', url, headers: as['admin.astana'], payload: { roles: ['office_registrar'] } })).statusCode).toBe(200);
    const up = await t.app.inject({ method: 'PUT', url, headers: as['admin.astana'], payload: { roles: ['office_registrar', 'system_admin'] } });
    expect(up.statusCode).toBe(403);
    expect(await roleOf('clerk.astana')).toEqual(['office_registrar']);
  });

  it('refuses a regional administrator who would reset, deactivate or demote a peer administrator (a takeover)', async () => {
    const peer = ids['peer.astana'];
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${peer}/password`, headers: as['admin.astana'], payload: { password: 'a temporary password for you' } });
    expect(reset.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/users/${peer}/deactivate`, headers: as['admin.astana'] })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/users/${peer}/roles`, headers: as['admin.astana'], payload: { roles: ['statistician'] } })).statusCode).toBe(403);
    const peerNow = await findUserByUsername(t.db, 'peer.astana');
    expect(peerNow).toMatchObject({ roles: ['system_admin'], active: true, passwordMustChange: true });
    expect(await denials('password_reset')).toEqual([{ actor_id: ids['admin.astana'], target_id: peer }]);
  });

  it('refuses anyone who would deactivate or reset themselves through administration', async () => {
    const self = ids['admin.astana'];
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/users/${self}/deactivate`, headers: as['admin.astana'] })).statusCode).toBe(403);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${self}/password`, headers: as['admin.astana'], payload: { password: 'a temporary password for me' } });
    expect(reset.statusCode).toBe(403);
    expect(reset.json().hint).toContain('/api/v1/auth/password');
    expect(await findUserByUsername(t.db, 'admin.astana')).toMatchObject({ active: true, roles: ['system_admin'] });
  });

  it('lets the operator on the server (the CLI, acting as the system) make the first administrator, but not a client with user.manage', async () => {
    const system = { kind: 'system' as const, id: 'cli:root' };
    const first = await addUser(t.db, roles, newUser('first.admin', ['system_admin'], null), ctx(), system);
    expect(first.roles).toEqual(['system_admin']);
    await expect(addClient(t.db, roles, { id: 'cli-client', name: 'C', scopes: ['birth.notify', 'user.manage'], jurisdiction: null }, ctx(), system)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'scopes' },
    });
  });
});
