import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import { findRecord, listActions } from '../../src/core/action-log/record-store.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import type { BidState } from '../../src/protection/bid-record.ts';
import { actOnBid, type BidActionInput, bidHistory, bidsOfCase, conveneBid, listBids, readBid } from '../../src/protection/bids.ts';
import { type CaseState, openCase } from '../../src/protection/cases.ts';
import type { ProtectionDeps } from '../../src/protection/deps.ts';
import { caseWorker, districtRegistrar, panelMember, protectionDeps, supervisor } from '../support/protection.ts';
import { openTestDb } from '../support/db.ts';

/**
 * The best-interests determination of an unaccompanied child, through the use cases: a panel of
 * three of different professions, each signing the undertaking, the child's views, the options with
 * their evidence, deliberation, votes, a decision with one dissent, review, reopening and appeal.
 */
let db: Db;
let deps: ProtectionDeps;
const clock = fixedClock('2026-03-02T06:00:00Z');
const ctx = { clock, clientAddress: null, requestId: null };
const worker = caseWorker(1);
const otherWorker = caseWorker(2);
const boss = supervisor();
let social: Actor;
let lawyer: Actor;
let psychologist: Actor;
let health: Actor;
let caseId: string;

/** A panel member who exists as a user (the use case looks members up). */
async function member(profession: string): Promise<Actor> {
  const user = await db.transaction((tx) =>
    createUser(tx, loadRoles('kz'), { username: `panel.${profession}`, displayName: `Panel ${profession}`, jurisdiction: '710000000', roles: ['protection_supervisor'], password: 'panel member test password' }, ctx),
  );
  return { ...panelMember(profession), id: user.id, username: user.username } as Actor;
}

const seat = (actor: Actor, profession: string) => ({ userId: actor.id, profession });
const as = (actor: Actor, key?: string) => ({ actor, idempotencyKey: key });
const act = (id: string, actor: Actor, body: BidActionInput, key?: string) => actOnBid(deps, id, body, as(actor, key));

beforeAll(async () => {
  db = await openTestDb();
  deps = protectionDeps(db, clock);
  social = await member('social_work');
  lawyer = await member('law');
  psychologist = await member('psychology');
  health = await member('health');
  const opened = await openCase(
    deps,
    {
      kind: 'unaccompanied',
      risk: 'high',
      child: { surname: 'Алиев', givenName: 'Тимур', languages: ['ru', 'uz'], approximateAge: { years: 12, estimatedBy: 'statement' }, countryOfOrigin: 'UZB', identityAsStated: true },
      separation: { where: 'Astana railway station', documentsHeld: [], parents: [{ role: 'mother', givenName: 'Гульнара', whereabouts: 'unknown' }], siblings: [] },
    },
    { actor: worker },
  );
  caseId = opened.id;
});
afterAll(() => db.close());

async function caseBids() {
  return (await findRecord<CaseState & Record<string, never>>(db, caseId))!.data.bids;
}

