import { type Static, type TSchema, Type } from 'typebox';
import type { Json } from '../core/action-log/hashing.ts';
import { type ActionFacts, registerRecordType } from '../core/action-log/record-definition.ts';
import { Instant, IsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { activeConsent, type Consent } from './consent.ts';
import { Risk, type RiskLevel } from './settings.ts';

export { Risk };

/**
 * The child protection case on the action log (record type `protection_case`, confidential: read
 * only through src/protection/cases.ts, which decides who needs to know). The reducer is pure:
 * every id and date the server decides (a task's id, first contact's deadline) is in the payload.
 *
 * Stages: REGISTERED → ASSESSMENT → PLANNING → IMPLEMENTATION → FOLLOW_UP → CLOSURE_REQUESTED →
 * CLOSED, and REOPEN back to ASSESSMENT. Identification is the referral the case was opened from.
 */
export const caseKinds = ['birth_referral', 'unaccompanied', 'separated', 'other'] as const;
export type CaseKind = (typeof caseKinds)[number];
export const caseStages = ['REGISTERED', 'ASSESSMENT', 'PLANNING', 'IMPLEMENTATION', 'FOLLOW_UP', 'CLOSURE_REQUESTED', 'CLOSED'] as const;
export type CaseStage = (typeof caseStages)[number];

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Name = Type.Optional(Text(100));
const Id = Type.String({ format: 'uuid' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const ActorRef = Type.String({ pattern: '^(user|client):[A-Za-z0-9._:-]{1,100}$|^system$' });
const Sex = Type.Union([Type.Literal('male'), Type.Literal('female')]);

export const ApproximateAge = Type.Object({
  years: Type.Integer({ minimum: 0, maximum: 25 }),
  estimatedBy: Type.Union([Type.Literal('documents'), Type.Literal('statement'), Type.Literal('physical'), Type.Literal('dental'), Type.Literal('other')]),
  note: Type.Optional(Text(500)),
});

export const CaseChild = Type.Object({
  surname: Name,
  givenName: Name,
  patronymic: Name,
  sex: Type.Optional(Sex),
  dateOfBirth: Type.Optional(IsoDate),
  approximateAge: Type.Optional(ApproximateAge),
  /** Languages the child speaks (ISO 639 codes or names as stated). */
  languages: Type.Array(Text(40), { maxItems: 10 }),
  /** ISO 3166 alpha-2 or alpha-3. */
  countryOfOrigin: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$' })),
  /** The identity is as the child or a companion stated it, not proven by a document. */
  identityAsStated: Type.Boolean(),
});
export type CaseChild = Static<typeof CaseChild>;

export const Relative = Type.Object({
  role: Type.Union([Type.Literal('mother'), Type.Literal('father'), Type.Literal('sibling'), Type.Literal('relative'), Type.Literal('caregiver')]),
  surname: Name,
  givenName: Name,
  patronymic: Name,
  sex: Type.Optional(Sex),
  dateOfBirth: Type.Optional(IsoDate),
  whereabouts: Type.Optional(Text(500)),
});
export type Relative = Static<typeof Relative>;

export const Separation = Type.Object({
  on: Type.Optional(IsoDate),
  where: Type.Optional(Text(300)),
  /** From whom the child was separated. */
  from: Type.Optional(Text(300)),
  documentsHeld: Type.Array(Text(100), { maxItems: 20 }),
  parents: Type.Array(Relative, { maxItems: 4 }),
  siblings: Type.Array(Relative, { maxItems: 20 }),
  careArrangement: Type.Optional(Text(500)),
});
export type Separation = Static<typeof Separation>;

export const AssessmentKind = Type.Union([Type.Literal('initial'), Type.Literal('comprehensive'), Type.Literal('best_interests')]);
const TaskKind = Type.Union([Type.Literal('first_contact'), Type.Literal('follow_up'), Type.Literal('plan_review'), Type.Literal('other')]);
export const ServiceStatus = Type.Union([Type.Literal('referred'), Type.Literal('accepted'), Type.Literal('refused'), Type.Literal('delivered'), Type.Literal('ended')]);
export const PlannedService = Type.Object({ id: Id, agency: Code, service: Text(200), responsible: Text(200), dueOn: IsoDate });
/** Exactly one of: a person ("user:<id>"), an office's jurisdiction, a partner agency. */
export const TransferTarget = Type.Object({ userId: Type.Optional(ActorRef), jurisdiction: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })), agency: Type.Optional(Code) }, { minProperties: 1, maxProperties: 1 });
export interface TransferTarget {
  userId?: string;
  jurisdiction?: string;
  agency?: string;
}

