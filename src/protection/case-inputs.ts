import { type Static, type TSchema, Type } from 'typebox';
import { Instant, IsoDate } from '../core/dates.ts';
import { Risk } from './settings.ts';
import { AssessmentKind, CaseChild, Separation, ServiceStatus } from './case-record.ts';

/**
 * What a person sends to act on a case (POST /api/v1/protection/cases/:id/actions, or the CLI):
 * the action's type, the version last seen, a reason where the action needs one, and its fields.
 * Ids of what the action makes (a task, an assessment) are the server's; see casePayloads.
 */
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Id = Type.String({ format: 'uuid' });
/** A user's id, or their actor id "user:<id>". */
const UserRef = Type.String({ pattern: '^(user:)?[0-9a-fA-F-]{36}$' });

const common = {
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you last saw; 409 version_conflict if it changed since' })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'why (required by CHANGE_RISK, TRANSFER, REFUSE_TRANSFER, RETURN_*, REQUEST_CLOSURE, REOPEN)' })),
};
const action = <T extends string, P extends Record<string, TSchema> = Record<never, TSchema>>(type: T, properties?: P) =>
  Type.Object({ type: Type.Literal(type), ...common, ...(properties as P) }, { additionalProperties: false });

export const caseActionInputs = {
  CONTACT: action('CONTACT', { at: Type.Optional(Instant), note: Type.Optional(Text(4000)) }),
  ASSIGN: action('ASSIGN', { userId: UserRef }),
  UNASSIGN: action('UNASSIGN', { userId: UserRef }),
  UPDATE_CHILD: action('UPDATE_CHILD', { child: Type.Optional(CaseChild), separation: Type.Optional(Separation) }),
  ASSESS: action('ASSESS', { kind: AssessmentKind, findings: Text(8000), needs: Type.Array(Text(300), { maxItems: 50 }), risk: Risk }),
  APPROVE_ASSESSMENT: action('APPROVE_ASSESSMENT', { assessmentId: Id }),
  RETURN_ASSESSMENT: action('RETURN_ASSESSMENT', { assessmentId: Id }),
  PLAN: action('PLAN', {
    goals: Type.Array(Text(500), { minItems: 1, maxItems: 30 }),
    services: Type.Array(Type.Object({ agency: Code, service: Text(200), responsible: Text(200), dueOn: IsoDate }, { additionalProperties: false }), { maxItems: 50 }),
    reviewOn: Type.Optional(IsoDate),
  }),
  APPROVE_PLAN: action('APPROVE_PLAN'),
  RETURN_PLAN: action('RETURN_PLAN'),
  REFER_SERVICE: action('REFER_SERVICE', { agency: Code, service: Text(200), note: Type.Optional(Text(2000)) }),
  SERVICE_UPDATE: action('SERVICE_UPDATE', { serviceId: Id, status: ServiceStatus, note: Type.Optional(Text(2000)) }),
  ADD_TASK: action('ADD_TASK', {
    title: Text(300),
    kind: Type.Optional(Type.Union([Type.Literal('follow_up'), Type.Literal('plan_review'), Type.Literal('other')])),
    dueOn: Type.Optional(IsoDate),
    dueAt: Type.Optional(Instant),
    assignee: Type.Optional(UserRef),
  }),
  COMPLETE_TASK: action('COMPLETE_TASK', { taskId: Id, note: Type.Optional(Text(2000)) }),
  NOTE: action('NOTE', { text: Text(8000) }),
  DOCUMENT: action('DOCUMENT', { documentType: Code, reference: Type.Optional(Text(200)), description: Type.Optional(Text(1000)) }),
  CHANGE_RISK: action('CHANGE_RISK', { risk: Risk }),
  GIVE_CONSENT: action('GIVE_CONSENT', { purpose: Code, agency: Type.Optional(Code), givenBy: Type.Object({ name: Text(200), relation: Text(40) }, { additionalProperties: false }) }),
  WITHDRAW_CONSENT: action('WITHDRAW_CONSENT', { consentId: Text(64) }),
  TRANSFER: action('TRANSFER', {
    to: Type.Union([
      Type.Object({ userId: UserRef }, { additionalProperties: false }),
      Type.Object({ jurisdiction: Type.String({ pattern: '^[0-9]{9}$' }) }, { additionalProperties: false }),
      Type.Object({ agency: Code }, { additionalProperties: false }),
    ]),
  }),
  ACCEPT_TRANSFER: action('ACCEPT_TRANSFER', { transferId: Type.Optional(Id) }),
  REFUSE_TRANSFER: action('REFUSE_TRANSFER', { transferId: Type.Optional(Id) }),
  FOLLOW_UP: action('FOLLOW_UP', { note: Text(4000), nextOn: Type.Optional(IsoDate) }),
  LINK_BIRTH: action('LINK_BIRTH', { birthRecordId: Id }),
  REQUEST_CLOSURE: action('REQUEST_CLOSURE', { note: Type.Optional(Text(4000)) }),
  APPROVE_CLOSURE: action('APPROVE_CLOSURE'),
  RETURN_CLOSURE: action('RETURN_CLOSURE'),
  REOPEN: action('REOPEN'),
};

const i = caseActionInputs;
export const CaseActionInput = Type.Union([
  i.CONTACT,
  i.ASSIGN,
  i.UNASSIGN,
  i.UPDATE_CHILD,
  i.ASSESS,
  i.APPROVE_ASSESSMENT,
  i.RETURN_ASSESSMENT,
  i.PLAN,
  i.APPROVE_PLAN,
  i.RETURN_PLAN,
  i.REFER_SERVICE,
  i.SERVICE_UPDATE,
  i.ADD_TASK,
  i.COMPLETE_TASK,
  i.NOTE,
  i.DOCUMENT,
  i.CHANGE_RISK,
  i.GIVE_CONSENT,
  i.WITHDRAW_CONSENT,
  i.TRANSFER,
  i.ACCEPT_TRANSFER,
  i.REFUSE_TRANSFER,
  i.FOLLOW_UP,
  i.LINK_BIRTH,
  i.REQUEST_CLOSURE,
  i.APPROVE_CLOSURE,
  i.RETURN_CLOSURE,
  i.REOPEN,
]);
export type CaseActionInput = { [K in keyof typeof caseActionInputs]: Static<(typeof caseActionInputs)[K]> }[keyof typeof caseActionInputs];

/** Opening a case: from a referral in the inbox, or for a child on the move who has no referral. */
export const OpenCaseInput = Type.Union([
  Type.Object({ referralId: Id, child: Type.Optional(CaseChild) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Union([Type.Literal('unaccompanied'), Type.Literal('separated'), Type.Literal('other')]),
      child: CaseChild,
      separation: Type.Optional(Separation),
      risk: Risk,
      birthRecordId: Type.Optional(Id),
      jurisdiction: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'KATO code of the case; yours by default' })),
    },
    { additionalProperties: false },
  ),
]);
export type OpenCaseInput = Static<typeof OpenCaseInput>;
