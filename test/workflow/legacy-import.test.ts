import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIin } from '../../src/births/iin.ts';
import { importBirths, type LegacyRow, officeOfPlace, type RejectedRow } from '../../src/births/legacy-import.ts';
import { importBirthsFile } from '../../src/cli/commands/births.ts';
import { listActions } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { testSigningPassphrase } from '../support/app.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-import-'));

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

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
const numbered = (rows: Record<string, string>[]): LegacyRow[] => rows.map((values, i) => ({ line: i + 2, values }));

async function run(rows: Record<string, string>[], batchSize = 3) {
  const rejected: RejectedRow[] = [];
  const report = await importBirths(birthDeps(db, clock), numbered(rows), { source: 'legacy.csv', batchSize, onRejected: (r) => rejected.push(r) });
  return { ...report, rejected: rejected.sort((a, b) => a.line - b.line) };
}

async function record(ref: string) {
  const { rows } = await db.query<{ id: string; number: string; iin: string; office: string; data: { registration: { registeredOn: string; officeId: string } } }>(
    "SELECT id, number, subject_id AS iin, office_id AS office, data FROM records WHERE type = 'birth' AND ref = $1",
    [ref],
  );
  return rows[0];
}

describe('legacy register import', () => {
  it('loads the good rows with the workflow’s history, rejects the rest naming the column, and resumes', async () => {
    const rows = [
      { ...base, legacy_ref: 'L-1', act_number: '71-2010-0001', iin: '100514500018' },
      { ...base, legacy_ref: 'L-2', act_number: '71-2010-0002', child_sex: 'F', father_given_name: 'Bekzod', father_citizenship: 'UZ', father_legal_status: 'temporary_resident' },
      { ...base, legacy_ref: 'L-3', act_number: '71-2010-0003', iin: '100514500019' },
      { ...base, legacy_ref: 'L-4', act_number: '71-2010-0004', place_kato: '719999999' },
      { ...base, legacy_ref: 'L-5', act_number: '71-2010-0001' },
      { ...base, legacy_ref: 'L-6', act_number: '71-2010-0006', child_date_of_birth: '14.05.2010' },
      { ...base, legacy_ref: 'L-7', act_number: '71-2010-0007', registered_on: '2010-05-01' },
      { ...base, legacy_ref: 'L-8', act_number: '71-2010-0008', iin: '100514500018' },
    ];
    const deps = birthDeps(db, clock);
    expect(checkIin('100514500018', deps.rules.iin).valid).toBe(true);
    const report = await run(rows);
    expect(report.imported).toBe(2);
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [4, 'iin'],
      [5, 'place_kato'],
      [6, 'act_number'],
      [7, 'child_date_of_birth'],
      [8, 'registered_on'],
      [9, 'iin'],
    ]);

    const first = (await record('L-1'))!;
    const second = (await record('L-2'))!;
    expect([first.number, second.number]).toEqual(['71-2010-0001', '71-2010-0002']);
    expect(first.iin).toBe('100514500018');
    expect(checkIin(second.iin, deps.rules.iin)).toMatchObject({ valid: true, dateOfBirth: '2010-05-14', sex: 'female' });
    expect((await listActions(db, first.id)).map((a) => a.type)).toEqual(['DECLARE', 'VALIDATE', 'REGISTER']);

    const again = await run(rows);
    expect(again).toMatchObject({ imported: 0, skipped: 2 });
    expect((await verifyLog(db)).broken).toBeUndefined();
  });

  it('refuses what the API refuses: a birth in the future, impossible dates, over-long names, malformed codes and ranges', async () => {
    const long = 'А'.repeat(500);
    const report = await run([
      { ...base, legacy_ref: 'C-1', act_number: 'C-1', child_date_of_birth: '2030-01-01', registered_on: '2030-01-02' },
      { ...base, legacy_ref: 'C-2', act_number: 'C-2', child_date_of_birth: '2023-02-30', registered_on: '2023-03-30' },
      { ...base, legacy_ref: 'C-3', act_number: 'C-3', child_surname: long },
      { ...base, legacy_ref: 'C-5', act_number: 'C-5', mother_citizenship: 'Kazakh' },
      { ...base, legacy_ref: 'C-6', act_number: 'C-6', weight_grams: '50' },
      { ...base, legacy_ref: 'C-7', act_number: 'C-7', registered_on: '2026-03-03' },
      { ...base, legacy_ref: 'C-8', act_number: 'C-8', mother_given_name: long },
      { ...base, legacy_ref: 'C-9', act_number: 'C-9', child_date_of_birth: '0000-00-00', registered_on: '' },
    ]);
    expect(report.imported).toBe(0);
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [2, 'child_date_of_birth'],
      [3, 'child_date_of_birth'],
      [4, 'child_surname'],
      [5, 'mother_citizenship'],
      [6, 'weight_grams'],
      [7, 'registered_on'],
      [8, 'mother_given_name'],
      [9, 'child_date_of_birth'],
    ]);
    expect(report.rejected[0]!.message).toMatch(/in the future/);
    const { rows } = await db.query("SELECT 1 FROM iins i JOIN records r ON r.id = i.record_id WHERE r.ref LIKE 'C-%'");
    expect(rows).toEqual([]);
  });

  it('rejects a row with a NUL or half a surrogate pair, naming its column, and loads the rest of the batch', async () => {
    const report = await run([
      { ...base, legacy_ref: 'U-1', act_number: 'U-1', child_given_name: 'Ар\u0000ман' },
      { ...base, legacy_ref: 'U-2', act_number: 'U-2', mother_surname: 'Ахмет\ud800ова' },
      { ...base, legacy_ref: 'U-3', act_number: 'U-3' },
    ]);
    expect(report.imported).toBe(1);
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [2, 'child_given_name'],
      [3, 'mother_surname'],
    ]);
  });

  it('rejects a legacy_ref used for another birth earlier in the file or in the register; skips only the same birth again', async () => {
    const first = { ...base, legacy_ref: 'R-1', act_number: 'R-1' };
    const other = { ...base, legacy_ref: 'R-1', act_number: 'R-2', child_given_name: 'Дана', child_sex: 'F' };
    const inOneBatch = await run([first, other]);
    expect(inOneBatch.imported).toBe(1);
    expect(inOneBatch.rejected.map((r) => [r.line, r.field])).toEqual([[3, 'legacy_ref']]);
    const later = await run([{ ...other, act_number: 'R-3' }, first]);
    expect(later).toMatchObject({ imported: 0, skipped: 1 });
    expect(later.rejected.map((r) => [r.line, r.field])).toEqual([[2, 'legacy_ref']]);
    expect((await record('R-1'))!.number).toBe('R-1');
  });

  it('keeps a parent fact of the register that does not check (a mistyped mother IIN), marked unverified', async () => {
    const report = await run([{ ...base, legacy_ref: 'U-1', act_number: '71-2010-0900', mother_iin: '791028302729' }]);
    expect(report).toMatchObject({ imported: 1, rejected: [] });
    const { rows } = await db.query<{ unverified: { field: string; code: string; confirmedBy: string | null }[] }>(
      "SELECT data->'unverified' AS unverified FROM records WHERE type = 'birth' AND ref = 'U-1'",
    );
    expect(rows[0]!.unverified).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'mother.iin', code: 'iin_invalid', confirmedBy: null })]));
  });

  it('accepts registers without act number, office or registration date, by the documented defaults', async () => {
    const bare = { ...base, act_number: '', office_id: '', registered_on: '' };
    const report = await run([
      { ...bare, legacy_ref: 'D-1', child_date_of_birth: '2011-07-01' },
      { ...bare, legacy_ref: 'D-2', child_date_of_birth: '2011-08-01', child_sex: 'F' },
      { ...bare, legacy_ref: 'D-3', child_date_of_birth: '2011-09-01', facility_id: 'kz-hf-71-001', place_kato: '' },
      { ...bare, legacy_ref: 'D-4', child_date_of_birth: '2012-01-01', act_number: 'kz-rgo-71-01/2011/000004', office_id: 'kz-rgo-71-01', registered_on: '2012-01-05' },
      { ...bare, legacy_ref: 'D-5', child_date_of_birth: '2011-10-01' },
    ]);
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(5);
    const d1 = (await record('D-1'))!;
    expect(d1).toMatchObject({ office: 'kz-rgo-71-01', number: 'kz-rgo-71-01/2011/000001' });
    expect(d1.data.registration).toMatchObject({ registeredOn: '2011-07-01', officeId: 'kz-rgo-71-01' });
    expect((await record('D-2'))!.number).toBe('kz-rgo-71-01/2011/000002');
    expect((await record('D-3'))!.number).toBe('kz-rgo-71-01/2011/000003');
    // A kept number in the counter's own form is never drawn again.
    expect((await record('D-5'))!.number).toBe('kz-rgo-71-01/2011/000005');
    expect((await verifyLog(db)).broken).toBeUndefined();
  });

  it('takes the registry office of the place: the district’s before the region’s, never a service centre', () => {
    const offices = [
      { id: 'kz-rgo-71-01', kato: '710000000', kind: 'registry_office' },
      { id: 'kz-con-71-01', kato: '711300000', kind: 'service_centre' },
      { id: 'kz-rgo-71-14', kato: '711400000', kind: 'registry_office' },
      { id: 'kz-rgo-75-01', kato: '750000000', kind: 'registry_office' },
    ];
    expect(officeOfPlace('711300000', offices)).toBe('kz-rgo-71-01');
    expect(officeOfPlace('711433100', offices)).toBe('kz-rgo-71-14');
    expect(officeOfPlace('751200000', offices)).toBe('kz-rgo-75-01');
    expect(officeOfPlace('191010000', offices)).toBeUndefined();
  });
});