const bare = <T extends string>(type: T) => Type.Object({ type: Type.Literal(type) });
const typed = <T extends string, P extends Record<string, TSchema>>(type: T, properties: P) => Type.Object({ type: Type.Literal(type), ...properties });

/**
 * The payload schema of every case action, as stored. Ids of new things (tasks, assessments,
 * services, consents, transfers, documents) are made by the use case and carried here. The reason
 * an action needs (CHANGE_RISK, TRANSFER, RETURN_*, REQUEST_CLOSURE, REOPEN) is the action's own.
 */
export const casePayloads = {
  OPEN: typed('OPEN', {
    kind: Type.Union([Type.Literal('birth_referral'), Type.Literal('unaccompanied'), Type.Literal('separated'), Type.Literal('other')]),
    jurisdiction: Type.String({ pattern: '^[0-9]{9}$' }),
    officeId: Type.Union([Text(64), Type.Null()]),
    risk: Risk,
    child: CaseChild,
    separation: Type.Union([Separation, Type.Null()]),
    referralIds: Type.Array(Id, { maxItems: 50 }),
    birthRecordId: Type.Union([Id, Type.Null()]),
    firstContact: Type.Object({ taskId: Id, dueAt: Instant }),
  }),
  CONTACT: typed('CONTACT', { at: Instant, note: Type.Optional(Text(4000)) }),
  ASSIGN: typed('ASSIGN', { userId: ActorRef }),
  UNASSIGN: typed('UNASSIGN', { userId: ActorRef }),
  UPDATE_CHILD: typed('UPDATE_CHILD', { child: Type.Optional(CaseChild), separation: Type.Optional(Separation) }),
  ASSESS: typed('ASSESS', { assessmentId: Id, kind: AssessmentKind, findings: Text(8000), needs: Type.Array(Text(300), { maxItems: 50 }), risk: Risk }),
  APPROVE_ASSESSMENT: typed('APPROVE_ASSESSMENT', { assessmentId: Id }),
  RETURN_ASSESSMENT: typed('RETURN_ASSESSMENT', { assessmentId: Id }),
  PLAN: typed('PLAN', { goals: Type.Array(Text(500), { minItems: 1, maxItems: 30 }), services: Type.Array(PlannedService, { maxItems: 50 }), reviewOn: IsoDate }),
  APPROVE_PLAN: typed('APPROVE_PLAN', { reviewTaskId: Id }),
  RETURN_PLAN: bare('RETURN_PLAN'),
  REFER_SERVICE: typed('REFER_SERVICE', { serviceId: Id, agency: Code, service: Text(200), note: Type.Optional(Text(2000)), consentId: Text(64) }),
  SERVICE_UPDATE: typed('SERVICE_UPDATE', { serviceId: Id, status: ServiceStatus, note: Type.Optional(Text(2000)) }),
  ADD_TASK: typed('ADD_TASK', {
    taskId: Id,
    title: Text(300),
    kind: TaskKind,
    dueOn: Type.Optional(IsoDate),
    dueAt: Type.Optional(Instant),
    assignee: ActorRef,
  }),
  COMPLETE_TASK: typed('COMPLETE_TASK', { taskId: Id, note: Type.Optional(Text(2000)) }),
  NOTE: typed('NOTE', { noteId: Id, text: Text(8000) }),
  DOCUMENT: typed('DOCUMENT', { documentId: Id, documentType: Code, reference: Type.Optional(Text(200)), description: Type.Optional(Text(1000)) }),
  CHANGE_RISK: typed('CHANGE_RISK', { risk: Risk }),
  GIVE_CONSENT: typed('GIVE_CONSENT', {
    consentId: Id,
    purpose: Code,
    agency: Type.Union([Code, Type.Null()]),
    givenBy: Type.Object({ name: Text(200), relation: Text(40) }),
  }),
  WITHDRAW_CONSENT: typed('WITHDRAW_CONSENT', { consentId: Text(64) }),
  TRANSFER: typed('TRANSFER', { transferId: Id, to: TransferTarget }),
  ACCEPT_TRANSFER: typed('ACCEPT_TRANSFER', { transferId: Id, officeId: Type.Union([Text(64), Type.Null()]) }),
  REFUSE_TRANSFER: typed('REFUSE_TRANSFER', { transferId: Id }),
  FOLLOW_UP: typed('FOLLOW_UP', { note: Text(4000), nextOn: IsoDate, taskId: Id }),
  LINK_BIRTH: typed('LINK_BIRTH', { birthRecordId: Id }),
  REQUEST_CLOSURE: typed('REQUEST_CLOSURE', { note: Type.Optional(Text(4000)) }),
  APPROVE_CLOSURE: bare('APPROVE_CLOSURE'),
  RETURN_CLOSURE: bare('RETURN_CLOSURE'),
  REOPEN: bare('REOPEN'),
  // Appended by other protection use cases through appendCaseAction.
  BID_CONVENED: typed('BID_CONVENED', { bidId: Id, question: Code }),
  BID_DECIDED: typed('BID_DECIDED', { bidId: Id, option: Code }),
  BID_REOPENED: typed('BID_REOPENED', { bidId: Id }),
  REUNIFIED: typed('REUNIFIED', { tracingId: Id, on: IsoDate, relation: Text(40) }),
} satisfies Record<string, TSchema>;

