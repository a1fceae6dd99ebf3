import type { Json } from '../core/action-log/hashing.ts';
import { type ActionFacts, registerRecordType } from '../core/action-log/record-definition.ts';
import type { Declaration, Notification } from './declaration.ts';
import type { CitizenshipAtBirth, Timeliness, UnverifiedFact } from './rules.ts';

/**
 * The birth record on the action log. The reducer is pure: everything an action decides (the act
 * number, the IIN, timeliness, citizenship) is computed by the use case and carried in the action's
 * payload, so replaying the log always gives the same record.
 */
export type BirthStatus = 'NOTIFIED' | 'DECLARED' | 'REQUIRES_UPDATE' | 'VALIDATED' | 'REGISTERED' | 'CORRECTION_REQUESTED' | 'ARCHIVED' | 'REVOKED';

export interface Registration {
  number: string;
  iin: string;
  officeId: string;
  registeredOn: string;
  timeliness: Timeliness;
  citizenship: CitizenshipAtBirth;
}

/** A parent fact kept as sent but not verified; the registrar confirms it when registering. */
export interface UnverifiedParentFact extends UnverifiedFact {
  confirmedBy: string | null;
  confirmedAt: string | null;
}

/** An original document someone saw (no upload): who, when, which type. */
export interface EvidenceSeen {
  type: string;
  reference: string | null;
  seenBy: string;
  at: string;
}

/** A registrar's approval of a late or delayed registration: who, when, why. */
export interface RegistrationApproval {
  approvedBy: string;
  at: string;
  reason: string;
  timeliness: Timeliness;
}

