import { type Actor, authorize } from '../access/policy.ts';
import { isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { findFacility } from '../places/store.ts';
import type { Notification } from './declaration.ts';
import { decodeCursor, encodeCursor } from './queues.ts';
import type { BirthState } from './record.ts';
import { timelinessOf } from './rules.ts';
import { type BirthDeps, localDate } from './workflow.ts';

/**
 * The births a health facility notified, as those who notify see them (birth.notify): newest
 * first, inside their jurisdiction, a facility's API client only its own facility's. Each says what
 * became of it (its status). No name of a parent is listed: the facility's clerk finds a
 * notification by the child's date and time and the medical certificate number, and someone who
 * may notify is not thereby someone who may read the records of a whole district.
 */
export interface NotificationEntry {
  id: string;
  status: string;
  facilityId: string;
  notifiedAt: string;
  child: Notification['child'];
  medicalCertificateNumber: string | null;
  /** Still undeclared past the legal declaration period. */
  overdue: boolean;
}

export async function listNotifications(
  deps: BirthDeps,
  actor: Actor | undefined,
  q: { facilityId?: string; after?: string; limit: number },
): Promise<{ items: NotificationEntry[]; next: string | null }> {
  authorize(actor, 'birth.notify');
  const ownFacility = actor.kind === 'client' ? actor.facilityId : null;
  const facilityId = q.facilityId ?? ownFacility ?? undefined;
  if (facilityId !== undefined) {
    const facility = await findFacility(deps.db, facilityId);
    if (!facility) throw new AppError('validation_failed', `no health facility ${facilityId}`, { field: 'facilityId', hint: 'see GET /api/v1/facilities' });
    authorize(actor, 'birth.notify', { jurisdiction: facility.kato, facilityId: facility.id });
  }
  const scope = actor.kind === 'system' ? null : actor.jurisdiction;
  const after = q.after ? decodeCursor(q.after) : null;
  const { rows } = await deps.db.query<{ id: string; status: string; data: BirthState; createdAt: Date }>(
    `SELECT id, status, data, created_at AS "createdAt" FROM records
     WHERE type = 'birth' AND data->>'notifiedAt' IS NOT NULL
       AND ($1::text IS NULL OR jurisdiction LIKE $1)
       AND ($2::text IS NULL OR data->'notification'->>'facilityId' = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [scope === null ? null : `${significantPrefix(scope)}%`, facilityId ?? null, after?.at ?? null, after?.id ?? null, q.limit + 1],
  );
  const today = localDate(deps.clock.now(), deps.timeZone);
  const page = rows.slice(0, q.limit);
  const items = page.map((r): NotificationEntry => {
    const notification = r.data.notification!;
    const born = notification.child.dateOfBirth;
    const readable = typeof born === 'string' && isIsoDate(born) && born <= today;
    return {
      id: r.id,
      status: r.status,
      facilityId: notification.facilityId,
      notifiedAt: r.data.notifiedAt!,
      child: notification.child,
      medicalCertificateNumber: notification.medicalCertificateNumber ?? null,
      // A date that cannot be read counts as overdue: someone must look at it.
      overdue: r.status === 'NOTIFIED' && (!readable || timelinessOf(born, today, deps.rules) !== 'current'),
    };
  });
  const last = page.at(-1);
  return { items, next: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
