import type { RequestContext } from '../access/audit.ts';
import { audit } from '../access/audit.ts';
import { type Actor, authorize, can } from '../access/policy.ts';
import type { Clock } from '../core/clock.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import { appendEvent } from '../core/jobs/events.ts';
import { enqueue } from '../core/jobs/outbox.ts';
import type { JobHandler } from '../core/jobs/worker.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import type { ProtectionDeps } from './deps.ts';
import { deadlineOf, type Flag, highestRisk, screen, type ScreeningFacts, type ScreeningStage } from './screening.ts';
import type { ProtectionSettings, RiskLevel } from './settings.ts';

/**
 * Referrals: the bridge from the register to child protection. The births module calls
 * referBirth in the transaction of each birth action it screens; the flags that are new for the
 * record become one referral to the protection service of the child's jurisdiction, with its
 * deadline for first contact, an event on the stream, and a job at the deadline that escalates
 * the referral to the supervisor if nobody has acknowledged it by then.
 */
export interface Referral {
  id: string;
  recordId: string;
  jurisdiction: string;
  flags: Flag[];
  risk: RiskLevel;
  stage: ScreeningStage;
  status: 'open' | 'acknowledged';
  createdAt: Date;
  dueAt: Date;
  escalatedAt: Date | null;
  caseId: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  firstContactAt: Date | null;
}

const referralSelect = `id, record_id AS "recordId", jurisdiction, flags, risk, stage, status, created_at AS "createdAt", due_at AS "dueAt",
  escalated_at AS "escalatedAt", case_id AS "caseId", acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy", first_contact_at AS "firstContactAt"`;

export const referralDeadlineJob = 'protection.referral_deadline';

/**
 * Screens the birth's facts and refers the flags not referred before. Returns the new referral, or
 * undefined when nothing new was flagged. Never throws for the birth's sake: a flag never stops a
 * registration, so only a database fault (which rolls the registration back too) escapes.
 */
export async function referBirth(tx: Tx, clock: Clock, settings: ProtectionSettings, facts: ScreeningFacts): Promise<Referral | undefined> {
  const flags = screen(facts, settings);
  if (flags.length === 0) return undefined;
  const { rows: known } = await tx.query<{ code: string }>('SELECT code FROM protection_flags WHERE record_id = $1', [facts.recordId]);
  const fresh = flags.filter((f) => !known.some((k) => k.code === f.code));
  if (fresh.length === 0) return undefined;
  const now = clock.now();
  const risk = highestRisk(fresh.map((f) => f.risk));
  const id = uuidv7(now.getTime());
  const dueAt = deadlineOf(now, risk, settings);
  // The referral and its flags in one statement: a registration pays one round trip for them.
  const { rows } = await tx.query<Referral>(
    `WITH referral AS (
       INSERT INTO protection_referrals (id, record_id, jurisdiction, flags, risk, stage, status, created_at, due_at, child_dob, child_sex)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10) RETURNING ${referralSelect}),
     flagged AS (INSERT INTO protection_flags (record_id, code, referral_id) SELECT $2, code, $1 FROM unnest($11::text[]) AS code)
     SELECT * FROM referral`,
    [id, facts.recordId, facts.jurisdiction, JSON.stringify(fresh), risk, facts.stage, now, dueAt, facts.child.dateOfBirth, facts.child.sex ?? null, fresh.map((f) => f.code)],
  );
  await appendEvent(tx, { kind: 'protection.referred', payload: { referralId: id, recordId: facts.recordId, risk, flags: fresh.map((f) => f.code) } }, clock);
  await enqueue(tx, { kind: referralDeadlineJob, payload: { referralId: id }, dedupeKey: `${referralDeadlineJob}:${id}`, runAt: dueAt }, clock);
  return rows[0]!;
}

/** The referrals a birth record raised, oldest first (what the registrar sees on the record). */
export async function referralsOfRecord(db: Queryable, recordId: string): Promise<Referral[]> {
  const { rows } = await db.query<Referral>(`SELECT ${referralSelect} FROM protection_referrals WHERE record_id = $1 ORDER BY created_at, id`, [recordId]);
  return rows;
}

/**
 * The job at a referral's deadline: a referral nobody acknowledged escalates to the supervisor
 * (its escalated time is set once, and an event tells the rest of the system). Idempotent.
 */
export function referralDeadlineHandler(deps: Pick<ProtectionDeps, 'db' | 'clock'>): JobHandler {
  return async (payload) => {
    const referralId = (payload as { referralId: string }).referralId;
    await deps.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; recordId: string; risk: string }>(
        `UPDATE protection_referrals SET escalated_at = $2 WHERE id = $1 AND status = 'open' AND escalated_at IS NULL AND due_at <= $2
         RETURNING id, record_id AS "recordId", risk`,
        [referralId, deps.clock.now()],
      );
      if (rows[0]) await appendEvent(tx, { kind: 'protection.referral_escalated', payload: { referralId, recordId: rows[0].recordId, risk: rows[0].risk } }, deps.clock);
    });
  };
}

