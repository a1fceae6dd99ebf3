import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, type Json } from '../../src/core/action-log/hashing.ts';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { registerRecordType } from '../../src/core/action-log/record-definition.ts';
import { appendAction, createRecord } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { backup, restore } from '../../src/core/backup.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/** A record type whose payload may hold any JSON value, as a module's free-form field would. */
type Holder = { status: 'HELD'; jurisdiction: string; value: Json };
const holderRecord = registerRecordType<Holder>({
  type: 'test_value_holder',
  transitions: { '(new)': ['HOLD'], HELD: ['HOLD'] },
  payloads: { HOLD: Type.Object({ value: Type.Unknown() }) },
  reduce: (_state, action) => ({ status: 'HELD', jurisdiction: '750000000', value: (action.payload as { value: Json }).value }),
  status: (state) => state.status,
  keys: (state) => ({ jurisdiction: state.jurisdiction }),
});

/** {"a":{"a":…{"a":[depth]}…}} nested `depth` levels, built without recursion. */
function nested(depth: number): Json {
  let value: Json = [depth];
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

let db: TestDb;
const clock = fixedClock('2026-04-01T00:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-deep-'));
let id: string;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('deeply nested stored values', () => {
  it('are hashed, folded, verified, backed up and restored without exhausting the stack', async () => {
    const created = await db.transaction((tx) => createRecord(tx, holderRecord, { type: 'HOLD', actor: 'a', payload: { value: nested(2_500) } }, { clock }));
    id = created.record.id;
    await db.transaction((tx) => appendAction(tx, holderRecord, id, { type: 'HOLD', actor: 'a', payload: { value: nested(5_000) } }, { clock }));
    await sealCheckpoints(db, clock);
    const report = await verifyLog(db);
    expect(report.broken).toBeUndefined();
    expect(report.actions).toBe(2);

    const file = path.join(dir, 'deep.tirkeu.gz');
    await backup(db, file);
    const target = await openPglite({ dataDir: path.join(dir, 'restored') });
    try {
      await restore(target, file);
      const restored = await verifyLog(target);
      expect(restored.broken).toBeUndefined();
      expect(restored.checkpoints).toBe(report.checkpoints);
    } finally {
      await target.close();
    }
  });

  it('written straight into the database, make verify-log report the projection, not crash', async () => {
    await db.query('UPDATE records SET data = $2 WHERE id = $1', [id, canonicalJson({ status: 'HELD', jurisdiction: '750000000', value: nested(5_000) }).replace('[5000]', '[4999]')]);
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'projection', recordId: id, column: 'data' });
  });
});

describe('numbers JSON cannot carry, written straight into the database', () => {
  // jsonb holds 1e400 exactly; JavaScript reads it as Infinity, which no canonical JSON can hash.
  it('make verify-log report the action or the column, not crash', async () => {
    await db.close();
    db = await openTestDb();
    const clean = await db.transaction((tx) => createRecord(tx, holderRecord, { type: 'HOLD', actor: 'a', payload: { value: 1 } }, { clock }));
    await db.query(`UPDATE records SET data = jsonb_set(data, '{value}', '1e400'::jsonb) WHERE id = $1`, [clean.record.id]);
    try {
      expect((await verifyLog(db)).broken).toMatchObject({ kind: 'projection', recordId: clean.record.id, column: 'data' });
    } finally {
      await db.query(`UPDATE records SET data = jsonb_set(data, '{value}', '1'::jsonb) WHERE id = $1`, [clean.record.id]);
    }
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE record_actions DISABLE TRIGGER USER');
      await tx.query(`UPDATE record_actions SET payload = '{"value": -1e400}' WHERE record_id = $1`, [clean.record.id]);
      await tx.exec('ALTER TABLE record_actions ENABLE TRIGGER USER');
    });
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'action_hash', recordId: clean.record.id, recordSeq: 1 });
  });
});
