import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { systemClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { createServerDatabase, serverUrl } from '../support/db.ts';
// The writer makes test_note records: verify-log replays them only with their definition loaded.
import '../support/note-record.ts';

const writer = path.join(import.meta.dirname, '../support/writer.ts');

/** Starts the writer, waits for `atLeast` acknowledgements, kills it with SIGKILL; returns the acknowledged ids. */
async function writeThenKill(args: string[], atLeast: number): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', writer, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acknowledged: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line !== 'ready') acknowledged.push(line);
      if (acknowledged.length >= atLeast) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited early (${code}): ${stderr}`));
    });
  });
  await new Promise((r) => child.once('close', r));
  return acknowledged;
}

async function check(db: Db, acknowledged: string[]): Promise<void> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM records');
  const present = new Set(rows.map((r) => r.id));
  expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
  const { rows: orphans } = await db.query(
    'SELECT r.id FROM records r LEFT JOIN record_actions a ON a.record_id = r.id WHERE a.seq IS NULL',
  );
  expect(orphans).toEqual([]);
  await sealCheckpoints(db, systemClock);
  const report = await verifyLog(db);
  expect(report.broken).toBeUndefined();
  expect(report.records).toBe(present.size);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-kill-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SIGKILL in the middle of writes', () => {
  it('loses no acknowledged write and leaves no half-written record on the embedded database', async () => {
    const dataDir = path.join(dir, 'pglite');
    const acknowledged: string[] = [];
    for (let round = 0; round < 2; round++) {
      acknowledged.push(...(await writeThenKill(['pglite', dataDir, '4'], 200)));
      // The dead writer's lock file is taken over; PGlite recovers from the unclean stop.
      const db = await openPglite({ dataDir });
      await check(db, acknowledged);
      await db.close();
    }
  });

  it.runIf(serverUrl)(
    'loses no acknowledged write and leaves no half-written record on PostgreSQL',
    async () => {
      const server = await createServerDatabase();
      const acknowledged: string[] = [];
      for (let round = 0; round < 2; round++) {
        acknowledged.push(...(await writeThenKill(['postgres', server.url, '8'], 300)));
        const db = await openPostgres(server.url, 2);
        await check(db, acknowledged);
        await db.close();
      }
      await server.drop();
    },
  );
});
