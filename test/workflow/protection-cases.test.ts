import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit, type RequestContext } from '../../src/access/audit.ts';
import type { Actor } from '../../src/access/policy.ts';
import { readRecord } from '../../src/access/records.ts';
import { loadRoles, scopesOf } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import { fold } from '../../src/core/action-log/record-definition.ts';
import { listActions } from '../../src/core/action-log/record-store.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import type { CaseActionInput } from '../../src/protection/case-inputs.ts';
import { actOnCase, agencyReferralHandler, agencyReferralJob, appendCaseAction, type CaseRow, caseRecord, listCases, lockCase, openCase, readCase } from '../../src/protection/cases.ts';
import type { ProtectionDeps } from '../../src/protection/deps.ts';
import { findReferral, referBirth, type Referral } from '../../src/protection/referrals.ts';
import { listTasks } from '../../src/protection/tasks.ts';
import { birthDeps, makeBirth } from '../support/births.ts';
import { openTestDb } from '../support/db.ts';
import { caseWorker, districtRegistrar, protectionDeps, supervisor, yesil } from '../support/protection.ts';

/**
 * Case management through the use cases, on a real database: the walk from a referral to an
 * approved closure, transfers, consent, concurrency, and need to know (with its audit lines).
 */
let db: Db;
const clock = fixedClock('2026-03-02T06:00:00Z');
let deps: ProtectionDeps;
const ctx: RequestContext = { clock, clientAddress: null, requestId: null };
const saryarka = '711400000';

async function referral(): Promise<Referral> {
  const birthId = await makeBirth(birthDeps(db, clock), 'kz-hf-71-001', 'declared');
  const made = await db.transaction((tx) =>
    referBirth(tx, clock, deps.settings, { recordId: birthId, jurisdiction: yesil, stage: 'registration', on: '2026-03-02', child: { dateOfBirth: '2026-02-28' }, citizenship: 'undetermined' }),
  );
  return made!;
}

/** A user in the users table (transfers and assignments look people up), as an Actor with its role's scopes. */
async function realUser(name: string, role: string, jurisdiction: string): Promise<Actor> {
  const roles = loadRoles('kz');
  const user = await db.transaction((tx) => createUser(tx, roles, { username: name, displayName: `Name of ${name}`, jurisdiction, officeId: 'kz-rgo-71-01', roles: [role], password: 'protection cases test password' }, ctx));
  return { kind: 'user', id: user.id, username: name, roles: [role], scopes: scopesOf(roles, [role]), jurisdiction, officeId: 'kz-rgo-71-01', sessionId: `s-${name}` };
}

const act = (id: string, actor: Actor, input: CaseActionInput, key?: string) => actOnCase(deps, id, input, { actor, idempotencyKey: key, ctx });
const child = { surname: 'Алиев', givenName: 'Тимур', sex: 'male' as const, approximateAge: { years: 9, estimatedBy: 'statement' as const }, languages: ['ru', 'tg'], countryOfOrigin: 'TJ', identityAsStated: true };

/** A case taken to IMPLEMENTATION by `worker`, its assessment and plan approved by the supervisor. */
async function implementing(worker: Actor, kind: 'other' | 'unaccompanied' = 'other'): Promise<CaseRow> {
  const opened = await openCase(deps, { kind, child, risk: 'medium' }, { actor: worker });
  const assessed = await act(opened.id, worker, { type: 'ASSESS', kind: 'initial', findings: 'alone at the station', needs: ['shelter'], risk: 'high' });
  await act(opened.id, supervisor(), { type: 'APPROVE_ASSESSMENT', assessmentId: assessed.data.assessments[0]!.id });
  await act(opened.id, worker, { type: 'PLAN', goals: ['safe care'], services: [], reviewOn: '2026-06-01' });
  return act(opened.id, supervisor(), { type: 'APPROVE_PLAN' });
}

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  deps = protectionDeps(db, clock);
});
afterAll(() => db.close());

