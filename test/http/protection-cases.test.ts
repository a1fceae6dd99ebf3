import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/** The case routes through app.inject: open, read, act, list, timeline, tasks; 404 for whoever need not know. */
let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const people: [string, string, string][] = [
    ['worker', 'case_worker', '711300000'],
    ['colleague', 'case_worker', '711300000'],
    ['supervisor', 'protection_supervisor', '710000000'],
    ['registrar', 'office_registrar', '711300000'],
  ];
  for (const [name, role, jurisdiction] of people) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `pc.${name}`, displayName: `Display ${name}`, jurisdiction, officeId: 'kz-rgo-71-01', roles: [role], password: 'protection cases http password' }, ctx),
    );
    ids[name] = user.id;
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
});
afterAll(() => t.close());

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...headers[who], ...(options.headers as Record<string, string>) } });
const child = { surname: 'Алиев', givenName: 'Тимур', sex: 'male', approximateAge: { years: 9, estimatedBy: 'statement' }, languages: ['ru'], countryOfOrigin: 'TJ', identityAsStated: true };

describe('protection case routes', () => {
  let id: string;

  it('opens a case for an unaccompanied child (201), retried with the same key to the same case', async () => {
    const body = { kind: 'unaccompanied', child, risk: 'high', separation: { where: 'Astana railway station', documentsHeld: [], parents: [{ role: 'mother', surname: 'Алиева', givenName: 'Гульнара' }], siblings: [] } };
    const res = await as('worker', { method: 'POST', url: '/api/v1/protection/cases', payload: body, headers: { 'idempotency-key': 'open-unaccompanied-1' } });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    id = view.id;
    expect(view).toMatchObject({ stage: 'REGISTERED', version: 1, access: 'work', jurisdiction: '711300000' });
    expect(view.data.owner).toBe(`user:${ids.worker}`);
    expect(view.allowedActions).toContain('CONTACT');
    const again = await as('worker', { method: 'POST', url: '/api/v1/protection/cases', payload: body, headers: { 'idempotency-key': 'open-unaccompanied-1' } });
    expect(again.json().id).toBe(id);
    const bad = await as('worker', { method: 'POST', url: '/api/v1/protection/cases', payload: { ...body, kind: 'lost' } });
    expect(bad.statusCode).toBe(400);
  });

  it('reads it for the owner and the supervisor, and answers 404 to a colleague who is not on it, byte for byte as a missing case', async () => {
    expect((await as('worker', { method: 'GET', url: `/api/v1/protection/cases/${id}` })).statusCode).toBe(200);
    const supervised = await as('supervisor', { method: 'GET', url: `/api/v1/protection/cases/${id}` });
    expect(supervised.json().access).toBe('supervise');
    const hidden = await as('colleague', { method: 'GET', url: `/api/v1/protection/cases/${id}` });
    const missing = await as('colleague', { method: 'GET', url: '/api/v1/protection/cases/01890000-0000-7000-8000-000000000000' });
    expect(hidden.statusCode).toBe(404);
    // The same answer but for the URL it names and the request's id.
    const same = (body: string) => body.replace(/"instance":"[^"]*"/, '').replace(/"requestId":"[^"]*"/, '');
    expect(same(hidden.body)).toBe(same(missing.body));
    expect((await as('colleague', { method: 'GET', url: `/api/v1/protection/cases/${id}/actions` })).statusCode).toBe(404);
    expect((await as('colleague', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'NOTE', text: 'x' } })).statusCode).toBe(404);
    // A registrar of the district holds no protection scope; the generic records route hides the case too.
    expect((await as('registrar', { method: 'GET', url: `/api/v1/protection/cases/${id}` })).statusCode).toBe(403);
    expect((await as('registrar', { method: 'GET', url: `/api/v1/records/${id}` })).statusCode).toBe(404);
  });

  it('acts with the version last seen, and answers 409 to a stale one', async () => {
    const contacted = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'CONTACT', expectedVersion: 1, note: 'met at the station' } });
    expect(contacted.statusCode, contacted.body).toBe(200);
    expect(contacted.json()).toMatchObject({ version: 2 });
    const stale = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'NOTE', expectedVersion: 1, text: 'offline edit' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ currentVersion: 2 });
    const wrongStage = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'APPROVE_PLAN' } });
    expect(wrongStage.statusCode).toBe(409);
    const unknown = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'NOTE', text: 'x', extra: true } });
    expect(unknown.statusCode).toBe(400);
    const assigned = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'ASSIGN', userId: ids.colleague } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await as('colleague', { method: 'GET', url: `/api/v1/protection/cases/${id}` })).statusCode).toBe(200);
  });

  it('shows the timeline with who acted by name', async () => {
    const res = await as('worker', { method: 'GET', url: `/api/v1/protection/cases/${id}/actions` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((a: { type: string }) => a.type)).toEqual(['OPEN', 'CONTACT', 'ASSIGN']);
    expect(res.json().items[0].actorName).toBe('Display worker');
  });

  it('lists cases (names only to who works on them) and tasks', async () => {
    const mine = await as('worker', { method: 'GET', url: '/api/v1/protection/cases' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toEqual([expect.objectContaining({ id, works: true, child: { surname: 'Алиев', givenName: 'Тимур' } })]);
    const all = await as('supervisor', { method: 'GET', url: '/api/v1/protection/cases?stage=REGISTERED' });
    expect(all.json().items).toEqual([expect.objectContaining({ id, works: false, child: null })]);
    const tasks = await as('worker', { method: 'GET', url: '/api/v1/protection/tasks' });
    expect(tasks.statusCode, tasks.body).toBe(200);
    expect(tasks.json().items).toEqual([]);
    const note = await as('worker', { method: 'POST', url: `/api/v1/protection/cases/${id}/actions`, payload: { type: 'ADD_TASK', title: 'call the embassy', dueOn: '2026-03-01' } });
    expect(note.statusCode, note.body).toBe(200);
    const overdue = await as('worker', { method: 'GET', url: '/api/v1/protection/tasks?overdue=true' });
    expect(overdue.json().items).toEqual([expect.objectContaining({ caseId: id, title: 'call the embassy', dueOn: '2026-03-01', overdue: true })]);
  });
});
