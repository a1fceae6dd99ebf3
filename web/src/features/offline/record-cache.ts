import { api, ApiProblem, Offline } from '../../api/client.ts';
import { db } from './db.ts';
import { planRefresh, recordCache } from './schedule.ts';

/**
 * THE CONTRACT for reading records with no connection: the records assigned to the signed-in person
 * are kept on the device (IndexedDB) and the record page falls back to them when the API cannot be
 * reached. The server stays the truth: a cached copy is only ever replaced by what the server says.
 */
export interface CachedRecord {
  /** The birth as GET /births/:id answered it (BirthView). */
  record: { id: string; version: number } & Record<string, unknown>;
  /** Its history as GET /records/:id/actions answered it, if it was read. */
  history?: unknown;
  savedAt: string;
}

/**
 * Kept only while someone has claimed the device: an answer that arrives after sign-out (which
 * removes the owner with everything else) is not written back.
 */
export async function saveRecord(entry: CachedRecord): Promise<void> {
  await db.transaction('rw', db.records, db.device, async () => {
    if (!(await db.device.get('owner'))) return;
    await db.records.put({ ...entry, id: entry.record.id });
  });
}

export async function loadRecord(id: string): Promise<CachedRecord | undefined> {
  const stored = await db.records.get(id);
  if (!stored) return undefined;
  const { id: _id, ...entry } = stored;
  return entry;
}

export interface RefreshResult {
  saved: number;
  dropped: number;
  /** False when the connection or the session ended part way: what was read is kept. */
  complete: boolean;
}

let refreshing: Promise<RefreshResult> | undefined;

/**
 * Reads the records assigned to me (GET /births/queues/mine, at most `limit`) and keeps each one
 * whose version changed, with its history, for reading offline; forgets records no longer assigned
 * after a day. Every read is audited, so an unchanged record is not read again. It runs in the
 * background after sign-in and when the connection returns, so a lost connection or a refusal ends it
 * quietly (complete: false) instead of throwing. One tab refreshes at a time.
 */
export function refreshAssignedRecords(options: { limit?: number } = {}): Promise<RefreshResult> {
  refreshing ??= withRefreshLock(() => refresh(options.limit ?? recordCache.assignedLimit)).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

const skipped: RefreshResult = { saved: 0, dropped: 0, complete: false };

async function withRefreshLock(work: () => Promise<RefreshResult>): Promise<RefreshResult> {
  if (!('locks' in navigator)) return work();
  return await navigator.locks.request('tirkeu.records.refresh', { ifAvailable: true }, (lock) => (lock ? work() : skipped));
}

async function refresh(limit: number): Promise<RefreshResult> {
  let saved = 0;
  try {
    const mine = await api<{ items: { id: string; version: number }[] }>('GET', '/births/queues/mine', { query: { limit } });
    const cached = (await db.records.toArray()).map((entry) => ({ id: entry.id, version: entry.record.version, savedAt: entry.savedAt }));
    const plan = planRefresh(mine.items, cached, Date.now());
    await db.records.bulkDelete(plan.drop);
    for (const id of plan.fetch) {
      try {
        const record = await api<CachedRecord['record']>('GET', `/births/${id}`);
        const history = await api<unknown>('GET', `/records/${id}/actions`).catch((error: unknown) => {
          if (error instanceof ApiProblem && error.status === 403) return undefined;
          throw error;
        });
        await saveRecord({ record, history, savedAt: new Date().toISOString() });
        saved++;
      } catch (error) {
        // Released or moved out of my reach between the list and the read: nothing to keep.
        if (!(error instanceof ApiProblem && (error.status === 404 || error.status === 403))) throw error;
      }
    }
    return { saved, dropped: plan.drop.length, complete: true };
  } catch (error) {
    if (error instanceof Offline || error instanceof ApiProblem) return { saved, dropped: 0, complete: false };
    throw error;
  }
}
