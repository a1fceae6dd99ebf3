import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import { checkIin } from '../../src/births/iin.ts';
import { type BirthDeps, declareBirth, recordEvidenceSeen, registerBirth, validateBirth } from '../../src/births/workflow.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps, facilityDeclaration } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/**
 * Many registrations at once, of children born the same day with the same sex (one IIN serial row)
 * at one office (one act number counter). On PostgreSQL two separate connection pools stand for
 * two server processes.
 */
let db: TestDb;
let second: Db | undefined;
const clock = fixedClock('2026-03-02T06:00:00Z');
const registrar = (officeId: string): Actor => ({
  kind: 'user',
  id: `registrar-${officeId}`,
  username: 'r',
  roles: ['national_registrar'],
  scopes: new Set(['birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId,
  sessionId: 's',
});

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  if (db.url) second = await openPostgres(db.url, 10);
});
afterAll(async () => {
  await second?.close();
  await db.close();
});

describe('allocation under concurrency', () => {
  it('gives every child a different valid IIN and every registration the next act number, with no gaps', async () => {
    const processes: BirthDeps[] = [birthDeps(db, clock), birthDeps(second ?? db, clock)];
    const actor = registrar('kz-rgo-71-01');
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await declareBirth(processes[0]!, facilityDeclaration(), { actor })).record.id);
    for (const id of ids) await recordEvidenceSeen(processes[0]!, id, { type: 'medical_birth_certificate' }, { actor }).then(() => validateBirth(processes[0]!, id, { actor }));
    const results = await Promise.allSettled(ids.map((id, i) => registerBirth(processes[i % 2]!, id, { actor })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const records = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof registerBirth>>>).value);
    const iins = records.map((r) => r.subjectId!);
    expect(new Set(iins).size).toBe(60);
    for (const iin of iins) expect(checkIin(iin, processes[0]!.rules.iin)).toMatchObject({ valid: true, dateOfBirth: '2026-02-28', sex: 'female' });
    const numbers = records.map((r) => Number(r.number!.split('/').at(-1))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});