export type CasePayload = { [K in keyof typeof casePayloads]: Static<(typeof casePayloads)[K]> }[keyof typeof casePayloads];
export type CaseActionType = CasePayload['type'];

/** Actions only other protection use cases append (the BID procedure, family tracing), never a person through actOnCase. */
export const moduleActions = ['BID_CONVENED', 'BID_DECIDED', 'BID_REOPENED', 'REUNIFIED'] as const;
export type ModuleCaseActionType = (typeof moduleActions)[number];
export type ModuleCasePayload = Extract<CasePayload, { type: ModuleCaseActionType }>;

/** Actions that need a reason (the action's own `reason`). */
export const reasonRequired: readonly CaseActionType[] = ['CHANGE_RISK', 'TRANSFER', 'REFUSE_TRANSFER', 'RETURN_ASSESSMENT', 'RETURN_PLAN', 'REQUEST_CLOSURE', 'RETURN_CLOSURE', 'REOPEN'];

export interface Assessment {
  id: string;
  kind: 'initial' | 'comprehensive' | 'best_interests';
  findings: string;
  needs: string[];
  risk: RiskLevel;
  by: string;
  at: string;
  status: 'submitted' | 'approved' | 'returned';
  decidedBy: string | null;
  reason: string | null;
}

export interface CasePlan {
  goals: string[];
  services: Static<typeof PlannedService>[];
  reviewOn: string;
  status: 'draft' | 'approved' | 'returned';
  by: string;
  at: string;
  decidedBy: string | null;
  reason: string | null;
}

export interface CaseService {
  id: string;
  agency: string;
  service: string;
  note: string | null;
  status: 'referred' | 'accepted' | 'refused' | 'delivered' | 'ended';
  consentId: string;
  by: string;
  at: string;
  updatedAt: string;
}

export interface CaseTask {
  id: string;
  title: string;
  kind: 'first_contact' | 'follow_up' | 'plan_review' | 'other';
  dueOn: string | null;
  dueAt: string | null;
  assignee: string;
  status: 'open' | 'done';
  doneAt: string | null;
  doneBy: string | null;
}

export interface CaseTransfer {
  id: string;
  to: TransferTarget;
  reason: string;
  status: 'pending' | 'accepted' | 'refused';
  by: string;
  at: string;
  decidedBy: string | null;
  decidedAt: string | null;
  refusal: string | null;
}

