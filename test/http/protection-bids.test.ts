import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import { loadRoles, scopesOf } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser, type User } from '../../src/access/users.ts';
import { openCase } from '../../src/protection/cases.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { protectionDeps } from '../support/protection.ts';

/** The BID routes through app.inject: shapes, statuses, the Idempotency-Key, need to know. */
let t: TestApp;
const roles = loadRoles('kz');
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
type Headers = { cookie: string; 'x-csrf-token': string };
const users: Record<string, { user: User; headers: Headers }> = {};
let caseId: string;

async function person(username: string, role: string, jurisdiction: string): Promise<void> {
  const user = await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, officeId: null, roles: [role], password: 'protection bids http test password' }, ctx()));
  const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
  users[username] = { user, headers: { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken } };
}

const actorOf = (name: string): Actor => {
  const u = users[name]!.user;
  return { kind: 'user', id: u.id, username: u.username, roles: u.roles, scopes: scopesOf(roles, u.roles), jurisdiction: u.jurisdiction, officeId: u.officeId, sessionId: 's' };
};
const post = (as: string, url: string, payload: unknown, key?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...users[as]!.headers, ...(key && { 'idempotency-key': key }) } });
const get = (as: string, url: string) => t.app.inject({ method: 'GET', url, headers: users[as]!.headers });
const panel = () => [
  { userId: users['bid.social']!.user.id, profession: 'social_work' },
  { userId: users['bid.lawyer']!.user.id, profession: 'law' },
  { userId: `user:${users['bid.psych']!.user.id}`, profession: 'psychology' },
];

beforeAll(async () => {
  t = await openTestApp();
  await person('bid.owner', 'case_worker', '711300000');
  await person('bid.outsider', 'case_worker', '711300000');
  await person('bid.social', 'case_worker', '711300000');
  await person('bid.lawyer', 'case_worker', '711300000');
  await person('bid.psych', 'case_worker', '711300000');
  await person('bid.supervisor', 'protection_supervisor', '710000000');
  const opened = await openCase(
    protectionDeps(t.db, t.clock),
    { kind: 'separated', risk: 'medium', child: { givenName: 'Айя', languages: ['kk'], identityAsStated: true } },
    { actor: actorOf('bid.owner') },
  );
  caseId = opened.id;
});
afterAll(() => t.close());

describe('the BID routes', () => {
  let bidId: string;

  it('refuses a panel of two (400, naming the field), convenes one of three (201), and answers a retry with the first', async () => {
    const two = await post('bid.owner', `/api/v1/protection/cases/${caseId}/bids`, { question: 'separation_from_parents', panel: panel().slice(0, 2) });
    expect(two.statusCode).toBe(400);
    expect(two.json()).toMatchObject({ field: 'panel' });
    const res = await post('bid.owner', `/api/v1/protection/cases/${caseId}/bids`, { question: 'separation_from_parents', panel: panel() }, 'bid-http-convene-1');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    bidId = body.id;
    expect(body).toMatchObject({ status: 'OPEN', version: 1, jurisdiction: '711300000', role: { member: false, signed: false, supervisor: false, caseWorker: true }, allowedActions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION'] });
    expect(body.bid.panel).toHaveLength(3);
    const again = await post('bid.owner', `/api/v1/protection/cases/${caseId}/bids`, { question: 'separation_from_parents', panel: panel() }, 'bid-http-convene-1');
    expect(again.json().id).toBe(bidId);
  });

  it('refuses unknown properties, an unsigned vote (409) and a stale version (409 version_conflict)', async () => {
    const url = `/api/v1/protection/bids/${bidId}/actions`;
    expect((await post('bid.social', url, { type: 'SIGN_UNDERTAKING', extra: 1 })).statusCode).toBe(400);
    const unsigned = await post('bid.social', url, { type: 'VOTE', option: 'alternative_care', reasons: 'x' });
    expect(unsigned.statusCode).toBe(409);
    expect(unsigned.json()).toMatchObject({ field: 'undertaking' });
    const signed = await post('bid.social', url, { type: 'SIGN_UNDERTAKING', expectedVersion: 1 });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ version: 2, role: { member: true, signed: true }, allowedActions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION', 'DELIBERATE', 'VOTE', 'DECIDE'] });
    const stale = await post('bid.lawyer', url, { type: 'SIGN_UNDERTAKING', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ currentVersion: 2 });
  });

  it('shows the worker no deliberations, the panel and the supervisor all; an outsider gets the same 404 as for nothing', async () => {
    expect((await post('bid.social', `/api/v1/protection/bids/${bidId}/actions`, { type: 'DELIBERATE', note: 'first sitting' })).statusCode).toBe(200);
    const worker = (await get('bid.owner', `/api/v1/protection/bids/${bidId}`)).json();
    expect(worker.bid).toMatchObject({ deliberations: null, votes: null });
    expect((await get('bid.supervisor', `/api/v1/protection/bids/${bidId}`)).json().bid.deliberations).toHaveLength(1);
    expect((await get('bid.lawyer', `/api/v1/protection/bids/${bidId}`)).json().bid.deliberations).toHaveLength(1);
    const steps = (await get('bid.owner', `/api/v1/protection/bids/${bidId}/actions`)).json().items;
    expect(steps.map((s: { type: string }) => s.type)).toEqual(['CONVENE', 'SIGN_UNDERTAKING']);
    expect(steps[0]).toMatchObject({ actor: `user:${users['bid.owner']!.user.id}`, actorName: 'bid.owner' });
    const body = (res: { body: string }) => JSON.stringify({ ...JSON.parse(res.body), requestId: undefined, instance: undefined });
    for (const path of ['', '/actions']) {
      const outside = await get('bid.outsider', `/api/v1/protection/bids/${bidId}${path}`);
      const absent = await get('bid.outsider', `/api/v1/protection/bids/${randomUUID()}${path}`);
      expect([outside.statusCode, absent.statusCode]).toEqual([404, 404]);
      expect(body(outside)).toBe(body(absent));
    }
    expect((await post('bid.outsider', `/api/v1/protection/bids/${bidId}/actions`, { type: 'SIGN_UNDERTAKING' })).statusCode).toBe(404);
    expect((await get('bid.outsider', `/api/v1/protection/cases/${caseId}/bids`)).statusCode).toBe(404);
    expect((await get('bid.owner', `/api/v1/protection/cases/${caseId}/bids`)).json().items).toMatchObject([{ id: bidId, bid: { votes: null } }]);
  });

  it('lists the determinations of a member and of the supervisor, with no names', async () => {
    const mine = await get('bid.psych', '/api/v1/protection/bids');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ items: [{ id: bidId, caseId, question: 'separation_from_parents', status: 'OPEN', as: 'member', signedByMe: false, panelSize: 3, signed: 1 }], nextCursor: null });
    expect((await get('bid.supervisor', '/api/v1/protection/bids?status=OPEN')).json().items).toMatchObject([{ id: bidId, as: 'supervisor' }]);
    expect((await get('bid.supervisor', '/api/v1/protection/bids?status=DECIDED')).json().items).toEqual([]);
    expect((await get('bid.outsider', '/api/v1/protection/bids')).json().items).toEqual([]);
  });

  it('asks who is calling before anything else', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/protection/bids' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/protection/bids/${bidId}/actions`, payload: { type: 'SIGN_UNDERTAKING' } })).statusCode).toBe(401);
  });
});
