import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSender, flagOverdueNotifications, reminderHandler, reminderJob } from '../../src/births/reminders.ts';
import { declareBirth, notifyBirth } from '../../src/births/workflow.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { startWorker } from '../../src/core/jobs/worker.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps, facilityDeclaration } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const system = { actor: { kind: 'system', id: 'system' } as const };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-reminders-'));

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const notification = (dateOfBirth: string, phone?: string) => ({
  facilityId: 'kz-hf-71-001',
  child: { sex: 'female' as const, dateOfBirth, plurality: 1, birthOrder: 1 },
  contact: phone ? { phone } : undefined,
});

describe('reminders for overdue notified births', () => {
  it('flags each overdue notification once and reminds the mother through the sender', async () => {
    const deps = birthDeps(db, clock);
    const overdue = await notifyBirth(deps, notification('2026-02-20', '+77010000001'), system);
    const noContact = await notifyBirth(deps, notification('2026-02-19'), system);
    await notifyBirth(deps, notification('2026-02-27', '+77010000002'), system); // within 3 working days
    const declared = await notifyBirth(deps, notification('2026-02-18', '+77010000003'), system);
    await declareBirth(deps, facilityDeclaration(), { ...system, recordId: declared.id });

    expect(await flagOverdueNotifications(deps)).toBe(2);
    expect(await flagOverdueNotifications(deps)).toBe(0);

    const file = path.join(dir, 'reminders.jsonl');
    const worker = startWorker(db, { handlers: { [reminderJob]: reminderHandler(deps, fileSender(file)) }, clock, pollMs: 60_000 });
    expect(await worker.runOnce()).toBe(2);
    await worker.stop();
    const messages = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(messages).toEqual([{ id: expect.stringMatching(/^job-\d+$/), recordId: overdue.id, to: { phone: '+77010000001' }, text: expect.objectContaining({ kk: expect.any(String), ru: expect.any(String), en: expect.any(String) }) }]);

    const { rows } = await db.query<{ id: string; overdue: string | null }>("SELECT id, data->>'overdueSince' AS overdue FROM records WHERE type = 'birth' ORDER BY id");
    expect(rows.filter((r) => r.overdue).map((r) => r.id).sort()).toEqual([overdue.id, noContact.id].sort());
  });

  it('sends one message when its job is run again (a retry after the worker died before marking it done)', async () => {
    const deps = birthDeps(db, clock);
    const overdue = await notifyBirth(deps, notification('2026-02-16', '+77010000004'), system);
    expect(await flagOverdueNotifications(deps)).toBe(1);
    const { rows } = await db.query<{ id: number; kind: string; payload: { recordId: string }; attempts: number; max_attempts: number }>(
      `SELECT id, kind, payload, attempts, max_attempts FROM jobs WHERE payload->>'recordId' = $1`,
      [overdue.id],
    );
    const job = { id: rows[0]!.id, kind: rows[0]!.kind, payload: rows[0]!.payload, attempts: 1, maxAttempts: rows[0]!.max_attempts };
    const file = path.join(dir, 'retried.jsonl');
    // The second run is another process (a new sender) taking the job after the first one's lease.
    await reminderHandler(deps, fileSender(file))(job.payload, job);
    await reminderHandler(deps, fileSender(file))(job.payload, { ...job, attempts: 2 });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: `job-${job.id}`, recordId: overdue.id });
  });
});
