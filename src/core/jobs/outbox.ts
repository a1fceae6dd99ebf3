import type { Json } from '../action-log/hashing.ts';
import type { Clock } from '../clock.ts';
import type { Queryable, Tx } from '../db/types.ts';
import { AppError } from '../errors.ts';

export interface NewJob {
  kind: string;
  payload: Json;
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export interface Job {
  id: number;
  kind: string;
  payload: Json;
  attempts: number;
  maxAttempts: number;
}

/**
 * Puts a job in the outbox. Call it inside the transaction of the write that causes it: the job
 * then exists exactly when the write does. Returns false when the dedupe key was already used.
 */
export async function enqueue(tx: Tx, job: NewJob, clock: Clock): Promise<boolean> {
  const now = clock.now();
  const { rowCount } = await tx.query(
    `INSERT INTO jobs (kind, payload, dedupe_key, max_attempts, run_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      job.kind,
      JSON.stringify(job.payload),
      job.dedupeKey ?? null,
      job.maxAttempts ?? 8,
      job.runAt ?? now,
      now,
    ],
  );
  return rowCount > 0;
}

/** Backoff after a failed attempt: 2^attempts seconds, at most an hour, with jitter so retries spread. */
export function retryDelayMs(attempts: number, random: number = Math.random()): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.min(attempts, 22));
  return Math.round(base * (0.75 + 0.5 * random));
}

/**
 * Claims up to `limit` due jobs for `leaseMs`. SKIP LOCKED lets several workers (processes) claim
 * side by side without waiting on or taking each other's jobs.
 */
export async function claimJobs(
  db: Queryable,
  kinds: readonly string[],
  limit: number,
  leaseMs: number,
  now: Date,
): Promise<Job[]> {
  const { rows } = await db.query<Job>(
    `UPDATE jobs SET locked_until = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM jobs
       WHERE status = 'pending' AND run_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) AND kind = ANY($4::text[])
       ORDER BY run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, payload, attempts, max_attempts AS "maxAttempts"`,
    [now, new Date(now.getTime() + leaseMs), limit, kinds],
  );
  return rows;
}

export async function completeJob(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query(`UPDATE jobs SET status = 'done', finished_at = $2, locked_until = NULL WHERE id = $1`, [
    id,
    now,
  ]);
}

/** Reschedules a failed job, or gives it up ('dead') after its last attempt. */
export async function failJob(db: Queryable, job: Job, error: unknown, now: Date): Promise<'retry' | 'dead'> {
  const message =
    (error instanceof AppError ? `${error.code}: ` : '') +
    (error instanceof Error ? error.message : String(error));
  const dead = job.attempts >= job.maxAttempts;
  await db.query(
    `UPDATE jobs SET status = $2, run_at = $3, locked_until = NULL, last_error = $4, finished_at = $5 WHERE id = $1`,
    [
      job.id,
      dead ? 'dead' : 'pending',
      new Date(now.getTime() + retryDelayMs(job.attempts)),
      message.slice(0, 500),
      dead ? now : null,
    ],
  );
  return dead ? 'dead' : 'retry';
}

/**
 * Deletes jobs that finished successfully before `before` (the retention period's start), in
 * batches so no statement holds many rows at once. Dead jobs stay until someone retries them: they
 * are a fault to look at. A job's dedupe key is forgotten with it, so a key guards against
 * duplicates for the retention period. Returns how many were deleted.
 */
export async function pruneFinishedJobs(db: Queryable, before: Date, batch = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status = 'done' AND finished_at < $1 LIMIT $2)`,
      [before, batch],
    );
    deleted += rowCount;
    if (rowCount < batch) return deleted;
  }
}

/** Puts a dead job back in the queue (after its cause was fixed). */
export async function retryDead(db: Queryable, id: number, now: Date): Promise<void> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, finished_at = NULL WHERE id = $1 AND status = 'dead'`,
    [id, now],
  );
  if (rowCount === 0) throw new AppError('not_found', `no dead job ${id}`, { field: 'id' });
}

export interface JobStats {
  kind: string;
  status: string;
  count: number;
  oldestRunAt: Date | null;
}

export async function jobStats(db: Queryable): Promise<JobStats[]> {
  const { rows } = await db.query<JobStats>(
    `SELECT kind, status, count(*) AS count, min(run_at) AS "oldestRunAt" FROM jobs GROUP BY kind, status ORDER BY kind, status`,
  );
  return rows;
}
