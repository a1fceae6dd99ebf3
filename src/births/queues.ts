import { type Actor, authorize } from '../access/policy.ts';
import { isInstant, isIsoDate } from '../core/dates.ts';
import { isUuid } from '../core/ids.ts';
import { AppError } from '../core/errors.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { findOffice } from '../places/store.ts';
import type { BirthState } from './record.ts';
import { type BirthRules, daysBetween, isWorkingDay, type Names, timelinessOf } from './rules.ts';
import { type BirthDeps, localDate } from './workflow.ts';

/**
 * The lists a registry office works from: the gap (births notified and not yet registered) and the
 * work queues by status. Every list is cut to the reader's jurisdiction in SQL, before the page is.
 */

/**
 * The KATO prefixes a list is cut to: the reader's jurisdiction, and an area or an office's area
 * the reader asks for (LIKE ALL of them).
 */
async function areaPrefixes(deps: BirthDeps, actor: Actor | undefined, q: { within?: string; office?: string }): Promise<string[]> {
  authorize(actor, 'record.read');
  const scope = actor.kind === 'system' ? null : actor.jurisdiction;
  let within = q.within ?? null;
  if (q.office) {
    const office = await findOffice(deps.db, q.office);
    if (!office) throw new AppError('validation_failed', `no registry office ${q.office}`, { field: 'office', hint: 'see GET /api/v1/offices' });
    within = office.kato;
  }
  const prefixes = [scope, within].filter((p): p is string => p !== null).map((p) => `${significantPrefix(p)}%`);
  return prefixes.length ? prefixes : ['%'];
}

export interface GapEntry {
  id: string;
  status: string;
  facilityId: string | null;
  jurisdiction: string;
  dateOfBirth: string;
  /** Null when the stored date is not a calendar date (a record from before dates were checked). */
  ageDays: number | null;
  notifiedAt: string;
  overdue: boolean;
}

/**
 * "The gap": births a facility notified that are not registered yet, oldest first, inside the
 * reader's jurisdiction (and under `within`, or an office's place, when given). What registrars
 * work through: a registered, archived or revoked birth leaves it.
 */
export async function listGap(deps: BirthDeps, actor: Actor | undefined, q: { within?: string; office?: string; limit: number }): Promise<GapEntry[]> {
  const prefixes = await areaPrefixes(deps, actor, q);
  const { rows } = await deps.db.query<{ id: string; status: string; jurisdiction: string; data: BirthState }>(
    `SELECT id, status, jurisdiction, data FROM records
     WHERE type = 'birth' AND status IN ('NOTIFIED', 'DECLARED', 'REQUIRES_UPDATE', 'VALIDATED')
       AND data->>'notifiedAt' IS NOT NULL AND jurisdiction LIKE ALL ($1::text[])
     ORDER BY data->'notification'->'child'->>'dateOfBirth', id LIMIT $2`,
    [prefixes, q.limit],
  );
  const today = localDate(deps.clock.now(), deps.timeZone);
  return rows.map((r) => {
    const dateOfBirth = r.data.notification!.child.dateOfBirth;
    const valid = typeof dateOfBirth === 'string' && isIsoDate(dateOfBirth) && dateOfBirth <= today;
    return {
      id: r.id,
      status: r.status,
      facilityId: r.data.facilityId,
      jurisdiction: r.jurisdiction,
      dateOfBirth,
      ageDays: valid ? daysBetween(dateOfBirth, today) : null,
      notifiedAt: r.data.notifiedAt!,
      // A birth whose date cannot be read is treated as overdue: someone must look at it.
      overdue: !valid || timelinessOf(dateOfBirth, today, deps.rules) !== 'current',
    };
  });
}

/**
 * The dates of birth from which a registration declared `today` stops being current (`late`: the
 * latest such date) and becomes delayed (`delayed`: the latest such date); the inverse of
 * timelinessOf, so a list can be cut by date in SQL (pure). Timeliness only grows as the date of
 * birth goes back, so the first date found walking back is the cutoff.
 */
export function timelinessCutoffs(today: string, rules: Pick<BirthRules, 'declarationWorkingDays' | 'lateWithinDays' | 'calendar'>): { late: string; delayed: string } {
  const back = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  let late = today;
  // Working days after a date of birth up to today: walk back one day at a time until there are more than the period.
  for (let counted = 0; counted <= rules.declarationWorkingDays; late = back(late, 1)) if (isWorkingDay(late, rules.calendar)) counted++;
  const delayed = back(today, rules.lateWithinDays + 1);
  return { late, delayed: delayed < late ? delayed : late };
}

/**
 * A validated birth waiting for the registrar's recorded approval (SQL over `records r`): past the
 * legal period, of a timeliness the pack wants approved, with no approval for that timeliness yet.
 * What register refuses until approve-registration is done (registerBirth, availableBirthActions).
 * Parameters: $a = the late cutoff, $b = the delayed cutoff, $c = the timeliness categories needing approval.
 */