export interface CaseState {
  kind: CaseKind;
  status: CaseStage;
  jurisdiction: string;
  officeId: string | null;
  /** "user:<id>" of whoever holds the case. */
  owner: string;
  workers: string[];
  risk: RiskLevel;
  riskHistory: { risk: RiskLevel; from: RiskLevel | null; reason: string; by: string; at: string }[];
  referralIds: string[];
  birthRecordId: string | null;
  child: CaseChild;
  separation: Separation | null;
  contactedAt: string | null;
  assessments: Assessment[];
  plan: CasePlan | null;
  services: CaseService[];
  tasks: CaseTask[];
  notes: { id: string; text: string; by: string; at: string }[];
  documents: { id: string; type: string; reference: string | null; description: string | null; by: string; at: string }[];
  consents: Consent[];
  transfers: CaseTransfer[];
  bids: { bidId: string; question: string; status: 'convened' | 'decided' | 'reopened'; decision: string | null }[];
  closure: { reason: string; note: string | null; requestedBy: string; at: string; approvedBy: string | null; resume: CaseStage } | null;
  /** Derived: the family's tracing consent is in force. */
  tracingConsent: boolean;
  reunifications: { tracingId: string; on: string; relation: string; by: string; at: string }[];
  followUps: { note: string; nextOn: string; by: string; at: string }[];
  openedAt: string;
  closedAt: string | null;
}

const always = ['NOTE', 'DOCUMENT', 'GIVE_CONSENT', 'WITHDRAW_CONSENT', 'BID_DECIDED', 'BID_REOPENED', 'REUNIFIED'];
const open = [
  ...always,
  'CONTACT',
  'ASSIGN',
  'UNASSIGN',
  'UPDATE_CHILD',
  'ASSESS',
  'APPROVE_ASSESSMENT',
  'RETURN_ASSESSMENT',
  'ADD_TASK',
  'COMPLETE_TASK',
  'CHANGE_RISK',
  'TRANSFER',
  'ACCEPT_TRANSFER',
  'REFUSE_TRANSFER',
  'LINK_BIRTH',
  'REQUEST_CLOSURE',
  'BID_CONVENED',
];
const planning = [...open, 'PLAN', 'APPROVE_PLAN', 'RETURN_PLAN'];
const implementing = [...planning, 'REFER_SERVICE', 'SERVICE_UPDATE', 'FOLLOW_UP'];

/** Stage → the actions allowed in it. */
export const caseTransitions: Readonly<Record<string, readonly string[]>> = {
  '(new)': ['OPEN'],
  REGISTERED: open,
  ASSESSMENT: open,
  PLANNING: planning,
  IMPLEMENTATION: implementing,
  FOLLOW_UP: implementing,
  CLOSURE_REQUESTED: ['APPROVE_CLOSURE', 'RETURN_CLOSURE', 'NOTE', 'DOCUMENT', 'WITHDRAW_CONSENT', 'SERVICE_UPDATE', 'BID_DECIDED', 'BID_REOPENED', 'REUNIFIED'],
  CLOSED: ['REOPEN', 'WITHDRAW_CONSENT', 'BID_DECIDED', 'BID_REOPENED', 'REUNIFIED'],
};

export const caseRecord = registerRecordType<CaseState & Json>({
  type: 'protection_case',
  confidential: true,
  transitions: caseTransitions,
  payloads: casePayloads,
  reduce(state, action) {
    return reduceCase(state as CaseState | undefined, action) as CaseState & Json;
  },
  status: (state) => state.status,
  keys: (state) => ({ jurisdiction: state.jurisdiction, officeId: state.officeId }),
});

function withTracing(state: CaseState): CaseState {
  return { ...state, tracingConsent: activeConsent(state.consents, 'tracing') !== undefined };
}

