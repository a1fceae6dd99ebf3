import { api } from '../../api/client.ts';

/**
 * Child protection as the browser sees it (src/http/routes/protection-*.ts): the referral inbox,
 * the cases, one case with its timeline and the actions the reader may take, the supervisor's
 * dashboard. Paths carry ids only; names never go into the address bar.
 */

export type Risk = 'high' | 'medium' | 'low';
export const risks: Risk[] = ['high', 'medium', 'low'];

/** One referral of the inbox (ReferralView): no names, the birth record and the flags only. */
export interface Referral {
  id: string;
  recordId: string;
  jurisdiction: string;
  flags: { code: string; risk: Risk }[];
  risk: Risk;
  stage: string;
  status: 'open' | 'acknowledged';
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  escalatedAt: string | null;
  caseId: string | null;
  acknowledgedAt: string | null;
  firstContactAt: string | null;
}

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export type ReferralStatus = 'open' | 'acknowledged' | 'all';

export const stages = ['REGISTERED', 'ASSESSMENT', 'PLANNING', 'IMPLEMENTATION', 'FOLLOW_UP', 'CLOSURE_REQUESTED', 'CLOSED'] as const;
export const caseKinds = ['birth_referral', 'unaccompanied', 'separated', 'other'] as const;
export const assessmentKinds = ['initial', 'comprehensive', 'best_interests'] as const;
export type AssessmentKind = (typeof assessmentKinds)[number];
/** Kinds of document a case keeps a reference to (codes; named in messages.ts). */
export const documentTypes = ['identity_document', 'birth_certificate', 'medical_report', 'police_report', 'school_record', 'court_decision', 'travel_document', 'other'] as const;
export const consentPurposes = ['sharing', 'tracing', 'data_use'] as const;
/** The partner agencies of the pack (config/kz/protection.json), named in messages.ts. */
export const agencies = ['health', 'education', 'legal_aid', 'interpreters', 'shelter', 'migration_service', 'guardianship'] as const;

export interface ChildFacts {
  surname?: string;
  givenName?: string;
  patronymic?: string;
  sex?: string;
  dateOfBirth?: string;
  approximateAge?: { years: number; estimatedBy: string; note?: string };
  languages?: string[];
  countryOfOrigin?: string;
  identityAsStated?: boolean;
}

export interface Assessment {
  id: string;
  kind: AssessmentKind;
  findings: string;
  needs: string[];
  risk: Risk;
  by: string;
  at: string;
  status: 'submitted' | 'approved' | 'returned';
}

export interface PlannedService {
  id?: string;
  agency: string;
  service: string;
  responsible?: string;
  dueOn?: string;
}

export interface Plan {
  goals: string[];
  services: PlannedService[];
  reviewOn: string;
  status: 'draft' | 'approved' | 'returned';
}

export interface ServiceReferral {
  id: string;
  agency: string;
  service: string;
  status: 'referred' | 'accepted' | 'refused' | 'delivered' | 'ended';
  consentId?: string | null;
  at: string;
}

export interface Task {
  id: string;
  title: string;
  kind: 'first_contact' | 'follow_up' | 'plan_review' | 'other';
  dueOn?: string | null;
  dueAt?: string | null;
  assignee?: string | null;
  status: 'open' | 'done';
  doneAt?: string | null;
}

export interface CaseDocument {
  id: string;
  type: string;
  reference?: string | null;
  description?: string | null;
  by: string;
  at: string;
}

export interface Consent {
  id: string;
  purpose: string;
  /** For sharing: the one agency it allows (null allows none). */
  agency: string | null;
  givenBy: { name: string; relation: string };
  recordedBy: string;
  at: string;
  withdrawnAt: string | null;
}

export interface Transfer {
  id: string;
  to: { jurisdiction?: string; userId?: string; agency?: string };
  reason: string;
  status: 'pending' | 'accepted' | 'refused';
}

export interface CaseBid {
  bidId: string;
  question: string;
  status: string;
  decision?: string | null;
}

/** The case's state (CaseState in src/protection/case-record.ts), as far as the screens read it. */
export interface CaseState {
  kind: string;
  jurisdiction: string;
  officeId?: string | null;
  owner: string;
  workers: string[];
  risk: Risk;
  riskHistory?: { risk: Risk; from: Risk | null; reason: string; by: string; at: string }[];
  referralIds: string[];
  birthRecordId: string | null;
  child: ChildFacts;
  contactedAt: string | null;
  assessments: Assessment[];
  plan: Plan | null;
  services: ServiceReferral[];
  tasks: Task[];
  documents: CaseDocument[];
  consents: Consent[];
  transfers: Transfer[];
  bids: CaseBid[];
  closure: { reason: string; note: string | null; requestedBy: string; at: string; approvedBy: string | null } | null;
  followUps?: { note: string; nextOn: string; by: string; at: string }[];
  notes?: { id: string; text: string; by: string; at: string }[];
  reunifications?: { tracingId: string; on: string; relation: string; by: string; at: string }[];
  openedAt?: string;
}

