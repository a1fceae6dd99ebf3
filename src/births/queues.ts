import { type Actor, authorize } from '../access/policy.ts';
import { isIsoDate } from '../core/dates.ts';
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
