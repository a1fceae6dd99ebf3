import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/access/audit.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { declareBirth } from '../../src/births/workflow.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { AppError } from '../../src/core/errors.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { actOnCase, openCase, readCase } from '../../src/protection/cases.ts';
import { actOnTracing, createTracingRequest, findMatches, listTracing, readTracing, type NewTracingRequest } from '../../src/protection/tracing.ts';
import { birthDeps, facilityDeclaration, helperRegistrar } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { almaty, astana, caseWorker, districtRegistrar, protectionDeps, supervisor, yesil } from '../support/protection.ts';

/**
 * Family tracing through the use cases: a mother writes in Latin and finds, in Cyrillic, the
 * protection case of her son and the birth record of her child; a family without tracing consent is
 * never matched, and a withdrawn consent stops matching at once; every read is audited and only
 * those who need to know see a request.
 */
let db: TestDb;
const clock = fixedClock('2026-11-20T09:00:00Z');
const ctx = () => ({ clock, clientAddress: null, requestId: null });
const worker = caseWorker(1);
const otherWorker = caseWorker(2);
let caseWithConsent: string;
let caseWithoutConsent: string;
let birthId: string;

/**
 * A protection case of a separated child, Тимур Алиев, opened by the worker through the cases
 * module, whose mother Гульнара Алиева and sister are named; with the family's tracing consent or without.
 */
async function makeCase(tracingConsent: boolean): Promise<string> {
  const deps = protectionDeps(db, clock);
  const opened = await openCase(
    deps,
    {
      kind: 'separated',
      risk: 'high',
      child: { surname: 'Алиев', givenName: 'Тимур', sex: 'male', approximateAge: { years: 9, estimatedBy: 'statement' }, languages: ['ru'], identityAsStated: true },
      separation: {
        where: '711300000',
        documentsHeld: [],
        parents: [{ role: 'mother', surname: 'Алиева', givenName: 'Гульнара' }],
        siblings: [{ role: 'sibling', surname: 'Алиева', givenName: 'Айгерим', sex: 'female' }],
      },
    },
    { actor: worker },
  );
  if (tracingConsent) await actOnCase(deps, opened.id, { type: 'GIVE_CONSENT', purpose: 'tracing', givenBy: { name: 'Тимур Алиев', relation: 'self' } }, { actor: worker });
  return opened.id;
}

/** The mother's request, in Latin: her son Timur, about nine, last seen in Astana's Yesil district. */
const request: NewTracingRequest = {
  requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother', contact: '+7 700 000 0000' },
  sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', approximateAge: { years: 9 }, lastSeen: { place: '711300000', on: '2025-03-01', circumstances: 'separated at the border crossing' } },
  consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' } },
};

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return { code: (error as AppError).code, field: (error as AppError).details.field };
  }
  return { code: 'none' };
};

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  caseWithConsent = await makeCase(true);
  caseWithoutConsent = await makeCase(false);
  // The birth of the mother's child, registered (declared) in Cyrillic years ago, through the births workflow.
  const base = facilityDeclaration();
  const declaration: Declaration = {
    ...base,
    child: { ...base.child, surname: 'Алиев', givenName: 'Тимур', sex: 'male', dateOfBirth: '2017-05-10' },
    mother: { ...base.mother!, surname: 'Алиева', givenName: 'Гульнара' },
  };
  birthId = (await declareBirth(birthDeps(db, clock), declaration, { actor: helperRegistrar() })).record.id;
  // Another family's birth, never a match.
  await declareBirth(birthDeps(db, clock), facilityDeclaration(), { actor: helperRegistrar() });
});
afterAll(() => db.close());

