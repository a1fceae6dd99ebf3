import { type Actor, actorId, can } from '../access/policy.ts';
import { caseTransitions, type CaseActionType, type CaseState, moduleActions, openTasks, pendingTransfer, type CaseTransfer } from './case-record.ts';

/**
 * Need to know (pure): who may see a protection case and what they may do with it. A case is never
 * visible to a whole jurisdiction: its owner and assigned workers work on it, the supervisor whose
 * jurisdiction covers it supervises it, the recipient of a pending transfer reads it to decide; a
 * registrar or another case worker of the same district sees nothing (the same 404 as "not there").
 */
export type CaseAccess = 'none' | 'read' | 'work' | 'supervise';

const rank: Record<CaseAccess, number> = { none: 0, read: 1, work: 2, supervise: 3 };

export function atLeast(access: CaseAccess, need: CaseAccess): boolean {
  return rank[access] >= rank[need];
}

type AccessState = Pick<CaseState, 'owner' | 'workers' | 'jurisdiction' | 'transfers'>;

/** Whether the actor is who a transfer waits for: the named person, or a worker of the target jurisdiction. */
export function isTransferRecipient(actor: Actor | undefined, transfer: Pick<CaseTransfer, 'to'>): boolean {
  if (!actor || actor.kind !== 'user') return false;
  if (transfer.to.userId) return transfer.to.userId === actorId(actor) && actor.scopes.has('protection.case.write');
  if (transfer.to.jurisdiction) return can(actor, 'protection.case.write', { jurisdiction: transfer.to.jurisdiction }).allowed;
  return false;
}

export function caseAccess(actor: Actor | undefined, state: AccessState): CaseAccess {
  if (!actor) return 'none';
  if (actor.kind === 'system') return 'supervise';
  // Machines never read a protection case.
  if (actor.kind !== 'user' || !actor.scopes.has('protection.case.read')) return 'none';
  if (actor.scopes.has('protection.case.supervise') && can(actor, 'protection.case.supervise', { jurisdiction: state.jurisdiction }).allowed) return 'supervise';
  const me = actorId(actor);
  if (state.owner === me || state.workers.includes(me)) return actor.scopes.has('protection.case.write') ? 'work' : 'read';
  const pending = pendingTransfer(state);
  if (pending && isTransferRecipient(actor, pending)) return 'read';
  return 'none';
}

/** The access each action a person takes needs. */
export const caseActionNeeds: Readonly<Record<Exclude<CaseActionType, 'OPEN' | (typeof moduleActions)[number]>, CaseAccess>> = {
  CONTACT: 'work',
  ASSIGN: 'work',
  UNASSIGN: 'work',
  UPDATE_CHILD: 'work',
  ASSESS: 'work',
  APPROVE_ASSESSMENT: 'supervise',
  RETURN_ASSESSMENT: 'supervise',
  PLAN: 'work',
  APPROVE_PLAN: 'supervise',
  RETURN_PLAN: 'supervise',
  REFER_SERVICE: 'work',
  SERVICE_UPDATE: 'work',
  ADD_TASK: 'work',
  COMPLETE_TASK: 'work',
  NOTE: 'work',
  DOCUMENT: 'work',
  CHANGE_RISK: 'work',
  GIVE_CONSENT: 'work',
  WITHDRAW_CONSENT: 'work',
  TRANSFER: 'work',
  // The recipient of the transfer answers it (an agency's answer is recorded by the case's team).
  ACCEPT_TRANSFER: 'read',
  REFUSE_TRANSFER: 'read',
  FOLLOW_UP: 'work',
  LINK_BIRTH: 'work',
  REQUEST_CLOSURE: 'work',
  APPROVE_CLOSURE: 'supervise',
  RETURN_CLOSURE: 'supervise',
  REOPEN: 'work',
};

export function isPersonAction(type: string): type is keyof typeof caseActionNeeds {
  return Object.hasOwn(caseActionNeeds, type);
}

/**
 * May the actor take this action on the case (its access, scopes and, for a transfer's answer,
 * whether it is theirs to give)? The stage is checked separately (the transition table).
 */
export function mayTake(actor: Actor | undefined, state: AccessState, type: string): boolean {
  if (!isPersonAction(type) || !actor || actor.kind === 'client') return false;
  if (actor.kind === 'user' && !actor.scopes.has('protection.case.write')) return false;
  const access = caseAccess(actor, state);
  if (!atLeast(access, caseActionNeeds[type])) return false;
  if (type === 'ACCEPT_TRANSFER' || type === 'REFUSE_TRANSFER') {
    const pending = pendingTransfer(state);
    if (!pending) return false;
    // An agency is outside the system: its answer is recorded by the case's team.
    return pending.to.agency ? atLeast(access, 'work') : isTransferRecipient(actor, pending) || actor.kind === 'system';
  }
  return true;
}

/**
 * The actions the actor may take on the case now, as buttons: allowed in its stage, within the
 * actor's access, and with something to act on (a submitted assessment by someone else, an open task…).
 */
export function allowedCaseActions(actor: Actor | undefined, state: CaseState): string[] {
  const me = actor ? actorId(actor) : '';
  const ready: Partial<Record<string, () => boolean>> = {
    APPROVE_ASSESSMENT: () => state.assessments.some((a) => a.status === 'submitted' && a.by !== me),
    RETURN_ASSESSMENT: () => state.assessments.some((a) => a.status === 'submitted' && a.by !== me),
    PLAN: () => state.assessments.some((a) => a.status === 'approved'),
    APPROVE_PLAN: () => state.plan?.status === 'draft' && state.plan.by !== me,
    RETURN_PLAN: () => state.plan?.status === 'draft' && state.plan.by !== me,
    SERVICE_UPDATE: () => state.services.some((s) => s.status === 'referred' || s.status === 'accepted' || s.status === 'delivered'),
    COMPLETE_TASK: () => openTasks(state).length > 0,
    WITHDRAW_CONSENT: () => state.consents.some((c) => c.withdrawnAt === null),
    UNASSIGN: () => state.workers.length > 0,
    TRANSFER: () => !pendingTransfer(state),
    ACCEPT_TRANSFER: () => pendingTransfer(state) !== undefined,
    REFUSE_TRANSFER: () => pendingTransfer(state) !== undefined,
    REQUEST_CLOSURE: () => openTasks(state).length === 0,
    APPROVE_CLOSURE: () => state.closure?.requestedBy !== me,
    RETURN_CLOSURE: () => state.closure?.requestedBy !== me,
  };
  return (caseTransitions[state.status] ?? []).filter((type) => mayTake(actor, state, type) && (ready[type]?.() ?? true));
}