function awaitingApproval(a: number, b: number, c: number): string {
  const dob = "r.data->'declaration'->'child'->>'dateOfBirth'";
  const needed = `CASE WHEN ${dob} <= $${b} THEN 'delayed' ELSE 'late' END`;
  return `(r.status = 'VALIDATED' AND ${dob} <= $${a} AND ${needed} = ANY($${c}::text[])
    AND coalesce(r.data->'approval'->>'timeliness', '') <> ${needed})`;
}

/** A registered birth that has never had a certificate issued (the record keeps them in data.certificates). */
const unprinted = `r.data->'certificates' IS NULL`;

/**
 * The work queues of a registry office, by the status a record waits in; a validated birth that needs
 * a late-registration approval waits in late_registrations, not ready_to_register. `mine` is what the
 * reader has taken to work on. Oldest first (what waits longest comes first), except the registered,
 * newest first.
 */
export const birthQueues = {
  notified: ['NOTIFIED'],
  ready_to_validate: ['DECLARED'],
  requires_update: ['REQUIRES_UPDATE'],
  ready_to_register: ['VALIDATED'],
  /** Declarations stopped by record linkage until a registrar decides whether they repeat another record. */
  suspected_duplicates: ['DUPLICATE_SUSPECTED'],
  late_registrations: ['VALIDATED'],
  corrections: ['CORRECTION_REQUESTED'],
  recently_registered: ['REGISTERED'],
  /** Registered births whose family has no certificate yet. */
  ready_to_print: ['REGISTERED'],
  mine: ['NOTIFIED', 'DECLARED', 'REQUIRES_UPDATE', 'VALIDATED', 'DUPLICATE_SUSPECTED', 'REGISTERED', 'CORRECTION_REQUESTED'],
} as const;
export type BirthQueue = keyof typeof birthQueues;
export const birthQueueNames = Object.keys(birthQueues) as BirthQueue[];

export interface QueueEntry {
  id: string;
  status: string;
  version: number;
  jurisdiction: string;
  /** As typed in the declaration (or null before one, or for a child not named yet). */
  childName: string | null;
  dateOfBirth: string | null;
  /** The child's age in days. */
  ageDays: number | null;
  /** When the record came in (notified, or declared when nobody notified it). */
  receivedAt: string;
  /** Whole days since it came in. */
  waitingDays: number;
  /** Past the legal period for a current registration: it will need the late documents and approval. */
  late: boolean;
  facilityId: string | null;
  /** Where the child was born: the facility's name, or the place's, in the pack's three languages. */
  place: Names | null;
  /** Who holds the record (an actor id), and their name. */
  assignedTo: string | null;
  assignee: string | null;
  updatedAt: string;
}

function holderOf(actor: Actor): string | null {
  return actor.kind === 'system' ? null : `${actor.kind}:${actor.id}`;
}

