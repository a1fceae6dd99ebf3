import type { BirthState } from '../../../../../src/births/record.ts';
import { api, Offline } from '../../../api/client.ts';
import { loadRecord, saveRecord } from '../../offline/record-cache.ts';

/** A birth as GET /births/:id answers it (BirthView in src/http/routes/births-common.ts). */
export interface BirthView {
  id: string;
  status: string;
  version: number;
  jurisdiction: string;
  number: string | null;
  iin: string | null;
  data: BirthState;
  warnings: string[];
  allowedActions: string[];
  /** The child-protection referrals the record raised (only on a read). */
  protection?: ReferralNotice[];
}

type Names = { kk: string; ru: string; en: string };

/** A referral to child protection as the birth record shows it: the flags, named, and its deadline. */
export interface ReferralNotice {
  referralId: string;
  flags: { code: string; risk: string; name: Names; reason: Names }[];
  risk: string;
  referredAt: string;
  dueAt: string;
  acknowledged: boolean;
}

/** One action of the record's history, as GET /records/:id/actions answers it. */
export interface HistoryEntry {
  recordSeq: number;
  type: string;
  actor: string;
  actorName: string | null;
  officeId: string | null;
  at: string;
  reason: string | null;
  payload: Record<string, unknown>;
  hash: string;
}

export interface LoadedRecord {
  view: BirthView;
  history: HistoryEntry[];
  /** Set when there was no connection and this is the copy kept on the device, saved then. */
  savedAt?: string;
}

export const recordKey = (id: string) => ['birth', id] as const;

export function fetchHistory(id: string): Promise<HistoryEntry[]> {
  return api<{ items: HistoryEntry[] }>('GET', `/records/${id}/actions`).then((answer) => answer.items);
}

/**
 * The record and its history. A record the reader holds is kept on the device as it was read, so
 * that it can still be read with no connection; without one, that copy is what is shown.
 */
export async function loadBirth(id: string, me: string | undefined): Promise<LoadedRecord> {
  try {
    const [view, history] = await Promise.all([api<BirthView>('GET', `/births/${id}`), fetchHistory(id)]);
    if (me && view.data.assignedTo === me) await saveRecord({ record: { ...view }, history, savedAt: new Date().toISOString() });
    return { view, history };
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
    const cached = await loadRecord(id);
    if (!cached) throw error;
    return { view: cached.record as unknown as BirthView, history: Array.isArray(cached.history) ? (cached.history as HistoryEntry[]) : [], savedAt: cached.savedAt };
  }
}

/** The workflow actions the record page offers, each as the server's path for it. */
export const actionPaths = {
  VALIDATE: 'validate',
  REQUEST_UPDATE: 'request-update',
  ARCHIVE: 'archive',
  APPROVE_REGISTRATION: 'approve-registration',
  REGISTER: 'register',
  ASSIGN: 'assign',
  UNASSIGN: 'release',
  APPROVE_CORRECTION: 'corrections/approve',
  REJECT_CORRECTION: 'corrections/reject',
  REVOKE: 'revoke',
  EVIDENCE_SEEN: 'evidence',
} as const;
export type RecordAction = keyof typeof actionPaths;

/** An action on the version shown: a record changed meanwhile answers 409 version_conflict, never overwritten. */
export function performAction(id: string, action: RecordAction, version: number, body: Record<string, unknown> = {}): Promise<BirthView> {
  return api<BirthView>('POST', `/births/${id}/${actionPaths[action]}`, { body: { ...body, version } });
}
