import { type Static, type TSchema, Type } from 'typebox';
import type { Json } from '../core/action-log/hashing.ts';
import { type ActionFacts, registerRecordType } from '../core/action-log/record-definition.ts';
import { IsoDate } from '../core/dates.ts';

/**
 * The best-interests determination (BID) on the action log: a formal decision about a child's
 * durable solution (reunification, local integration, return, resettlement), separation from the
 * parents or alternative care, made by a panel of members of different professions who each signed
 * a confidentiality undertaking. It belongs to a protection case (subjectId = the case's id) and
 * to the case's jurisdiction. The reducer is pure: what the use case works out (the dissent at the
 * decision, the tally) travels in the action's payload, so a replay always gives the same record.
 *
 * Status: OPEN (the panel gathers views and options, deliberates and votes) → DECIDED → APPEALED
 * (until the appeal is decided); a review or an overturned appeal reopens it (OPEN, a new round of
 * votes, the earlier decision kept in `pastDecisions`).
 */
export type BidStatus = 'OPEN' | 'DECIDED' | 'APPEALED';

export const bidRecordType = 'best_interests_determination';

const Kato = Type.String({ pattern: '^[0-9]{9}$' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
/** An actor id as histories name people: "user:<uuid>". */
export const MemberId = Type.String({ pattern: '^user:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });

export const PanelSeat = Type.Object({ member: MemberId, profession: Code });
export type PanelSeat = Static<typeof PanelSeat>;

export const ChildViews = Type.Union([
  Type.Object({
    heard: Type.Literal(true),
    /** The language the child was heard in (one they understand). */
    language: Text(60),
    views: Text(4000),
    /** How the child's age and maturity weigh their views. */
    ageAndMaturity: Text(2000),
  }),
  Type.Object({ heard: Type.Literal(false), reasonNotHeard: Text(2000) }),
]);
export type ChildViews = Static<typeof ChildViews>;

export const Dissent = Type.Object({ member: MemberId, option: Code, reasons: Text(4000) });
export type Dissent = Static<typeof Dissent>;
const Tally = Type.Array(Type.Object({ option: Code, votes: Type.Integer({ minimum: 1 }) }), { maxItems: 40 });

/** The payload schema of every BID action type (unknown properties refused at every level). */
export const bidPayloads = {
  CONVENE: Type.Object({
    type: Type.Literal('CONVENE'),
    caseId: Type.String({ format: 'uuid' }),
    jurisdiction: Kato,
    /** What is to be determined: one of the pack's questions (durable_solution, …) or other. */
    question: Code,
    panel: Type.Array(PanelSeat, { minItems: 1, maxItems: 15 }),
  }),
  /** The member themself signs the confidentiality undertaking; nothing else they do counts before it. */
  SIGN_UNDERTAKING: Type.Object({ type: Type.Literal('SIGN_UNDERTAKING') }),
  CHILD_VIEWS: Type.Object({ type: Type.Literal('CHILD_VIEWS'), childViews: ChildViews }),
  PARENT_VIEWS: Type.Object({ type: Type.Literal('PARENT_VIEWS'), who: Text(200), views: Text(4000) }),
  ADD_OPTION: Type.Object({ type: Type.Literal('ADD_OPTION'), option: Code, evidence: Text(4000) }),
  /** A note of the panel's deliberation: seen only by the panel and the supervisor. */
  DELIBERATE: Type.Object({ type: Type.Literal('DELIBERATE'), note: Text(4000) }),
  /** A signed member's vote; a later vote of the same member replaces it until the decision. */
  VOTE: Type.Object({ type: Type.Literal('VOTE'), option: Code, reasons: Text(4000) }),
  DECIDE: Type.Object({
    type: Type.Literal('DECIDE'),
    option: Code,
    reasons: Text(4000),
    reviewOn: IsoDate,
    /** Worked out by the use case from the votes: every member who voted otherwise, with their reasons. */
    dissent: Type.Array(Dissent, { maxItems: 15 }),
    tally: Tally,
  }),
  REVIEW: Type.Object({
    type: Type.Literal('REVIEW'),
    outcome: Type.Union([Type.Literal('confirmed'), Type.Literal('reopened')]),
    reason: Text(4000),
    /** The next review, when the decision is confirmed (default: unchanged). */
    nextReviewOn: Type.Optional(IsoDate),
  }),
  APPEAL: Type.Object({
    type: Type.Literal('APPEAL'),
    by: Type.Union([Type.Literal('child'), Type.Literal('guardian'), Type.Literal('parent')]),
    grounds: Text(4000),
  }),
  APPEAL_DECIDED: Type.Object({
    type: Type.Literal('APPEAL_DECIDED'),
    outcome: Type.Union([Type.Literal('upheld'), Type.Literal('overturned')]),
    reason: Text(4000),
  }),
} satisfies Record<string, TSchema>;

export type BidPayload = { [K in keyof typeof bidPayloads]: Static<(typeof bidPayloads)[K]> }[keyof typeof bidPayloads];
export type BidActionType = BidPayload['type'];

export interface PanelMember {
  member: string;
  profession: string;
  signedAt: string | null;
}

export interface Vote {
  member: string;
  option: string;
  reasons: string;
  at: string;
}

export interface Decision {
  option: string;
  reasons: string;
  reviewOn: string;
  dissent: Dissent[];
  tally: { option: string; votes: number }[];
  by: string;
  at: string;
  /** Which round of votes it closed (1 for the first decision, 2 after a reopening, …). */
  round: number;
}

export interface BidState {
  status: BidStatus;
  caseId: string;
  jurisdiction: string;
  question: string;
  convenedBy: string;
  convenedAt: string;
  panel: PanelMember[];
  childViews: (ChildViews & { by: string; at: string }) | null;
  parentViews: { who: string; views: string; by: string; at: string }[];
  options: { option: string; evidence: string; by: string; at: string }[];
  deliberations: { note: string; by: string; at: string; round: number }[];
  /** The votes of the current round, one per member (the latest). */
  votes: Vote[];
  round: number;
  decision: Decision | null;
  /** Decisions reopened by a review or overturned on appeal, oldest first. */
  pastDecisions: Decision[];
  reviewOn: string | null;
  reviews: { outcome: 'confirmed' | 'reopened'; reason: string; by: string; at: string }[];
  appeals: { by: 'child' | 'guardian' | 'parent'; grounds: string; recordedBy: string; at: string; outcome: 'upheld' | 'overturned' | null; reason: string | null; decidedBy: string | null; decidedAt: string | null }[];
}

/** What a panel does while the determination is open. */
const open: readonly BidActionType[] = ['SIGN_UNDERTAKING', 'CHILD_VIEWS', 'PARENT_VIEWS', 'ADD_OPTION', 'DELIBERATE', 'VOTE', 'DECIDE'];

export const bidTransitions = {
  '(new)': ['CONVENE'],
  OPEN: open,
  DECIDED: ['REVIEW', 'APPEAL'],
  APPEALED: ['APPEAL_DECIDED'],
} as const satisfies Record<string, readonly BidActionType[]>;

export const bidRecord = registerRecordType<BidState & Json>({
  type: bidRecordType,
  confidential: true,
  transitions: bidTransitions,
  payloads: bidPayloads,
  reduce(state, action: ActionFacts) {
    return reduceBid(state as BidState | undefined, action.payload as unknown as BidPayload, action) as BidState & Json;
  },
  status: (state) => state.status,
  keys: (state) => ({ jurisdiction: state.jurisdiction, subjectId: state.caseId }),
});

/** The record after a reopening: a new round of votes, the decision kept among the past ones. */
function reopened(state: BidState): BidState {
  return { ...state, status: 'OPEN', votes: [], round: state.round + 1, decision: null, pastDecisions: state.decision ? [...state.pastDecisions, state.decision] : state.pastDecisions };
}

/** Folds one action into the BID (pure; `action` gives who, when). */
export function reduceBid(state: BidState | undefined, p: BidPayload, action: Pick<ActionFacts, 'actor' | 'at'>): BidState {
  const at = action.at.toISOString();
  const by = action.actor;
  if (!state) {
    if (p.type !== 'CONVENE') throw new Error(`a ${bidRecordType} begins with CONVENE, not ${p.type}`);
    return {
      status: 'OPEN',
      caseId: p.caseId,
      jurisdiction: p.jurisdiction,
      question: p.question,
      convenedBy: by,
      convenedAt: at,
      panel: p.panel.map((s) => ({ member: s.member, profession: s.profession, signedAt: null })),
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
    };
  }
  switch (p.type) {
    case 'CONVENE':
      throw new Error('CONVENE creates a determination');
    case 'SIGN_UNDERTAKING':
      return { ...state, panel: state.panel.map((m) => (m.member === by && m.signedAt === null ? { ...m, signedAt: at } : m)) };
    case 'CHILD_VIEWS':
      return { ...state, childViews: { ...p.childViews, by, at } };
    case 'PARENT_VIEWS':
      return { ...state, parentViews: [...state.parentViews, { who: p.who, views: p.views, by, at }] };
    case 'ADD_OPTION':
      return { ...state, options: [...state.options, { option: p.option, evidence: p.evidence, by, at }] };
    case 'DELIBERATE':
      return { ...state, deliberations: [...state.deliberations, { note: p.note, by, at, round: state.round }] };
    case 'VOTE':
      return { ...state, votes: [...state.votes.filter((v) => v.member !== by), { member: by, option: p.option, reasons: p.reasons, at }] };
    case 'DECIDE':
      return {
        ...state,
        status: 'DECIDED',
        reviewOn: p.reviewOn,
        decision: { option: p.option, reasons: p.reasons, reviewOn: p.reviewOn, dissent: p.dissent, tally: p.tally, by, at, round: state.round },
      };
    case 'REVIEW': {
      const reviews = [...state.reviews, { outcome: p.outcome, reason: p.reason, by, at }];
      if (p.outcome === 'reopened') return { ...reopened(state), reviews };
      return { ...state, reviews, reviewOn: p.nextReviewOn ?? state.reviewOn };
    }
    case 'APPEAL':
      return { ...state, status: 'APPEALED', appeals: [...state.appeals, { by: p.by, grounds: p.grounds, recordedBy: by, at, outcome: null, reason: null, decidedBy: null, decidedAt: null }] };
    case 'APPEAL_DECIDED': {
      const appeals = state.appeals.map((a, i) => (i === state.appeals.length - 1 ? { ...a, outcome: p.outcome, reason: p.reason, decidedBy: by, decidedAt: at } : a));
      return p.outcome === 'overturned' ? { ...reopened(state), appeals } : { ...state, status: 'DECIDED', appeals };
    }
  }
}
