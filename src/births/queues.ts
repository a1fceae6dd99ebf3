import { type Actor, authorize } from '../access/policy.ts';
import { isInstant, isIsoDate } from '../core/dates.ts';
import { isUuid } from '../core/ids.ts';
import { AppError } from '../core/errors.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { findOffice } from '../places/store.ts';
import type { BirthState } from './record.ts';
import { daysBetween, timelinessOf } from './rules.ts';
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
 * The work queues of a registry office, by the status a record waits in. `mine` is what the reader
 * has taken to work on. Oldest first (what waits longest comes first), except the registered, newest
 * first.
 */
export const birthQueues = {
  notified: ['NOTIFIED'],
  ready_to_validate: ['DECLARED'],
  requires_update: ['REQUIRES_UPDATE'],
  ready_to_register: ['VALIDATED'],
  corrections: ['CORRECTION_REQUESTED'],
  recently_registered: ['REGISTERED'],
  mine: ['NOTIFIED', 'DECLARED', 'REQUIRES_UPDATE', 'VALIDATED', 'REGISTERED', 'CORRECTION_REQUESTED'],
} as const;
export type BirthQueue = keyof typeof birthQueues;
export const birthQueueNames = Object.keys(birthQueues) as BirthQueue[];

export interface QueueEntry {
  id: string;
  status: string;
  version: number;
  jurisdiction: string;
  childName: string | null;
  dateOfBirth: string | null;
  ageDays: number | null;
  /** Past the legal period for a current registration: it will need the late documents and approval. */
  late: boolean;
  assignedTo: string | null;
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

/** How many records wait in each queue, inside the reader's jurisdiction (and area, if asked). */
export async function countBirthQueues(deps: BirthDeps, actor: Actor | undefined, q: { within?: string; office?: string }): Promise<Record<BirthQueue, number>> {
  const prefixes = await areaPrefixes(deps, actor, q);
  const { rows } = await deps.db.query<{ status: string; n: number; mine: number }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE data->>'assignedTo' = $2)::int AS mine FROM records
     WHERE type = 'birth' AND jurisdiction LIKE ALL ($1::text[]) GROUP BY status`,
    [prefixes, holderOf(actor!)],
  );
  const byStatus = new Map(rows.map((r) => [r.status, r]));
  return Object.fromEntries(
    birthQueueNames.map((name) => [
      name,
      name === 'mine' ? rows.reduce((sum, r) => sum + r.mine, 0) : birthQueues[name].reduce((sum, status) => sum + (byStatus.get(status)?.n ?? 0), 0),
    ]),
  ) as Record<BirthQueue, number>;
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
  const { rows } = await deps.db.query<{ id: string; status: string; version: number; jurisdiction: string; data: BirthState; updatedAt: Date }>(
    `SELECT id, status, version, jurisdiction, data, updated_at AS "updatedAt" FROM records
     WHERE type = 'birth' AND status = ANY($1::text[]) AND jurisdiction LIKE ALL ($2::text[])
       AND ($3::text IS NULL OR data->>'assignedTo' = $3)
       AND ($4::timestamptz IS NULL OR (updated_at, id) ${newestFirst ? '<' : '>'} ($4::timestamptz, $5::uuid))
     ORDER BY updated_at ${newestFirst ? 'DESC' : 'ASC'}, id ${newestFirst ? 'DESC' : 'ASC'} LIMIT $6`,
    [birthQueues[queue], prefixes, queue === 'mine' ? holderOf(actor!) : null, after?.at ?? null, after?.id ?? null, q.limit + 1],
  );
  const today = localDate(deps.clock.now(), deps.timeZone);
  const page = rows.slice(0, q.limit);
  const items = page.map((r): QueueEntry => {
    const child = r.data.declaration?.child ?? r.data.notification?.child;
    const dateOfBirth = child?.dateOfBirth ?? null;
    const valid = typeof dateOfBirth === 'string' && isIsoDate(dateOfBirth) && dateOfBirth <= today;
    const name = [child && 'surname' in child ? child.surname : undefined, child && 'givenName' in child ? child.givenName : undefined].filter(Boolean).join(' ');
    return {
      id: r.id,
      status: r.status,
      version: r.version,
      jurisdiction: r.jurisdiction,
      childName: name || null,
      dateOfBirth,
      ageDays: valid ? daysBetween(dateOfBirth, today) : null,
      late: r.status !== 'REGISTERED' && (!valid || timelinessOf(dateOfBirth, today, deps.rules) !== 'current'),
      assignedTo: r.data.assignedTo,
      updatedAt: r.updatedAt.toISOString(),
    };
  });
  const last = page.at(-1);
  return { items, next: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null };
}
