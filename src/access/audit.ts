import type { Json } from '../core/action-log/hashing.ts';
import type { Clock } from '../core/clock.ts';
import type { Queryable } from '../core/db/types.ts';
import { type Actor, authorize, can } from './policy.ts';

/** Where a request came from; every audit line carries it. */
export interface RequestContext {
  clock: Clock;
  clientAddress: string | null;
  requestId: string | null;
}

export interface AuditEvent {
  /** An Actor, or who an anonymous request claimed to be (the user id a sign-in named). */
  actor: { kind: Actor['kind'] | 'anonymous'; id: string | null };
  event: string;
  outcome: 'success' | 'failure' | 'denied';
  targetType?: string;
  targetId?: string;
  /** Never personal data: ids, counts, reasons. */
  details?: Json;
}

export interface AuditLine {
  seq: number;
  at: Date;
  actorKind: string;
  actorId: string | null;
  event: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  clientAddress: string | null;
  requestId: string | null;
  details: Json;
}

/** Appends one line to the access audit (the table refuses UPDATE and DELETE). */
export async function audit(db: Queryable, ctx: RequestContext, e: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO access_audit (at, actor_kind, actor_id, event, outcome, target_type, target_id, client_address, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      ctx.clock.now(),
      e.actor.kind,
      e.actor.id,
      e.event,
      e.outcome,
      e.targetType ?? null,
      e.targetId ?? null,
      ctx.clientAddress,
      ctx.requestId,
      JSON.stringify(e.details ?? {}),
    ],
  );
}

export interface AuditQuery {
  actorId?: string;
  event?: string;
  outcome?: AuditEvent['outcome'];
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Lines older than this sequence number (cursor pagination, newest first). */
  before?: number;
  limit: number;
}

export async function queryAudit(db: Queryable, q: AuditQuery): Promise<AuditLine[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.actorId) add('actor_id = ?', q.actorId);
  if (q.event) add('event = ?', q.event);
  if (q.outcome) add('outcome = ?', q.outcome);
  if (q.targetId) add('target_id = ?', q.targetId);
  if (q.from) add('at >= ?', q.from);
  if (q.to) add('at < ?', q.to);
  if (q.before) add('seq < ?', q.before);
  params.push(q.limit);
  const { rows } = await db.query<AuditLine>(
    `SELECT seq, at, actor_kind AS "actorKind", actor_id AS "actorId", event, outcome, target_type AS "targetType",
            target_id AS "targetId", client_address AS "clientAddress", request_id AS "requestId", details
     FROM access_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
}

export interface AuditPage {
  items: AuditLine[];
  /** The cursor of the next page (`before` = the last seq of this one); null on the last page. */
  next: number | null;
}

/** The access audit, newest first. Its lines span every place, so only a national reader may see them. */
export async function readAudit(db: Queryable, actor: Actor | undefined, q: AuditQuery, ctx: RequestContext): Promise<AuditPage> {
  authorize(actor, 'audit.read');
  const decision = can(actor, 'audit.read', { jurisdiction: null });
  if (!decision.allowed) {
    // A regional reader asking for the national audit is refused, and the refusal is itself audited.
    await audit(db, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: 'audit', details: { scope: 'audit.read', reason: decision.denial } });
    authorize(actor, 'audit.read', { jurisdiction: null });
  }
  const items = await queryAudit(db, q);
  return { items, next: items.length === q.limit ? items.at(-1)!.seq : null };
}
