import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import {
  appendAction,
  createRecord,
  getRecord,
  listActions,
} from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Json } from '../../src/core/action-log/hashing.ts';
import type { Db } from '../../src/core/db/types.ts';
import { AppError } from '../../src/core/errors.ts';
import { openTestDb } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

let db: Db;
const clock = fixedClock('2026-01-15T08:00:00Z');
const actor = 'user-1';

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.close();
});

function open(text: string, idempotencyKey?: string) {
  return db.transaction((tx) =>
    createRecord(
      tx,
      noteRecord,
      { type: 'OPEN', actor, payload: { text, jurisdiction: '750000000' } },
      { clock, idempotencyKey },
    ),
  );
}

function openWith(payload: Record<string, Json>) {
  return db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor, payload }, { clock }));
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('records and actions', () => {
  it('creates a record with its first action and folds later actions into the projection', async () => {
    const { record, action } = await open('first');
    expect(record).toMatchObject({
      type: 'test_note',
      status: 'OPEN',
      version: 1,
      jurisdiction: '750000000',
    });
    expect(action.recordSeq).toBe(1);
    clock.advance(1000);
    const edited = await db.transaction((tx) =>
      appendAction(
        tx,
        noteRecord,
        record.id,
        { type: 'EDIT', actor, payload: { text: 'second' } },
        { clock, expectedVersion: 1 },
      ),
    );
    expect(edited.record).toMatchObject({ version: 2, data: { text: 'second', edits: 1 } });
    expect(edited.action.prevHash).toBe(action.hash);
    expect(await getRecord(db, record.id)).toEqual(edited.record);
    expect((await listActions(db, record.id)).map((a) => a.type)).toEqual(['OPEN', 'EDIT']);
  });

  it('answers a retry with the same idempotency key with the first result and writes nothing', async () => {
    const first = await open('once', 'key-a');
    const again = await open('once', 'key-a');
    expect(again.replayed).toBe(true);
    expect(again.record.id).toBe(first.record.id);
    expect(again.action.hash).toBe(first.action.hash);
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*) AS n FROM records WHERE data->>'text' = 'once'",
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses the same idempotency key with a different body', async () => {
    await open('body one', 'key-b');
    const error = await rejection(open('body two', 'key-b'));
    expect(error.code).toBe('idempotency_key_reused');
  });

  it('refuses a stale version and an action the status does not allow, writing nothing', async () => {
    const { record } = await open('guarded');
    const stale = await rejection(
      db.transaction((tx) =>
        appendAction(
          tx,
          noteRecord,
          record.id,
          { type: 'EDIT', actor, payload: {} },
          { clock, expectedVersion: 7 },
        ),
      ),
    );
    expect(stale.code).toBe('version_conflict');
    expect(stale.details.currentVersion).toBe(1);
    const wrong = await rejection(
      db.transaction((tx) =>
        appendAction(tx, noteRecord, record.id, { type: 'REOPEN', actor, payload: {} }, { clock }),
      ),
    );
    expect(wrong.code).toBe('action_not_allowed');
    expect(wrong.details.allowed).toEqual(['EDIT', 'CLOSE']);
    expect((await getRecord(db, record.id)).version).toBe(1);
  });

  it('refuses a payload with an unknown property or a wrong type, naming the field, writing nothing', async () => {
    const { record } = await open('schema');
    const unknown = await rejection(openWith({ text: 'x', colour: 'red' }));
    expect(unknown).toMatchObject({ code: 'validation_failed', details: { field: 'colour' } });
    const wrongType = await rejection(
      db.transaction((tx) =>
        appendAction(tx, noteRecord, record.id, { type: 'EDIT', actor, payload: { text: true } }, { clock }),
      ),
    );
    expect(wrongType).toMatchObject({ code: 'validation_failed', details: { field: 'text' } });
    expect((await getRecord(db, record.id)).version).toBe(1);
    const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM records WHERE data->>'text' = 'x'");
    expect(rows[0]!.n).toBe(0);
  });

  it('gives exactly one winner when the same version is appended concurrently', async () => {
    const { record } = await open('race');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        db.transaction((tx) =>
          appendAction(
            tx,
            noteRecord,
            record.id,
            { type: 'EDIT', actor, payload: { text: `t${i}` } },
            { clock, expectedVersion: 1 },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await getRecord(db, record.id)).version).toBe(2);
  });

  it('makes one record from concurrent retries of the same submission', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => open('concurrent retry', 'key-c')));
    expect(new Set(results.map((r) => r.record.id)).size).toBe(1);
  });
});

describe('append-only history', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on actions in the database itself', async () => {
    await open('protected');
    for (const sql of [
      'UPDATE record_actions SET reason = $1',
      'DELETE FROM record_actions WHERE reason IS NULL OR reason = $1',
    ]) {
      await expect(db.query(sql, ['x'])).rejects.toThrow(/append-only/);
    }
    await expect(db.query('TRUNCATE record_actions CASCADE')).rejects.toThrow(/append-only/);
  });

  it('seals actions into chained checkpoints that verify-log recomputes', async () => {
    const sealed = await sealCheckpoints(db, clock);
    expect(sealed.length).toBeGreaterThan(0);
    await open('after the checkpoint');
    const report = await verifyLog(db);
    expect(report.broken).toBeUndefined();
    expect(report.unsealedActions).toBe(1);
    expect(report.sealedActions + report.unsealedActions).toBe(report.actions);
    expect(report.projectionsChecked).toBe(report.records);
    const second = await sealCheckpoints(db, clock);
    expect(second).toHaveLength(1);
    expect(second[0]!.prevHash).toBe(sealed.at(-1)!.hash);
    expect((await verifyLog(db)).unsealedActions).toBe(0);
  });
});
