import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/access/audit.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/**
 * What the administration screens ask of the API beyond plain CRUD: the roles a reader may grant
 * (the same rule checkGrant enforces), the username prefix of the user list, the outcome filter of
 * the audit.
 */
let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const roles = loadRoles('kz');
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  const add = async (username: string, jurisdiction: string | null, roleIds: string[]) => {
    const user = await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, roles: roleIds, password: 'screens test long password' }, ctx()));
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
    headers[username] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
    return user;
  };
  await add('national.admin', null, ['system_admin']);
  await add('astana.admin', '710000000', ['system_admin']);
  await add('astana.agent', '711300000', ['registration_agent']);
  for (const name of ['agent.one', 'agent.two', 'agent_three', 'agentx', 'clerk.one']) await add(name, '711300000', ['facility_clerk']);
});
afterAll(() => t.close());

type RolesAnswer = { roles: { id: string; name: { kk: string; ru: string; en: string }; sensitive: boolean; grantable: boolean }[]; clientScopes: string[] };

async function rolesOf(username: string): Promise<RolesAnswer> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: headers[username] });
  expect(res.statusCode).toBe(200);
  return res.json() as RolesAnswer;
}

const grantable = (answer: RolesAnswer) => answer.roles.filter((r) => r.grantable).map((r) => r.id);

describe('GET /api/v1/roles', () => {
  it('names every role of the pack in three languages and marks the sensitive ones', async () => {
    const answer = await rolesOf('astana.agent');
    expect(answer.roles.map((r) => r.id)).toEqual([...roles.keys()]);
    expect(answer.roles.find((r) => r.id === 'registration_agent')).toMatchObject({ name: { kk: 'Тіркеу агенті', ru: 'Агент регистрации', en: 'Registration agent' }, sensitive: false });
    expect(answer.roles.find((r) => r.id === 'office_registrar')?.sensitive).toBe(true);
    expect(answer.clientScopes).toEqual(['birth.notify']);
  });

  it('marks as grantable exactly what grants and nationalGrants allow the reader', async () => {
    const operational = roles.get('system_admin')!.grants;
    expect(grantable(await rolesOf('national.admin')).sort()).toEqual([...operational, 'system_admin'].sort());
    expect(grantable(await rolesOf('astana.admin')).sort()).toEqual([...operational].sort());
    expect(grantable(await rolesOf('astana.agent'))).toEqual([]);
  });

  it('agrees with the server: a role it marks not grantable is refused when granted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: headers['astana.admin'],
      payload: { username: 'would.be.admin', displayName: 'Peer', jurisdiction: '710000000', roles: ['system_admin'], password: 'a long enough first password' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', field: 'roles', refused: ['system_admin'] });
  });
});

describe('the user list filtered by username prefix', () => {
  it('keeps the usernames starting with the prefix, whatever case it is typed in, with a cursor inside them', async () => {
    const page = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/users?${query}`, headers: headers['national.admin'] });
      expect(res.statusCode).toBe(200);
      return res.json() as { items: { username: string }[]; next: string | null };
    };
    const first = await page('prefix=Agent&limit=2');
    expect(first.items.map((u) => u.username)).toEqual(['agent.one', 'agent.two']);
    const second = await page(`prefix=agent&limit=2&after=${first.next}`);
    expect(second.items.map((u) => u.username)).toEqual(['agent_three', 'agentx']);
    // "_" is a LIKE wildcard: the prefix is compared as text, so "agent_" matches only "agent_three".
    expect((await page('prefix=agent_')).items.map((u) => u.username)).toEqual(['agent_three']);
  });
});

describe('the audit filtered by outcome', () => {
  it('returns only the lines with that outcome', async () => {
    const actor = { kind: 'user' as const, id: 'screens-test' };
    await audit(t.db, ctx(), { actor, event: 'sign_in', outcome: 'denied' });
    await audit(t.db, ctx(), { actor, event: 'sign_in', outcome: 'success' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit?actorId=screens-test&outcome=denied', headers: headers['national.admin'] });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: { outcome: string }[] }).items.map((l) => l.outcome)).toEqual(['denied']);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/audit?outcome=maybe', headers: headers['national.admin'] });
    expect(bad.statusCode).toBe(400);
  });
});
