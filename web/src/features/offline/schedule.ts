/**
 * The outbox's rules, apart from IndexedDB and the network so they are tested on their own: which
 * submission goes next, how long to wait after a failure, what a failure means, what a crash left.
 */

/** The part of a stored submission these rules look at. */
export interface QueuedItem {
  id: string;
  /** Order of submission on this device: strictly increasing. */
  seq: number;
  state: 'waiting' | 'sending' | 'sent' | 'refused';
  /** Epoch ms before which it is not tried again (after a failure); 0 = now. */
  nextAttemptAt: number;
}

export type Step = { kind: 'send'; id: string } | { kind: 'wait'; id: string; delayMs: number } | { kind: 'idle' };

/**
 * The oldest waiting submission goes first, and nothing after it goes before it: a declaration and
 * its later correction must reach the server in that order. A refused one is done with and does not
 * hold up the rest; a sent one neither.
 */
export function nextStep(items: readonly QueuedItem[], now: number): Step {
  let head: QueuedItem | undefined;
  for (const item of items) if (item.state === 'waiting' && (!head || item.seq < head.seq)) head = item;
  if (!head) return { kind: 'idle' };
  return head.nextAttemptAt <= now ? { kind: 'send', id: head.id } : { kind: 'wait', id: head.id, delayMs: head.nextAttemptAt - now };
}

export const backoff = { firstMs: 2_000, maxMs: 5 * 60_000 } as const;

/**
 * How long to wait before the next try after the `failures`-th failure in a row: doubling from 2 s
 * up to 5 minutes, with jitter so that the devices of an office that lost its connection together
 * do not all come back in the same second. `random` is in [0, 1).
 */
export function backoffDelay(failures: number, random: number = Math.random()): number {
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  // "Equal jitter": never less than half the ceiling, so a failing server is not hammered.
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** A failure as the sender saw it: no answer, or the server's problem+json. */
export type Failure = { offline: true } | { offline?: false; status: number; code: string; field?: string };

/**
 * retry: try again later (backoff); pause: stays waiting until the person signs in again (the session
 * ended or its CSRF token is stale), without counting as a failure; refuse: the server said no, and
 * asking again would get the same answer.
 */
export type Outcome = 'retry' | 'pause' | 'refuse';

export function outcomeOf(failure: Failure): Outcome {
  if (failure.offline) return 'retry';
  if (failure.status === 401) return 'pause';
  if (failure.status === 403 && failure.field === 'x-csrf-token') return 'pause';
  if (failure.status === 408 || failure.status === 429 || failure.status >= 500) return 'retry';
  return 'refuse';
}

/**
 * Only the tab holding the sender's lock marks a submission 'sending', and it settles each one before
 * letting go: whoever takes the lock and finds one still 'sending' knows its sender died (tab closed,
 * browser crashed) and puts it back to 'waiting', to be sent again with the same idempotency key.
 */
export function leftBehind(items: readonly QueuedItem[]): string[] {
  return items.filter((item) => item.state === 'sending').map((item) => item.id);
}

/**
 * The idempotency key of a submission's n-th attachment, derived from the submission's own key: a
 * retry after a crash between two uploads sends the same key and the server answers with the first
 * upload instead of storing the file twice. Keys stay within the server's 8–100 of [A-Za-z0-9._:-].
 */
export function attachmentKey(submissionKey: string, index: number): string {
  return `${submissionKey}.doc${index}`;
}

/** Records kept for offline reading: the assigned ones, and those read lately, up to a limit. */
export const recordCache = { maxRecords: 200, assignedLimit: 50, keepReadMs: 24 * 3_600_000 } as const;

export interface CacheEntry {
  id: string;
  version: number;
  savedAt: string;
}

/**
 * What refreshing the cache of assigned records does: read again only the ones whose version moved
 * (every read is audited, so unchanged records are not read again), drop records no longer assigned
 * once they are older than a day, and never keep more than maxRecords (the oldest go first).
 */
export function planRefresh(
  assigned: readonly { id: string; version: number }[],
  cached: readonly CacheEntry[],
  now: number,
  limits: { maxRecords: number; keepReadMs: number } = recordCache,
): { fetch: string[]; drop: string[] } {
  const byId = new Map(cached.map((entry) => [entry.id, entry]));
  const assignedIds = new Set(assigned.map((a) => a.id));
  const fetch = assigned.filter((a) => byId.get(a.id)?.version !== a.version).map((a) => a.id);
  const drop = new Set(cached.filter((entry) => !assignedIds.has(entry.id) && now - Date.parse(entry.savedAt) > limits.keepReadMs).map((entry) => entry.id));
  const kept = cached.filter((entry) => !drop.has(entry.id) && !assignedIds.has(entry.id)).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  const room = Math.max(0, limits.maxRecords - assignedIds.size);
  for (const entry of kept.slice(room)) drop.add(entry.id);
  return { fetch, drop: [...drop] };
}