describe("an unaccompanied child's best-interests determination", () => {
  let bidId: string;

  it('refuses a panel of fewer than three, or of two members of one profession', async () => {
    await expect(conveneBid(deps, caseId, { question: 'durable_solution', panel: [seat(social, 'social_work'), seat(lawyer, 'law')] }, as(worker))).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'panel' } });
    await expect(
      conveneBid(deps, caseId, { question: 'durable_solution', panel: [seat(social, 'social_work'), seat(lawyer, 'law'), seat(psychologist, 'law')] }, as(worker)),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'panel[2].profession' } });
    await expect(
      conveneBid(deps, caseId, { question: 'durable_solution', panel: [seat(social, 'social_work'), seat(lawyer, 'law'), { userId: '00000000-0000-7000-8000-000000000001', profession: 'health' }] }, as(worker)),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'panel[2].userId' } });
    // Nobody but the owner or the supervisor convenes; someone with no access to the case gets 404.
    await expect(conveneBid(deps, caseId, { question: 'durable_solution', panel: [seat(social, 'social_work'), seat(lawyer, 'law'), seat(psychologist, 'psychology')] }, as(otherWorker))).rejects.toMatchObject({ code: 'not_found' });
    expect(await caseBids()).toEqual([]);
  });

  it('is convened by the case owner with a panel of three, and the case records it', async () => {
    const panel = [seat(social, 'social_work'), seat(lawyer, 'law'), seat(psychologist, 'psychology')];
    const result = await conveneBid(deps, caseId, { question: 'durable_solution', panel }, as(worker, 'convene-bid-1'));
    bidId = result.id;
    expect(result).toMatchObject({ status: 'OPEN', jurisdiction: '711300000', role: { member: false, caseWorker: true }, allowedActions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION'] });
    expect(result.bid.panel.map((m) => m.signedAt)).toEqual([null, null, null]);
    // A retry of the same submission makes no second determination.
    expect((await conveneBid(deps, caseId, { question: 'durable_solution', panel }, as(worker, 'convene-bid-1'))).id).toBe(bidId);
    expect(await caseBids()).toEqual([{ bidId, question: 'durable_solution', status: 'convened', decision: null }]);
  });

  it('counts nothing a member does before they sign the undertaking', async () => {
    await expect(act(bidId, psychologist, { type: 'VOTE', option: 'return', reasons: 'x' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'undertaking' } });
    await expect(act(bidId, psychologist, { type: 'DELIBERATE', note: 'x' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'undertaking' } });
    for (const m of [social, lawyer, psychologist]) await act(bidId, m, { type: 'SIGN_UNDERTAKING' });
    await expect(act(bidId, social, { type: 'SIGN_UNDERTAKING' })).rejects.toMatchObject({ code: 'conflict' });
    // Someone who is not on the panel cannot sign themself onto it.
    await expect(act(bidId, health, { type: 'SIGN_UNDERTAKING' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gathers the options, the parents’ views and the deliberation; only the panel votes', async () => {
    await act(bidId, worker, { type: 'ADD_OPTION', option: 'family_reunification', evidence: 'the mother was traced to Tashkent; home visit report' });
    await act(bidId, worker, { type: 'ADD_OPTION', option: 'local_integration', evidence: 'school place and foster family available' });
    await expect(act(bidId, worker, { type: 'ADD_OPTION', option: 'astrology', evidence: 'x' })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'option' } });
    await act(bidId, worker, { type: 'PARENT_VIEWS', who: 'mother (by telephone)', views: 'wants him home' });
    await act(bidId, lawyer, { type: 'DELIBERATE', note: 'the mother’s situation is stable; the child is afraid of the journey' });
    await expect(act(bidId, worker, { type: 'VOTE', option: 'local_integration', reasons: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(act(bidId, social, { type: 'VOTE', option: 'return', reasons: 'x' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'option' } });
    await act(bidId, social, { type: 'VOTE', option: 'local_integration', reasons: 'first thought' });
    // A member may change their vote before the decision: the latest counts.
    await act(bidId, social, { type: 'VOTE', option: 'family_reunification', reasons: 'the family is able to care for him' });
    await act(bidId, lawyer, { type: 'VOTE', option: 'family_reunification', reasons: 'the right to family life' });
    await act(bidId, psychologist, { type: 'VOTE', option: 'local_integration', reasons: 'the child fears going back and is settled at school' });
  });

  it("refuses the decision until the child's views are recorded, then decides by the majority with the dissent", async () => {
    const decide = { type: 'DECIDE', option: 'family_reunification', reasons: 'the mother can care for him; reunification with support', reviewOn: '2026-09-01' } as const;
    await expect(act(bidId, social, decide)).rejects.toMatchObject({ code: 'conflict', details: { field: 'childViews' } });
    await act(bidId, worker, { type: 'CHILD_VIEWS', childViews: { heard: true, language: 'uz', views: 'misses his mother, afraid of the journey', ageAndMaturity: 'about 12, understands the choices' } });
    await expect(act(bidId, social, { ...decide, option: 'local_integration' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'option' } });
    await expect(act(bidId, worker, decide)).rejects.toMatchObject({ code: 'forbidden' });
    const decided = await act(bidId, social, decide, 'decide-1');
    expect(decided.status).toBe('DECIDED');
    expect(decided.bid.decision).toMatchObject({
      option: 'family_reunification',
      reviewOn: '2026-09-01',
      by: `user:${social.id}`,
      tally: [{ option: 'family_reunification', votes: 2 }, { option: 'local_integration', votes: 1 }],
      dissent: [{ member: `user:${psychologist.id}`, option: 'local_integration', reasons: 'the child fears going back and is settled at school' }],
    });
    // A retry writes nothing more.
    await act(bidId, social, decide, 'decide-1');
    expect((await listActions(db, bidId)).filter((a) => a.type === 'DECIDE')).toHaveLength(1);
    expect(await caseBids()).toEqual([{ bidId, question: 'durable_solution', status: 'decided', decision: 'family_reunification' }]);
  });

  it('shows the deliberations and votes to the panel and the supervisor only; nobody else sees it at all', async () => {
    const forWorker = await readBid(deps, bidId, worker, ctx);
    expect(forWorker.bid).toMatchObject({ deliberations: null, votes: null, decision: { dissent: [{ reasons: 'the child fears going back and is settled at school' }] } });
    expect((await bidHistory(deps, bidId, worker, ctx)).map((s) => s.type)).not.toContain('VOTE');
    for (const reader of [boss, lawyer]) {
      const full = await readBid(deps, bidId, reader, ctx);
      expect(full.bid.deliberations).toHaveLength(1);
      expect(full.bid.votes).toHaveLength(3);
    }
    expect((await bidHistory(deps, bidId, boss, ctx)).filter((s) => s.type === 'VOTE')).toHaveLength(4);
    await expect(readBid(deps, bidId, otherWorker, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(readBid(deps, bidId, health, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(readBid(deps, bidId, districtRegistrar(), ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(bidsOfCase(deps, caseId, otherWorker, ctx)).rejects.toMatchObject({ code: 'not_found' });
    expect((await bidsOfCase(deps, caseId, worker, ctx)).map((b) => b.bid.votes)).toEqual([null]);
  });

  it('lists the determination for its members and the supervisor, not for others', async () => {
    const mine = await listBids(deps, lawyer, { limit: 10 }, ctx);
    expect(mine.items).toMatchObject([{ id: bidId, caseId, as: 'member', signedByMe: true, decision: 'family_reunification', panelSize: 3, signed: 3 }]);
    expect((await listBids(deps, boss, { limit: 10 }, ctx)).items).toMatchObject([{ id: bidId, as: 'supervisor', signedByMe: null }]);
    expect((await listBids(deps, health, { limit: 10 }, ctx)).items).toEqual([]);
    expect((await listBids(deps, otherWorker, { limit: 10 }, ctx)).items).toEqual([]);
  });

  it('is reviewed and reopened for a new round, decided again, then appealed and upheld', async () => {
    await expect(act(bidId, worker, { type: 'REVIEW', outcome: 'reopened', reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const reopened = await act(bidId, boss, { type: 'REVIEW', outcome: 'reopened', reason: 'the mother moved; the home visit is out of date' });
    expect(reopened).toMatchObject({ status: 'OPEN', bid: { round: 2, votes: [], decision: null, pastDecisions: [{ option: 'family_reunification', round: 1 }] } });
    expect((await caseBids())[0]).toMatchObject({ status: 'reopened', decision: null });
    await expect(act(bidId, social, { type: 'DECIDE', option: 'local_integration', reasons: 'r', reviewOn: '2026-12-01' })).rejects.toMatchObject({ code: 'conflict', details: { field: 'votes' } });
    for (const m of [social, lawyer, psychologist]) await act(bidId, m, { type: 'VOTE', option: 'local_integration', reasons: 'the family could not be found again' });
    const again = await act(bidId, boss, { type: 'DECIDE', option: 'local_integration', reasons: 'unanimous', reviewOn: '2026-12-01' });
    expect(again.bid.decision).toMatchObject({ option: 'local_integration', dissent: [], round: 2 });
    await act(bidId, worker, { type: 'APPEAL', by: 'guardian', grounds: 'the aunt in Almaty was not considered' });
    await expect(act(bidId, worker, { type: 'APPEAL_DECIDED', outcome: 'upheld', reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const upheld = await act(bidId, boss, { type: 'APPEAL_DECIDED', outcome: 'upheld', reason: 'the aunt declined to care for him' });
    expect(upheld).toMatchObject({ status: 'DECIDED', bid: { appeals: [{ by: 'guardian', outcome: 'upheld' }] } });
    expect(await caseBids()).toEqual([{ bidId, question: 'durable_solution', status: 'decided', decision: 'local_integration' }]);
    const bid = (await findRecord<BidState & Record<string, never>>(db, bidId))!;
    expect(bid.version).toBe((await listActions(db, bidId)).length);
  });

  it('audits every read, and every refused read of an existing determination', async () => {
    const { rows } = await db.query<{ actor_id: string; event: string; outcome: string }>(
      "SELECT actor_id, event, outcome FROM access_audit WHERE target_id = $1 ORDER BY seq",
      [bidId],
    );
    expect(rows.filter((r) => r.event === 'protection_bid_read').map((r) => r.actor_id)).toEqual([worker.id, worker.id, boss.id, lawyer.id, boss.id]);
    expect(rows.filter((r) => r.event === 'access_denied')).toEqual([
      { actor_id: otherWorker.id, event: 'access_denied', outcome: 'denied' },
      { actor_id: health.id, event: 'access_denied', outcome: 'denied' },
    ]);
  });
});
