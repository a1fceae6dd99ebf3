import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../src/core/db/migrations.ts';
import { openPglite } from '../src/core/db/pglite.ts';
import { openPostgres } from '../src/core/db/postgres.ts';
import type { Db } from '../src/core/db/types.ts';

/** The PostgreSQL server benchmarks use as admin connection; they make and drop their own database. */
export const benchServerUrl =
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDb {
  db: Db;
  driver: 'pglite' | 'postgres';
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchServerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function serverAvailable(): Promise<boolean> {
  try {
    await admin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** A scratch, migrated database: PGlite in a temp directory (on disk, as in an office) or on the server. */
export async function scratchDb(driver: 'pglite' | 'postgres', poolSize = 20): Promise<BenchDb> {
  if (driver === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-bench-'));
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    return {
      db,
      driver,
      async drop() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `tirkeu_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(benchServerUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), poolSize);
  await migrate(db);
  return {
    db,
    driver,
    async drop() {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One figure a line: `name value`, as the README's performance table quotes them. */
export function report(name: string, value: number): void {
  process.stdout.write(`${name} ${value}\n`);
}

/** Runs `worker` in `concurrency` parallel loops for `ms` milliseconds; returns latencies in ms. */
export async function runFor(
  ms: number,
  concurrency: number,
  worker: () => Promise<unknown>,
): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await worker();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies;
}
