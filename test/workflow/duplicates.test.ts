import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/**
 * One child, one record: a declaration that repeats a registered birth in another spelling stops at
 * DUPLICATE_SUSPECTED, the review shows both records and why, and the registrar's decision lets the
 * record go on or archives it, with both histories kept.
 */
let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const people: [string, string, string, string][] = [
    ['agent', 'registration_agent', '711300000', 'kz-con-71-01'],
    ['registrar', 'office_registrar', '711300000', 'kz-rgo-71-01'],
    ['almaty', 'office_registrar', '750000000', 'kz-rgo-75-01'],
    ['regional', 'regional_registrar', '710000000', 'kz-rgo-71-01'],
  ];
  for (const [name, role, jurisdiction, officeId] of people) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `d.${name}`, displayName: name, jurisdiction, officeId, roles: [role], password: 'duplicates test password' }, ctx()),
    );
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
});
afterAll(() => t.close());

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, headers: { ...headers[who], ...(options.headers as Record<string, string>) } });
const citizen = { citizenship: 'KZ', legalStatus: 'citizen' } as const;

function birth(o: { child: [string, string]; mother: [string, string]; father?: [string, string]; dob: string; facility?: string; sex?: 'male' | 'female' }) {
  return {
    path: 'facility_birth',
    child: { surname: o.child[0], givenName: o.child[1], sex: o.sex ?? 'female', dateOfBirth: o.dob, placeOfBirth: { type: 'facility', facilityId: o.facility ?? 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
    mother: { surname: o.mother[0], givenName: o.mother[1], age: 29, ...citizen },
    ...(o.father && { father: { surname: o.father[0], givenName: o.father[1], age: 31, ...citizen } }),
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }],
  };
}

async function declare(declaration: object) {
  const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration });
  expect(declared.statusCode, declared.body).toBe(201);
  return declared.json() as { id: string; status: string; version: number; data: { duplicates?: { suspected: { recordId: string }[] } } };
}

async function validate(id: string) {
  const seen = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: 'medical_birth_certificate' } });
  expect(seen.statusCode, seen.body).toBe(200);
  const validated = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate`, payload: {} });
  expect(validated.statusCode, validated.body).toBe(200);
  return validated.json();
}

const register = (id: string, key?: string) => as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: {}, headers: key ? { 'idempotency-key': key } : {} });

async function pairsOf(id: string, who = 'registrar') {
  const res = await as(who, { method: 'GET', url: `/api/v1/duplicates?record=${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { pair: { id: string; recordA: string; recordB: string; band: string; score: number } }[];
}

const nursultanova = birth({ child: ['Нұрсұлтанова', 'Айгерім'], mother: ['Нұрсұлтанова', 'Әсел'], father: ['Нұрсұлтанов', 'Ерлан'], dob: '2026-02-28' });