describe('a case from a referral, all the way to an approved closure', () => {
  const worker = caseWorker(1);
  let ref: Referral;
  let id: string;

  it('opens from the referral: the referral is acknowledged and first contact is due at its deadline', async () => {
    ref = await referral();
    const opened = await openCase(deps, { referralId: ref.id }, { actor: worker, idempotencyKey: 'open-case-1' });
    id = opened.id;
    expect(opened.status).toBe('REGISTERED');
    expect(opened.jurisdiction).toBe(yesil);
    expect(opened.data).toMatchObject({ kind: 'birth_referral', owner: `user:${worker.kind === 'user' && worker.id}`, risk: 'high', birthRecordId: ref.recordId, referralIds: [ref.id] });
    expect(opened.data.tasks).toEqual([expect.objectContaining({ kind: 'first_contact', dueAt: ref.dueAt.toISOString(), status: 'open' })]);
    expect(await findReferral(db, ref.id)).toMatchObject({ status: 'acknowledged', caseId: id });
    // A retry with the same key answers the same case; another open of the referral is refused, naming the case.
    expect((await openCase(deps, { referralId: ref.id }, { actor: worker, idempotencyKey: 'open-case-1' })).id).toBe(id);
    await expect(openCase(deps, { referralId: ref.id }, { actor: caseWorker(2) })).rejects.toMatchObject({ code: 'conflict', details: { caseId: id } });
  });

  it('records first contact on the referral and completes the first-contact task', async () => {
    clock.advance(3_600_000);
    const contacted = await act(id, worker, { type: 'CONTACT', note: 'met the mother at the perinatal centre' });
    expect(contacted.data.contactedAt).toBe(clock.now().toISOString());
    expect(contacted.data.tasks[0]).toMatchObject({ status: 'done' });
    expect((await findReferral(db, ref.id))?.firstContactAt).toEqual(clock.now());
  });

  it('assesses; only a supervisor approves the assessment, which moves the case to planning', async () => {
    const assessed = await act(id, worker, { type: 'ASSESS', kind: 'initial', findings: 'no documents, citizenship undetermined', needs: ['legal status'], risk: 'high' });
    expect(assessed.status).toBe('ASSESSMENT');
    const assessmentId = assessed.data.assessments[0]!.id;
    await expect(act(id, worker, { type: 'APPROVE_ASSESSMENT', assessmentId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(act(id, worker, { type: 'PLAN', goals: ['x'], services: [] })).rejects.toMatchObject({ code: 'action_not_allowed', details: { currentStatus: 'ASSESSMENT' } });
    const approved = await act(id, supervisor(), { type: 'APPROVE_ASSESSMENT', assessmentId });
    expect(approved.status).toBe('PLANNING');
    expect(approved.data.assessments[0]).toMatchObject({ status: 'approved', decidedBy: 'user:supervisor-1-710000000' });
  });

  it('plans; the supervisor approves the plan, which sets a plan review task', async () => {
    const planned = await act(id, worker, { type: 'PLAN', goals: ['citizenship confirmed'], services: [{ agency: 'legal_aid', service: 'citizenship determination', responsible: 'legal aid lawyer', dueOn: '2026-04-01' }], reviewOn: '2026-05-01' });
    expect(planned.data.plan).toMatchObject({ status: 'draft' });
    const approved = await act(id, supervisor(), { type: 'APPROVE_PLAN' });
    expect(approved.status).toBe('IMPLEMENTATION');
    expect(approved.data.tasks).toContainEqual(expect.objectContaining({ kind: 'plan_review', dueOn: '2026-05-01', status: 'open' }));
  });

  it('refuses a referral to legal aid without the family’s consent, and makes it (with an outbox job) with it', async () => {
    await expect(act(id, worker, { type: 'REFER_SERVICE', agency: 'legal_aid', service: 'citizenship determination' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'consent' } });
    await expect(act(id, worker, { type: 'REFER_SERVICE', agency: 'no_such_agency', service: 'x' })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'agency' } });
    await act(id, worker, { type: 'GIVE_CONSENT', purpose: 'sharing', agency: 'legal_aid', givenBy: { name: 'Гүлнар Ахметова', relation: 'mother' } });
    const referred = await act(id, worker, { type: 'REFER_SERVICE', agency: 'legal_aid', service: 'citizenship determination' });
    const service = referred.data.services[0]!;
    expect(service).toMatchObject({ agency: 'legal_aid', status: 'referred', consentId: referred.data.consents[0]!.id });
    const { rows } = await db.query<{ payload: unknown }>('SELECT payload FROM jobs WHERE kind = $1', [agencyReferralJob]);
    expect(rows.map((r) => r.payload)).toEqual([{ caseId: id, serviceId: service.id, agency: 'legal_aid' }]);
    await agencyReferralHandler(deps)({ caseId: id, serviceId: service.id, agency: 'legal_aid' }, { id: 0, kind: agencyReferralJob, payload: null, attempts: 1, maxAttempts: 8 });
    const events = await db.query<{ kind: string }>(`SELECT kind FROM events WHERE kind LIKE 'protection.agency_referral%'`);
    expect(events.rows.map((e) => e.kind)).toEqual(['protection.agency_referral_sent']);
  });

  it('follows up, and refuses to close while tasks are open, listing them', async () => {
    const followed = await act(id, worker, { type: 'FOLLOW_UP', note: 'home visit: the child is well', nextOn: '2026-03-16' });
    expect(followed.status).toBe('FOLLOW_UP');
    const refused = await act(id, worker, { type: 'REQUEST_CLOSURE', reason: 'goals_met' }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'conflict', details: { field: 'tasks' } });
    expect(refused.details.openTasks.map((t: { kind: string }) => t.kind).sort()).toEqual(['follow_up', 'plan_review']);
  });

  it('closes once the tasks are done and the supervisor approves; the state is the fold of its history', async () => {
    const current = (await readCase(deps, id, worker, ctx)).row;
    for (const task of current.data.tasks.filter((t) => t.status === 'open')) await act(id, worker, { type: 'COMPLETE_TASK', taskId: task.id });
    await expect(act(id, worker, { type: 'REQUEST_CLOSURE' })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'reason' } });
    const requested = await act(id, worker, { type: 'REQUEST_CLOSURE', reason: 'goals_met', note: 'citizenship confirmed by the court' });
    expect(requested.status).toBe('CLOSURE_REQUESTED');
    await expect(act(id, worker, { type: 'APPROVE_CLOSURE' })).rejects.toMatchObject({ code: 'forbidden' });
    const closed = await act(id, supervisor(), { type: 'APPROVE_CLOSURE' });
    expect(closed.status).toBe('CLOSED');
    expect(closed.data.closure).toMatchObject({ reason: 'goals_met', approvedBy: 'user:supervisor-1-710000000' });
    const replayed = fold(caseRecord, await listActions(db, id));
    expect(replayed).toEqual(closed.data);
    // Reopening goes back to assessment.
    const reopened = await act(id, worker, { type: 'REOPEN', reason: 'the family moved back' });
    expect(reopened.status).toBe('ASSESSMENT');
  });
});

