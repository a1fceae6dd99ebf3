import type { Json } from '../action-log/action.ts';
import { canonicalJson } from '../action-log/hashing.ts';
import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../db/types.ts';
import { AppError } from '../errors.ts';

/**
 * The event stream: an append-only list of what happened, written in the transaction of the
 * write that caused it. Consumers (later modules, webhooks) read it in order from a cursor they
 * keep, so an event with no consumer yet is simply not read yet, and a consumer added next year
 * can start from the beginning. Work with side effects (a message, a webhook call) is not done
 * here: a consumer puts it in the jobs outbox, in the transaction that moves its cursor.
 */
export interface NewEvent {
  /** "<module>.<what happened>", e.g. birth.registered. */
  kind: string;
  payload: Json;
}

export interface StreamEvent extends NewEvent {
  seq: number;
  at: Date;
}

/**
 * Writers hold this lock shared from the moment they draw an event number until they commit;
 * a reader takes it exclusively for an instant to learn the number below which every writer has
 * finished. Reading only up to there, a reader never passes over an event that commits late
 * with a lower number, and no writer waits on another.
 */
const eventWatermarkLock = 7_302_203;

/** Appends an event; call it inside the transaction of the write it tells about. */
export async function appendEvent(tx: Tx, event: NewEvent, clock: Clock): Promise<void> {
  await tx.query(
    `INSERT INTO events (kind, payload, at)
     SELECT $1, $2, $3 FROM (SELECT pg_advisory_xact_lock_shared(${eventWatermarkLock})) AS l`,
    [event.kind, canonicalJson(event.payload), clock.now()],
  );
}

async function settledEventWatermark(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${eventWatermarkLock})`);
    const { rows } = await tx.query<{ max: number }>('SELECT coalesce(max(seq), 0) AS max FROM events');
    return rows[0]!.max;
  });
}

const eventSelect = 'seq, kind, payload, at';

/** Up to `limit` settled events after `after`, in order. */
export async function readEvents(db: Db, after: number, limit: number): Promise<StreamEvent[]> {
  const watermark = await settledEventWatermark(db);
  const { rows } = await db.query<StreamEvent>(
    `SELECT ${eventSelect} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
    [after, watermark, limit],
  );
  return rows;
}

/**
 * Hands the next settled events after the consumer's cursor to `handle`, and moves the cursor past
 * them in the same transaction: what `handle` writes (e.g. jobs to enqueue) commits exactly when
 * the cursor moves, so each event is handled once per consumer even if the process dies. Several
 * processes may run the same consumer: the cursor row's lock takes them in turn. Returns how many
 * events were handled (0 when the consumer is up to date).
 */
export async function consumeEvents(
  db: Db,
  consumer: string,
  handle: (events: readonly StreamEvent[], tx: Tx) => Promise<void>,
  options: { clock: Clock; limit?: number },
): Promise<number> {
  if (!/^[a-z][a-z0-9_.:-]{0,99}$/.test(consumer)) {
    throw new AppError('validation_failed', 'a consumer name is lower-case letters, digits and ._:-', { field: 'consumer' });
  }
  const watermark = await settledEventWatermark(db);
  return db.transaction(async (tx) => {
    const now = options.clock.now();
    await tx.query(
      'INSERT INTO event_cursors (consumer, position, updated_at) VALUES ($1, 0, $2) ON CONFLICT (consumer) DO NOTHING',
      [consumer, now],
    );
    const { rows: cursor } = await tx.query<{ position: number }>(
      'SELECT position FROM event_cursors WHERE consumer = $1 FOR UPDATE',
      [consumer],
    );
    const { rows: events } = await tx.query<StreamEvent>(
      `SELECT ${eventSelect} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [cursor[0]!.position, watermark, options.limit ?? 500],
    );
    if (events.length === 0) return 0;
    await handle(events, tx);
    await tx.query('UPDATE event_cursors SET position = $2, updated_at = $3 WHERE consumer = $1', [
      consumer,
      events.at(-1)!.seq,
      now,
    ]);
    return events.length;
  });
}