/** The pure fold of one action into a case. */
export function reduceCase(state: CaseState | undefined, action: ActionFacts): CaseState {
  const p = action.payload as unknown as CasePayload;
  const at = action.at.toISOString();
  const by = action.actor;
  const reason = action.reason ?? '';
  if (!state) {
    if (p.type !== 'OPEN') throw new AppError('internal', `a case cannot begin with ${p.type}`);
    return {
      kind: p.kind,
      status: 'REGISTERED',
      jurisdiction: p.jurisdiction,
      officeId: p.officeId,
      owner: by,
      workers: [],
      risk: p.risk,
      riskHistory: [{ risk: p.risk, from: null, reason: 'opened', by, at }],
      referralIds: p.referralIds,
      birthRecordId: p.birthRecordId,
      child: p.child,
      separation: p.separation,
      contactedAt: null,
      assessments: [],
      plan: null,
      services: [],
      tasks: [{ id: p.firstContact.taskId, title: 'first contact', kind: 'first_contact', dueOn: null, dueAt: p.firstContact.dueAt, assignee: by, status: 'open', doneAt: null, doneBy: null }],
      notes: [],
      documents: [],
      consents: [],
      transfers: [],
      bids: [],
      closure: null,
      tracingConsent: false,
      reunifications: [],
      followUps: [],
      openedAt: at,
      closedAt: null,
    };
  }
  const done = (task: CaseTask): CaseTask => ({ ...task, status: 'done', doneAt: at, doneBy: by });
  switch (p.type) {
    case 'OPEN':
      throw new AppError('internal', 'a case is opened once');
    case 'CONTACT':
      return {
        ...state,
        contactedAt: state.contactedAt ?? p.at,
        tasks: state.tasks.map((t) => (t.kind === 'first_contact' && t.status === 'open' ? done(t) : t)),
        ...(p.note && { notes: [...state.notes, { id: `contact-${action.recordSeq}`, text: p.note, by, at }] }),
      };
    case 'ASSIGN':
      return { ...state, workers: [...state.workers.filter((w) => w !== p.userId), p.userId] };
    case 'UNASSIGN':
      return { ...state, workers: state.workers.filter((w) => w !== p.userId) };
    case 'UPDATE_CHILD':
      return { ...state, ...(p.child && { child: p.child }), ...(p.separation && { separation: p.separation }) };
    case 'ASSESS': {
      const assessment: Assessment = { id: p.assessmentId, kind: p.kind, findings: p.findings, needs: p.needs, risk: p.risk, by, at, status: 'submitted', decidedBy: null, reason: null };
      return {
        ...state,
        status: state.status === 'REGISTERED' ? 'ASSESSMENT' : state.status,
        assessments: [...state.assessments, assessment],
        ...(p.risk !== state.risk && { risk: p.risk, riskHistory: [...state.riskHistory, { risk: p.risk, from: state.risk, reason: `assessment ${p.assessmentId}`, by, at }] }),
      };
    }
    case 'APPROVE_ASSESSMENT':
    case 'RETURN_ASSESSMENT': {
      const approved = p.type === 'APPROVE_ASSESSMENT';
      return {
        ...state,
        status: approved && (state.status === 'ASSESSMENT' || state.status === 'REGISTERED') ? 'PLANNING' : state.status,
        assessments: state.assessments.map((a) => (a.id === p.assessmentId ? { ...a, status: approved ? 'approved' : 'returned', decidedBy: by, reason: action.reason } : a)),
      };
    }
    case 'PLAN':
      return { ...state, plan: { goals: p.goals, services: p.services, reviewOn: p.reviewOn, status: 'draft', by, at, decidedBy: null, reason: null } };
    case 'APPROVE_PLAN': {
      const plan = state.plan!;
      const review: CaseTask = { id: p.reviewTaskId, title: 'plan review', kind: 'plan_review', dueOn: plan.reviewOn, dueAt: null, assignee: state.owner, status: 'open', doneAt: null, doneBy: null };
      return {
        ...state,
        status: state.status === 'PLANNING' ? 'IMPLEMENTATION' : state.status,
        plan: { ...plan, status: 'approved', decidedBy: by },
        // A new approved plan replaces the review of the one before.
        tasks: [...state.tasks.map((t) => (t.kind === 'plan_review' && t.status === 'open' ? done(t) : t)), review],
      };
    }
    case 'RETURN_PLAN':
      return { ...state, plan: state.plan && { ...state.plan, status: 'returned', decidedBy: by, reason: action.reason } };
    case 'REFER_SERVICE':
      return { ...state, services: [...state.services, { id: p.serviceId, agency: p.agency, service: p.service, note: p.note ?? null, status: 'referred', consentId: p.consentId, by, at, updatedAt: at }] };
    case 'SERVICE_UPDATE':
      return { ...state, services: state.services.map((s) => (s.id === p.serviceId ? { ...s, status: p.status, note: p.note ?? s.note, updatedAt: at } : s)) };
    case 'ADD_TASK':
      return { ...state, tasks: [...state.tasks, { id: p.taskId, title: p.title, kind: p.kind, dueOn: p.dueOn ?? null, dueAt: p.dueAt ?? null, assignee: p.assignee, status: 'open', doneAt: null, doneBy: null }] };
    case 'COMPLETE_TASK':
      return { ...state, tasks: state.tasks.map((t) => (t.id === p.taskId ? done(t) : t)) };
    case 'NOTE':
      return { ...state, notes: [...state.notes, { id: p.noteId, text: p.text, by, at }] };
    case 'DOCUMENT':
      return { ...state, documents: [...state.documents, { id: p.documentId, type: p.documentType, reference: p.reference ?? null, description: p.description ?? null, by, at }] };
    case 'CHANGE_RISK':
      return { ...state, risk: p.risk, riskHistory: [...state.riskHistory, { risk: p.risk, from: state.risk, reason, by, at }] };
    case 'GIVE_CONSENT':
      return withTracing({ ...state, consents: [...state.consents, { id: p.consentId, purpose: p.purpose, agency: p.agency, givenBy: p.givenBy, recordedBy: by, at, withdrawnAt: null, withdrawnBy: null }] });
    case 'WITHDRAW_CONSENT':
      return withTracing({ ...state, consents: state.consents.map((c) => (c.id === p.consentId && c.withdrawnAt === null ? { ...c, withdrawnAt: at, withdrawnBy: by } : c)) });
    case 'TRANSFER':
      return { ...state, transfers: [...state.transfers, { id: p.transferId, to: p.to, reason, status: 'pending', by, at, decidedBy: null, decidedAt: null, refusal: null }] };
    case 'ACCEPT_TRANSFER': {
      const transfer = state.transfers.find((t) => t.id === p.transferId)!;
      const transfers = state.transfers.map((t) => (t.id === p.transferId ? { ...t, status: 'accepted' as const, decidedBy: by, decidedAt: at } : t));
      // To an agency: the case stays with its team, and the agency is on record as having taken it.
      if (transfer.to.agency) return { ...state, transfers };
      // To a person or an office: the one who accepts holds it; the team before steps back (need to know).
      return {
        ...state,
        transfers,
        owner: by,
        workers: [],
        jurisdiction: transfer.to.jurisdiction ?? state.jurisdiction,
        officeId: p.officeId ?? state.officeId,
        tasks: state.tasks.map((t) => (t.status === 'open' ? { ...t, assignee: by } : t)),
      };
    }
    case 'REFUSE_TRANSFER':
      return { ...state, transfers: state.transfers.map((t) => (t.id === p.transferId ? { ...t, status: 'refused', decidedBy: by, decidedAt: at, refusal: reason } : t)) };
    case 'FOLLOW_UP':
      return {
        ...state,
        status: state.status === 'IMPLEMENTATION' ? 'FOLLOW_UP' : state.status,
        followUps: [...state.followUps, { note: p.note, nextOn: p.nextOn, by, at }],
        tasks: [
          ...state.tasks.map((t) => (t.kind === 'follow_up' && t.status === 'open' ? done(t) : t)),
          { id: p.taskId, title: 'follow-up visit', kind: 'follow_up', dueOn: p.nextOn, dueAt: null, assignee: state.owner, status: 'open', doneAt: null, doneBy: null },
        ],
      };
    case 'LINK_BIRTH':
      return { ...state, birthRecordId: p.birthRecordId };
    case 'REQUEST_CLOSURE':
      return { ...state, status: 'CLOSURE_REQUESTED', closure: { reason, note: p.note ?? null, requestedBy: by, at, approvedBy: null, resume: state.status } };
    case 'APPROVE_CLOSURE':
      return { ...state, status: 'CLOSED', closedAt: at, closure: state.closure && { ...state.closure, approvedBy: by } };
    case 'RETURN_CLOSURE':
      return { ...state, status: state.closure?.resume ?? 'IMPLEMENTATION', closure: null, notes: [...state.notes, { id: `closure-returned-${action.recordSeq}`, text: `closure returned: ${reason}`, by, at }] };
    case 'REOPEN':
      return { ...state, status: 'ASSESSMENT', closure: null, closedAt: null, notes: [...state.notes, { id: `reopened-${action.recordSeq}`, text: `reopened: ${reason}`, by, at }] };
    case 'BID_CONVENED':
      return { ...state, bids: [...state.bids.filter((b) => b.bidId !== p.bidId), { bidId: p.bidId, question: p.question, status: 'convened', decision: null }] };
    case 'BID_DECIDED':
      return { ...state, bids: state.bids.map((b) => (b.bidId === p.bidId ? { ...b, status: 'decided', decision: p.option } : b)) };
    case 'BID_REOPENED':
      return { ...state, bids: state.bids.map((b) => (b.bidId === p.bidId ? { ...b, status: 'reopened', decision: null } : b)) };
    case 'REUNIFIED':
      return { ...state, reunifications: [...state.reunifications, { tracingId: p.tracingId, on: p.on, relation: p.relation, by, at }] };
  }
}

