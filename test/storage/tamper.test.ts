import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { appendAction, createRecord } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import { openTestDb } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

let db: Db;
const clock = fixedClock('2026-02-01T00:00:00Z');
let ids: string[];

/** Runs SQL with the append-only triggers switched off, as someone with database access could. */
async function behindTheBack(sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec('ALTER TABLE record_actions DISABLE TRIGGER USER');
    await tx.query(sql, params);
    await tx.exec('ALTER TABLE record_actions ENABLE TRIGGER USER');
  });
}

beforeEach(async () => {
  db = await openTestDb();
  ids = [];
  for (let i = 0; i < 5; i++) {
    const { record } = await db.transaction((tx) =>
      createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text: `n${i}` } }, { clock }),
    );
    await db.transaction((tx) =>
      appendAction(
        tx,
        noteRecord,
        record.id,
        { type: 'EDIT', actor: 'a', payload: { text: `e${i}` } },
        { clock },
      ),
    );
    ids.push(record.id);
  }
  await sealCheckpoints(db, clock);
  expect((await verifyLog(db)).broken).toBeUndefined();
});
afterEach(async () => {
  await db.close();
});

describe('verify-log finds history changed behind the application', () => {
  it('an edited payload', async () => {
    await behindTheBack(
      `UPDATE record_actions SET payload = '{"text":"forged"}' WHERE record_id = $1 AND record_seq = 2`,
      [ids[2]],
    );
    expect((await verifyLog(db)).broken).toMatchObject({
      kind: 'action_hash',
      recordId: ids[2],
      recordSeq: 2,
    });
  });

  it('an edited action whose hash was recomputed by the forger', async () => {
    // The forger rewrites the last action and its hash consistently: only the checkpoint shows it.
    const { rows } = await db.query<{ hash: string }>(
      'SELECT hash FROM record_actions WHERE record_id = $1 AND record_seq = 2',
      [ids[1]],
    );
    const { actionHash } = await import('../../src/core/action-log/hashing.ts');
    const { listActions } = await import('../../src/core/action-log/record-store.ts');
    const [, last] = await listActions(db, ids[1]!);
    const forged = { ...last!, payload: { text: 'forged' } };
    const hash = actionHash(forged);
    await behindTheBack('UPDATE record_actions SET payload = $2, hash = $3 WHERE hash = $1', [
      rows[0]!.hash,
      JSON.stringify(forged.payload),
      hash,
    ]);
    await db.query('UPDATE records SET head_hash = $2, data = $3 WHERE id = $1', [
      ids[1],
      hash,
      JSON.stringify({ status: 'OPEN', jurisdiction: '750000000', text: 'forged', edits: 1 }),
    ]);
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'checkpoint_root' });
  });

  it('a removed action', async () => {
    await behindTheBack('DELETE FROM record_actions WHERE record_id = $1 AND record_seq = 1', [ids[0]]);
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'sequence', recordId: ids[0] });
  });

  it('a whole record removed with its history', async () => {
    await behindTheBack('DELETE FROM record_actions WHERE record_id = $1', [ids[3]]);
    await db.query('DELETE FROM records WHERE id = $1', [ids[3]]);
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'checkpoint_root' });
  });

  it('a projection edited without an action', async () => {
    await db.query(`UPDATE records SET data = jsonb_set(data, '{text}', '"edited"') WHERE id = $1`, [ids[4]]);
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'projection', recordId: ids[4] });
  });
});
