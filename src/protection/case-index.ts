import type { Json } from '../core/action-log/hashing.ts';
import type { RecordRow } from '../core/action-log/record-store.ts';
import { addDays } from '../core/dates.ts';
import type { Tx } from '../core/db/types.ts';
import { indexPeople, type PersonFacts } from './people-index.ts';
import { type CaseState, openTasks, pendingTransfer, type Relative } from './case-record.ts';

/**
 * The lookups a case's state makes (migration 0019): its row in protection_cases, its members
 * (need to know) and its open tasks, rewritten in the transaction of every action on it; and the
 * people it names, indexed for family tracing when they or the tracing consent change.
 */
export type CaseRow = RecordRow<CaseState & Json>;

export async function syncCaseIndex(tx: Tx, row: CaseRow): Promise<void> {
  const s = row.data;
  const transfer = pendingTransfer(s);
  await tx.query(
    `INSERT INTO protection_cases (id, jurisdiction, stage, risk, kind, transfer_to, opened_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET jurisdiction = $2, stage = $3, risk = $4, kind = $5, transfer_to = $6, updated_at = $8`,
    [row.id, row.jurisdiction, row.status, s.risk, s.kind, transfer?.to.jurisdiction ?? null, row.createdAt, row.updatedAt],
  );
  await tx.query('DELETE FROM protection_case_members WHERE case_id = $1', [row.id]);
  const members: [string, string][] = [[s.owner, 'owner'], ...s.workers.map((w): [string, string] => [w, 'worker'])];
  if (transfer?.to.userId) members.push([transfer.to.userId, 'recipient']);
  for (const [actor, role] of members) {
    await tx.query('INSERT INTO protection_case_members (case_id, actor, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [row.id, actor, role]);
  }
  await tx.query('DELETE FROM protection_case_tasks WHERE case_id = $1', [row.id]);
  for (const task of row.status === 'CLOSED' ? [] : openTasks(s)) {
    await tx.query(
      'INSERT INTO protection_case_tasks (case_id, task_id, kind, assignee, due_on, due_at, jurisdiction, due, title) VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($6::timestamptz, $5::date::timestamptz), $8)',
      [row.id, task.id, task.kind, task.assignee, task.dueOn, task.dueAt, row.jurisdiction, task.title],
    );
  }
}

/** A range of birth dates for an approximate age in whole years on `today`; widened by a year each side unless documents show it. */
function bornBetween(years: number, estimatedBy: string, today: string): { bornFrom: string; bornTo: string } {
  const slack = estimatedBy === 'documents' ? 0 : 1;
  const shift = (n: number) => `${String(Number(today.slice(0, 4)) - n).padStart(4, '0')}${today.slice(4)}`;
  return { bornFrom: addDays(shift(years + 1 + slack), 1), bornTo: shift(Math.max(0, years - slack)) };
}

function person(role: PersonFacts['role'], r: Partial<Relative>, place?: string): PersonFacts {
  const facts: PersonFacts = { role };
  if (r.surname) facts.surname = r.surname;
  if (r.givenName) facts.givenName = r.givenName;
  if (r.patronymic) facts.patronymic = r.patronymic;
  if (r.sex) facts.sex = r.sex;
  if (r.dateOfBirth) facts.dateOfBirth = r.dateOfBirth;
  if (place) facts.lastSeenPlace = place;
  return facts;
}

/** The people a case names, as family tracing indexes them (pure). */
export function casePeople(s: Pick<CaseState, 'child' | 'separation'>, today: string): PersonFacts[] {
  const child = person('child', s.child, s.separation?.where);
  if (!s.child.dateOfBirth && s.child.approximateAge) Object.assign(child, bornBetween(s.child.approximateAge.years, s.child.approximateAge.estimatedBy, today));
  const relatives = [...(s.separation?.parents ?? []), ...(s.separation?.siblings ?? [])].map((r) => person(r.role, r, r.whereabouts));
  return [child, ...relatives];
}

/** What indexing depends on: re-index only when this changes. */
export function peopleKey(s: CaseState, jurisdiction: string): string {
  return JSON.stringify([s.child, s.separation, s.tracingConsent, jurisdiction]);
}

export async function indexCasePeople(tx: Tx, row: CaseRow, today: string): Promise<void> {
  await indexPeople(tx, { id: row.id, kind: 'case', jurisdiction: row.jurisdiction, tracingConsent: row.data.tracingConsent, people: casePeople(row.data, today) });
}
