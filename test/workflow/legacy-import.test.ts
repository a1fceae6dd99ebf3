import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIin } from '../../src/births/iin.ts';
import { importBirths } from '../../src/births/legacy-import.ts';
import { listActions } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(() => db.close());

const base = {
  office_id: 'kz-rgo-71-01',
  registered_on: '2010-05-20',
  child_given_name: 'Арман',
  child_sex: 'M',
  child_date_of_birth: '2010-05-14',
  place_kato: '711300000',
  mother_given_name: 'Гүлнар',
  mother_citizenship: 'KZ',
  mother_legal_status: 'citizen',
};
const rows = [
  { ...base, legacy_ref: 'L-1', act_number: '71-2010-0001', iin: '100514500018' },
  { ...base, legacy_ref: 'L-2', act_number: '71-2010-0002', child_sex: 'F', father_given_name: 'Bekzod', father_citizenship: 'UZ', father_legal_status: 'temporary_resident' },
  { ...base, legacy_ref: 'L-3', act_number: '71-2010-0003', iin: '100514500019' },
  { ...base, legacy_ref: 'L-4', act_number: '71-2010-0004', place_kato: '719999999' },
  { ...base, legacy_ref: 'L-5', act_number: '71-2010-0001' },
  { ...base, legacy_ref: 'L-6', act_number: '71-2010-0006', child_date_of_birth: '14.05.2010' },
  { ...base, legacy_ref: 'L-7', act_number: '71-2010-0007', registered_on: '2010-05-01' },
  { ...base, legacy_ref: 'L-8', act_number: '71-2010-0008', iin: '100514500018' },
].map((values, i) => ({ line: i + 2, values }));

describe('legacy register import', () => {
  it('loads the good rows with the workflow’s history, rejects the rest naming the column, and resumes', async () => {
    const deps = birthDeps(db, clock);
    const valid = checkIin('100514500018', deps.rules.iin);
    expect(valid.valid).toBe(true);
    const report = await importBirths(deps, rows, { source: 'legacy.csv', batchSize: 3 });
    expect(report.imported).toBe(2);
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [4, 'iin'],
      [5, 'place_kato'],
      [6, 'act_number'],
      [7, 'child_date_of_birth'],
      [8, 'registered_on'],
      [9, 'iin'],
    ]);

    const { rows: records } = await db.query<{ id: string; ref: string; number: string; iin: string; status: string }>(
      "SELECT id, ref, number, subject_id AS iin, status FROM records WHERE type = 'birth' ORDER BY ref",
    );
    expect(records.map((r) => [r.ref, r.number, r.status])).toEqual([
      ['L-1', '71-2010-0001', 'REGISTERED'],
      ['L-2', '71-2010-0002', 'REGISTERED'],
    ]);
    expect(records[0]!.iin).toBe('100514500018');
    expect(checkIin(records[1]!.iin, deps.rules.iin)).toMatchObject({ valid: true, dateOfBirth: '2010-05-14', sex: 'female' });
    expect((await listActions(db, records[0]!.id)).map((a) => a.type)).toEqual(['DECLARE', 'VALIDATE', 'REGISTER']);

    const again = await importBirths(deps, rows, { source: 'legacy.csv', batchSize: 3 });
    expect(again).toMatchObject({ imported: 0, skipped: 2 });
    expect((await verifyLog(db)).broken).toBeUndefined();
  });
});
