import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BidPayload, type BidState, bidRecord, reduceBid, type Vote } from '../../src/protection/bid-record.ts';
import { actorProblem, bidActionsFor, type BidRole, bidViewFor, checkDecision, dissentOf, majorityOf, panelProblem, tallyOf } from '../../src/protection/bid-rules.ts';
import { loadProtectionSettings } from '../../src/protection/settings.ts';

const rules = loadProtectionSettings('kz').bid;
const uid = (n: number) => `user:00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const seat = (n: number, profession: string) => ({ member: uid(n), profession });

describe('panel validity', () => {
  it.each([
    { name: 'three members of three professions', panel: [seat(1, 'social_work'), seat(2, 'law'), seat(3, 'psychology')], field: null },
    { name: 'four members of four professions', panel: [seat(1, 'social_work'), seat(2, 'law'), seat(3, 'psychology'), seat(4, 'health')], field: null },
    { name: 'two members', panel: [seat(1, 'social_work'), seat(2, 'law')], field: 'panel' },
    { name: 'nobody', panel: [], field: 'panel' },
    { name: 'two lawyers', panel: [seat(1, 'social_work'), seat(2, 'law'), seat(3, 'law')], field: 'panel[2].profession' },
    { name: 'a profession the pack does not know', panel: [seat(1, 'social_work'), seat(2, 'law'), seat(3, 'astrology')], field: 'panel[2].profession' },
    { name: 'one person twice', panel: [seat(1, 'social_work'), seat(2, 'law'), seat(1, 'psychology')], field: 'panel[2].member' },
  ])('$name → $field', ({ panel, field }) => {
    expect(panelProblem(panel, rules)?.field ?? null).toBe(field);
  });

  it('accepts exactly the panels of at least minPanel distinct people of distinct known professions', () => {
    const profession = fc.constantFrom(...rules.professions, 'astrology');
    fc.assert(
      fc.property(fc.array(fc.record({ member: fc.integer({ min: 1, max: 8 }).map(uid), profession }), { maxLength: 9 }), (panel) => {
        const valid =
          panel.length >= rules.minPanel &&
          new Set(panel.map((s) => s.member)).size === panel.length &&
          new Set(panel.map((s) => s.profession)).size === panel.length &&
          panel.every((s) => rules.professions.includes(s.profession));
        expect(panelProblem(panel, rules) === null).toBe(valid);
      }),
    );
  });
});

const vote = (n: number, option: string): Vote => ({ member: uid(n), option, reasons: `reasons of ${n}`, at: '2026-03-02T06:00:00.000Z' });

describe('majority and dissent', () => {
  it.each([
    { votes: ['family_reunification', 'family_reunification', 'local_integration'], majority: 'family_reunification' },
    { votes: ['return', 'return', 'return'], majority: 'return' },
    { votes: ['return', 'resettlement', 'local_integration'], majority: null },
    { votes: ['return', 'return', 'resettlement', 'resettlement'], majority: null },
    { votes: ['return', 'return', 'return', 'resettlement'], majority: 'return' },
    { votes: [], majority: null },
  ])('$votes → $majority', ({ votes, majority }) => {
    expect(majorityOf(votes.map((option, i) => vote(i, option)))).toBe(majority);
  });

  const votesArb = fc.array(fc.constantFrom('return', 'resettlement', 'local_integration', 'family_reunification'), { maxLength: 12 }).map((options) => options.map((o, i) => vote(i, o)));

  it('a majority has more than half of the votes, and there is at most one', () => {
    fc.assert(
      fc.property(votesArb, (votes) => {
        const majority = majorityOf(votes);
        const tally = tallyOf(votes);
        expect(tally.reduce((n, t) => n + t.votes, 0)).toBe(votes.length);
        if (majority === null) expect(tally.every((t) => t.votes * 2 <= votes.length)).toBe(true);
        else expect(tally.filter((t) => t.votes * 2 > votes.length).map((t) => t.option)).toEqual([majority]);
      }),
    );
  });

  it('the dissent is every voter of another option, with their reasons; with the majority they make all the votes', () => {
    fc.assert(
      fc.property(votesArb, (votes) => {
        const majority = majorityOf(votes);
        fc.pre(majority !== null);
        const dissent = dissentOf(votes, majority!);
        expect(dissent.every((d) => d.option !== majority && d.reasons === `reasons of ${Number(d.member.slice(-12))}`)).toBe(true);
        expect(dissent.length + votes.filter((v) => v.option === majority).length).toBe(votes.length);
      }),
    );
  });
});

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 6, minute));

function fold(actions: [string, BidPayload][]): BidState {
  let state: BidState | undefined;
  actions.forEach(([actor, payload], i) => {
    state = reduceBid(state, payload, { actor, at: at(i) });
  });
  return state!;
}

const convene: BidPayload = {
  type: 'CONVENE',
  caseId: '00000000-0000-7000-8000-0000000000aa',
  jurisdiction: '711300000',
  question: 'durable_solution',
  panel: [seat(1, 'social_work'), seat(2, 'law'), seat(3, 'psychology')],
};
const sign = (n: number): [string, BidPayload] => [uid(n), { type: 'SIGN_UNDERTAKING' }];
const votes = (n: number, option: string): [string, BidPayload] => [uid(n), { type: 'VOTE', option, reasons: `reasons of ${n}` }];
const childHeard: [string, BidPayload] = [uid(9), { type: 'CHILD_VIEWS', childViews: { heard: true, language: 'ru', views: 'wants to live with an aunt', ageAndMaturity: '12, mature for age' } }];

describe('the reducer and the decision check', () => {
  it('counts only the votes of signed members, and a later vote of a member replaces the earlier', () => {
    const state = fold([['user:x', convene], sign(1), sign(2), votes(1, 'return'), votes(1, 'local_integration'), votes(2, 'local_integration'), votes(3, 'return'), childHeard]);
    expect(state.votes.filter((v) => v.member === uid(1))).toHaveLength(1);
    // Member 3 never signed: 2 counted votes.
    expect(checkDecision(state, 'local_integration', 3)).toMatchObject({ ok: false, problem: { field: 'votes' } });
  });

  it("refuses a decision without the child's views, accepts the reason they could not be heard", () => {
    const voted = fold([['user:x', convene], sign(1), sign(2), sign(3), votes(1, 'return'), votes(2, 'return'), votes(3, 'resettlement')]);
    expect(checkDecision(voted, 'return', 3)).toMatchObject({ ok: false, problem: { field: 'childViews' } });
    const notHeard = reduceBid(voted, { type: 'CHILD_VIEWS', childViews: { heard: false, reasonNotHeard: 'an infant' } }, { actor: uid(9), at: at(30) });
    expect(checkDecision(notHeard, 'return', 3)).toEqual({
      ok: true,
      tally: [{ option: 'return', votes: 2 }, { option: 'resettlement', votes: 1 }],
      dissent: [{ member: uid(3), option: 'resettlement', reasons: 'reasons of 3' }],
    });
    expect(checkDecision(notHeard, 'resettlement', 3)).toMatchObject({ ok: false, problem: { field: 'option' } });
  });

  it('a reopening starts a new round of votes and keeps the decision among the past ones; an upheld appeal stands', () => {
    const decided = fold([
      ['user:x', convene], sign(1), sign(2), sign(3), childHeard, votes(1, 'return'), votes(2, 'return'), votes(3, 'return'),
      [uid(1), { type: 'DECIDE', option: 'return', reasons: 'r', reviewOn: '2026-09-01', dissent: [], tally: [{ option: 'return', votes: 3 }] }],
    ]);
    expect(decided).toMatchObject({ status: 'DECIDED', reviewOn: '2026-09-01', decision: { option: 'return', round: 1 } });
    const upheld = reduceBid(reduceBid(decided, { type: 'APPEAL', by: 'child', grounds: 'g' }, { actor: 'user:w', at: at(40) }), { type: 'APPEAL_DECIDED', outcome: 'upheld', reason: 'u' }, { actor: 'user:s', at: at(41) });
    expect(upheld).toMatchObject({ status: 'DECIDED', decision: { option: 'return' }, appeals: [{ by: 'child', outcome: 'upheld', decidedBy: 'user:s' }] });
    const reopened = reduceBid(upheld, { type: 'REVIEW', outcome: 'reopened', reason: 'new facts' }, { actor: 'user:s', at: at(42) });
    expect(reopened).toMatchObject({ status: 'OPEN', round: 2, votes: [], decision: null, pastDecisions: [{ option: 'return', round: 1 }] });
    // The undertakings and the child's views stay.
    expect(reopened.panel.every((m) => m.signedAt !== null)).toBe(true);
    expect(reopened.childViews).not.toBeNull();
  });

  it('has a payload schema for every action the transitions name', () => {
    for (const actions of Object.values(bidRecord.transitions)) for (const a of actions) expect(bidRecord.payloads[a]).toBeDefined();
    expect(bidRecord.confidential).toBe(true);
  });
});

describe('who may do what, and what they see', () => {
  const state = fold([['user:x', convene], sign(1)]);
  const role = (over: Partial<BidRole>): BidRole => ({ member: null, supervise: false, work: false, ...over });
  const member = (n: number) => state.panel.find((m) => m.member === uid(n))!;

  it.each([
    { who: 'a signed member', role: role({ member: member(1) }), actions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION', 'DELIBERATE', 'VOTE', 'DECIDE'] },
    { who: 'an unsigned member', role: role({ member: member(2) }), actions: ['SIGN_UNDERTAKING'] },
    { who: 'the supervisor', role: role({ supervise: true }), actions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION', 'DECIDE'] },
    { who: 'a case worker', role: role({ work: true }), actions: ['CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION'] },
    { who: 'anyone else', role: role({}), actions: [] },
  ])('$who: $actions', ({ role: r, actions }) => {
    expect(bidActionsFor('OPEN', r)).toEqual(actions);
  });

  it('tells an unsigned member to sign first, and a worker that only the panel votes', () => {
    expect(actorProblem('VOTE', role({ member: member(2) }))).toMatchObject({ code: 'conflict', field: 'undertaking' });
    expect(actorProblem('VOTE', role({ work: true }))).toMatchObject({ code: 'forbidden' });
    expect(actorProblem('APPEAL_DECIDED', role({ member: member(1) }))).toMatchObject({ code: 'forbidden' });
  });

  it('hides the deliberations and the votes from the case workers only', () => {
    const deliberated = reduceBid(reduceBid(state, { type: 'DELIBERATE', note: 'n' }, { actor: uid(1), at: at(50) }), { type: 'VOTE', option: 'return', reasons: 'r' }, { actor: uid(1), at: at(51) });
    expect(bidViewFor(deliberated, role({ work: true }))).toMatchObject({ deliberations: null, votes: null });
    expect(bidViewFor(deliberated, role({ supervise: true })).deliberations).toHaveLength(1);
    expect(bidViewFor(deliberated, role({ member: member(2) })).votes).toHaveLength(1);
  });
});
