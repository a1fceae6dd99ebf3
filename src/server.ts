import path from 'node:path';
import type { Logger } from 'pino';
import { checkedSecretKey, keyFingerprint } from './access/secret-key.ts';
import { fileSender, flagOverdueNotifications, reminderHandler, reminderJob } from './births/reminders.ts';
import { type BirthDeps, birthDepsFor } from './births/workflow.ts';
import { checkpointSignerSource, signingKeyPassphrase } from './certificates/keys.ts';
import { sealCheckpoints } from './core/action-log/checkpoint.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { type Config, describeConfig } from './core/config.ts';
import { migrate } from './core/db/migrations.ts';
import { openDb } from './core/db/open.ts';
import { pruneFinishedJobs } from './core/jobs/outbox.ts';
import { type JobHandler, startWorker } from './core/jobs/worker.ts';
import { type ProtectionDeps, protectionDepsFor } from './protection/deps.ts';
import { referralDeadlineHandler, referralDeadlineJob } from './protection/referrals.ts';
import type { Db } from './core/db/types.ts';
import { type App, buildApp } from './http/app.ts';
import { loadPack } from './places/pack.ts';
import { loadPackIntoDb, packNeedsLoading } from './places/store.ts';

export interface RunningServer {
  app: App;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

/**
 * The outbox's handlers, by job kind: work with side effects (reminders; later webhooks). Events
 * (birth.registered…) are not jobs: they go to the event stream, read by consumers from a cursor.
 */
function jobHandlers(births: BirthDeps, protection: ProtectionDeps, config: Config): Record<string, JobHandler> {
  return {
    [reminderJob]: reminderHandler(births, fileSender(path.join(config.dataDir, 'messages', 'reminders.jsonl'))),
    [referralDeadlineJob]: referralDeadlineHandler(protection),
  };
}

/** Finished jobs are kept TIRKEU_JOB_RETENTION_DAYS; looking for expired ones hourly is enough. */
const jobPruneIntervalMs = 3_600_000;

/** A task repeated on a timer that never overlaps itself and can be awaited on shutdown. */
function every(ms: number, task: () => Promise<unknown>, onError: (error: unknown) => void) {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * The whole registry office in one process: migrate, serve the API, and run the background work
 * (checkpoint sealing, the job worker, pruning of finished jobs, the reminder sweep). stop() finishes in-flight requests first.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<RunningServer> {
  logger.info({ config: describeConfig(config) }, 'starting');
  const db = await openDb(config);
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (await packNeedsLoading(db)) {
      await loadPackIntoDb(db, loadPack(config.pack));
      logger.info({ pack: config.pack }, 'country pack loaded');
    }
    // A key that cannot open the sealed TOTP secrets (a backup restored under another key) stops
    // the start here, naming the key needed, rather than failing every second-factor sign-in.
    const secretKey = await checkedSecretKey(db, config);
    logger.info({ secretKeyFingerprint: keyFingerprint(secretKey) }, 'secret key opens the sealed secrets');
    if (config.demo && !config.signingKeyPassphrase) logger.warn('signing keys use the published demo passphrase (TIRKEU_DEMO): certificates prove nothing');
    const app = await buildApp({ db, config, clock, logger });
    const stopBackground: (() => Promise<void>)[] = [];
    if (config.runJobs) {
      const births = birthDepsFor(db, clock, config.pack);
      const worker = startWorker(db, { handlers: jobHandlers(births, protectionDepsFor(db, clock, config.pack), config), clock, pollMs: 1_000, logger });
      stopBackground.push(
        every(
          config.reminderSweepMs,
          async () => {
            const flagged = await flagOverdueNotifications(births);
            if (flagged) logger.info({ flagged }, 'overdue birth notifications flagged');
          },
          (err) => logger.error({ err }, 'reminder sweep failed'),
        ),
      );
      stopBackground.push(() => worker.stop());
      stopBackground.push(
        every(
          jobPruneIntervalMs,
          async () => {
            const before = new Date(clock.now().getTime() - config.jobRetentionDays * 86_400_000);
            const pruned = await pruneFinishedJobs(db, before);
            if (pruned) logger.info({ pruned, retentionDays: config.jobRetentionDays }, 'finished jobs pruned');
          },
          (err) => logger.error({ err }, 'job pruning failed'),
        ),
      );
      // Checkpoints are signed with the current signing key; with no key or no passphrase they are
      // sealed unsigned, as before keys existed, never held back. Each change of that is logged once.
      const checkpointSigner = checkpointSignerSource(db, clock, signingKeyPassphrase(config), (state) => {
        if (state.unsigned) logger.warn({ reason: state.unsigned.message, hint: state.unsigned.details.hint }, 'checkpoints are sealed unsigned');
        else logger.info({ keyId: state.keyId }, 'checkpoints are signed');
      });
      stopBackground.push(
        every(
          config.checkpointIntervalMs,
          async () => {
            const sealed = await sealCheckpoints(db, clock, await checkpointSigner());
            if (sealed.length)
              logger.info(
                { checkpoints: sealed.map((c) => c.id), toSeq: sealed.at(-1)?.toSeq, keyId: sealed.at(-1)?.keyId },
                'log sealed',
              );
          },
          (err) => logger.error({ err }, 'checkpoint failed'),
        ),
      );
    }
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info({ url, driver: db.driver }, 'listening');
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await app.close();
        for (const stopTask of stopBackground) await stopTask();
        await db.close();
        logger.info('stopped');
      })();
      return stopping;
    };
    return { app, db, url, stop };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Stops on SIGTERM/SIGINT, letting in-flight requests finish, and exits hard if that takes too long. */
export function stopOnSignals(server: RunningServer, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