/** GET /protection/cases/:id: the case, its stage and version, what the reader may do now, its referrals. */
export interface CaseView {
  id: string;
  stage: string;
  version: number;
  jurisdiction: string;
  /** read, work or supervise; none after an action that took the reader off the case (data is null then). */
  access: string;
  data: CaseState | null;
  allowedActions: string[];
  referrals: Referral[];
  createdAt: string;
  updatedAt: string;
}

/** A case the reader can still see: its data is there. */
export type OpenedCase = CaseView & { data: CaseState };

export function hasData(view: CaseView): view is OpenedCase {
  return view.data !== null;
}

/** One row of "my cases" (CaseListItem): the child's names only on cases the reader works on (null otherwise). */
export interface CaseRow {
  id: string;
  stage: string;
  kind: string;
  risk: Risk;
  jurisdiction: string;
  version: number;
  openedAt: string;
  updatedAt: string;
  works: boolean;
  child: { surname: string | null; givenName: string | null } | null;
  openTasks: number;
  overdueTasks: number;
}

export interface CaseHistoryEntry {
  seq: number;
  type: string;
  actor: string;
  actorName: string | null;
  at: string;
  reason: string | null;
  payload: Record<string, unknown>;
}

export interface Dashboard {
  casesByStage: { stage: string; risk: Risk; count: number }[];
  overdueTasks: number;
  escalatedReferrals: number;
  firstContact: { count: number; withinDeadline: number; medianHours: number | null };
  bidOutcomes: { option: string; count: number }[];
  referralsByAgency: { agency: string; count: number }[];
  casesPerWorker: { worker: string; name: string | null; count: number }[];
}

export const protectionKeys = {
  referrals: (status: ReferralStatus, risk: Risk | '') => ['protection', 'referrals', status, risk] as const,
  cases: (stage: string, risk: string) => ['protection', 'cases', stage, risk] as const,
  case: (id: string) => ['protection', 'case', id] as const,
  history: (id: string) => ['protection', 'case', id, 'actions'] as const,
  dashboard: ['protection', 'dashboard'] as const,
};

export function listReferrals(status: ReferralStatus, risk: Risk | '', cursor: string | undefined): Promise<Paged<Referral>> {
  return api<Paged<Referral>>('GET', '/protection/referrals', { query: { status, risk: risk || undefined, cursor, limit: 25 } });
}

export function openCase(referralId: string, idempotencyKey: string): Promise<CaseView> {
  return api<CaseView>('POST', '/protection/cases', { body: { referralId }, idempotencyKey });
}

export function listCases(stage: string, risk: string, cursor: string | undefined): Promise<Paged<CaseRow>> {
  return api<Paged<CaseRow>>('GET', '/protection/cases', { query: { stage: stage || undefined, risk: risk || undefined, cursor, limit: 25 } });
}

export function getCase(id: string): Promise<CaseView> {
  return api<CaseView>('GET', `/protection/cases/${id}`);
}

export function caseHistory(id: string): Promise<CaseHistoryEntry[]> {
  return api<{ items: CaseHistoryEntry[] }>('GET', `/protection/cases/${id}/actions`).then((answer) => answer.items);
}

/** An action on the version on screen: a case changed meanwhile answers 409 version_conflict, never overwritten. */
export function actOnCase(id: string, version: number, action: CaseAction, idempotencyKey: string): Promise<CaseView> {
  return api<CaseView>('POST', `/protection/cases/${id}/actions`, { body: { ...action, expectedVersion: version }, idempotencyKey });
}

export function getDashboard(): Promise<Dashboard> {
  return api<Dashboard>('GET', '/protection/dashboard');
}

/** What the case page sends: the action type and its payload. */
export type CaseAction = { type: string } & Record<string, unknown>;

/** A person's names as written, surname first; undefined when none are known. */
export function personName(person: { surname?: string | null; givenName?: string | null; patronymic?: string | null } | null | undefined): string | undefined {
  if (!person) return undefined;
  return [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ') || undefined;
}

/**
 * How long until a deadline, or how long past it: whole hours under two days, else whole days.
 * Rounded toward the deadline's side (an hour and a half left is "1 hour", never "2").
 */
export function timeLeft(due: string, now: Date): { overdue: boolean; unit: 'hour' | 'day'; amount: number } {
  const ms = new Date(due).getTime() - now.getTime();
  const overdue = ms <= 0;
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  if (hours < 48) return { overdue, unit: 'hour', amount: hours };
  return { overdue, unit: 'day', amount: Math.floor(hours / 24) };
}

/** Whether an open task is past its due date or time (a due date is due by the end of that day, UTC calendar). */
export function taskOverdue(task: Pick<Task, 'status' | 'dueOn' | 'dueAt'>, now: Date): boolean {
  if (task.status !== 'open') return false;
  if (task.dueAt) return new Date(task.dueAt).getTime() <= now.getTime();
  if (task.dueOn) return task.dueOn < now.toISOString().slice(0, 10);
  return false;
}

/** The consent that lets the case share with this agency now (as the server checks it: sharing, that agency, not withdrawn). */
export function sharingConsent(consents: Consent[], agency: string): Consent | undefined {
  return consents.find((c) => c.purpose === 'sharing' && c.withdrawnAt === null && c.agency === agency);
}

/** The largest count of a chart, for scaling its bars (at least 1). */
export function scaleOf(counts: number[]): number {
  return Math.max(1, ...counts);
}
