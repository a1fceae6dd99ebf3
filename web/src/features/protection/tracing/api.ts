import { api, newIdempotencyKey } from '../../../api/client.ts';

/**
 * Family tracing as the browser sees it (src/http/routes/protection-tracing.ts): a request from a
 * parent or relative with the family's tracing consent, its matches among protection cases, other
 * requests and birth records (explained field by field), and the steps from a confirmed match to the
 * reunification, or why not.
 */

export const relations = ['mother', 'father', 'sibling', 'grandparent', 'aunt_uncle', 'other_relative', 'caregiver', 'child', 'other'] as const;
export const verificationMethods = ['documents', 'interview', 'photographs', 'community', 'dna', 'other'] as const;
export const verificationOutcomes = ['confirmed', 'not_confirmed', 'inconclusive'] as const;
export const assessmentOutcomes = ['suitable', 'suitable_with_support', 'unsuitable'] as const;

export interface Requester {
  surname?: string;
  givenName?: string;
  patronymic?: string;
  relation: string;
  contact?: string;
}

export interface Sought {
  surname?: string;
  givenName?: string;
  patronymic?: string;
  sex?: 'male' | 'female';
  dateOfBirth?: string;
  approximateAge?: { years: number; margin?: number };
  lastSeen?: { place?: string; on?: string; circumstances?: string };
}

interface Stamp {
  by: string;
  at: string;
}

export type MatchKind = 'case' | 'tracing' | 'birth';

export interface MatchDecision extends Stamp {
  kind: MatchKind;
  subjectId: string;
  person: number | null;
  status: 'confirmed' | 'rejected';
  score: number | null;
  reason: string | null;
}

export interface TracingRequest {
  id: string;
  status: string;
  version: number;
  jurisdiction: string;
  officeId: string | null;
  createdBy: string;
  createdAt: string;
  workers: string[];
  caseId: string | null;
  requester: Requester;
  sought: Sought;
  soughtRange: { bornFrom: string; bornTo: string } | null;
  consent: { givenBy: { name: string; relation: string }; recordedBy: string; at: string; withdrawnAt: string | null; withdrawnBy: string | null };
  matches: MatchDecision[];
  contacts: ({ note: string } & Stamp)[];
  verifications: ({ method: string; outcome: string; note: string } & Stamp)[];
  assessments: ({ outcome: string; note: string } & Stamp)[];
  reunification: ({ caseId: string | null; on: string; note: string } & Stamp) | null;
  notReunified: ({ reason: string } & Stamp) | null;
  closure: ({ reason: string; from: string } & Stamp) | null;
  access: 'work' | 'supervise';
  allowedActions: string[];
}

export interface ListItem {
  id: string;
  status: string;
  jurisdiction: string;
  createdAt: string;
  createdBy: string;
  sought: { surname: string | null; givenName: string | null } | null;
  requester: { surname: string | null; givenName: string | null; relation: string } | null;
  confirmedMatches: number;
}

export interface TracingPage {
  items: ListItem[];
  nextCursor: string | null;
}

/** A person of a candidate, in the candidate's role (a case's child, a birth's mother…). */
export interface CandidatePerson {
  person: number;
  role: string;
  surname?: string;
  givenName?: string;
  patronymic?: string;
  sex?: string;
  dateOfBirth?: string;
  bornFrom?: string;
  bornTo?: string;
  place?: string;
}

export interface MatchField {
  field: string;
  level: string;
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}

export interface Match {
  kind: MatchKind;
  subjectId: string;
  jurisdiction: string;
  score: number;
  band: 'likely' | 'possible';
  sought: CandidatePerson;
  requester: CandidatePerson | null;
  fields: MatchField[];
  decision: 'confirmed' | 'rejected' | null;
}

export interface NewRequest {
  requester: Requester;
  sought: Sought;
  consent: { givenBy: { name: string; relation: string } };
  caseId?: string;
}

export type TracingAction =
  | { type: 'CONFIRM_MATCH'; kind: MatchKind; subjectId: string }
  | { type: 'REJECT_MATCH'; kind: MatchKind; subjectId: string; reason: string }
  | { type: 'CONTACT'; note: string }
  | { type: 'VERIFY_RELATIONSHIP'; method: string; outcome: string; note: string }
  | { type: 'ASSESS_FAMILY'; outcome: string; note: string }
  | { type: 'REUNIFY'; caseId?: string; on: string; note: string }
  | { type: 'NOT_REUNIFIED'; reason: string }
  | { type: 'WITHDRAW_CONSENT' }
  | { type: 'CLOSE'; reason: string };

export const tracingKeys = {
  all: ['protection', 'tracing'] as const,
  list: (status: string) => ['protection', 'tracing', 'list', status] as const,
  one: (id: string) => ['protection', 'tracing', 'one', id] as const,
  matches: (id: string) => ['protection', 'tracing', 'matches', id] as const,
};

export function listTracing(status: string, cursor: string | undefined): Promise<TracingPage> {
  return api<TracingPage>('GET', '/protection/tracing', { query: { status: status || undefined, cursor, limit: 50 } });
}

export function getTracing(id: string): Promise<TracingRequest> {
  return api<TracingRequest>('GET', `/protection/tracing/${id}`);
}

export function getMatches(id: string): Promise<Match[]> {
  return api<{ items: Match[] }>('GET', `/protection/tracing/${id}/matches`).then((answer) => answer.items);
}

export function createTracing(input: NewRequest, idempotencyKey: string = newIdempotencyKey()): Promise<TracingRequest> {
  return api<TracingRequest>('POST', '/protection/tracing', { body: input, idempotencyKey });
}

export function actOnTracing(request: Pick<TracingRequest, 'id' | 'version'>, action: TracingAction, idempotencyKey: string = newIdempotencyKey()): Promise<TracingRequest> {
  return api<TracingRequest>('POST', `/protection/tracing/${request.id}/actions`, { body: { ...action, expectedVersion: request.version }, idempotencyKey });
}

/** Names as written, surname first; undefined when none was given. */
export function personName(person: { surname?: string | null; givenName?: string | null; patronymic?: string | null } | null | undefined): string | undefined {
  if (!person) return undefined;
  return [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ') || undefined;
}

/** Strings trimmed and empty ones left out, so the server (which refuses empty strings) sees only what was said. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value)
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v] as const)
      .filter(([, v]) => v !== undefined && v !== '' && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)),
  ) as Partial<T>;
}

/** The steps from a request to a reunification, and which are done by what the request holds. */
export const followUpSteps = ['match', 'contact', 'verify', 'assess', 'outcome'] as const;
export type FollowUpStep = (typeof followUpSteps)[number];

export function followUpDone(request: TracingRequest): Record<FollowUpStep, boolean> {
  return {
    match: request.matches.some((m) => m.status === 'confirmed'),
    contact: request.contacts.length > 0,
    verify: request.verifications.some((v) => v.outcome === 'confirmed'),
    assess: request.assessments.length > 0,
    outcome: request.reunification !== null || request.notReunified !== null,
  };
}

/** The review already recorded for a match (confirmed or rejected), if any. */
export function decisionOf(request: TracingRequest, match: Pick<Match, 'kind' | 'subjectId'>): MatchDecision | undefined {
  return request.matches.findLast((m) => m.kind === match.kind && m.subjectId === match.subjectId);
}
