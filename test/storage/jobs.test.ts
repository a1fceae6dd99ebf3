import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { enqueue, jobStats, pruneFinishedJobs, retryDead } from '../../src/core/jobs/outbox.ts';
import { startWorker } from '../../src/core/jobs/worker.ts';
import { openTestDb, serverUrl, type TestDb } from '../support/db.ts';

let db: TestDb;
const clock = fixedClock('2026-05-01T00:00:00Z');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db.close());

async function count(kind: string, status: string): Promise<number> {
  return (await jobStats(db)).find((s) => s.kind === kind && s.status === status)?.count ?? 0;
}

describe('outbox and worker', () => {
  it('a job enqueued in a transaction that rolls back never exists', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, { kind: 'ghost', payload: {} }, clock);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await count('ghost', 'pending')).toBe(0);
  });

  it('runs a job once, and a dedupe key makes a second enqueue a no-op', async () => {
    const seen: unknown[] = [];
    await db.transaction((tx) => enqueue(tx, { kind: 'once', payload: { n: 1 }, dedupeKey: 'e-1' }, clock));
    expect(
      await db.transaction((tx) => enqueue(tx, { kind: 'once', payload: { n: 1 }, dedupeKey: 'e-1' }, clock)),
    ).toBe(false);
    const worker = startWorker(db, { clock, handlers: { once: async (p) => void seen.push(p) } });
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(seen).toEqual([{ n: 1 }]);
    expect(await count('once', 'done')).toBe(1);
  });

  it('retries a failing job with growing delays, then marks it dead; a dead job can be retried', async () => {
    await db.transaction((tx) => enqueue(tx, { kind: 'flaky', payload: {}, maxAttempts: 3 }, clock));
    let calls = 0;
    const flakyWorker = startWorker(db, {
      clock,
      handlers: {
        flaky: async () => {
          calls++;
          throw new Error('gateway down');
        },
      },
    });
    expect(await flakyWorker.runOnce()).toBe(1);
    expect(await flakyWorker.runOnce()).toBe(0);
    clock.advance(60_000);
    expect(await flakyWorker.runOnce()).toBe(1);
    clock.advance(3_600_000);
    expect(await flakyWorker.runOnce()).toBe(1);
    expect(calls).toBe(3);
    expect(await count('flaky', 'dead')).toBe(1);
    const { rows } = await db.query<{ id: number; last_error: string }>(
      `SELECT id, last_error FROM jobs WHERE kind = 'flaky'`,
    );
    expect(rows[0]!.last_error).toBe('gateway down');
    await retryDead(db, rows[0]!.id, clock.now());
    expect(await count('flaky', 'pending')).toBe(1);
  });

  it('waits longer after each failure (exponential backoff), never the same delay again and again', async () => {
    await db.transaction((tx) => enqueue(tx, { kind: 'backoff', payload: {}, maxAttempts: 7 }, clock));
    const worker = startWorker(db, { clock, handlers: { backoff: () => Promise.reject(new Error('still down')) } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(await worker.runOnce()).toBe(1);
      const { rows } = await db.query<{ run_at: Date }>(`SELECT run_at FROM jobs WHERE kind = 'backoff'`);
      delays.push(rows[0]!.run_at.getTime() - clock.now().getTime());
      clock.advance(delays.at(-1)!);
    }
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    // Jitter spreads each delay by ±25%; doubling makes the sixth at least 8 times the first.
    expect(delays.at(-1)!).toBeGreaterThanOrEqual(8 * delays[0]!);
  });

  it('prunes jobs finished longer ago than the retention period, keeping pending and dead ones', async () => {
    await db.transaction(async (tx) => {
      await enqueue(tx, { kind: 'prune_done', payload: {} }, clock);
      await enqueue(tx, { kind: 'prune_dead', payload: {}, maxAttempts: 1 }, clock);
      await enqueue(tx, { kind: 'prune_later', payload: {}, runAt: new Date(clock.now().getTime() + 90 * 86_400_000) }, clock);
    });
    const worker = startWorker(db, {
      clock,
      handlers: { prune_done: async () => {}, prune_dead: () => Promise.reject(new Error('no')), prune_later: async () => {} },
    });
    while ((await worker.runOnce()) > 0);
    const day = 86_400_000;
    clock.advance(29 * day);
    expect(await pruneFinishedJobs(db, new Date(clock.now().getTime() - 30 * day))).toBe(0);
    clock.advance(2 * day);
    expect(await pruneFinishedJobs(db, new Date(clock.now().getTime() - 30 * day), 1)).toBeGreaterThanOrEqual(1);
    expect(await count('prune_done', 'done')).toBe(0);
    expect(await count('prune_dead', 'dead')).toBe(1);
    expect(await count('prune_later', 'pending')).toBe(1);
  });

  it('a job whose worker died is run again once its lease ends', async () => {
    await db.transaction((tx) => enqueue(tx, { kind: 'lease', payload: {} }, clock));
    const dying = startWorker(db, {
      clock,
      leaseMs: 30_000,
      handlers: { lease: () => new Promise<void>(() => {}) },
    });
    void dying.runOnce();
    await new Promise((r) => setTimeout(r, 100));
    let ran = 0;
    const healthy = startWorker(db, { clock, leaseMs: 30_000, handlers: { lease: async () => void ran++ } });
    expect(await healthy.runOnce()).toBe(0);
    clock.advance(31_000);
    expect(await healthy.runOnce()).toBe(1);
    expect(ran).toBe(1);
  });

  it.runIf(serverUrl)('two workers on PostgreSQL run 200 jobs exactly once each', async () => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await enqueue(tx, { kind: 'parallel', payload: { i } }, clock);
    });
    const runs = new Map<number, number>();
    const handler = async (p: unknown) => {
      const i = (p as { i: number }).i;
      runs.set(i, (runs.get(i) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
    };
    const second = await openPostgres(db.url!, 4);
    const a = startWorker(db, { clock, batchSize: 7, handlers: { parallel: handler } });
    const b = startWorker(second, { clock, batchSize: 7, handlers: { parallel: handler } });
    const drain = async (w: typeof a) => {
      while ((await w.runOnce()) > 0);
    };
    await Promise.all([drain(a), drain(b)]);
    await second.close();
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });
});
