import { type Static, type TLiteral, type TSchema, type TSchemaOptions, Type } from 'typebox';
import type { Json } from '../core/action-log/hashing.ts';
import { type ActionFacts, registerRecordType } from '../core/action-log/record-definition.ts';
import { IsoDate } from '../core/dates.ts';
import { relations } from './tracing-match.ts';

/**
 * A family tracing request on the action log: a parent or relative looking for someone (who they
 * are, who they seek, last seen where and when), with the family's tracing consent; the matches a
 * case worker confirmed or rejected; contact, verification of the relationship, the assessment of
 * the family, and the reunification or why not. Confidential: read only through tracing.ts, which
 * decides who needs to know. The reducer is pure; the use cases decide and the payload carries it.
 */
export const tracingStatuses = ['OPEN', 'MATCHED', 'VERIFIED', 'ASSESSED', 'REUNIFIED', 'NOT_REUNIFIED', 'CONSENT_WITHDRAWN', 'CLOSED'] as const;
export type TracingStatus = (typeof tracingStatuses)[number];

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Name = Type.Optional(Text(100));
const Kato = Type.String({ pattern: '^[0-9]{9}$' });
const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const ActorRef = Type.String({ pattern: '^(user|client):[A-Za-z0-9._:-]{1,100}$', description: 'an actor id, "user:<id>"' });
/** A union of string literals whose static type is the union of the values (not string, not never). */
export function oneOf<const T extends readonly string[]>(values: T, options?: TSchemaOptions) {
  return Type.Union(values.map((v) => Type.Literal(v)) as unknown as [TLiteral<T[number]>], options);
}

const Relation = oneOf(relations);
const Sex = Type.Union([Type.Literal('male'), Type.Literal('female')]);

export const Requester = Type.Object({
  surname: Name,
  givenName: Name,
  patronymic: Name,
  relation: Relation,
  /** How to reach them (phone, address, the office that knows them), as given. */
  contact: Type.Optional(Text(300)),
});
export type Requester = Static<typeof Requester>;

export const ApproximateAge = Type.Object({
  years: Type.Integer({ minimum: 0, maximum: 120 }),
  /** Years either side the estimate may be off (default 1). */
  margin: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
});

export const Sought = Type.Object({
  surname: Name,
  givenName: Name,
  patronymic: Name,
  sex: Type.Optional(Sex),
  dateOfBirth: Type.Optional(IsoDate),
  approximateAge: Type.Optional(ApproximateAge),
  lastSeen: Type.Optional(
    Type.Object({
      /** A KATO code, or the place as stated. */
      place: Type.Optional(Text(200)),
      on: Type.Optional(IsoDate),
      circumstances: Type.Optional(Text(2000)),
    }),
  ),
});
export type Sought = Static<typeof Sought>;

export const TracingConsentGiven = Type.Object({ givenBy: Type.Object({ name: Text(200), relation: Text(40) }) });

/** The sought person's date range, worked out at the request from an approximate age (the state keeps it, so matching never depends on when it runs). */
const BirthRange = Type.Object({ bornFrom: IsoDate, bornTo: IsoDate });

const MatchKind = Type.Union([Type.Literal('case'), Type.Literal('tracing'), Type.Literal('birth')]);
const MatchRef = { kind: MatchKind, subjectId: Uuid, person: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) };

export const verificationMethods = ['documents', 'interview', 'photographs', 'community', 'dna', 'other'] as const;
export const verificationOutcomes = ['confirmed', 'not_confirmed', 'inconclusive'] as const;
export const assessmentOutcomes = ['suitable', 'suitable_with_support', 'unsuitable'] as const;