/** A page position: the last entry's time and id, opaque to the caller. */
export function encodeCursor(updatedAt: Date, id: string): string {
  return Buffer.from(`${updatedAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !isInstant(at) || !isUuid(id)) {
    throw new AppError('validation_failed', 'this cursor is not one the list gave', { field: 'after', hint: 'send the `next` of the previous page, or nothing for the first page' });
  }
  return { at, id };
}

/** The parameters of awaitingApproval, as of today where the registry is. */
function approvalParameters(deps: BirthDeps): [string, string, string[]] {
  const cutoffs = timelinessCutoffs(localDate(deps.clock.now(), deps.timeZone), deps.rules);
  return [cutoffs.late, cutoffs.delayed, deps.rules.approvalNeeded];
}

/** How many records wait in each queue, inside the reader's jurisdiction (and area, if asked). */
export async function countBirthQueues(deps: BirthDeps, actor: Actor | undefined, q: { within?: string; office?: string }): Promise<Record<BirthQueue, number>> {
  const prefixes = await areaPrefixes(deps, actor, q);
  const { rows } = await deps.db.query<{ status: string; n: number; mine: number; awaiting: number; unprinted: number }>(
    `SELECT r.status, count(*)::int AS n, count(*) FILTER (WHERE r.data->>'assignedTo' = $2)::int AS mine,
       count(*) FILTER (WHERE ${awaitingApproval(3, 4, 5)})::int AS awaiting,
       count(*) FILTER (WHERE ${unprinted})::int AS unprinted
     FROM records r WHERE r.type = 'birth' AND r.jurisdiction LIKE ALL ($1::text[]) GROUP BY r.status`,
    [prefixes, holderOf(actor!), ...approvalParameters(deps)],
  );
  const byStatus = new Map(rows.map((r) => [r.status, r]));
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + pick(r), 0);
  const count = (name: BirthQueue): number => {
    if (name === 'mine') return sum((r) => ((birthQueues.mine as readonly string[]).includes(r.status) ? r.mine : 0));
    if (name === 'late_registrations') return sum((r) => r.awaiting);
    if (name === 'ready_to_print') return byStatus.get('REGISTERED')?.unprinted ?? 0;
    const n = birthQueues[name].reduce((total, status) => total + (byStatus.get(status)?.n ?? 0), 0);
    return name === 'ready_to_register' ? n - (byStatus.get('VALIDATED')?.awaiting ?? 0) : n;
  };
  return Object.fromEntries(birthQueueNames.map((name) => [name, count(name)])) as Record<BirthQueue, number>;
}

/** One page of a work queue, cut to the reader's jurisdiction before the page is cut. */
export async function listBirthQueue(
  deps: BirthDeps,
  actor: Actor | undefined,
  queue: BirthQueue,
  q: { within?: string; office?: string; after?: string; limit: number },
): Promise<{ items: QueueEntry[]; next: string | null }> {
  const prefixes = await areaPrefixes(deps, actor, q);
  const newestFirst = queue === 'recently_registered';
  const after = q.after ? decodeCursor(q.after) : null;
  const approval = queue === 'late_registrations' ? awaitingApproval(7, 8, 9) : queue === 'ready_to_register' ? `NOT ${awaitingApproval(7, 8, 9)}` : queue === 'ready_to_print' ? unprinted : 'true';
  const { rows } = await deps.db.query<{
    id: string;
    status: string;
    version: number;
    jurisdiction: string;
    data: BirthState;
    createdAt: Date;
    updatedAt: Date;
    facility: Names | null;
    place: Names | null;
    assignee: string | null;
  }>(
    `SELECT r.id, r.status, r.version, r.jurisdiction, r.data, r.created_at AS "createdAt", r.updated_at AS "updatedAt",
       CASE WHEN f.id IS NULL THEN NULL ELSE json_build_object('kk', f.name_kk, 'ru', f.name_ru, 'en', f.name_en) END AS facility,
       CASE WHEN p.kato IS NULL THEN NULL ELSE json_build_object('kk', p.name_kk, 'ru', p.name_ru, 'en', p.name_en) END AS place,
       u.display_name AS assignee
     FROM records r
     LEFT JOIN health_facilities f ON f.id = r.data->>'facilityId'
     LEFT JOIN places p ON p.kato = r.jurisdiction
     LEFT JOIN users u ON 'user:' || u.id::text = r.data->>'assignedTo'
     WHERE r.type = 'birth' AND r.status = ANY($1::text[]) AND r.jurisdiction LIKE ALL ($2::text[])
       AND ($3::text IS NULL OR r.data->>'assignedTo' = $3)
       AND ($4::timestamptz IS NULL OR (r.updated_at, r.id) ${newestFirst ? '<' : '>'} ($4::timestamptz, $5::uuid))
       AND ${approval}
     ORDER BY r.updated_at ${newestFirst ? 'DESC' : 'ASC'}, r.id ${newestFirst ? 'DESC' : 'ASC'} LIMIT $6`,
    [birthQueues[queue], prefixes, queue === 'mine' ? holderOf(actor!) : null, after?.at ?? null, after?.id ?? null, q.limit + 1, ...(approval.includes('$7') ? approvalParameters(deps) : [])],
  );
  const today = localDate(deps.clock.now(), deps.timeZone);
  const page = rows.slice(0, q.limit);
  const items = page.map((r): QueueEntry => {
    const child = r.data.declaration?.child ?? r.data.notification?.child;
    const dateOfBirth = child?.dateOfBirth ?? null;
    const valid = typeof dateOfBirth === 'string' && isIsoDate(dateOfBirth) && dateOfBirth <= today;
    const name = [child && 'surname' in child ? child.surname : undefined, child && 'givenName' in child ? child.givenName : undefined].filter(Boolean).join(' ');
    const receivedAt = r.data.notifiedAt ?? r.createdAt.toISOString();
    return {
      id: r.id,
      status: r.status,
      version: r.version,
      jurisdiction: r.jurisdiction,
      childName: name || null,
      dateOfBirth,
      ageDays: valid ? daysBetween(dateOfBirth, today) : null,
      receivedAt,
      waitingDays: Math.max(0, daysBetween(localDate(new Date(receivedAt), deps.timeZone), today)),
      late: r.status !== 'REGISTERED' && (!valid || timelinessOf(dateOfBirth, today, deps.rules) !== 'current'),
      facilityId: r.data.facilityId,
      place: r.facility ?? r.place,
      assignedTo: r.data.assignedTo,
      assignee: r.data.assignedTo ? (r.assignee ?? r.data.assignedTo) : null,
      updatedAt: r.updatedAt.toISOString(),
    };
  });
  const last = page.at(-1);
  return { items, next: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null };
}
