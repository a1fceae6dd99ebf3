import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { indexPeople } from '../../src/protection/people-index.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { noteRecord } from '../support/note-record.ts';

/**
 * The tracing routes: a case worker records a request (201, consent required), lists it, reads it,
 * lists its matches explained field by field and acts on it; another worker of the same district
 * gets a 404 byte for byte the same as for a request that does not exist.
 */
let t: TestApp;
const users: Record<string, { id: string; cookie: Record<string, string> }> = {};
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
let caseId: string;

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const people: [string, string, string][] = [
    ['worker', 'case_worker', '711300000'],
    ['colleague', 'case_worker', '711300000'],
    ['supervisor', 'protection_supervisor', '710000000'],
    ['registrar', 'office_registrar', '711300000'],
  ];
  for (const [name, role, jurisdiction] of people) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `t.${name}`, displayName: name, jurisdiction, officeId: 'kz-rgo-71-01', roles: [role], password: 'tracing test password' }, ctx()),
    );
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
    users[name] = { id: user.id, cookie: { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken } };
  }
  // A case's people in Cyrillic, with tracing consent (indexed as the cases module does).
  caseId = await t.db.transaction(async (tx) => {
    const { record } = await createRecord(tx, noteRecord, { type: 'OPEN', actor: 'system', payload: { jurisdiction: '711300000' } }, { clock: t.clock });
    await indexPeople(tx, {
      id: record.id,
      kind: 'case',
      jurisdiction: '711300000',
      tracingConsent: true,
      people: [
        { role: 'child', surname: 'Алиев', givenName: 'Тимур', sex: 'male', bornFrom: '2016-01-01', bornTo: '2018-01-01' },
        { role: 'mother', surname: 'Алиева', givenName: 'Гульнара' },
      ],
    });
    return record.id;
  });
});
afterAll(() => t.close());

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...users[who]!.cookie, ...(options.headers as Record<string, string>) } });

const body = {
  requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother' },
  sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', approximateAge: { years: 9 }, lastSeen: { place: '711300000' } },
  consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' } },
};

describe('tracing routes', () => {
  it('records, lists, reads, matches and acts; need to know answers 404 as for nothing', async () => {
    const refused = await as('worker', { method: 'POST', url: '/api/v1/protection/tracing', payload: { ...body, consent: undefined } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'consent' });
    expect((await as('registrar', { method: 'POST', url: '/api/v1/protection/tracing', payload: body })).statusCode).toBe(403);

    const created = await as('worker', { method: 'POST', url: '/api/v1/protection/tracing', payload: body, headers: { 'idempotency-key': 'tracing-http-0001' } });
    expect(created.statusCode).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({ status: 'OPEN', version: 1, access: 'work', allowedActions: expect.arrayContaining(['CONFIRM_MATCH', 'WITHDRAW_CONSENT', 'CLOSE']) });
    expect(request.allowedActions).not.toContain('REUNIFY');

    const list = await as('worker', { method: 'GET', url: '/api/v1/protection/tracing' });
    expect(list.json().items).toEqual([expect.objectContaining({ id: request.id, sought: { surname: 'Aliyev', givenName: 'Timur' } })]);
    expect((await as('supervisor', { method: 'GET', url: '/api/v1/protection/tracing' })).json().items).toEqual([expect.objectContaining({ id: request.id, sought: null })]);

    expect((await as('worker', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}` })).statusCode).toBe(200);
    expect((await as('supervisor', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}` })).json()).toMatchObject({ access: 'supervise' });
    const hidden = await as('colleague', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}` });
    const missing = await as('colleague', { method: 'GET', url: '/api/v1/protection/tracing/00000000-0000-7000-8000-000000000000' });
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    const strip = (r: { body: string }) => JSON.stringify({ ...JSON.parse(r.body), requestId: undefined, instance: undefined });
    expect(strip(hidden)).toBe(strip(missing));
    expect((await as('colleague', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}/matches` })).statusCode).toBe(404);
    expect((await as('registrar', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}` })).statusCode).toBe(403);
    // Confidential: the generic records routes answer as if it did not exist, even to its own worker (record.read).
    expect((await as('worker', { method: 'GET', url: `/api/v1/records/${request.id}` })).statusCode).toBe(404);
    expect((await as('registrar', { method: 'GET', url: `/api/v1/records/${request.id}/actions` })).statusCode).toBe(404);

    const matches = await as('worker', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}/matches` });
    expect(matches.statusCode).toBe(200);
    const [match] = matches.json().items;
    expect(match).toMatchObject({ kind: 'case', subjectId: caseId, band: 'likely', decision: null, sought: { role: 'child', givenName: 'Тимур' }, requester: { role: 'mother' } });
    expect(match.fields.map((f: { field: string }) => f.field)).toContain('requester_given_name');

    const confirmed = await as('worker', { method: 'POST', url: `/api/v1/protection/tracing/${request.id}/actions`, payload: { type: 'CONFIRM_MATCH', kind: 'case', subjectId: caseId, expectedVersion: 1 } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'MATCHED', version: 2, matches: [{ kind: 'case', subjectId: caseId, status: 'confirmed' }] });
    const stale = await as('worker', { method: 'POST', url: `/api/v1/protection/tracing/${request.id}/actions`, payload: { type: 'CONTACT', note: 'called', expectedVersion: 1 } });
    expect(stale.statusCode).toBe(409);
    const unknown = await as('worker', { method: 'POST', url: `/api/v1/protection/tracing/${request.id}/actions`, payload: { type: 'CONTACT', note: 'x', extra: true } });
    expect(unknown.statusCode).toBe(400);
    const outsider = await as('colleague', { method: 'POST', url: `/api/v1/protection/tracing/${request.id}/actions`, payload: { type: 'CONTACT', note: 'called' } });
    expect(outsider.statusCode).toBe(404);
    expect((await as('worker', { method: 'GET', url: `/api/v1/protection/tracing/${request.id}/matches` })).json().items[0].decision).toBe('confirmed');
  });
});