describe('need to know', () => {
  let id: string;
  const owner = caseWorker(11);

  beforeAll(async () => {
    id = (await openCase(deps, { kind: 'separated', child, risk: 'high' }, { actor: owner })).id;
  });

  it('lets the owner read, with an audit line', async () => {
    const view = await readCase(deps, id, owner, ctx);
    expect(view.access).toBe('work');
    expect(view.allowedActions).toContain('CONTACT');
    expect(view.allowedActions).not.toContain('APPROVE_CLOSURE');
    const lines = await queryAudit(db, { targetId: id, event: 'protection_case_read', limit: 10 });
    expect(lines[0]).toMatchObject({ actorId: owner.kind === 'user' ? owner.id : '', outcome: 'success', targetType: 'protection_case' });
  });

  it('answers a case worker of the same district who is not on the case as if it did not exist, and audits it', async () => {
    const stranger = caseWorker(12);
    const error = await readCase(deps, id, stranger, ctx).catch((e) => e);
    const missing = await readCase(deps, '01890000-0000-7000-8000-000000000000', stranger, ctx).catch((e) => e);
    expect(error).toMatchObject({ code: 'not_found' });
    expect(JSON.stringify({ m: error.message, d: error.details })).toBe(JSON.stringify({ m: missing.message, d: missing.details }));
    await expect(act(id, stranger, { type: 'NOTE', text: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    const denied = await queryAudit(db, { targetId: id, event: 'access_denied', limit: 10 });
    expect(denied.map((l) => l.actorId)).toEqual([stranger.kind === 'user' ? stranger.id : '', stranger.kind === 'user' ? stranger.id : '']);
  });

  it('never shows the case to a registrar of the same district, through any door', async () => {
    const registrar = districtRegistrar(yesil);
    await expect(readCase(deps, id, registrar, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readRecord(db, registrar, id, ctx)).rejects.toMatchObject({ code: 'not_found' });
    const denied = await queryAudit(db, { targetId: id, actorId: registrar.kind === 'user' ? registrar.id : '', event: 'access_denied', limit: 10 });
    expect(denied).toHaveLength(1);
  });

  it('lets the supervisor of the region supervise, and lists names only to who works on the case', async () => {
    expect((await readCase(deps, id, supervisor(), ctx)).access).toBe('supervise');
    await expect(readCase(deps, id, supervisor('750000000'), ctx)).rejects.toMatchObject({ code: 'not_found' });
    const mine = await listCases(deps, owner, { limit: 50 }, ctx);
    expect(mine.items.map((c) => c.id)).toEqual([id]);
    expect(mine.items[0]!.child).toEqual({ surname: 'Алиев', givenName: 'Тимур' });
    const all = await listCases(deps, supervisor(), { limit: 50 }, ctx);
    expect(all.items.map((c) => c.id)).toContain(id);
    expect(all.items.find((c) => c.id === id)!.child).toBeNull();
    expect((await listCases(deps, caseWorker(12), { limit: 50 }, ctx)).items).toEqual([]);
    expect((await listCases(deps, owner, { limit: 50, stage: 'CLOSED' }, ctx)).items).toEqual([]);
  });

  it('lists overdue tasks once the first-contact deadline passes', async () => {
    expect(await listTasks(deps, owner, { overdue: true, limit: 50 }, ctx)).toEqual([]);
    clock.advance(25 * 3_600_000);
    const overdue = await listTasks(deps, owner, { overdue: true, limit: 50 }, ctx);
    expect(overdue).toEqual([expect.objectContaining({ caseId: id, kind: 'first_contact', title: 'first contact', overdue: true })]);
    expect((await listTasks(deps, supervisor(), { overdue: true, limit: 50 }, ctx)).map((t) => t.caseId)).toContain(id);
  });

  it('refuses a stale version, naming the current one (never last-write-wins)', async () => {
    const current = (await readCase(deps, id, owner, ctx)).row;
    await act(id, owner, { type: 'NOTE', text: 'first', expectedVersion: current.version });
    await expect(act(id, owner, { type: 'NOTE', text: 'second, from an offline copy', expectedVersion: current.version })).rejects.toMatchObject({
      code: 'version_conflict',
      details: { currentVersion: current.version + 1 },
    });
  });

  it('lockCase gives other use cases the case at the access they need, and 404 below it', async () => {
    await db.transaction(async (tx) => {
      expect((await lockCase(tx, id, owner, 'work')).id).toBe(id);
    });
    await expect(db.transaction((tx) => lockCase(tx, id, owner, 'supervise'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(db.transaction((tx) => lockCase(tx, id, caseWorker(12), 'read'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('transfers', () => {
  let a: Actor;
  let b: Actor;
  let c: Actor;

  beforeAll(async () => {
    a = await realUser('transfer.a', 'case_worker', yesil);
    b = await realUser('transfer.b', 'case_worker', yesil);
    c = await realUser('transfer.c', 'case_worker', saryarka);
  });

  it('to a colleague: they read it while it waits, and own it once they accept; the team before steps back', async () => {
    const { id } = await openCase(deps, { kind: 'other', child, risk: 'low' }, { actor: a });
    const assigned = await act(id, a, { type: 'ASSIGN', userId: b.kind === 'user' ? b.id : '' });
    expect(assigned.data.workers).toEqual([`user:${b.kind === 'user' && b.id}`]);
    await act(id, a, { type: 'UNASSIGN', userId: b.kind === 'user' ? b.id : '' });
    await expect(readCase(deps, id, b, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(act(id, a, { type: 'TRANSFER', to: { userId: b.kind === 'user' ? b.id : '' } })).rejects.toMatchObject({ details: { field: 'reason' } });
    await act(id, a, { type: 'TRANSFER', to: { userId: b.kind === 'user' ? b.id : '' }, reason: 'caseload' });
    const waiting = await readCase(deps, id, b, ctx);
    expect(waiting.access).toBe('read');
    expect(waiting.allowedActions.sort()).toEqual(['ACCEPT_TRANSFER', 'REFUSE_TRANSFER']);
    expect((await listCases(deps, b, { incoming: true, limit: 10 }, ctx)).items.map((x) => x.id)).toEqual([id]);
    await expect(act(id, b, { type: 'NOTE', text: 'not mine yet' })).rejects.toMatchObject({ code: 'forbidden' });
    const accepted = await act(id, b, { type: 'ACCEPT_TRANSFER' });
    expect(accepted.data.owner).toBe(`user:${b.kind === 'user' && b.id}`);
    expect(accepted.data.transfers[0]).toMatchObject({ status: 'accepted' });
    await expect(readCase(deps, id, a, ctx)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('to another district: its workers may answer; a refusal keeps the case where it was', async () => {
    const { id } = await openCase(deps, { kind: 'other', child, risk: 'low' }, { actor: a });
    await act(id, a, { type: 'TRANSFER', to: { jurisdiction: saryarka }, reason: 'the family moved to Saryarka' });
    expect((await readCase(deps, id, c, ctx)).access).toBe('read');
    await expect(act(id, c, { type: 'REFUSE_TRANSFER' })).rejects.toMatchObject({ details: { field: 'reason' } });
    const refused = await act(id, c, { type: 'REFUSE_TRANSFER', reason: 'the family is not at that address' });
    expect(refused.data.transfers[0]).toMatchObject({ status: 'refused', refusal: 'the family is not at that address' });
    expect(refused.jurisdiction).toBe(yesil);
    await expect(readCase(deps, id, c, ctx)).rejects.toMatchObject({ code: 'not_found' });
    // Asked again, accepted: the case moves to Saryarka with its new owner.
    await act(id, a, { type: 'TRANSFER', to: { jurisdiction: saryarka }, reason: 'confirmed the move' });
    const moved = await act(id, c, { type: 'ACCEPT_TRANSFER' });
    expect(moved.jurisdiction).toBe(saryarka);
    expect(moved.data.owner).toBe(`user:${c.kind === 'user' && c.id}`);
  });
});

describe('consent and the best-interests procedure', () => {
  it('stops sharing at once when the consent is withdrawn, and the pending job withholds it', async () => {
    const worker = caseWorker(21);
    const row = await implementing(worker);
    const given = await act(row.id, worker, { type: 'GIVE_CONSENT', purpose: 'sharing', agency: 'shelter', givenBy: { name: 'the child', relation: 'self' } });
    const consentId = given.data.consents[0]!.id;
    const referred = await act(row.id, worker, { type: 'REFER_SERVICE', agency: 'shelter', service: 'a bed tonight' });
    await act(row.id, worker, { type: 'WITHDRAW_CONSENT', consentId });
    await expect(act(row.id, worker, { type: 'REFER_SERVICE', agency: 'shelter', service: 'another night' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'consent' } });
    const serviceId = referred.data.services[0]!.id;
    await agencyReferralHandler(deps)({ caseId: row.id, serviceId, agency: 'shelter' }, { id: 0, kind: agencyReferralJob, payload: null, attempts: 1, maxAttempts: 8 });
    const { rows } = await db.query<{ payload: { serviceId: string; why: string } }>(`SELECT payload FROM events WHERE kind = 'protection.agency_referral_withheld'`);
    expect(rows.map((r) => r.payload)).toContainEqual(expect.objectContaining({ serviceId, why: 'consent_withdrawn' }));
  });

  it('indexes the people for tracing only with the tracing consent', async () => {
    const worker = caseWorker(22);
    const { id } = await openCase(deps, { kind: 'unaccompanied', child, risk: 'high', separation: { documentsHeld: [], parents: [{ role: 'mother', surname: 'Алиева', givenName: 'Гульнара' }], siblings: [] } }, { actor: worker });
    const consentOf = async () => (await db.query<{ consent: boolean; role: string }>('SELECT consent, role FROM protection_people WHERE subject_id = $1 ORDER BY person', [id])).rows;
    expect(await consentOf()).toEqual([{ consent: false, role: 'child' }, { consent: false, role: 'mother' }]);
    await act(id, worker, { type: 'GIVE_CONSENT', purpose: 'tracing', givenBy: { name: 'Тимур', relation: 'self' } });
    expect((await consentOf()).every((p) => p.consent)).toBe(true);
  });

  it('closes an unaccompanied child’s case only after a BID is decided', async () => {
    const worker = caseWorker(23);
    const row = await implementing(worker, 'unaccompanied');
    const done = (await readCase(deps, row.id, worker, ctx)).row.data.tasks.filter((t) => t.status === 'open');
    for (const task of done) await act(row.id, worker, { type: 'COMPLETE_TASK', taskId: task.id });
    await expect(act(row.id, worker, { type: 'REQUEST_CLOSURE', reason: 'reunified' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'bids' } });
    const bidId = '01890000-0000-7000-8000-0000000000b1';
    await db.transaction((tx) => appendCaseAction(tx, deps, row.id, { type: 'BID_CONVENED', bidId, question: 'durable_solution' }, supervisor()));
    await db.transaction((tx) => appendCaseAction(tx, deps, row.id, { type: 'BID_DECIDED', bidId, option: 'family_reunification' }, supervisor()));
    await db.transaction((tx) => appendCaseAction(tx, deps, row.id, { type: 'REUNIFIED', tracingId: '01890000-0000-7000-8000-0000000000c1', on: '2026-03-05', relation: 'mother' }, worker));
    await expect(act(row.id, worker, { type: 'NOTE', text: 'x' } as CaseActionInput)).resolves.toBeDefined();
    await expect(actOnCase(deps, row.id, { type: 'BID_DECIDED' } as unknown as CaseActionInput, { actor: worker })).rejects.toMatchObject({ code: 'validation_failed' });
    const requested = await act(row.id, worker, { type: 'REQUEST_CLOSURE', reason: 'reunified' });
    expect(requested.data.bids).toEqual([{ bidId, question: 'durable_solution', status: 'decided', decision: 'family_reunification' }]);
    expect(requested.data.reunifications).toHaveLength(1);
  });
});