describe('tirkeu import births FILE', () => {
  it('signs the checkpoint of each batch with the registry’s key when one opens', async () => {
    const signed = await openTestDb();
    try {
      await loadPackIntoDb(signed, loadPack('kz'));
      const key = await generateSigningKey(signed, clock, { passphrase: testSigningPassphrase });
      const csv = path.join(dir, 'signed.csv');
      fs.writeFileSync(csv, 'legacy_ref,child_sex,child_date_of_birth,place_kato\nS-1,F,2015-03-04,711300000\nS-2,M,2015-03-05,711300000\nS-3,M,2015-03-06,711300000\n');
      const report = await importBirthsFile(signed, { pack: 'kz', signingKeyPassphrase: testSigningPassphrase, demo: false }, csv, { batchSize: 2, clock, say: () => undefined });
      expect(report.imported).toBe(3);
      const { rows } = await signed.query<{ keyId: string | null }>('SELECT key_id AS "keyId" FROM log_checkpoints ORDER BY id');
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((r) => r.keyId === key.kid)).toBe(true);
    } finally {
      await signed.close();
    }
  });

  it('reports a quote left open, in bounded memory, and goes on with the rows after it', async () => {
    const csv = path.join(dir, 'open-quote.csv');
    const filler = Array.from({ length: 3000 }, (_, i) => `filler line ${i} without any quote at all`).join('\n');
    fs.writeFileSync(csv, `legacy_ref,child_sex,child_date_of_birth,place_kato\nQ-1,F,2015-03-04,"711300000\n${filler}\nQ-2,M,2015-03-05,711300000\n`);
    const report = await importBirthsFile(db, { pack: 'kz' }, csv, { batchSize: 50, clock, say: () => undefined });
    const rejected = fs.readFileSync(`${csv}.rejected.csv`, 'utf8');
    expect(rejected).toMatch(/^"line","field","problem"\n2,"line","a quoted field is not closed within 65536 characters/);
    expect(report.imported).toBe(1);
  });

  it('loads the pack into a database that has none, streams CSV with quoted line breaks and JSON Lines, and writes the rejected rows', async () => {
    const empty = await openTestDb();
    try {
      const csv = path.join(dir, 'register.csv');
      fs.writeFileSync(
        csv,
        '\uFEFFlegacy_ref,child_sex,child_date_of_birth,place_kato,child_surname,mother_given_name,mother_citizenship\r\n' +
          'F-0,F,2015-03-04,711300000,"Ахметова, Әлия","Гүл\r\nнар",KZ\r\n' +
          'F-1,F,2015-03-04,711300000,"Ахметова, Әлия",Гүлнар,KZ\r\n' +
          'F-2,M,2031-01-01,711300000,Серікұлы,Дана,KZ\r\n' +
          '\r\n' +
          'F-3,M,2015-03-05,711300000,"Say ""Hi""",Дана,KZ\r\n',
      );
      const said: string[] = [];
      const report = await importBirthsFile(empty, { pack: 'kz' }, csv, { batchSize: 2, clock, say: (t) => said.push(t) });
      expect(report).toMatchObject({ imported: 2, skipped: 0, rejected: 2, rejectedFile: `${csv}.rejected.csv` });
      expect(said.join('')).toMatch(/loaded pack kz/);
      // A name is one line of text; the quoted break is read as part of the field, so the lines after it keep their numbers.
      expect(fs.readFileSync(`${csv}.rejected.csv`, 'utf8')).toMatch(/^"line","field","problem"\n2,"mother_given_name",.*\n5,"child_date_of_birth",".*in the future/);
      const { rows } = await empty.query<{ ref: string; surname: string; mother: string }>(
        "SELECT ref, data->'declaration'->'child'->>'surname' AS surname, data->'declaration'->'mother'->>'givenName' AS mother FROM records WHERE type = 'birth' ORDER BY ref",
      );
      expect(rows).toEqual([
        { ref: 'F-1', surname: 'Ахметова, Әлия', mother: 'Гүлнар' },
        { ref: 'F-3', surname: 'Say "Hi"', mother: 'Дана' },
      ]);

      const jsonl = path.join(dir, 'register.jsonl');
      fs.writeFileSync(
        jsonl,
        [
          JSON.stringify({ legacy_ref: 'J-1', child_sex: 'female', child_date_of_birth: '2016-01-02', place_kato: '711300000', plurality: 1 }),
          '{not json',
          JSON.stringify({ legacy_ref: 'J-2', child_sex: 'female', child_date_of_birth: '2016-01-02', place_kato: '711300000', child_surnme: 'Misspelt' }),
          '',
        ].join('\n'),
      );
      const second = await importBirthsFile(empty, { pack: 'kz' }, jsonl, { batchSize: 10, clock });
      expect(second).toMatchObject({ imported: 1, rejected: 2 });
      expect(fs.readFileSync(`${jsonl}.rejected.csv`, 'utf8').split('\n').slice(1, 3)).toEqual(['2,"line","not a JSON object"', '3,"child_surnme","unknown column child_surnme"']);

      const misspelt = path.join(dir, 'misspelt.csv');
      fs.writeFileSync(misspelt, 'legacy_ref,child_sex,child_date_of_birth,place_kato,child_surnme\nM-1,F,2015-03-04,711300000,Ахметова\n');
      await expect(importBirthsFile(empty, { pack: 'kz' }, misspelt, { batchSize: 10, clock })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'child_surnme' } });
    } finally {
      await empty.close();
    }
  });
});
