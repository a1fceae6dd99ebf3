import type { Logger } from 'pino';
import type { Json } from '../action-log/hashing.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/types.ts';
import { claimJobs, completeJob, failJob, type Job } from './outbox.ts';

/**
 * A job handler. Delivery is at least once: a worker that dies after doing the work but before
 * marking it done leaves the job to be run again when its lease ends, so handlers must be
 * idempotent (check before acting, or pass the job id on as an idempotency key).
 */
export type JobHandler = (payload: Json, job: Job) => Promise<void>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  clock: Clock;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  logger?: Logger;
}

export interface Worker {
  /** Claims and runs one batch; returns how many jobs it ran. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for the running batch to finish. */
  stop(): Promise<void>;
}

/**
 * Job times are taken from the Clock, not the database's now(), so tests can move time; processes
 * of one deployment are assumed to keep their clocks in sync (NTP), as leases need anyway.
 */
export function startWorker(db: Db, options: WorkerOptions): Worker {
  const kinds = Object.keys(options.handlers);
  const leaseMs = options.leaseMs ?? 60_000;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function runOnce(): Promise<number> {
    const jobs = await claimJobs(db, kinds, options.batchSize ?? 10, leaseMs, options.clock.now());
    for (const job of jobs) {
      try {
        await options.handlers[job.kind]!(job.payload, job);
        await completeJob(db, job.id, options.clock.now());
      } catch (error) {
        const outcome = await failJob(db, job, error, options.clock.now());
        options.logger?.warn(
          { jobId: job.id, kind: job.kind, attempts: job.attempts, outcome, err: error },
          'job failed',
        );
      }
    }
    return jobs.length;
  }

  const timer = options.pollMs
    ? setInterval(() => {
        if (running || stopped) return;
        running = runOnce()
          .catch((err: unknown) => {
            options.logger?.error({ err }, 'job worker failed');
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, options.pollMs)
    : undefined;
  timer?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
