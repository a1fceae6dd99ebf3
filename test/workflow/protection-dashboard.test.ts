import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit, type RequestContext } from '../../src/access/audit.ts';
import type { Actor } from '../../src/access/policy.ts';
import { loadRoles, scopesOf } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { actOnBid, conveneBid } from '../../src/protection/bids.ts';
import type { CaseActionInput } from '../../src/protection/case-inputs.ts';
import { actOnCase, type CaseRow, openCase } from '../../src/protection/cases.ts';
import { readDashboard } from '../../src/protection/dashboard.ts';
import type { ProtectionDeps } from '../../src/protection/deps.ts';
import { referBirth, referralDeadlineHandler, type Referral } from '../../src/protection/referrals.ts';
import { reportColumns } from '../../src/protection/report-rules.ts';
import { protectionCounts, protectionCountsCsv } from '../../src/protection/reports.ts';
import { birthDeps, makeBirth } from '../support/births.ts';
import { openTestDb } from '../support/db.ts';
import { almaty, astana, caseWorker, panelMember, protectionDeps, supervisor, yesil } from '../support/protection.ts';

/**
 * The supervisor's dashboard and the counts report, on a real database: a few births registered in
 * Astana and one in Almaty, referrals, cases (one contacted in time, one overdue, one referred to
 * legal aid with a decided BID), then the figures each reader sees, and the suppressed cells.
 */
let db: Db;
const clock = fixedClock('2026-03-02T06:00:00Z');
let deps: ProtectionDeps;
const ctx: RequestContext = { clock, clientAddress: null, requestId: null };
const almatyDistrict = '751300000';
const roles = loadRoles('kz');

const worker1 = caseWorker(1);
let worker2: Actor;
const almatyWorker = caseWorker(9, almatyDistrict);
const boss = supervisor(astana);
const almatyBoss = supervisor(almaty);
const national: Actor = { ...supervisor(astana, 7), jurisdiction: null } as Actor;

const act = (id: string, actor: Actor, input: CaseActionInput) => actOnCase(deps, id, input, { actor, ctx });

async function user(name: string, role: string, jurisdiction: string): Promise<Actor> {
  const made = await db.transaction((tx) => createUser(tx, roles, { username: name, displayName: `Name of ${name}`, jurisdiction, officeId: 'kz-rgo-71-01', roles: [role], password: 'protection dashboard test password' }, ctx));
  return { kind: 'user', id: made.id, username: name, roles: [role], scopes: scopesOf(roles, [role]), jurisdiction, officeId: 'kz-rgo-71-01', sessionId: `s-${name}` };
}

async function refer(birthId: string): Promise<Referral> {
  const { rows } = await db.query<{ jurisdiction: string }>('SELECT jurisdiction FROM records WHERE id = $1', [birthId]);
  const made = await db.transaction((tx) =>
    referBirth(tx, clock, deps.settings, { recordId: birthId, jurisdiction: rows[0]!.jurisdiction, stage: 'registration', on: '2026-03-02', child: { dateOfBirth: '2026-02-28' }, citizenship: 'undetermined' }),
  );
  return made!;
}

