import { type Static, type TSchema, Type } from 'typebox';
import type { Json } from '../core/action-log/hashing.ts';
import { type ActionFacts, registerRecordType } from '../core/action-log/record-definition.ts';
import { IsoDate } from '../core/dates.ts';
import { Declaration, Notification } from './declaration.ts';
import { type Timeliness, UnverifiedFact } from './rules.ts';

/**
 * The birth record on the action log. The reducer is pure: everything an action decides (the act
 * number, the IIN, timeliness, citizenship) is computed by the use case and carried in the action's
 * payload, so replaying the log always gives the same record.
 */
export type BirthStatus =
  | 'NOTIFIED'
  | 'DECLARED'
  | 'REQUIRES_UPDATE'
  | 'VALIDATED'
  | 'DUPLICATE_SUSPECTED'
  | 'REGISTERED'
  | 'CORRECTION_REQUESTED'
  | 'ARCHIVED'
  | 'REVOKED';

const Kato = Type.String({ pattern: '^[0-9]{9}$' });
const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });
const DocumentType = Type.String({ pattern: '^[a-z][a-z0-9_]{1,59}$' });
/** Document requirements not yet met: each a list of types of which one would do. */
const MissingDocuments = Type.Array(Type.Array(DocumentType, { maxItems: 20 }), { maxItems: 20 });
const TimelinessSchema = Type.Union([Type.Literal('current'), Type.Literal('late'), Type.Literal('delayed')]);
/** Parent facts kept as sent but unverified (an IIN that does not check, an implausible age). */
const UnverifiedFacts = Type.Array(UnverifiedFact, { maxItems: 20 });
/** The fields of unverified facts a registrar confirmed. */
const Confirmed = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 });

export const CitizenshipAtBirth = Type.Object({
  result: Type.Union([Type.Literal('citizen'), Type.Literal('not_citizen'), Type.Literal('undetermined')]),
  reason: Names,
  /** True when the result leaves the child without a nationality anyone has confirmed. */
  atRiskOfStatelessness: Type.Boolean(),
});

export const Registration = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 100 }),
  iin: Type.String({ pattern: '^[0-9]{12}$' }),
  officeId: Type.String({ minLength: 1, maxLength: 64 }),
  registeredOn: IsoDate,
  timeliness: TimelinessSchema,
  citizenship: CitizenshipAtBirth,
});
export type Registration = Static<typeof Registration>;

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
export const AttachedDocument = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: DocumentType,
  mediaType: Type.String({ minLength: 1, maxLength: 100 }),
  size: Type.Integer({ minimum: 1 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
});
export type AttachedDocument = Static<typeof AttachedDocument>;

