import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { appendAction, createRecord } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { backup, restore } from '../../src/core/backup.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { appendEvent, consumeEvents, readEvents } from '../../src/core/jobs/events.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { createServerDatabase, openTestDb, serverUrl } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

let source: Db;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-backup-'));
const file = path.join(dir, 'register.tirkeu.gz');
const clock = fixedClock('2026-06-01T10:00:00.123Z');

async function fingerprint(db: Db) {
  const report = await verifyLog(db);
  const { rows: heads } = await db.query<{
    id: string;
    head_hash: string;
    data: unknown;
    created_at: string;
  }>('SELECT id, head_hash, data, created_at::text FROM records ORDER BY id');
  const { rows: roots } = await db.query('SELECT id, merkle_root, hash FROM log_checkpoints ORDER BY id');
  const { rows: places } = await db.query('SELECT count(*) AS n FROM places');
  const { rows: events } = await db.query('SELECT seq, kind, payload, at FROM events ORDER BY seq');
  const { rows: cursors } = await db.query('SELECT consumer, position FROM event_cursors ORDER BY consumer');
  return { report, heads, roots, places, events, cursors };
}

beforeAll(async () => {
  source = await openTestDb();
  await loadPackIntoDb(source, loadPack('kz'));
  for (let i = 0; i < 30; i++) {
    const { record } = await source.transaction((tx) =>
      createRecord(
        tx,
        noteRecord,
        { type: 'OPEN', actor: 'a', payload: { text: `note "${i}", with, commas\nand lines ё ұ` } },
        { clock, idempotencyKey: `k${i}` },
      ),
    );
    clock.advance(1);
    if (i % 3 === 0)
      await source.transaction((tx) =>
        appendAction(
          tx,
          noteRecord,
          record.id,
          { type: 'CLOSE', actor: 'b', reason: '', payload: {} },
          { clock },
        ),
      );
    if (i === 15) await sealCheckpoints(source, clock);
  }
  await sealCheckpoints(source, clock);
  await createRecord(
    source,
    noteRecord,
    { type: 'OPEN', actor: 'a', payload: { text: 'unsealed' } },
    { clock },
  );
  await source.transaction(async (tx) => {
    for (const n of [1, 2, 3]) await appendEvent(tx, { kind: 'test.noted', payload: { n } }, clock);
  });
  await consumeEvents(source, 'test-consumer', async () => {}, { clock, limit: 2 });
  await backup(source, file);
});
afterAll(async () => {
  await source.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores into a fresh embedded database with identical history, checkpoints and places', async () => {
    const target = await openPglite({ dataDir: path.join(dir, 'restored') });
    await restore(target, file);
    const [before, after] = [await fingerprint(source), await fingerprint(target)];
    expect(after.report.broken).toBeUndefined();
    expect(after).toEqual(before);
    // New writes continue after the restored ones.
    const more = await createRecord(
      target,
      noteRecord,
      { type: 'OPEN', actor: 'a', payload: { text: 'after restore' } },
      { clock },
    );
    expect(more.action.seq).toBeGreaterThan(before.report.actions);
    // The event stream and its cursors came back, and new events are numbered after the old.
    expect(after.events).toHaveLength(3);
    expect(after.cursors).toEqual([{ consumer: 'test-consumer', position: 2 }]);
    await target.transaction((tx) => appendEvent(tx, { kind: 'test.noted', payload: { n: 4 } }, clock));
    expect((await readEvents(target, 3, 10)).map((e) => e.payload)).toEqual([{ n: 4 }]);
    await target.close();
  });

  it.runIf(serverUrl)('restores a dump from either driver into a PostgreSQL server', async () => {
    const server = await createServerDatabase();
    const target = await openPostgres(server.url, 4);
    await restore(target, file);
    expect(await fingerprint(target)).toEqual(await fingerprint(source));
    await target.close();
    await server.drop();
  });

  it('refuses a target that already holds data', async () => {
    await expect(restore(source, file)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a truncated or damaged file and leaves the target empty', async () => {
    const whole = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const truncated = path.join(dir, 'truncated.gz');
    fs.writeFileSync(truncated, gzipSync(whole.slice(0, Math.floor(whole.length / 2)).join('\n')));
    const target = await openPglite();
    await expect(restore(target, truncated)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('truncated'),
    });
    const { rows } = await target.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM places) AS n',
    );
    expect(rows[0]!.n).toBe(0);
    const garbage = path.join(dir, 'garbage.gz');
    fs.writeFileSync(garbage, gzipSync('hello\n'));
    await expect(restore(target, garbage)).rejects.toMatchObject({ code: 'validation_failed' });
    await target.close();
  });
});