const births: string[] = [];
let caseA: CaseRow;
let caseB: CaseRow;
let caseC: CaseRow;
let escalated: Referral;

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  deps = protectionDeps(db, clock);
  worker2 = await user('dash.worker2', 'case_worker', yesil);
  for (let i = 0; i < 6; i++) births.push(await makeBirth(birthDeps(db, clock), 'kz-hf-71-001', 'registered'));
  const almatyBirth = await makeBirth(birthDeps(db, clock), 'kz-hf-75-001', 'registered');
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM protection_referrals');
  expect(rows[0]!.n).toBe(0);

  // Case A: contacted two hours after the flag (within the 24-hour deadline of a high risk).
  caseA = await openCase(deps, { referralId: (await refer(births[0]!)).id }, { actor: worker1 });
  clock.advance(2 * 3_600_000);
  caseA = await act(caseA.id, worker1, { type: 'CONTACT' });
  // Case B: never contacted.
  caseB = await openCase(deps, { referralId: (await refer(births[1]!)).id }, { actor: worker1 });
  // A referral nobody takes: escalated at its deadline.
  escalated = await refer(births[2]!);
  // Case C: an unaccompanied boy of about nine, referred to legal aid with consent, with a decided BID.
  const opened = await openCase(
    deps,
    { kind: 'unaccompanied', risk: 'medium', child: { surname: 'Алиев', givenName: 'Тимур', sex: 'male', approximateAge: { years: 9, estimatedBy: 'statement' }, languages: ['ru'], identityAsStated: true } },
    { actor: worker2 },
  );
  const assessed = await act(opened.id, worker2, { type: 'ASSESS', kind: 'initial', findings: 'alone at the station', needs: ['shelter'], risk: 'medium' });
  await act(opened.id, boss, { type: 'APPROVE_ASSESSMENT', assessmentId: assessed.data.assessments[0]!.id });
  await act(opened.id, worker2, { type: 'PLAN', goals: ['safe care'], services: [], reviewOn: '2026-06-01' });
  await act(opened.id, boss, { type: 'APPROVE_PLAN' });
  await act(opened.id, worker2, { type: 'GIVE_CONSENT', purpose: 'sharing', agency: 'legal_aid', givenBy: { name: 'the boy himself', relation: 'child' } });
  caseC = await act(opened.id, worker2, { type: 'REFER_SERVICE', agency: 'legal_aid', service: 'asylum counselling' });
  const panel: Actor[] = [];
  for (const profession of ['social_work', 'law', 'psychology']) {
    const made = await db.transaction((tx) => createUser(tx, roles, { username: `dash.panel.${profession}`, displayName: profession, jurisdiction: astana, roles: ['protection_supervisor'], password: 'protection dashboard test password' }, ctx));
    panel.push({ ...panelMember(profession), id: made.id, username: made.username } as Actor);
  }
  const bid = await conveneBid(deps, caseC.id, { question: 'durable_solution', panel: panel.map((m, n) => ({ userId: m.id!, profession: ['social_work', 'law', 'psychology'][n]! })) }, { actor: worker2 });
  for (const m of panel) await actOnBid(deps, bid.id, { type: 'SIGN_UNDERTAKING' }, { actor: m });
  await actOnBid(deps, bid.id, { type: 'ADD_OPTION', option: 'family_reunification', evidence: 'the mother was traced' }, { actor: worker2 });
  await actOnBid(deps, bid.id, { type: 'CHILD_VIEWS', childViews: { heard: true, language: 'ru', views: 'wants to go home', ageAndMaturity: 'about 9' } }, { actor: worker2 });
  for (const m of panel) await actOnBid(deps, bid.id, { type: 'VOTE', option: 'family_reunification', reasons: 'the family can care for him' }, { actor: m });
  await actOnBid(deps, bid.id, { type: 'DECIDE', option: 'family_reunification', reasons: 'unanimous', reviewOn: '2026-09-01' }, { actor: panel[0]! });

  // Almaty: a referral and its case, contacted; none of it is Astana's.
  const almatyCase = await openCase(deps, { referralId: (await refer(almatyBirth)).id }, { actor: almatyWorker });
  await act(almatyCase.id, almatyWorker, { type: 'CONTACT' });

  // A day and more later: case B's first contact is overdue and the untaken referral escalates.
  clock.advance(30 * 3_600_000);
  await referralDeadlineHandler(deps)({ referralId: escalated.id }, undefined as never);
});
afterAll(() => db.close());

