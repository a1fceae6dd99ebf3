import { type Actor, can } from '../access/policy.ts';
import type { Scope } from '../access/scopes.ts';
import { allowedActions } from '../core/action-log/record-definition.ts';
import { type BirthState, birthRecord, heldDocuments } from './record.ts';
import { type BirthRules, missingDocuments, timelinessOf } from './rules.ts';

/**
 * The scope each birth action asks of whoever takes it: the scopes the use cases check. Overdue
 * flags are the system's own (null): nobody is offered them.
 */
export const birthActionScopes: Readonly<Record<string, Scope | null>> = {
  NOTIFY: 'birth.notify',
  DECLARE: 'birth.declare',
  FLAG_OVERDUE: null,
  EVIDENCE_SEEN: 'birth.validate',
  ATTACH_DOCUMENT: 'birth.declare',
  VALIDATE: 'birth.validate',
  REQUEST_UPDATE: 'birth.validate',
  ARCHIVE: 'birth.validate',
  APPROVE_REGISTRATION: 'birth.register',
  REGISTER: 'birth.register',
  ASSIGN: 'birth.declare',
  UNASSIGN: 'birth.declare',
  REQUEST_CORRECTION: 'birth.declare',
  APPROVE_CORRECTION: 'correction.approve',
  REJECT_CORRECTION: 'correction.approve',
  REVOKE: 'correction.approve',
  ISSUE_CERTIFICATE: 'certificate.issue',
  REVOKE_CERTIFICATE: 'certificate.issue',
};

export interface BirthForActions {
  status: string;
  jurisdiction: string;
  data: BirthState;
}

/**
 * The actions `actor` may take on a birth now (pure): the transition table for its status, the
 * policy for the actor's scopes and jurisdiction, who holds the record, and the rules the use cases
 * enforce (documents still missing, a late registration's approval). The app shows exactly these
 * buttons; the server refuses the rest anyway.
 */
export function availableBirthActions(record: BirthForActions, actor: Actor | undefined, context: { me: string | undefined; today: string; rules: BirthRules }): string[] {
  const target = { jurisdiction: record.jurisdiction, facilityId: record.data.facilityId };
  const allowed = (scope: Scope | null | undefined) => Boolean(scope) && can(actor, scope!, target).allowed;
  const holder = record.data.assignedTo;
  const heldByOther = Boolean(holder) && holder !== context.me;
  const declaration = record.data.declaration;
  const timeliness = declaration ? timelinessOf(declaration.child.dateOfBirth, context.today, context.rules) : 'current';
  const approvalMissing = timeliness !== 'current' && context.rules.approvalNeeded.includes(timeliness) && record.data.approval?.timeliness !== timeliness;
  const documentsMissing = () => !declaration || missingDocuments(declaration, timeliness, context.rules, heldDocuments(record.data)).length > 0;
  return allowedActions(birthRecord, record.status).filter((action) => {
    if (!allowed(birthActionScopes[action])) return false;
    switch (action) {
      case 'ASSIGN':
        return holder !== context.me && (!heldByOther || allowed('birth.register'));
      case 'UNASSIGN':
        return Boolean(holder) && (!heldByOther || allowed('birth.register'));
      case 'VALIDATE':
        return !heldByOther && record.data.missingDocuments.length === 0;
      case 'APPROVE_REGISTRATION':
        return !heldByOther && approvalMissing;
      case 'REGISTER':
        return !heldByOther && !approvalMissing && !documentsMissing();
      // Handing a family its certificate waits for nobody who holds the record.
      case 'ISSUE_CERTIFICATE':
        return true;
      case 'REVOKE_CERTIFICATE':
        return (record.data.certificates ?? []).some((c) => !c.revokedAt);
      default:
        return !heldByOther;
    }
  });
}
