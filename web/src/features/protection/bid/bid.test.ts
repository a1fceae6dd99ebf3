import { describe, expect, it } from 'vitest';
import { type Bid, currentStep, daysAfter, majority, namesOf, panelProblems, stepsDone, tally, toBid, type Vote } from './api.ts';

const vote = (member: string, option: string): Vote => ({ member: `user:${member}`, option, reasons: 'because', at: '2026-11-26T10:00:00.000Z' });

const bid = (o: Partial<Bid> = {}): Bid =>
  toBid({
    id: 'b',
    version: 1,
    status: 'OPEN',
    jurisdiction: '711300000',
    role: { member: true, signed: false, supervisor: false, caseWorker: false },
    allowedActions: [],
    bid: {
      caseId: 'c',
      question: 'durable_solution',
      convenedBy: 'user:o',
      convenedAt: '2026-11-26T09:00:00.000Z',
      panel: ['a', 'b', 'c'].map((m, i) => ({ member: `user:${m}`, profession: ['social_work', 'law', 'psychology'][i]!, signedAt: null })),
      childViews: null,
      parentViews: [],
      options: [],
      deliberations: [],
      votes: [],
      round: 1,
      decision: null,
      pastDecisions: [],
      reviewOn: null,
      reviews: [],
      appeals: [],
      ...o,
    },
  });

describe('the BID screens’ pure helpers', () => {
  it('checks a panel before it is sent: at least three, nobody twice, no profession twice, nothing missing', () => {
    const ok = [
      { userId: 'a', profession: 'law' },
      { userId: 'b', profession: 'health' },
      { userId: 'c', profession: 'psychology' },
    ];
    expect(panelProblems(ok)).toEqual({ tooFew: false, repeatedMember: [], repeatedProfession: [], missing: [] });
    expect(panelProblems(ok.slice(0, 2)).tooFew).toBe(true);
    expect(panelProblems([...ok, { userId: 'a', profession: 'education' }]).repeatedMember).toEqual([3]);
    expect(panelProblems([...ok, { userId: 'd', profession: 'law' }]).repeatedProfession).toEqual([3]);
    expect(panelProblems([...ok, { userId: ' ', profession: '' }])).toMatchObject({ tooFew: false, missing: [3], repeatedProfession: [] });
  });

  it('counts the votes and finds the majority; a tie has none', () => {
    const votes = [vote('a', 'return'), vote('b', 'family_reunification'), vote('c', 'family_reunification')];
    expect(tally(votes)).toEqual([
      { option: 'family_reunification', count: 2 },
      { option: 'return', count: 1 },
    ]);
    expect(majority(votes)).toBe('family_reunification');
    expect(majority(votes.slice(0, 2))).toBeUndefined();
    expect(majority([])).toBeUndefined();
  });

  it('says which steps are done and where the flow stands', () => {
    expect(currentStep(bid())).toBe('undertakings');
    const signed = bid({ panel: bid().panel.map((m) => ({ ...m, signedAt: '2026-11-26T10:00:00.000Z' })) });
    expect(currentStep(signed)).toBe('childViews');
    const heard = { ...signed, childViews: { heard: false as const, reasonNotHeard: 'too young', by: 'user:o', at: '2026-11-26T10:00:00.000Z' } };
    expect(stepsDone(heard)).toMatchObject({ panel: true, undertakings: true, childViews: true, parentViews: false, votes: false, decision: false });
    // A case worker sees no votes (null): the votes step is done only once decided.
    expect(stepsDone({ ...heard, votes: null }).votes).toBe(false);
  });

  it('names people from the history and moves dates by days', () => {
    expect(namesOf([{ seq: 1, type: 'VOTE', actor: 'user:a', actorName: 'Айгүл', at: '' }, { seq: 2, type: 'VOTE', actor: 'user:b', actorName: null, at: '' }])).toEqual({ 'user:a': 'Айгүл' });
    expect(daysAfter('2026-11-26', 180)).toBe('2027-05-25');
    expect(daysAfter('2028-02-28', 1)).toBe('2028-02-29');
  });
});