/** The tasks still to do. */
export function openTasks(state: Pick<CaseState, 'tasks'>): CaseTask[] {
  return state.tasks.filter((t) => t.status === 'open');
}

/** The transfer waiting for an answer, if any (one at a time). */
export function pendingTransfer(state: Pick<CaseState, 'transfers'>): CaseTransfer | undefined {
  return state.transfers.find((t) => t.status === 'pending');
}

/** Whether the pack makes a best-interests determination mandatory for the case and none is decided. */
export function bidMissing(state: Pick<CaseState, 'kind' | 'bids'>, mandatoryKinds: readonly string[]): boolean {
  return mandatoryKinds.includes(state.kind) && !state.bids.some((b) => b.status === 'decided');
}

const conflict = (message: string, field: string, details: Record<string, unknown> = {}, hint?: string) => new AppError('conflict', message, { field, ...details, ...(hint && { hint }) });

const nextService: Record<CaseService['status'], readonly CaseService['status'][]> = {
  referred: ['accepted', 'refused', 'ended'],
  accepted: ['delivered', 'ended'],
  delivered: ['ended'],
  refused: [],
  ended: [],
};

/**
 * What the state must hold for an action to make sense beyond its stage (pure): the assessment to
 * approve is submitted and someone else's, the consent for a referral is in force, no open task is
 * left at closure… Throws a 409 naming the field and what to do. `me` is the actor id.
 */