export const tracingPayloads = {
  REQUEST: Type.Object({
    type: Type.Literal('REQUEST'),
    jurisdiction: Kato,
    requester: Requester,
    sought: Sought,
    soughtRange: Type.Union([BirthRange, Type.Null()]),
    consent: TracingConsentGiven,
    caseId: Type.Union([Uuid, Type.Null()]),
  }),
  ASSIGN: Type.Object({ type: Type.Literal('ASSIGN'), userId: ActorRef }),
  UNASSIGN: Type.Object({ type: Type.Literal('UNASSIGN'), userId: ActorRef }),
  /** A match a case worker reviewed side by side and took for the family: what it was, with its score then. */
  CONFIRM_MATCH: Type.Object({ type: Type.Literal('CONFIRM_MATCH'), ...MatchRef, score: Type.Number() }),
  REJECT_MATCH: Type.Object({ type: Type.Literal('REJECT_MATCH'), ...MatchRef }),
  CONTACT: Type.Object({ type: Type.Literal('CONTACT'), note: Text(4000) }),
  VERIFY_RELATIONSHIP: Type.Object({ type: Type.Literal('VERIFY_RELATIONSHIP'), method: oneOf(verificationMethods), outcome: oneOf(verificationOutcomes), note: Text(4000) }),
  ASSESS_FAMILY: Type.Object({ type: Type.Literal('ASSESS_FAMILY'), outcome: oneOf(assessmentOutcomes), note: Text(4000) }),
  /** caseId: the case the reunification was recorded on too (null: none linked). */
  REUNIFY: Type.Object({ type: Type.Literal('REUNIFY'), caseId: Type.Union([Uuid, Type.Null()]), on: IsoDate, note: Text(4000) }),
  NOT_REUNIFIED: Type.Object({ type: Type.Literal('NOT_REUNIFIED'), reason: Text(2000) }),
  WITHDRAW_CONSENT: Type.Object({ type: Type.Literal('WITHDRAW_CONSENT') }),
  CLOSE: Type.Object({ type: Type.Literal('CLOSE'), reason: Text(2000) }),
} satisfies Record<string, TSchema>;

export type TracingPayload = { [K in keyof typeof tracingPayloads]: Static<(typeof tracingPayloads)[K]> }[keyof typeof tracingPayloads];
export type TracingActionType = TracingPayload['type'];

export interface MatchDecision {
  kind: 'case' | 'tracing' | 'birth';
  subjectId: string;
  person: number | null;
  status: 'confirmed' | 'rejected';
  score: number | null;
  by: string;
  at: string;
  reason: string | null;
}

export interface TracingState {
  status: TracingStatus;
  jurisdiction: string;
  officeId: string | null;
  /** "user:<id>" of the case worker who recorded the request. */
  createdBy: string;
  createdAt: string;
  workers: string[];
  caseId: string | null;
  requester: Requester;
  sought: Sought;
  soughtRange: { bornFrom: string; bornTo: string } | null;
  consent: { givenBy: { name: string; relation: string }; recordedBy: string; at: string; withdrawnAt: string | null; withdrawnBy: string | null };
  matches: MatchDecision[];
  contacts: { note: string; by: string; at: string }[];
  verifications: { method: string; outcome: string; note: string; by: string; at: string }[];
  assessments: { outcome: string; note: string; by: string; at: string }[];
  reunification: { caseId: string | null; on: string; note: string; by: string; at: string } | null;
  notReunified: { reason: string; by: string; at: string } | null;
  closure: { reason: string; by: string; at: string; from: TracingStatus } | null;
}

const staffing = ['ASSIGN', 'UNASSIGN'];
const ending = ['WITHDRAW_CONSENT', 'CLOSE'];
const review = ['CONFIRM_MATCH', 'REJECT_MATCH'];
const followUp = ['CONTACT', 'VERIFY_RELATIONSHIP', 'NOT_REUNIFIED'];

/**
 * Allowed actions by status (a disallowed one answers 409 listing these). A match must be confirmed
 * before the family is contacted; the relationship verified before the family is assessed; the
 * family assessed suitable before the reunification. Withdrawn consent stops everything but closing.
 */
export const tracingTransitions: Readonly<Record<string, readonly string[]>> = {
  '(new)': ['REQUEST'],
  OPEN: [...review, ...staffing, ...ending],
  MATCHED: [...review, ...followUp, ...staffing, ...ending],
  VERIFIED: [...review, ...followUp, 'ASSESS_FAMILY', ...staffing, ...ending],
  ASSESSED: [...review, ...followUp, 'ASSESS_FAMILY', 'REUNIFY', ...staffing, ...ending],
  REUNIFIED: ['CONTACT', ...staffing, 'CLOSE'],
  NOT_REUNIFIED: ['CONTACT', ...staffing, 'CLOSE'],
  CONSENT_WITHDRAWN: ['CLOSE'],
  CLOSED: [],
};