export const CertificateKind = Type.Union([Type.Literal('birth_certificate'), Type.Literal('certified_copy'), Type.Literal('extract')]);
export type CertificateKind = Static<typeof CertificateKind>;
export const CertificateSerial = Type.String({ pattern: '^[A-Z]{2}-[0-9]{4}-[0-9]{7,}$' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
export const CertificateCollector = Type.Object({
  name: Text(200),
  relationship: Type.Union([Text(100), Type.Null()]),
  documentType: Text(100),
  documentNumber: Text(60),
});
export type CertificateCollector = Static<typeof CertificateCollector>;
export const CertificateIssue = Type.Object({
  serial: CertificateSerial,
  kind: CertificateKind,
  delivery: Type.Union([Type.Literal('in_person'), Type.Literal('electronic')]),
  collector: Type.Union([CertificateCollector, Type.Null()]),
  /** The signing key of the QR code. */
  keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
});
export type CertificateIssue = Static<typeof CertificateIssue>;

/** A certificate as the record remembers it: the issuance, and its revocation if any. */
export interface IssuedCertificate extends CertificateIssue {
  issuedAt: string;
  issuedBy: string;
  officeId: string | null;
  /** The record's version right after the issuance: a correction approved later supersedes it. */
  recordVersion: number;
  revokedAt: string | null;
  revokedBy: string | null;
  revocationReason: string | null;
}

/** A record suspected of repeating another: which, by how much (log2 match weight). */
const Suspect = Type.Object({ recordId: Type.String({ format: 'uuid' }), score: Type.Number() });

export interface DuplicateState {
  /** Records this one may repeat, still waiting for a decision. */
  suspected: { recordId: string; score: number }[];
  /** The status it goes back to once every suspect is found not to be a duplicate. */
  resume: BirthStatus | null;
  /** Records a registrar found this one does not repeat (never suspected again). */
  dismissed: string[];
  /** The record this one repeats, once a registrar said so. */
  duplicateOf: string | null;
}

/** A payload that says only which action it is: the action's who, when and why say the rest. */
const bare = <T extends string>(type: T) => Type.Object({ type: Type.Literal(type) });

/**
 * The payload schema of every birth action type: the record store checks each payload against
 * its schema when the action is written (unknown properties refused at every level), so a birth's
 * history holds only what is described here. A new action type adds its schema here, and its
 * payload type follows from it.
 */
export const birthPayloads = {
  NOTIFY: Type.Object({ type: Type.Literal('NOTIFY'), notification: Notification, jurisdiction: Kato, unverified: Type.Optional(UnverifiedFacts) }),
  DECLARE: Type.Object({
    type: Type.Literal('DECLARE'),
    declaration: Declaration,
    jurisdiction: Kato,
    missingDocuments: MissingDocuments,
    /** The reference of a birth imported from a legacy register. */
    legacyRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    unverified: Type.Optional(UnverifiedFacts),
  }),
  EVIDENCE_SEEN: Type.Object({
    type: Type.Literal('EVIDENCE_SEEN'),
    document: Type.Object({ type: DocumentType, reference: Type.Union([Type.String({ minLength: 1, maxLength: 120 }), Type.Null()]) }),
    missingDocuments: MissingDocuments,
  }),
  APPROVE_REGISTRATION: Type.Object({ type: Type.Literal('APPROVE_REGISTRATION'), timeliness: TimelinessSchema }),
  FLAG_OVERDUE: bare('FLAG_OVERDUE'),
  ATTACH_DOCUMENT: Type.Object({ type: Type.Literal('ATTACH_DOCUMENT'), document: AttachedDocument, missingDocuments: MissingDocuments }),
  VALIDATE: bare('VALIDATE'),
  REQUEST_UPDATE: bare('REQUEST_UPDATE'),
  REGISTER: Type.Object({ type: Type.Literal('REGISTER'), registration: Registration, confirmed: Type.Optional(Confirmed) }),
  ARCHIVE: bare('ARCHIVE'),
  /** userId: the actor id of whoever takes the record ("user:<id>"). */
  ASSIGN: Type.Object({ type: Type.Literal('ASSIGN'), userId: Type.String({ minLength: 1, maxLength: 200 }) }),
  UNASSIGN: bare('UNASSIGN'),
  REQUEST_CORRECTION: Type.Object({ type: Type.Literal('REQUEST_CORRECTION'), proposed: Declaration, unverified: Type.Optional(UnverifiedFacts) }),
  APPROVE_CORRECTION: Type.Object({ type: Type.Literal('APPROVE_CORRECTION'), citizenship: CitizenshipAtBirth, confirmed: Type.Optional(Confirmed) }),
  REJECT_CORRECTION: bare('REJECT_CORRECTION'),
  REVOKE: bare('REVOKE'),
  /** A certificate printed or sent: its serial and kind, and who collected it showing which ID (or that it went electronically). */
  ISSUE_CERTIFICATE: Type.Object({ type: Type.Literal('ISSUE_CERTIFICATE'), certificate: CertificateIssue }),
  REVOKE_CERTIFICATE: Type.Object({ type: Type.Literal('REVOKE_CERTIFICATE'), serial: CertificateSerial }),
  /** Record linkage found records this one may repeat: it waits for a registrar's decision on each. */
  FLAG_DUPLICATE: Type.Object({ type: Type.Literal('FLAG_DUPLICATE'), suspects: Type.Array(Suspect, { minItems: 1, maxItems: 50 }) }),
  /** A registrar found this record is not a duplicate of that one. */
  NOT_DUPLICATE: Type.Object({ type: Type.Literal('NOT_DUPLICATE'), recordId: Type.String({ format: 'uuid' }) }),
  /** A suspect no longer needs a decision here: this record was kept and the suspect found to repeat it, or the suspect was found to repeat a third record. */
  SUSPECT_CLEARED: Type.Object({ type: Type.Literal('SUSPECT_CLEARED'), recordId: Type.String({ format: 'uuid' }), why: Type.Union([Type.Literal('kept'), Type.Literal('duplicate_elsewhere')]) }),
  /** A registrar found this record repeats `duplicateOf`, which is kept: this one is archived (or revoked, when registered). */
  MARK_DUPLICATE: Type.Object({ type: Type.Literal('MARK_DUPLICATE'), duplicateOf: Type.String({ format: 'uuid' }) }),
} satisfies Record<string, TSchema>;

/** Action payloads, one per action type. */
export type BirthPayload = { [K in keyof typeof birthPayloads]: Static<(typeof birthPayloads)[K]> }[keyof typeof birthPayloads];

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
  /** Record linkage's findings (absent on records never suspected). */
  duplicates?: DuplicateState;
  /** Every certificate issued, oldest first (absent on records that never had one). */
  certificates?: IssuedCertificate[];
  /** Every correction ever asked for, with the declaration it proposed and what became of it. */
  corrections: {
    requestedBy: string;
    at: string;
    reason: string;
    proposed: Declaration;
    outcome: 'pending' | 'approved' | 'rejected';
    decidedBy: string | null;
    /** Implausible or unverifiable parent facts of the proposed declaration, confirmed on approval. */
    unverified?: UnverifiedParentFact[];
  }[];
}

const assignment = ['ASSIGN', 'UNASSIGN', 'ATTACH_DOCUMENT'];
/** A registered birth keeps its registered facts while a correction waits, so certificates can be issued then too. */
const certificates = ['ISSUE_CERTIFICATE', 'REVOKE_CERTIFICATE'];
/** Any record still standing can be found to repeat another, even registered (by the batch audit, long after). */
const review = ['NOT_DUPLICATE', 'SUSPECT_CLEARED', 'MARK_DUPLICATE'];

export const birthRecord = registerRecordType<BirthState & Json>({
  type: 'birth',
  transitions: {
    '(new)': ['NOTIFY', 'DECLARE'],
    NOTIFIED: ['DECLARE', 'ARCHIVE', 'FLAG_OVERDUE', 'EVIDENCE_SEEN', ...review, ...assignment],
    DECLARED: ['DECLARE', 'VALIDATE', 'REQUEST_UPDATE', 'ARCHIVE', 'EVIDENCE_SEEN', 'FLAG_DUPLICATE', ...review, ...assignment],
    REQUIRES_UPDATE: ['DECLARE', 'ARCHIVE', 'EVIDENCE_SEEN', ...review, ...assignment],
    VALIDATED: ['REGISTER', 'APPROVE_REGISTRATION', 'REQUEST_UPDATE', 'EVIDENCE_SEEN', 'FLAG_DUPLICATE', ...review, ...assignment],
    DUPLICATE_SUSPECTED: [...review, 'ARCHIVE', 'EVIDENCE_SEEN', ...assignment],
    REGISTERED: ['REQUEST_CORRECTION', 'REVOKE', ...certificates, ...review, ...assignment],
    CORRECTION_REQUESTED: ['APPROVE_CORRECTION', 'REJECT_CORRECTION', ...certificates, ...review, ...assignment],
    ARCHIVED: [],
    REVOKED: [],
  },
  payloads: birthPayloads,
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
        ...(p.confirmed && state.unverified && { unverified: confirmFacts(state.unverified, p.confirmed, action.actor, at) }),
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
        corrections: [
          ...state.corrections,
          { requestedBy: action.actor, at, reason: action.reason ?? '', proposed: p.proposed, outcome: 'pending', decidedBy: null, ...(p.unverified && { unverified: pending(p.unverified) }) },
        ],
      };
    case 'APPROVE_CORRECTION': {
      // The IIN and the act number never change: they identify the person and the act for life.
      const approved = state.corrections.at(-1)!;
      return {
        ...state,
        status: 'REGISTERED',
        declaration: approved.proposed,
        registration: state.registration && { ...state.registration, citizenship: p.citizenship },
        corrections: settle(state, 'approved', action.actor),
        // The corrected declaration's facts replace those of the one it corrects.
        ...(approved.unverified && { unverified: confirmFacts(approved.unverified, p.confirmed ?? [], action.actor, at) }),
      };
    }
    case 'REJECT_CORRECTION':
      return { ...state, status: 'REGISTERED', corrections: settle(state, 'rejected', action.actor), lastReason: action.reason };
    case 'REVOKE':
      return { ...state, status: 'REVOKED', lastReason: action.reason };
    case 'ISSUE_CERTIFICATE': {
      const issued: IssuedCertificate = {
        ...p.certificate,
        issuedAt: at,
        issuedBy: action.actor,
        officeId: action.officeId,
        recordVersion: action.recordSeq,
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
      };
      return { ...state, certificates: [...(state.certificates ?? []), issued] };
    }
    case 'FLAG_DUPLICATE': {
      const before = state.duplicates ?? { suspected: [], resume: null, dismissed: [], duplicateOf: null };
      const known = new Set(before.suspected.map((s) => s.recordId));
      return {
        ...state,
        status: 'DUPLICATE_SUSPECTED',
        assignedTo: null,
        duplicates: { ...before, suspected: [...before.suspected, ...p.suspects.filter((s) => !known.has(s.recordId))], resume: state.status === 'DUPLICATE_SUSPECTED' ? before.resume : state.status },
      };
    }
    case 'NOT_DUPLICATE':
    case 'SUSPECT_CLEARED': {
      const before = state.duplicates ?? { suspected: [], resume: null, dismissed: [], duplicateOf: null };
      const suspected = before.suspected.filter((s) => s.recordId !== p.recordId);
      const back = state.status === 'DUPLICATE_SUSPECTED' && !suspected.length;
      return {
        ...state,
        status: back ? (before.resume ?? 'DECLARED') : state.status,
        duplicates: { ...before, suspected, resume: back ? null : before.resume, dismissed: [...before.dismissed.filter((id) => id !== p.recordId), p.recordId] },
      };
    }
    case 'MARK_DUPLICATE': {
      const before = state.duplicates ?? { suspected: [], resume: null, dismissed: [], duplicateOf: null };
      // A registered duplicate is revoked (its IIN is never reissued); one not yet registered is archived.
      return { ...state, status: state.registration ? 'REVOKED' : 'ARCHIVED', lastReason: action.reason, assignedTo: null, duplicates: { ...before, suspected: [], resume: null, duplicateOf: p.duplicateOf } };
    }
    case 'REVOKE_CERTIFICATE':
      return {
        ...state,
        certificates: (state.certificates ?? []).map((c) => (c.serial === p.serial ? { ...c, revokedAt: at, revokedBy: action.actor, revocationReason: action.reason } : c)),
      };
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

/** The unconfirmed facts of a correction waiting for approval. */
export function unconfirmedCorrectionFacts(state: Pick<BirthState, 'corrections'>): UnverifiedParentFact[] {
  const last = state.corrections.at(-1);
  return last?.outcome === 'pending' ? unconfirmedFacts(last) : [];
}

function confirmFacts(facts: UnverifiedParentFact[], fields: string[], by: string, at: string): UnverifiedParentFact[] {
  return facts.map((f) => (fields.includes(f.field) && !f.confirmedBy ? { ...f, confirmedBy: by, confirmedAt: at } : f));
}

function settle(state: BirthState, outcome: 'approved' | 'rejected', decidedBy: string): BirthState['corrections'] {
  return state.corrections.map((c, i) => (i === state.corrections.length - 1 ? { ...c, outcome, decidedBy } : c));
}