describe('family tracing', () => {
  const deps = () => protectionDeps(db, clock);

  it('refuses a request without the family’s tracing consent, or without a name of the one sought', async () => {
    expect(await code(createTracingRequest(deps(), { ...request, consent: undefined }, { actor: worker }))).toEqual({ code: 'validation_failed', field: 'consent' });
    expect(await code(createTracingRequest(deps(), { ...request, sought: { sex: 'male' } }, { actor: worker }))).toEqual({ code: 'validation_failed', field: 'sought.givenName' });
    expect(await code(createTracingRequest(deps(), request, { actor: districtRegistrar() }))).toMatchObject({ code: 'forbidden' });
    // A case the worker does not need to know about cannot be linked: the same 404 as for none.
    expect(await code(createTracingRequest(deps(), { ...request, caseId: caseWithConsent }, { actor: otherWorker }))).toEqual({ code: 'not_found', field: 'caseId' });
  });

  it('a request in Latin finds the case’s child and mother in Cyrillic and the birth of that mother’s child, never the case without consent', async () => {
    const row = await createTracingRequest(deps(), request, { actor: worker, idempotencyKey: 'tracing-request-1' });
    expect(row.data).toMatchObject({ status: 'OPEN', jurisdiction: yesil, createdBy: `user:${worker.kind === 'user' ? worker.id : ''}`, soughtRange: { bornFrom: '2015-11-21', bornTo: '2018-11-20' } });
    // A retry of the same submission is the same request.
    expect((await createTracingRequest(deps(), request, { actor: worker, idempotencyKey: 'tracing-request-1' })).id).toBe(row.id);

    const matches = await findMatches(deps(), row.id, worker, ctx());
    const byKind = (kind: string, id: string) => matches.find((m) => m.kind === kind && m.subjectId === id);
    const theCase = byKind('case', caseWithConsent)!;
    expect(theCase).toMatchObject({ band: 'likely', sought: { role: 'child', givenName: 'Тимур' }, requester: { role: 'mother', givenName: 'Гульнара' } });
    expect(theCase.fields.find((f) => f.field === 'requester_given_name')).toMatchObject({ level: 'transliteration', a: 'Gulnara', b: 'Гульнара' });
    const birth = byKind('birth', birthId)!;
    expect(birth).toMatchObject({ band: 'likely', sought: { role: 'child', surname: 'Алиев', dateOfBirth: '2017-05-10' }, requester: { role: 'mother', surname: 'Алиева' } });
    expect(birth.fields.find((f) => f.field === 'sought_age')?.level).toBe('within');
    expect(byKind('case', caseWithoutConsent)).toBeUndefined();
    expect(matches.every((m) => m.subjectId !== row.id)).toBe(true);
    expect(matches).toHaveLength(2);

    const lines = await queryAudit(db, { targetId: row.id, limit: 10 });
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(['protection_tracing_read', 'protection_tracing_matched']));
    expect(lines.find((l) => l.event === 'protection_tracing_matched')?.details).toEqual({ matches: 2 });
  });

  it('shows a request only to those who need to know: another worker of the district gets 404, and the refusal is audited', async () => {
    const row = await createTracingRequest(deps(), request, { actor: worker });
    expect(await code(readTracing(deps(), row.id, otherWorker, ctx()))).toEqual({ code: 'not_found', field: 'id' });
    expect(await code(findMatches(deps(), row.id, otherWorker, ctx()))).toEqual({ code: 'not_found', field: 'id' });
    expect(await code(readTracing(deps(), row.id, supervisor(almaty), ctx()))).toEqual({ code: 'not_found', field: 'id' });
    // The same answer as for a request that does not exist.
    expect(await code(readTracing(deps(), '00000000-0000-7000-8000-000000000000', otherWorker, ctx()))).toEqual({ code: 'not_found', field: 'id' });
    const denied = await queryAudit(db, { targetId: row.id, event: 'access_denied', limit: 10 });
    expect(denied.map((l) => l.actorId)).toEqual(expect.arrayContaining([otherWorker.kind === 'user' ? otherWorker.id : '']));
    expect(denied.length).toBeGreaterThanOrEqual(3);
    // The region's supervisor supervises it; once assigned, the other worker works on it.
    expect((await readTracing(deps(), row.id, supervisor(astana), ctx())).access).toBe('supervise');
    await actOnTracing(deps(), row.id, { type: 'ASSIGN', userId: `user:${otherWorker.kind === 'user' ? otherWorker.id : ''}` }, { actor: supervisor(astana) });
    expect((await readTracing(deps(), row.id, otherWorker, ctx())).access).toBe('work');
    // Lists: names only for those who work on a request.
    const mine = await listTracing(deps(), otherWorker, { limit: 50 }, ctx());
    expect(mine.items.find((i) => i.id === row.id)?.sought).toEqual({ surname: 'Aliyev', givenName: 'Timur' });
    const supervised = await listTracing(deps(), supervisor(astana), { limit: 50 }, ctx());
    expect(supervised.items.find((i) => i.id === row.id)).toMatchObject({ sought: null, requester: null });
  });

  it('matches two families looking for each other, until one withdraws its consent: then at once no more', async () => {
    const mother = await createTracingRequest(deps(), request, { actor: worker });
    const son = await createTracingRequest(
      deps(),
      { requester: { surname: 'Алиев', givenName: 'Тимур', relation: 'child' }, sought: { surname: 'Алиева', givenName: 'Гульнара', sex: 'female' }, consent: { givenBy: { name: 'Тимур Алиев', relation: 'self' } } },
      { actor: otherWorker },
    );
    const before = await findMatches(deps(), mother.id, worker, ctx());
    expect(before.find((m) => m.subjectId === son.id)).toMatchObject({ kind: 'tracing', band: 'likely', sought: { role: 'requester' }, requester: { role: 'sought' } });
    // From the son's side: his own birth, with his mother.
    const fromSon = await findMatches(deps(), son.id, otherWorker, ctx());
    expect(fromSon.find((m) => m.subjectId === birthId)).toMatchObject({ kind: 'birth', sought: { role: 'mother' }, requester: { role: 'child' } });

    await actOnTracing(deps(), son.id, { type: 'WITHDRAW_CONSENT', reason: 'the family asked to stop' }, { actor: otherWorker });
    const after = await findMatches(deps(), mother.id, worker, ctx());
    expect(after.find((m) => m.subjectId === son.id)).toBeUndefined();
    expect(await code(findMatches(deps(), son.id, otherWorker, ctx()))).toEqual({ code: 'conflict', field: 'consent' });
    expect(await code(actOnTracing(deps(), son.id, { type: 'CONTACT', note: 'called' }, { actor: otherWorker }))).toMatchObject({ code: 'action_not_allowed' });
    // A match that is no longer there cannot be confirmed.
    expect(await code(actOnTracing(deps(), mother.id, { type: 'CONFIRM_MATCH', kind: 'tracing', subjectId: son.id }, { actor: worker }))).toEqual({ code: 'conflict', field: 'subjectId' });
  });

  it('walks a confirmed match through contact, verification and assessment to the reunification', async () => {
    const row = await createTracingRequest(deps(), request, { actor: worker });
    expect(await code(actOnTracing(deps(), row.id, { type: 'CONTACT', note: 'too early' }, { actor: worker }))).toMatchObject({ code: 'action_not_allowed' });
    let r = await actOnTracing(deps(), row.id, { type: 'CONFIRM_MATCH', kind: 'case', subjectId: caseWithConsent }, { actor: worker, expectedVersion: 1 });
    expect(r.data.matches[0]).toMatchObject({ kind: 'case', subjectId: caseWithConsent, person: 0, status: 'confirmed' });
    expect(r.data.matches[0]!.score).toBeGreaterThan(18);
    r = await actOnTracing(deps(), row.id, { type: 'REJECT_MATCH', kind: 'birth', subjectId: birthId, reason: 'another Timur' }, { actor: worker });
    expect(await code(actOnTracing(deps(), row.id, { type: 'CONTACT', note: 'stale' }, { actor: worker, expectedVersion: 1 }))).toMatchObject({ code: 'version_conflict' });
    r = await actOnTracing(deps(), row.id, { type: 'CONTACT', note: 'met the mother at the office' }, { actor: worker });
    expect(await code(actOnTracing(deps(), row.id, { type: 'REUNIFY', on: '2026-11-20', note: 'too early' }, { actor: worker }))).toMatchObject({ code: 'action_not_allowed' });
    r = await actOnTracing(deps(), row.id, { type: 'VERIFY_RELATIONSHIP', method: 'documents', outcome: 'confirmed', note: 'birth certificate matches' }, { actor: worker });
    expect(r.status).toBe('VERIFIED');
    r = await actOnTracing(deps(), row.id, { type: 'ASSESS_FAMILY', outcome: 'suitable', note: 'home visit' }, { actor: worker });
    expect(r.status).toBe('ASSESSED');
    expect(await code(actOnTracing(deps(), row.id, { type: 'REUNIFY', on: '2026-12-01', note: 'planned' }, { actor: worker }))).toEqual({ code: 'validation_failed', field: 'on' });
    // Not on a case the actor does not work on: a colleague assigned to the request, not to the case.
    await actOnTracing(deps(), row.id, { type: 'ASSIGN', userId: `user:${otherWorker.kind === 'user' ? otherWorker.id : ''}` }, { actor: worker });
    expect(await code(actOnTracing(deps(), row.id, { type: 'REUNIFY', caseId: caseWithConsent, on: '2026-11-20', note: 'x' }, { actor: otherWorker }))).toEqual({ code: 'not_found', field: 'caseId' });
    r = await actOnTracing(deps(), row.id, { type: 'REUNIFY', caseId: caseWithConsent, on: '2026-11-20', note: 'Timur is home' }, { actor: worker });
    expect(r.data).toMatchObject({ status: 'REUNIFIED', reunification: { on: '2026-11-20', caseId: caseWithConsent } });
    // Recorded on the case in the same transaction.
    const theCase = await readCase(deps(), caseWithConsent, worker, ctx());
    expect(theCase.row.data.reunifications).toEqual([expect.objectContaining({ tracingId: row.id, on: '2026-11-20', relation: 'mother' })]);
    // A family found is no longer anyone's match.
    const { rows } = await db.query<{ consent: boolean }>('SELECT consent FROM protection_people WHERE subject_id = $1', [row.id]);
    expect(rows.map((x) => x.consent)).toEqual([false, false]);
    r = await actOnTracing(deps(), row.id, { type: 'CLOSE', reason: 'reunified' }, { actor: worker });
    expect(r.status).toBe('CLOSED');
  });
});