describe('a birth declared twice in two scripts', () => {
  let first: string;
  let second: string;

  it('stops the second declaration at DUPLICATE_SUSPECTED, naming the registered record', async () => {
    first = (await declare(nursultanova)).id;
    await validate(first);
    expect((await register(first)).statusCode).toBe(200);
    // The same child at the office: Kazakh letters typed as Russian ones, the mother's name from a Latin passport, the date a day off.
    const again = birth({ child: ['Нурсултанова', 'Айгерим'], mother: ['Nursultanova', 'Asel'], father: ['Нурсултанов', 'Ерлан'], dob: '2026-03-01' });
    const declared = await declare(again);
    second = declared.id;
    expect(declared.status).toBe('DUPLICATE_SUSPECTED');
    expect(declared.data.duplicates?.suspected.map((s) => s.recordId)).toEqual([first]);
    const pairs = await pairsOf(second);
    expect(pairs).toHaveLength(1);
    expect([pairs[0]!.pair.recordA, pairs[0]!.pair.recordB].sort()).toEqual([first, second].sort());
    expect(pairs[0]!.pair.band).toBe('match');
  });

  it('refuses to validate or register while the suspicion stands', async () => {
    const refused = await register(second);
    expect(refused.statusCode).toBe(409);
    const validate = await as('agent', { method: 'POST', url: `/api/v1/births/${second}/validate`, payload: {} });
    expect(validate.statusCode).toBe(409);
  });

  it('shows both records side by side with the comparison field by field', async () => {
    const [{ pair }] = (await pairsOf(second)) as unknown as [{ pair: { id: string } }];
    const review = await as('registrar', { method: 'GET', url: `/api/v1/duplicates/${pair.id}` });
    expect(review.statusCode, review.body).toBe(200);
    const body = review.json();
    // The pair's two records in a stable order; which is which does not matter to the comparison.
    const [registered, repeat] = body.a.id === first ? [body.a, body.b] : [body.b, body.a];
    expect([registered.id, repeat.id]).toEqual([first, second]);
    expect(registered.iin).toMatch(/^\d{12}$/);
    expect(repeat.status).toBe('DUPLICATE_SUSPECTED');
    const fields = new Map((body.comparison.fields as { field: string; level: string; a: string | null; b: string | null }[]).map((f) => [f.field, f]));
    expect(fields.get('mother_surname')?.level).toBe('transliteration');
    expect([fields.get('mother_surname')?.a, fields.get('mother_surname')?.b].sort()).toEqual(['Nursultanova', 'Нұрсұлтанова']);
    expect(fields.get('child_date_of_birth')?.level).toBe('near');
    expect(body.comparison.band).toBe('match');
  });

  it('a registrar outside the jurisdiction sees neither the pair nor the queue entry', async () => {
    const [{ pair }] = (await pairsOf(second)) as unknown as [{ pair: { id: string } }];
    expect((await as('almaty', { method: 'GET', url: `/api/v1/duplicates/${pair.id}` })).statusCode).toBe(404);
    const queue = await as('almaty', { method: 'GET', url: '/api/v1/duplicates' });
    expect(queue.json().items).toEqual([]);
    expect((await as('agent', { method: 'GET', url: '/api/v1/duplicates' })).statusCode).toBe(403);
    // The region's registrar sees the district's pair: a KATO code covers the places under it.
    const regional = await as('regional', { method: 'GET', url: '/api/v1/duplicates' });
    expect(regional.json().items.map((i: { pair: { id: string } }) => i.pair.id)).toContain(pair.id);
  });

  it('a duplicate decision archives the repeat, keeps the registered record, and both histories say so', async () => {
    const [{ pair }] = (await pairsOf(second)) as unknown as [{ pair: { id: string } }];
    const noReason = await as('registrar', { method: 'POST', url: `/api/v1/duplicates/${pair.id}/decision`, payload: { decision: 'duplicate', reason: '' } });
    expect(noReason.statusCode).toBe(400);
    const decided = await as('registrar', { method: 'POST', url: `/api/v1/duplicates/${pair.id}/decision`, payload: { decision: 'duplicate', reason: 'same child: the mother showed the certificate' } });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().status).toBe('duplicate');
    const removed = (await as('registrar', { method: 'GET', url: `/api/v1/births/${second}` })).json();
    expect(removed.status).toBe('ARCHIVED');
    expect(removed.data.duplicates.duplicateOf).toBe(first);
    const history = (await as('registrar', { method: 'GET', url: `/api/v1/records/${first}/actions` })).json();
    expect(JSON.stringify(history)).toContain('SUSPECT_CLEARED');
    const version = (await as('registrar', { method: 'GET', url: `/api/v1/births/${first}` })).json().version;
    const retry = await as('registrar', { method: 'POST', url: `/api/v1/duplicates/${pair.id}/decision`, payload: { decision: 'duplicate', reason: 'same child: the mother showed the certificate' } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(decided.json());
    expect((await as('registrar', { method: 'GET', url: `/api/v1/births/${first}` })).json().version).toBe(version);
    const again = await as('registrar', { method: 'POST', url: `/api/v1/duplicates/${pair.id}/decision`, payload: { decision: 'not_duplicate', reason: 'changed my mind' } });
    expect(again.statusCode).toBe(409);
  });
});

describe('registration stops for a suspect that appeared after the declaration', () => {
  it('flags at registration, answers 409 duplicate_suspected, and registers after a not-duplicate decision', async () => {
    const earlier = (await declare(birth({ child: ['Серікбаева', 'Томирис'], mother: ['Серікбаева', 'Гүлнар'], dob: '2026-02-27', facility: 'kz-hf-71-001' }))).id;
    await validate(earlier);
    // Declared at the same time elsewhere: this one is flagged at once against the earlier one.
    const later = await declare(birth({ child: ['Serikbaeva', 'Tomiris'], mother: ['Серикбаева', 'Гульнар'], dob: '2026-02-27', facility: 'kz-hf-71-001' }));
    expect(later.status).toBe('DUPLICATE_SUSPECTED');
    const refused = await register(earlier, 'register-earlier-0001');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ type: 'urn:tirkeu:problem:duplicate-suspected', recordId: earlier });
    // A retry with the same key gives the same answer and writes nothing more.
    const version = (await as('registrar', { method: 'GET', url: `/api/v1/births/${earlier}` })).json().version;
    expect((await register(earlier, 'register-earlier-0001')).statusCode).toBe(409);
    expect((await as('registrar', { method: 'GET', url: `/api/v1/births/${earlier}` })).json().version).toBe(version);
    const [{ pair }] = (await pairsOf(earlier)) as unknown as [{ pair: { id: string } }];
    const decided = await as('registrar', { method: 'POST', url: `/api/v1/duplicates/${pair.id}/decision`, payload: { decision: 'not_duplicate', reason: 'twins registered apart? no: two different families, checked the documents' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const resumed = (await as('registrar', { method: 'GET', url: `/api/v1/births/${earlier}` })).json();
    expect(resumed.status).toBe('VALIDATED');
    expect((await as('registrar', { method: 'GET', url: `/api/v1/births/${later.id}` })).json().status).toBe('DECLARED');
    const registered = await register(earlier);
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().status).toBe('REGISTERED');
  });
});

describe('search', () => {
  it('finds Нұрсұлтанова, Нурсултанова and Nursultanova as the same family name', async () => {
    const found = [];
    for (const q of ['Нұрсұлтанова', 'Нурсултанова', 'Nursultanova']) {
      const res = await as('registrar', { method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, res.body).toBe(200);
      found.push((res.json().items as { recordId: string }[]).map((i) => i.recordId).sort());
    }
    expect(found[0]!.length).toBeGreaterThan(0);
    expect(found[1]).toEqual(found[0]);
    expect(found[2]).toEqual(found[0]);
  });

  it('pages through the same results whichever way the first page was found', async () => {
    const all = (await as('registrar', { method: 'GET', url: `/api/v1/search?q=Nursultanova&limit=100` })).json().items.map((i: { recordId: string }) => i.recordId);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { recordId: string }[]; nextCursor: string | null } = (await as('registrar', { method: 'GET', url: `/api/v1/search?q=Nursultanova&limit=1${cursor ? `&cursor=${cursor}` : ''}` })).json();
      seen.push(...page.items.map((i: { recordId: string }) => i.recordId));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 50);
    expect(seen.sort()).toEqual([...all].sort());
  });

  it('finds by IIN and by act number, and by the mother’s name only', async () => {
    const hits = (await as('registrar', { method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('Айгерім Нұрсұлтанова')}` })).json().items as { recordId: string; status: string }[];
    const any = hits.find((h) => h.status === 'REGISTERED')!;
    expect(any).toBeDefined();
    const record = (await as('registrar', { method: 'GET', url: `/api/v1/births/${any.recordId}` })).json();
    const byIin = (await as('registrar', { method: 'GET', url: `/api/v1/search?q=${record.iin}` })).json();
    expect(byIin.items.map((i: { recordId: string }) => i.recordId)).toEqual([record.id]);
    const byNumber = (await as('registrar', { method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(record.number)}` })).json();
    expect(byNumber.items.map((i: { recordId: string }) => i.recordId)).toEqual([record.id]);
    const byMother = (await as('registrar', { method: 'GET', url: `/api/v1/search?mother=${encodeURIComponent('Asel')}` })).json();
    expect(byMother.items.some((i: { recordId: string }) => i.recordId === record.id)).toBe(true);
  });

  it('is cut to the reader’s jurisdiction and audited', async () => {
    const res = await as('almaty', { method: 'GET', url: `/api/v1/search?q=Nursultanova` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM access_audit WHERE event = 'records_searched'");
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('handles names in other scripts, marks and very long input without failing', async () => {
    for (const q of ['محمد', '王秀英', 'Ä́ı̇', 'x'.repeat(200), 'Ахметова-Nursultanova']) {
      const res = await as('registrar', { method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` });
      expect([200, 400], q).toContain(res.statusCode);
    }
  });

  it('the history stays verifiable', async () => {
    const report = await verifyLog(t.db);
    expect(report.broken).toBeUndefined();
  });
});