/** A supporting document as the history cites it; the bytes are in the documents table. */
export interface AttachedDocument {
  id: string;
  type: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface BirthState {
  status: BirthStatus;
  jurisdiction: string;
  officeId: string | null;
  facilityId: string | null;
  notification: Notification | null;
  notifiedAt: string | null;
  /** When a notified birth passed the legal period undeclared (and the mother was reminded). */
  overdueSince: string | null;
  declaration: Declaration | null;
  /** Uploaded supporting documents, in the order they came. */
  attachments: AttachedDocument[];
  /** Originals someone recorded seeing; with the uploads, what counts towards the path's evidence. */
  evidenceSeen?: EvidenceSeen[];
  /** Implausible or unverifiable parent facts of the current notification or declaration. */
  unverified?: UnverifiedParentFact[];
  /** The approval a late or delayed registration needs (cleared by a new declaration). */
  approval?: RegistrationApproval | null;
  /** Document requirements not yet met (each a list of types of which one would do). */
  missingDocuments: string[][];
  registration: Registration | null;
  assignedTo: string | null;
  /** The reference of a birth imported from a legacy register. */
  legacyRef: string | null;
  /** Why it was last sent back, archived or revoked. */
  lastReason: string | null;
  /** Every correction ever asked for, with the declaration it proposed and what became of it. */
  corrections: { requestedBy: string; at: string; reason: string; proposed: Declaration; outcome: 'pending' | 'approved' | 'rejected'; decidedBy: string | null }[];
}

/** Action payloads, one per action type. */
export type BirthPayload =
  | { type: 'NOTIFY'; notification: Notification; jurisdiction: string; unverified?: UnverifiedFact[] }
  | { type: 'DECLARE'; declaration: Declaration; jurisdiction: string; missingDocuments: string[][]; legacyRef?: string; unverified?: UnverifiedFact[] }
  | { type: 'EVIDENCE_SEEN'; document: { type: string; reference: string | null }; missingDocuments: string[][] }
  | { type: 'APPROVE_REGISTRATION'; timeliness: Timeliness }
  | { type: 'FLAG_OVERDUE' }
  | { type: 'ATTACH_DOCUMENT'; document: AttachedDocument; missingDocuments: string[][] }
  | { type: 'VALIDATE' }
  | { type: 'REQUEST_UPDATE' }
  | { type: 'REGISTER'; registration: Registration; confirmed?: string[] }
  | { type: 'ARCHIVE' }
  | { type: 'ASSIGN'; userId: string }
  | { type: 'UNASSIGN' }
  | { type: 'REQUEST_CORRECTION'; proposed: Declaration }
  | { type: 'APPROVE_CORRECTION'; citizenship: CitizenshipAtBirth }
  | { type: 'REJECT_CORRECTION' }
  | { type: 'REVOKE' };

const assignment = ['ASSIGN', 'UNASSIGN', 'ATTACH_DOCUMENT'];

export const birthRecord = registerRecordType<BirthState & Json>({
  type: 'birth',
  transitions: {
    '(new)': ['NOTIFY', 'DECLARE'],
    NOTIFIED: ['DECLARE', 'ARCHIVE', 'FLAG_OVERDUE', 'EVIDENCE_SEEN', ...assignment],
    DECLARED: ['DECLARE', 'VALIDATE', 'REQUEST_UPDATE', 'ARCHIVE', 'EVIDENCE_SEEN', ...assignment],
    REQUIRES_UPDATE: ['DECLARE', 'ARCHIVE', 'EVIDENCE_SEEN', ...assignment],
    VALIDATED: ['REGISTER', 'APPROVE_REGISTRATION', 'REQUEST_UPDATE', 'EVIDENCE_SEEN', ...assignment],
    REGISTERED: ['REQUEST_CORRECTION', 'REVOKE', ...assignment],
    CORRECTION_REQUESTED: ['APPROVE_CORRECTION', 'REJECT_CORRECTION', ...assignment],
    ARCHIVED: [],
    REVOKED: [],
  },
  reduce(state, action: ActionFacts) {
    const p = action.payload as unknown as BirthPayload;
    const at = action.at.toISOString();
    if (!state) {
      const empty: BirthState = {
        status: 'NOTIFIED',
        jurisdiction: '',
        officeId: action.officeId,
        facilityId: null,
        notification: null,
        notifiedAt: null,
        overdueSince: null,
        declaration: null,
        attachments: [],
        missingDocuments: [],
        registration: null,
        assignedTo: null,
        legacyRef: null,
        lastReason: null,
        corrections: [],
      };
      return reduceBirth(empty, p, action, at) as BirthState & Json;
    }
    return reduceBirth(state as BirthState, p, action, at) as BirthState & Json;
  },
  status: (state) => state.status,
  keys: (state) => ({
    jurisdiction: state.jurisdiction,
    officeId: state.registration?.officeId ?? state.officeId,
    ref: state.legacyRef,
    number: state.registration?.number ?? null,
    subjectId: state.registration?.iin ?? null,
  }),
});

function reduceBirth(state: BirthState, p: BirthPayload, action: ActionFacts, at: string): BirthState {
  switch (p.type) {
    // New fields are set only by actions that carry them, so records written before they existed fold as they were stored.
    case 'NOTIFY':
      return { ...state, status: 'NOTIFIED', jurisdiction: p.jurisdiction, facilityId: p.notification.facilityId, notification: p.notification, notifiedAt: at, ...(p.unverified && { unverified: pending(p.unverified) }) };
    case 'DECLARE':
      return {
        ...state,
        ...(p.unverified && { unverified: pending(p.unverified) }),
        // New facts need a new approval.
        ...(state.approval && { approval: null }),
        status: 'DECLARED',
        jurisdiction: p.jurisdiction,
        officeId: action.officeId ?? state.officeId,
        facilityId: p.declaration.child.placeOfBirth.facilityId ?? state.facilityId,
        declaration: p.declaration,
        missingDocuments: p.missingDocuments,
        legacyRef: p.legacyRef ?? state.legacyRef,
        lastReason: null,
      };
    case 'ATTACH_DOCUMENT':
      return {
        ...state,
        attachments: [...state.attachments, p.document],
        declaration: state.declaration && { ...state.declaration, documents: [...state.declaration.documents, { type: p.document.type, reference: p.document.id }] },
        missingDocuments: p.missingDocuments,
      };
    case 'EVIDENCE_SEEN':
      return { ...state, evidenceSeen: [...(state.evidenceSeen ?? []), { ...p.document, seenBy: action.actor, at }], missingDocuments: p.missingDocuments };
    case 'APPROVE_REGISTRATION':
      return { ...state, approval: { approvedBy: action.actor, at, reason: action.reason ?? '', timeliness: p.timeliness } };
    case 'FLAG_OVERDUE':
      return { ...state, overdueSince: at };
    // Validating or sending back hands the record on: whoever held it lets it go.
    case 'VALIDATE':
      return { ...state, status: 'VALIDATED', assignedTo: null };
    case 'REQUEST_UPDATE':
      return { ...state, status: 'REQUIRES_UPDATE', lastReason: action.reason, assignedTo: null };
    case 'REGISTER':
      return {
        ...state,
        status: 'REGISTERED',
        registration: p.registration,
        missingDocuments: [],
        assignedTo: null,
        ...(p.confirmed && state.unverified && { unverified: state.unverified.map((f) => (p.confirmed!.includes(f.field) && !f.confirmedBy ? { ...f, confirmedBy: action.actor, confirmedAt: at } : f)) }),
      };
    case 'ARCHIVE':
      return { ...state, status: 'ARCHIVED', lastReason: action.reason, assignedTo: null };
    case 'ASSIGN':
      return { ...state, assignedTo: p.userId };
    case 'UNASSIGN':
      return { ...state, assignedTo: null };
    case 'REQUEST_CORRECTION':
      return {
        ...state,
        status: 'CORRECTION_REQUESTED',
        corrections: [...state.corrections, { requestedBy: action.actor, at, reason: action.reason ?? '', proposed: p.proposed, outcome: 'pending', decidedBy: null }],
      };
    case 'APPROVE_CORRECTION':
      // The IIN and the act number never change: they identify the person and the act for life.
      return {
        ...state,
        status: 'REGISTERED',
        declaration: state.corrections.at(-1)!.proposed,
        registration: state.registration && { ...state.registration, citizenship: p.citizenship },
        corrections: settle(state, 'approved', action.actor),
      };
    case 'REJECT_CORRECTION':
      return { ...state, status: 'REGISTERED', corrections: settle(state, 'rejected', action.actor), lastReason: action.reason };
    case 'REVOKE':
      return { ...state, status: 'REVOKED', lastReason: action.reason };
  }
}

function pending(facts: UnverifiedFact[]): UnverifiedParentFact[] {
  return facts.map((f) => ({ ...f, confirmedBy: null, confirmedAt: null }));
}

/** The document types that count towards a path's evidence: uploaded, or originals seen. */
export function heldDocuments(state: Pick<BirthState, 'attachments' | 'evidenceSeen'>): string[] {
  return [...state.attachments.map((d) => d.type), ...(state.evidenceSeen ?? []).map((d) => d.type)];
}

/** The fields of unverified parent facts nobody has confirmed yet. */
export function unconfirmedFacts(state: Pick<BirthState, 'unverified'>): UnverifiedParentFact[] {
  return (state.unverified ?? []).filter((f) => !f.confirmedBy);
}

function settle(state: BirthState, outcome: 'approved' | 'rejected', decidedBy: string): BirthState['corrections'] {
  return state.corrections.map((c, i) => (i === state.corrections.length - 1 ? { ...c, outcome, decidedBy } : c));
}