export const tracingRecord = registerRecordType<TracingState & Json>({
  type: 'tracing_request',
  confidential: true,
  transitions: tracingTransitions,
  payloads: tracingPayloads,
  reduce(state, action: ActionFacts) {
    return reduceTracing(state as TracingState | undefined, action) as TracingState & Json;
  },
  status: (state) => state.status,
  keys: (state) => ({ jurisdiction: state.jurisdiction, officeId: state.officeId }),
});

/** Whether the family's tracing consent holds (no withdrawal recorded). */
export const tracingConsentHolds = (state: Pick<TracingState, 'consent'>): boolean => state.consent.withdrawnAt === null;

const sameMatch = (m: MatchDecision, p: { kind: string; subjectId: string; person?: number }) => m.kind === p.kind && m.subjectId === p.subjectId && m.person === (p.person ?? null);

/** The status the matches and the steps since put the request in (for confirming and rejecting matches). */
function progress(state: TracingState): TracingStatus {
  if (!state.matches.some((m) => m.status === 'confirmed')) return 'OPEN';
  if (state.assessments.at(-1) && state.assessments.at(-1)!.outcome !== 'unsuitable' && state.verifications.some((v) => v.outcome === 'confirmed')) return 'ASSESSED';
  if (state.verifications.some((v) => v.outcome === 'confirmed')) return 'VERIFIED';
  return 'MATCHED';
}

export function reduceTracing(state: TracingState | undefined, action: ActionFacts): TracingState {
  const p = action.payload as unknown as TracingPayload;
  const at = action.at.toISOString();
  const by = action.actor;
  if (!state) {
    if (p.type !== 'REQUEST') throw new Error(`a tracing request starts with REQUEST, not ${p.type}`);
    return {
      status: 'OPEN',
      jurisdiction: p.jurisdiction,
      officeId: action.officeId,
      createdBy: by,
      createdAt: at,
      workers: [],
      caseId: p.caseId,
      requester: p.requester,
      sought: p.sought,
      soughtRange: p.soughtRange,
      consent: { givenBy: p.consent.givenBy, recordedBy: by, at, withdrawnAt: null, withdrawnBy: null },
      matches: [],
      contacts: [],
      verifications: [],
      assessments: [],
      reunification: null,
      notReunified: null,
      closure: null,
    };
  }
  switch (p.type) {
    case 'REQUEST':
      return state;
    case 'ASSIGN':
      return state.workers.includes(p.userId) ? state : { ...state, workers: [...state.workers, p.userId] };
    case 'UNASSIGN':
      return { ...state, workers: state.workers.filter((w) => w !== p.userId) };
    case 'CONFIRM_MATCH':
    case 'REJECT_MATCH': {
      const decision: MatchDecision = {
        kind: p.kind,
        subjectId: p.subjectId,
        person: p.person ?? null,
        status: p.type === 'CONFIRM_MATCH' ? 'confirmed' : 'rejected',
        score: p.type === 'CONFIRM_MATCH' ? p.score : null,
        by,
        at,
        reason: action.reason,
      };
      const next = { ...state, matches: [...state.matches.filter((m) => !sameMatch(m, p)), decision] };
      return { ...next, status: progress(next) };
    }
    case 'CONTACT':
      return { ...state, contacts: [...state.contacts, { note: p.note, by, at }] };
    case 'VERIFY_RELATIONSHIP': {
      const next = { ...state, verifications: [...state.verifications, { method: p.method, outcome: p.outcome, note: p.note, by, at }] };
      return { ...next, status: progress(next) };
    }
    case 'ASSESS_FAMILY': {
      const next = { ...state, assessments: [...state.assessments, { outcome: p.outcome, note: p.note, by, at }] };
      return { ...next, status: progress(next) };
    }
    case 'REUNIFY':
      return { ...state, status: 'REUNIFIED', reunification: { caseId: p.caseId, on: p.on, note: p.note, by, at } };
    case 'NOT_REUNIFIED':
      return { ...state, status: 'NOT_REUNIFIED', notReunified: { reason: p.reason, by, at } };
    case 'WITHDRAW_CONSENT':
      return { ...state, status: 'CONSENT_WITHDRAWN', consent: { ...state.consent, withdrawnAt: at, withdrawnBy: by } };
    case 'CLOSE':
      return { ...state, status: 'CLOSED', closure: { reason: p.reason, by, at, from: state.status } };
  }
}
