import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { timelinessCutoffs } from '../../src/births/queues.ts';
import { parseBirthRules, timelinessOf } from '../../src/births/rules.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

const rules = parseBirthRules(loadPack('kz').settings);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('the dates of birth at which a registration stops being current', () => {
  it('agree with timelinessOf on every day, over holidays and year ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 366 }), fc.integer({ min: 0, max: 400 }), (day, age) => {
        const today = addDays('2024-01-01', day);
        const born = addDays(today, -age);
        const cutoffs = timelinessCutoffs(today, rules);
        const expected = timelinessOf(born, today, rules);
        expect(born <= cutoffs.late, `${born} → ${today}`).toBe(expected !== 'current');
        expect(born <= cutoffs.delayed, `${born} → ${today}`).toBe(expected === 'delayed');
      }),
      { numRuns: 2000 },
    );
    // The edges themselves: the day after each cutoff is on the other side.
    const today = '2026-03-12';
    const { late, delayed } = timelinessCutoffs(today, rules);
    expect([timelinessOf(late, today, rules), timelinessOf(addDays(late, 1), today, rules)]).toEqual(['late', 'current']);
    expect([timelinessOf(delayed, today, rules), timelinessOf(addDays(delayed, 1), today, rules)]).toEqual(['delayed', 'late']);
  });
});

let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...headers[who], ...(options.headers as Record<string, string>) } });

const userIds: Record<string, string> = {};

/** Fresh sessions for everyone (after the clock moved past their idle timeout). */
async function signIn(): Promise<void> {
  for (const [name, id] of Object.entries(userIds)) {
    const session = await t.db.transaction((tx) => createSession(tx, id, 'active', ctx()));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
}

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  for (const [name, role] of [
    ['agent', 'registration_agent'],
    ['registrar', 'office_registrar'],
  ] as const) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `q.${name}`, displayName: `Queue ${name}`, jurisdiction: '711300000', officeId: 'kz-rgo-71-01', roles: [role], password: 'queue test password' }, ctx()),
    );
    userIds[name] = user.id;
  }
  await signIn();
});
afterAll(() => t?.close());

const citizen = { citizenship: 'KZ', legalStatus: 'citizen' } as const;
const mothers: Record<string, string> = { Ару: 'Гүлнар', Аида: 'Сәуле', Алма: 'Жанар', Әсел: 'Бибігүл' };
const declaration = (givenName: string, dateOfBirth: string, documents: string[]) => ({
  path: 'facility_birth',
  child: { surname: 'Сейітова', givenName, sex: 'female', dateOfBirth, placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
  // Each child another mother's: one mother's two children born the same day would be stopped as a suspected duplicate.
  mother: { surname: 'Сейітова', givenName: mothers[givenName] ?? 'Гүлнар', age: 30, ...citizen },
  maritalStatus: 'married',
  parentage: 'marriage',
  informant: { relation: 'mother' },
  documents: documents.map((type) => ({ type })),
});

/** Declared, every listed original seen, validated: waiting for the registrar. */
async function validated(givenName: string, dateOfBirth: string, documents: string[]): Promise<string> {
  const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration(givenName, dateOfBirth, documents) });
  expect(declared.statusCode, declared.body).toBe(201);
  const id = declared.json().id as string;
  for (const type of documents) expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type } })).statusCode).toBe(200);
  expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` })).statusCode).toBe(200);
  return id;
}

const queue = async (name: string) => {
  const res = await as('registrar', { method: 'GET', url: `/api/v1/births/queues/${name}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Record<string, unknown>[];
};

describe('the late registrations queue', () => {
  it('holds validated births past the legal period until a registrar approves them, then they are ready to register', async () => {
    // Today is 2 March 2026 (the test clock): 28 February is current, December late, the year before delayed.
    const current = await validated('Ару', '2026-02-28', ['medical_birth_certificate']);
    const late = await validated('Аида', '2025-12-01', ['medical_birth_certificate', 'late_registration_statement']);
    const delayed = await validated('Алма', '2024-12-01', ['medical_birth_certificate', 'late_registration_statement']);

    const counts = (await as('registrar', { method: 'GET', url: '/api/v1/births/queues' })).json().queues;
    expect(counts).toMatchObject({ late_registrations: 2, ready_to_register: 1 });
    expect((await queue('late_registrations')).map((i) => i.id).sort()).toEqual([late, delayed].sort());
    expect((await queue('ready_to_register')).map((i) => i.id)).toEqual([current]);
    // What the queue says is what the record page offers.
    expect((await as('registrar', { method: 'GET', url: `/api/v1/births/${late}` })).json().allowedActions).toContain('APPROVE_REGISTRATION');

    const approved = await as('registrar', { method: 'POST', url: `/api/v1/births/${late}/approve-registration`, payload: { reason: 'the statement explains the delay' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await queue('late_registrations')).map((i) => i.id)).toEqual([delayed]);
    expect((await queue('ready_to_register')).map((i) => i.id).sort()).toEqual([current, late].sort());
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/queues' })).json().queues).toMatchObject({ late_registrations: 1, ready_to_register: 2 });
  });

  it('gives each entry what a work table shows: the name as typed, the place, days waiting, the holder’s name', async () => {
    const id = await validated('Әсел', '2026-02-28', ['medical_birth_certificate']);
    t.clock.advance(3 * 86_400_000);
    await signIn();
    expect((await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/assign` })).statusCode).toBe(200);
    const entry = (await queue('mine')).find((i) => i.id === id);
    expect(entry).toMatchObject({
      childName: 'Сейітова Әсел',
      dateOfBirth: '2026-02-28',
      ageDays: 5,
      waitingDays: 3,
      late: true,
      facilityId: 'kz-hf-71-001',
      place: { kk: expect.any(String), ru: expect.any(String), en: expect.any(String) },
      assignedTo: expect.stringMatching(/^user:/),
      assignee: 'Queue registrar',
    });
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/queues' })).json().queues.mine).toBe(1);
    // The history names who acted.
    const history = (await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` })).json().items as { type: string; actorName: string }[];
    expect(history.map((a) => [a.type, a.actorName])).toEqual([
      ['DECLARE', 'Queue agent'],
      ['EVIDENCE_SEEN', 'Queue agent'],
      ['VALIDATE', 'Queue agent'],
      ['ASSIGN', 'Queue registrar'],
    ]);
  });
});
