import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBirths } from '../../src/births/legacy-import.ts';
import { actionHash, type Json } from '../../src/core/action-log/hashing.ts';
import { createRecord, listActions } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(() => db.close());

const row = (i: number) => ({
  line: i + 1,
  values: {
    legacy_ref: `S-${i}`,
    act_number: `71-2011-${String(i).padStart(4, '0')}`,
    office_id: 'kz-rgo-71-01',
    registered_on: '2011-04-20',
    child_given_name: 'Ерлан',
    child_sex: 'M',
    child_date_of_birth: '2011-04-14',
    place_kato: '711300000',
  },
});

describe('bulk writes are sealed', () => {
  it('a legacy import leaves nothing unsealed, so a consistently re-hashed imported record is caught', async () => {
    const rejected: unknown[] = [];
    const report = await importBirths(birthDeps(db, clock), [0, 1, 2, 3, 4].map(row), { source: 'old.csv', batchSize: 2, onRejected: (r) => rejected.push(r) });
    expect(rejected).toEqual([]);
    expect(report.imported).toBe(5);
    const before = await verifyLog(db);
    expect(before.broken).toBeUndefined();
    expect(before.unsealedActions).toBe(0);
    expect(before.warnings).toEqual([]);

    // The forger rewrites an imported registration's IIN, its hash, the record's head and projection.
    const { rows } = await db.query<{ id: string }>("SELECT id FROM records WHERE ref = 'S-3'");
    const recordId = rows[0]!.id;
    const actions = await listActions(db, recordId);
    const last = actions.at(-1)!;
    const payload = structuredClone(last.payload) as { registration: { iin: string } };
    payload.registration.iin = '110414500011';
    const forged = { ...last, payload: payload as unknown as Json };
    const hash = actionHash(forged);
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE record_actions DISABLE TRIGGER USER');
      await tx.query('UPDATE record_actions SET payload = $2, hash = $3 WHERE seq = $1', [last.seq, JSON.stringify(payload), hash]);
      await tx.exec('ALTER TABLE record_actions ENABLE TRIGGER USER');
      await tx.query(
        `UPDATE records SET head_hash = $2, subject_id = $3, data = jsonb_set(data, '{registration,iin}', to_jsonb($3::text)) WHERE id = $1`,
        [recordId, hash, payload.registration.iin],
      );
    });
    expect((await verifyLog(db)).broken).toMatchObject({ kind: 'checkpoint_root' });
  });

  it('verify-log warns of actions not sealed yet, with their count', async () => {
    const fresh = await openTestDb();
    try {
      await fresh.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text: 'unsealed' } }, { clock }));
      const report = await verifyLog(fresh);
      expect(report.broken).toBeUndefined();
      expect(report.unsealedActions).toBe(1);
      expect(report.warnings).toEqual([expect.stringMatching(/^1 action is not sealed by a checkpoint yet/)]);
    } finally {
      await fresh.close();
    }
  });
});