describe('the supervisor’s dashboard', () => {
  it('counts the cases, tasks, referrals, determinations, agencies and workers of the reader’s jurisdiction', async () => {
    const d = await readDashboard(deps, boss, ctx);
    const expected = [caseA, caseB, caseC].reduce<Record<string, number>>((m, c) => ({ ...m, [`${c.status}/${c.data.risk}`]: (m[`${c.status}/${c.data.risk}`] ?? 0) + 1 }), {});
    expect(Object.fromEntries(d.casesByStage.map((s) => [`${s.stage}/${s.risk}`, s.count]))).toEqual(expected);
    expect(d.overdueTasks).toBe(1);
    expect(d.escalatedReferrals).toBe(1);
    expect(d.firstContact).toEqual({ count: 1, withinDeadline: 1, medianHours: 2 });
    expect(d.bidOutcomes).toEqual([{ option: 'family_reunification', count: 1 }]);
    expect(d.referralsByAgency).toEqual([{ agency: 'legal_aid', count: 1 }]);
    expect(d.casesPerWorker).toEqual([
      { worker: `user:${worker1.id}`, name: null, count: 2 },
      { worker: `user:${worker2.id}`, name: 'Name of dash.worker2', count: 1 },
    ]);
    expect(JSON.stringify(d)).not.toContain('Тимур');
  });

  it('cuts to the jurisdiction: Almaty’s supervisor sees only Almaty, a national one sees both', async () => {
    const a = await readDashboard(deps, almatyBoss, ctx);
    expect(a.casesByStage.reduce((n, s) => n + s.count, 0)).toBe(1);
    expect(a).toMatchObject({ overdueTasks: 0, escalatedReferrals: 0, firstContact: { count: 1, withinDeadline: 1 }, bidOutcomes: [], referralsByAgency: [] });
    expect(a.casesPerWorker).toEqual([{ worker: `user:${almatyWorker.id}`, name: null, count: 1 }]);
    const n = await readDashboard(deps, national, ctx);
    expect(n.casesByStage.reduce((sum, s) => sum + s.count, 0)).toBe(4);
    expect(n.firstContact.count).toBe(2);
  });

  it('is the supervisor’s only, and every read is audited', async () => {
    await expect(readDashboard(deps, worker1, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    const lines = await queryAudit(db, { event: 'protection_dashboard_read', limit: 100 });
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the counts report', () => {
  const march = { from: '2026-03-01', to: '2026-03-31' };
  const exact = () => ({ ...deps, settings: { ...deps.settings, reports: { minCell: 1 } } });
  const value = (rows: Awaited<ReturnType<typeof protectionCounts>>, measure: string, match: Partial<(typeof rows)[number]> = {}) =>
    rows.filter((r) => r.measure === measure && Object.entries(match).every(([k, v]) => r[k as keyof typeof r] === v)).map((r) => r.value);

  it('counts referrals, cases opened and the headline figures by region and month (exact with a minimum cell of 1)', async () => {
    const rows = await protectionCounts(exact(), boss, march, ctx, 'en');
    expect(new Set(rows.map((r) => r.region))).toEqual(new Set(['71']));
    expect(rows.every((r) => r.period === '2026-03')).toBe(true);
    expect(rows.find((r) => r.region === '71')!.regionName).toMatch(/Astana/);
    const sum = (values: (number | string)[]) => values.reduce<number>((n, v) => n + Number(v), 0);
    expect(sum(value(rows, 'referrals', { breakdown: 'all' }))).toBe(3);
    expect(sum(value(rows, 'referrals', { breakdown: 'risk:high' }))).toBe(3);
    expect(sum(value(rows, 'referrals', { breakdown: 'flag:statelessness_risk' }))).toBe(3);
    expect(sum(value(rows, 'cases_opened', { breakdown: 'all' }))).toBe(3);
    expect(value(rows, 'cases_opened', { breakdown: 'kind:unaccompanied', sex: 'male', ageGroup: '5-9' })).toEqual([1]);
    expect(value(rows, 'cases_closed')).toEqual([]);
    expect(value(rows, 'births_registered')).toEqual([6]);
    expect(value(rows, 'births_flagged')).toEqual([3]);
    expect(value(rows, 'flagged_contacted_within_deadline')).toEqual([1]);
    expect(value(rows, 'share_flagged_percent')).toEqual([50]);
    expect(value(rows, 'share_contacted_within_deadline_percent')).toEqual([33.3]);
  });

  it('suppresses small cells with the pack’s minimum (5): no count 1..4 is written, nor a share of one', async () => {
    const rows = await protectionCounts(deps, boss, march, ctx);
    expect(deps.settings.reports.minCell).toBe(5);
    for (const r of rows) if (typeof r.value === 'number' && !r.measure.startsWith('share_')) expect(r.value === 0 || r.value >= 5, `${r.measure} ${r.breakdown}`).toBe(true);
    expect(value(rows, 'births_registered')).toEqual([6]);
    expect(value(rows, 'births_flagged')).toEqual(['<5']);
    expect(value(rows, 'share_flagged_percent')).toEqual(['']);
    expect(value(rows, 'referrals', { breakdown: 'all' }).every((v) => v === '<5')).toBe(true);
  });

  it('writes CSV with its header, cut to the reader (Almaty sees only region 75), and audits it', async () => {
    const csv = await protectionCountsCsv(deps, almatyBoss, march, ctx, 'en');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(reportColumns.join(','));
    const regions = new Set(lines.slice(1).map((l) => l.split(',')[2]));
    expect(regions).toEqual(new Set(['75']));
    expect(lines.some((l) => l.startsWith('referrals,all,75,') && l.endsWith(',<5'))).toBe(true);
    expect((await queryAudit(db, { event: 'protection_report_read', limit: 100 })).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a case worker, and a period that ends before it begins', async () => {
    await expect(protectionCounts(deps, worker1, march, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(protectionCounts(deps, boss, { from: '2026-03-31', to: '2026-03-01' }, ctx)).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'to' } });
  });
});
