import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/access/audit.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { flagOverdueNotifications } from '../../src/births/reminders.ts';
import { declareBirth, notifyBirth, recordEvidenceSeen, registerBirth, validateBirth } from '../../src/births/workflow.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { startWorker } from '../../src/core/jobs/worker.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { listReferrals, readReferral, referralDeadlineHandler, referralDeadlineJob, referralsOfRecord } from '../../src/protection/referrals.ts';
import { birthDeps, facilityDeclaration, helperRegistrar } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { almaty, caseWorker, districtRegistrar, protectionDeps, supervisor } from '../support/protection.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const ctx: RequestContext = { clock, clientAddress: null, requestId: 'test' };
const registrar = helperRegistrar();

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(() => db.close());

/** A child of an undocumented mother with no document, no father: the law gives no nationality. */
function undocumentedMother(): Declaration {
  const base = facilityDeclaration();
  return {
    ...base,
    path: 'mother_without_documents',
    mother: { givenName: base.mother!.givenName, surname: base.mother!.surname, age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
    father: undefined,
    maritalStatus: 'unknown',
    parentage: 'not_established',
    documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
  };
}

describe('screening at registration refers flagged children to protection', () => {
  it('refers an undocumented mother’s child at declaration, and the statelessness risk at registration, each with its deadline, in the action’s transaction', async () => {
    const deps = birthDeps(db, clock);
    const { record } = await declareBirth(deps, undocumentedMother(), { actor: registrar });
    let referrals = await referralsOfRecord(db, record.id);
    expect(referrals).toHaveLength(1);
    expect(referrals[0]).toMatchObject({ stage: 'declaration', risk: 'medium', status: 'open', jurisdiction: '711300000', flags: [{ code: 'mother_undocumented', risk: 'medium' }, { code: 'foreign_parents_no_residence', risk: 'medium' }] });
    expect(referrals[0]!.dueAt.toISOString()).toBe('2026-03-05T06:00:00.000Z');

    for (const type of ['medical_birth_certificate', 'mother_identity_statement']) await recordEvidenceSeen(deps, record.id, { type }, { actor: registrar });
    await validateBirth(deps, record.id, { actor: registrar });
    clock.advance(3_600_000);
    const registered = await registerBirth(deps, record.id, { actor: registrar });
    expect(registered.status).toBe('REGISTERED');
    expect(registered.data.registration?.citizenship.result).toBe('undetermined');
    referrals = await referralsOfRecord(db, record.id);
    expect(referrals).toHaveLength(2);
    expect(referrals[1]).toMatchObject({ stage: 'registration', risk: 'high', flags: [{ code: 'statelessness_risk', risk: 'high' }] });
    expect(referrals[1]!.dueAt.toISOString()).toBe('2026-03-03T07:00:00.000Z');
    // The same transaction: the referral was written at the registration's instant, with its event and its deadline job.
    const { rows: action } = await db.query<{ at: Date }>("SELECT at FROM record_actions WHERE record_id = $1 AND type = 'REGISTER'", [record.id]);
    expect(referrals[1]!.createdAt.getTime()).toBe(action[0]!.at.getTime());
    const { rows: events } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE kind = 'protection.referred' AND payload->>'recordId' = $1", [record.id]);
    expect(events[0]!.n).toBe(2);
    const { rows: jobs } = await db.query<{ runAt: Date }>('SELECT run_at AS "runAt" FROM jobs WHERE kind = $1 AND payload->>\'referralId\' = $2', [referralDeadlineJob, referrals[1]!.id]);
    expect(jobs[0]!.runAt.getTime()).toBe(referrals[1]!.dueAt.getTime());
  });

  it('writes nothing of the registration when the referral cannot be written (one transaction)', async () => {
    const deps = birthDeps(db, clock);
    const { record } = await declareBirth(deps, undocumentedMother(), { actor: registrar });
    for (const type of ['medical_birth_certificate', 'mother_identity_statement']) await recordEvidenceSeen(deps, record.id, { type }, { actor: registrar });
    await validateBirth(deps, record.id, { actor: registrar });
    await db.exec(`CREATE FUNCTION refuse_referral() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'referrals are down'; END $$;
      CREATE TRIGGER refuse_referral BEFORE INSERT ON protection_referrals FOR EACH ROW EXECUTE FUNCTION refuse_referral();`);
    try {
      await expect(registerBirth(deps, record.id, { actor: registrar })).rejects.toThrow();
    } finally {
      await db.exec('DROP TRIGGER refuse_referral ON protection_referrals; DROP FUNCTION refuse_referral();');
    }
    const { rows } = await db.query<{ status: string }>('SELECT status FROM records WHERE id = $1', [record.id]);
    expect(rows[0]!.status).toBe('VALIDATED');
    const registered = await registerBirth(deps, record.id, { actor: registrar });
    expect(registered.status).toBe('REGISTERED');
    expect((await referralsOfRecord(db, record.id)).map((r) => r.stage).sort()).toEqual(['declaration', 'registration']);
  });

  it('raises nothing for citizen parents on time', async () => {
    const deps = birthDeps(db, clock);
    const { record } = await declareBirth(deps, facilityDeclaration(), { actor: registrar });
    expect(await referralsOfRecord(db, record.id)).toEqual([]);
  });

  it('refers a notified birth never declared past the legal period, once', async () => {
    const deps = birthDeps(db, clock);
    const notified = await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: '2026-02-20', plurality: 1, birthOrder: 1 } }, { actor: { kind: 'system', id: 'system' } });
    expect(await referralsOfRecord(db, notified.id)).toEqual([]);
    await flagOverdueNotifications(deps);
    await flagOverdueNotifications(deps);
    const referrals = await referralsOfRecord(db, notified.id);
    expect(referrals.map((r) => [r.stage, r.risk, r.flags.map((f) => f.code)])).toEqual([['overdue', 'low', ['notified_not_declared']]]);
  });

  it('escalates a referral nobody acknowledged by its deadline, when the clock passes it', async () => {
    const deps = birthDeps(db, clock);
    const { record } = await declareBirth(deps, undocumentedMother(), { actor: registrar });
    const [referral] = await referralsOfRecord(db, record.id);
    const worker = startWorker(db, { handlers: { [referralDeadlineJob]: referralDeadlineHandler(protectionDeps(db, clock)) }, clock });
    await worker.runOnce();
    expect((await referralsOfRecord(db, record.id))[0]!.escalatedAt).toBeNull();
    clock.set(new Date(referral!.dueAt.getTime() + 60_000));
    expect(await worker.runOnce()).toBeGreaterThan(0);
    const escalated = (await referralsOfRecord(db, record.id))[0]!;
    expect(escalated.escalatedAt?.toISOString()).toBe(clock.now().toISOString());
    const overdue = await listReferrals(db, supervisor(), { overdue: true, limit: 100 }, ctx);
    expect(overdue.items.map((r) => r.id)).toContain(referral!.id);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE kind = 'protection.referral_escalated' AND payload->>'referralId' = $1", [referral!.id]);
    expect(rows[0]!.n).toBe(1);
    await worker.stop();
  });

  it('shows the inbox to protection of the child’s jurisdiction only, and audits each read', async () => {
    const deps = birthDeps(db, clock);
    const { record } = await declareBirth(deps, undocumentedMother(), { actor: registrar });
    const [referral] = await referralsOfRecord(db, record.id);
    const mine = await listReferrals(db, caseWorker(), { status: 'all', limit: 100 }, ctx);
    expect(mine.items.map((r) => r.id)).toContain(referral!.id);
    const elsewhere = await listReferrals(db, caseWorker(1, almaty), { status: 'all', limit: 100 }, ctx);
    expect(elsewhere.items.map((r) => r.id)).not.toContain(referral!.id);
    await expect(readReferral(db, caseWorker(1, almaty), referral!.id, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(listReferrals(db, districtRegistrar(), { limit: 10 }, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await readReferral(db, caseWorker(), referral!.id, ctx)).recordId).toBe(record.id);
    const { rows } = await db.query<{ event: string; outcome: string }>('SELECT event, outcome FROM access_audit WHERE target_id = $1 ORDER BY seq', [referral!.id]);
    expect(rows).toEqual([{ event: 'access_denied', outcome: 'denied' }, { event: 'protection_referral_read', outcome: 'success' }]);
    // Pages follow the deadline order without repeats.
    const first = await listReferrals(db, supervisor(), { status: 'all', limit: 2 }, ctx);
    const second = await listReferrals(db, supervisor(), { status: 'all', limit: 2, cursor: first.nextCursor! }, ctx);
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0]!.id);
    expect(first.items[1]!.dueAt.getTime()).toBeLessThanOrEqual(second.items[0]!.dueAt.getTime());
  });
});