export interface ReferralQuery {
  status?: 'open' | 'acknowledged' | 'all';
  /** Only referrals past their deadline (open), or escalated. */
  overdue?: boolean;
  risk?: RiskLevel;
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

function cursorOf(r: Referral): string {
  return Buffer.from(`${r.dueAt.toISOString()}|${r.id}`).toString('base64url');
}

function parseCursor(cursor: string | undefined): { dueAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const dueAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(dueAt.getTime())) {
    throw new AppError('validation_failed', 'the cursor is not one this list gave', { field: 'cursor', hint: 'start again without a cursor' });
  }
  return { dueAt, id };
}

/**
 * The referral inbox of the protection service: the referrals of the reader's jurisdiction, the
 * nearest deadline first. It names no person (only the birth record, the flags and the deadline):
 * a case worker reads the birth record itself, which is audited, when opening the case.
 */
export async function listReferrals(db: Queryable, actor: Actor | undefined, query: ReferralQuery, ctx: RequestContext): Promise<{ items: Referral[]; nextCursor: string | null }> {
  authorize(actor, 'protection.case.read');
  const within = actor.kind === 'system' || actor.jurisdiction === null ? '' : significantPrefix(actor.jurisdiction);
  const after = parseCursor(query.cursor);
  const status = query.status ?? 'open';
  const { rows } = await db.query<Referral>(
    `SELECT ${referralSelect} FROM protection_referrals
     WHERE jurisdiction LIKE $1 || '%' AND ($2::text = 'all' OR status = $2) AND ($3::text IS NULL OR risk = $3)
       AND (NOT $4::boolean OR (status = 'open' AND due_at <= $5))
       AND ($6::timestamptz IS NULL OR (due_at, id) > ($6, $7::uuid))
     ORDER BY due_at, id LIMIT $8`,
    [within, status, query.risk ?? null, query.overdue === true, ctx.clock.now(), after?.dueAt ?? null, after?.id ?? null, query.limit],
  );
  await audit(db, ctx, { actor, event: 'protection_referrals_listed', outcome: 'success', details: { count: rows.length, status } });
  return { items: rows, nextCursor: rows.length === query.limit ? cursorOf(rows.at(-1)!) : null };
}

/** One referral, for a reader of its jurisdiction (404 otherwise, as for one that does not exist); audited. */
export async function readReferral(db: Queryable, actor: Actor | undefined, id: string, ctx: RequestContext): Promise<Referral> {
  authorize(actor, 'protection.case.read');
  const referral = isUuid(id) ? await findReferral(db, id) : undefined;
  if (!referral || !can(actor, 'protection.case.read', { jurisdiction: referral.jurisdiction }).allowed) {
    if (referral) await audit(db, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: 'protection_referral', targetId: referral.id, details: { scope: 'protection.case.read' } });
    throw notFound();
  }
  await audit(db, ctx, { actor, event: 'protection_referral_read', outcome: 'success', targetType: 'protection_referral', targetId: referral.id });
  return referral;
}

export async function findReferral(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<Referral | undefined> {
  const { rows } = await db.query<Referral>(`SELECT ${referralSelect} FROM protection_referrals WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/**
 * For the cases use case: takes an open referral of the actor's jurisdiction to open a case for it,
 * locked for the rest of the transaction. 404 for one the actor may not see; 409 when a case was
 * opened for it already (naming that case).
 */
export async function takeReferral(tx: Tx, actor: Actor | undefined, id: string): Promise<Referral> {
  const referral = isUuid(id) ? await findReferral(tx, id, { lock: true }) : undefined;
  authorize(actor, 'protection.case.write', referral ? { jurisdiction: referral.jurisdiction } : undefined, { existing: true });
  if (!referral) throw notFound('referralId');
  if (referral.status !== 'open') {
    throw new AppError('conflict', 'a case was opened for this referral already', { field: 'referralId', caseId: referral.caseId, hint: 'open that case' });
  }
  return referral;
}

/** Marks referrals acknowledged by the case opened (or joined) for them, in the case's transaction. */
export async function acknowledgeReferrals(tx: Tx, referralIds: readonly string[], caseId: string, by: string, at: Date): Promise<void> {
  if (referralIds.length === 0) return;
  await tx.query(
    `UPDATE protection_referrals SET status = 'acknowledged', case_id = $2, acknowledged_at = $3, acknowledged_by = $4 WHERE id = ANY($1::uuid[]) AND status = 'open'`,
    [referralIds, caseId, at, by],
  );
}

/** The first contact with the child or family, recorded on the case: what the deadline measures. */
export async function recordFirstContact(tx: Tx, caseId: string, at: Date): Promise<void> {
  await tx.query('UPDATE protection_referrals SET first_contact_at = $2 WHERE case_id = $1 AND first_contact_at IS NULL', [caseId, at]);
}
