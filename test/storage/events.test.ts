import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareBirth } from '../../src/births/workflow.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { appendEvent, consumeEvents, readEvents, type StreamEvent } from '../../src/core/jobs/events.ts';
import { enqueue, jobStats } from '../../src/core/jobs/outbox.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps, facilityDeclaration } from '../support/births.ts';
import { openTestDb, serverUrl, type TestDb } from '../support/db.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const system = { actor: { kind: 'system', id: 'system' } as const };

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
});
afterAll(() => db.close());

const kinds = (events: readonly StreamEvent[]) => events.map((e) => e.kind);

describe('the event stream', () => {
  it('receives the birth.* events in the write’s transaction, and the outbox no longer holds them', async () => {
    const { record } = await declareBirth(birthDeps(db, clock), facilityDeclaration(), system);
    const events = await readEvents(db, 0, 100);
    expect(events).toEqual([expect.objectContaining({ kind: 'birth.declared', payload: { recordId: record.id, status: 'DECLARED', version: 1 } })]);
    expect((await jobStats(db)).filter((s) => s.kind.startsWith('birth.'))).toEqual([]);
  });

  it('keeps each consumer’s position; what a handler writes commits with the cursor, or neither does', async () => {
    await db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) await appendEvent(tx, { kind: 'test.counted', payload: { n } }, clock);
    });
    await expect(
      db.transaction(async (tx) => {
        await appendEvent(tx, { kind: 'test.ghost', payload: {} }, clock);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');

    const seen: string[] = [];
    const handle = async (events: readonly StreamEvent[]) => void seen.push(...kinds(events));
    expect(await consumeEvents(db, 'test-a', handle, { clock, limit: 2 })).toBe(2);
    expect(await consumeEvents(db, 'test-a', handle, { clock, limit: 2 })).toBe(2);
    expect(await consumeEvents(db, 'test-a', handle, { clock, limit: 2 })).toBe(0);
    expect(seen).toEqual(['birth.declared', 'test.counted', 'test.counted', 'test.counted']);

    // A failing handler leaves the cursor, and the job it enqueued, as they were.
    await expect(
      consumeEvents(db, 'test-b', async (events, tx) => {
        await enqueue(tx, { kind: 'test.webhook', payload: { upTo: events.at(-1)!.seq } }, clock);
        throw new Error('handler failed');
      }, { clock }),
    ).rejects.toThrow('handler failed');
    expect((await jobStats(db)).some((s) => s.kind === 'test.webhook')).toBe(false);
    let again = 0;
    expect(await consumeEvents(db, 'test-b', async (events) => void (again += events.length), { clock })).toBe(4);
    expect(again).toBe(4);
  });

  it('refuses to change or remove an event', async () => {
    await expect(db.query('UPDATE events SET kind = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM events')).rejects.toThrow(/append-only/);
  });

  it.runIf(serverUrl)('never passes over an event that commits after a later-numbered one', async () => {
    const other = await openPostgres(db.url!, 2);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // The slow writer draws its number first, then commits after the fast writer.
      const slow = other.transaction(async (tx) => {
        await appendEvent(tx, { kind: 'test.slow', payload: {} }, clock);
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      await db.transaction((tx) => appendEvent(tx, { kind: 'test.fast', payload: {} }, clock));
      const seen: string[] = [];
      const reading = consumeEvents(db, 'test-order', async (events) => void seen.push(...kinds(events)), { clock });
      await new Promise((r) => setTimeout(r, 100));
      release();
      await slow;
      await reading;
      while ((await consumeEvents(db, 'test-order', async (events) => void seen.push(...kinds(events)), { clock })) > 0);
      expect(seen.filter((k) => k === 'test.slow' || k === 'test.fast')).toEqual(['test.slow', 'test.fast']);
    } finally {
      await other.close();
    }
  });
});