export function checkCaseAction(state: CaseState, p: CasePayload, me: string, reason: string | null, rules: { bidMandatoryKinds: readonly string[] }): void {
  if (reasonRequired.includes(p.type) && !reason?.trim()) throw new AppError('validation_failed', `${p.type} needs a reason`, { field: 'reason', hint: 'say why' });
  switch (p.type) {
    case 'ASSIGN':
      if (p.userId === state.owner || state.workers.includes(p.userId)) throw conflict('already works on this case', 'userId');
      return;
    case 'UNASSIGN':
      if (!state.workers.includes(p.userId)) throw conflict('is not assigned to this case (the owner hands a case over by a transfer)', 'userId');
      return;
    case 'APPROVE_ASSESSMENT':
    case 'RETURN_ASSESSMENT': {
      const assessment = state.assessments.find((a) => a.id === p.assessmentId);
      if (!assessment || assessment.status !== 'submitted') throw conflict('no submitted assessment with this id', 'assessmentId', { submitted: state.assessments.filter((a) => a.status === 'submitted').map((a) => a.id) });
      if (assessment.by === me) throw conflict('an assessment is approved or returned by someone other than its author', 'assessmentId', {}, 'ask another supervisor');
      return;
    }
    case 'APPROVE_PLAN':
    case 'RETURN_PLAN':
      if (state.plan?.status !== 'draft') throw conflict('there is no draft plan to decide on', 'plan', {}, 'submit a plan first');
      if (state.plan.by === me) throw conflict('a plan is approved or returned by someone other than its author', 'plan', {}, 'ask another supervisor');
      return;
    case 'PLAN':
      if (!state.assessments.some((a) => a.status === 'approved')) throw conflict('a plan rests on an approved assessment', 'assessments', {}, 'submit an assessment and have it approved');
      return;
    case 'REFER_SERVICE': {
      const consent = activeConsent(state.consents, 'sharing', p.agency);
      if (!consent || consent.id !== p.consentId) {
        throw conflict(`no consent in force to share the case with ${p.agency}`, 'consent', { agency: p.agency }, 'record the consent of the child or family to share with this agency (GIVE_CONSENT purpose sharing), then refer');
      }
      return;
    }
    case 'SERVICE_UPDATE': {
      const service = state.services.find((s) => s.id === p.serviceId);
      if (!service) throw conflict('no service with this id', 'serviceId');
      if (!nextService[service.status].includes(p.status)) throw conflict(`a ${service.status} service cannot become ${p.status}`, 'status', { allowed: [...nextService[service.status]] });
      return;
    }
    case 'ADD_TASK':
      if ((p.dueOn === undefined) === (p.dueAt === undefined)) throw new AppError('validation_failed', 'give a task either dueOn or dueAt', { field: 'dueOn' });
      return;
    case 'COMPLETE_TASK':
      if (!state.tasks.some((t) => t.id === p.taskId && t.status === 'open')) throw conflict('no open task with this id', 'taskId', { open: openTasks(state).map((t) => t.id) });
      return;
    case 'CHANGE_RISK':
      if (p.risk === state.risk) throw conflict(`the risk is ${state.risk} already`, 'risk');
      return;
    case 'WITHDRAW_CONSENT':
      if (!state.consents.some((c) => c.id === p.consentId && c.withdrawnAt === null)) throw conflict('no consent in force with this id', 'consentId');
      return;
    case 'TRANSFER': {
      const pending = pendingTransfer(state);
      if (pending) throw conflict('a transfer is waiting for an answer already', 'to', { transferId: pending.id }, 'wait for it, or have it refused');
      if (p.to.userId === state.owner) throw conflict('the case is theirs already', 'to.userId');
      if (p.to.jurisdiction === state.jurisdiction) throw conflict('the case is in that jurisdiction already', 'to.jurisdiction');
      return;
    }
    case 'ACCEPT_TRANSFER':
    case 'REFUSE_TRANSFER':
      if (pendingTransfer(state)?.id !== p.transferId) throw conflict('no pending transfer with this id', 'transferId');
      return;
    case 'REQUEST_CLOSURE': {
      const left = openTasks(state);
      if (left.length) throw conflict('open tasks are left: complete them before asking to close the case', 'tasks', { openTasks: left.map((t) => ({ id: t.id, title: t.title, kind: t.kind })) }, 'complete each task (COMPLETE_TASK), then ask again');
      if (bidMissing(state, rules.bidMandatoryKinds)) throw conflict(`a ${state.kind} case is closed only after a best-interests determination is decided`, 'bids', {}, 'convene a BID panel and have it decide');
      return;
    }
    case 'APPROVE_CLOSURE':
    case 'RETURN_CLOSURE':
      if (state.closure?.requestedBy === me) throw conflict('the closure is approved or returned by someone other than who asked for it', 'closure', {}, 'ask another supervisor');
      return;
    case 'BID_DECIDED':
    case 'BID_REOPENED':
      if (!state.bids.some((b) => b.bidId === p.bidId)) throw conflict('no BID with this id on the case', 'bidId');
      return;
    default:
      return;
  }
}
