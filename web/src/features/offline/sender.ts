import { api, ApiProblem, Offline } from '../../api/client.ts';
import { db, type StoredSubmission } from './db.ts';
import { attachmentKey, backoffDelay, type Failure, leftBehind, nextStep, outcomeOf } from './schedule.ts';

/**
 * Sends the outbox, oldest first, from one tab at a time (a Web Lock shared by the app's tabs), each
 * submission with the idempotency key it was given when it was kept, so a retry after a lost answer,
 * a closed tab or a crash never makes a second record on the server.
 */
const lockName = 'tirkeu.outbox.sender';

/**
 * Set once the session is known (claimDevice: the CSRF token is there and this device's data is the
 * signed-in person's), cleared at sign-out and when the server says the session has ended.
 */
let ready = false;
let running: Promise<void> | undefined;
let again = false;
let timer: ReturnType<typeof setTimeout> | undefined;

export function setSenderReady(value: boolean): void {
  ready = value;
  if (value) kick();
}

async function withLock(work: () => Promise<void>): Promise<void> {
  if (!('locks' in navigator)) return work();
  await navigator.locks.request(lockName, work);
}

/** Start sending (or look again once the current run ends); cheap to call often. */
export function kick(): void {
  if (running) {
    again = true;
    return;
  }
  running = (async () => {
    do {
      again = false;
      await withLock(run).catch(() => schedule(30_000));
    } while (again);
  })().finally(() => {
    running = undefined;
  });
}

function schedule(delayMs: number): void {
  if (timer) clearTimeout(timer);
  // setTimeout overflows past 2^31 ms; the cap of the backoff is far below.
  timer = setTimeout(() => {
    timer = undefined;
    kick();
  }, Math.min(Math.max(delayMs, 0), 2 ** 31 - 1));
}

async function recoverLeftBehind(): Promise<void> {
  await db.transaction('rw', db.submissions, async () => {
    const ids = leftBehind(await db.submissions.toArray());
    for (const id of ids) await db.submissions.update(id, { state: 'waiting', nextAttemptAt: 0 });
  });
}

async function run(): Promise<void> {
  await recoverLeftBehind();
  for (;;) {
    if (!ready || !navigator.onLine) return;
    const step = nextStep(await db.submissions.toArray(), Date.now());
    if (step.kind === 'idle') return;
    if (step.kind === 'wait') return schedule(step.delayMs);
    const claimed = await claim(step.id);
    if (!claimed) continue;
    if ((await deliver(claimed)) === 'stop') return;
  }
}

/** Marks it 'sending' only if it is still waiting: it may have been discarded or cleared meanwhile. */
async function claim(id: string): Promise<StoredSubmission | undefined> {
  return db.transaction('rw', db.submissions, async () => {
    const item = await db.submissions.get(id);
    if (!item || item.state !== 'waiting') return undefined;
    const next = { ...item, state: 'sending' as const, attempts: item.attempts + 1 };
    await db.submissions.put(next);
    return next;
  });
}

function requestOf(item: StoredSubmission): { method: 'POST' | 'PUT'; path: string; query?: Record<string, number | undefined> } {
  if (item.kind === 'notify') return { method: 'POST', path: '/births/notifications' };
  if (item.kind === 'declare') return { method: 'POST', path: '/births' };
  return { method: 'PUT', path: `/births/${item.recordId}/declaration`, query: { version: item.version } };
}

function failureOf(error: unknown): Failure {
  if (error instanceof ApiProblem) return { status: error.status, code: error.code, field: error.field };
  // Offline, or anything unexpected (a file that can no longer be read): kept and tried again later.
  return { offline: true };
}

/**
 * The declaration first, then each attachment not yet confirmed; progress is written after every
 * answer, so a retry resumes where the last try stopped. Updates (never puts) after the network: if
 * the outbox was cleared meanwhile (sign-out), nothing is written back.
 */
async function deliver(item: StoredSubmission): Promise<'next' | 'stop'> {
  try {
    let recordId = item.recordId;
    if (!item.delivered) {
      const { method, path, query } = requestOf(item);
      const record = await api<{ id: string }>(method, path, { body: item.body, query, idempotencyKey: item.idempotencyKey });
      recordId = record.id;
      await db.submissions.update(item.id, { delivered: true, recordId });
    }
    const uploaded = [...item.uploaded];
    for (const [index, attachment] of (item.attachments ?? []).entries()) {
      if (uploaded.includes(index)) continue;
      await api('POST', `/births/${recordId}/documents`, {
        blob: attachment.blob,
        query: { type: attachment.type },
        idempotencyKey: attachmentKey(item.idempotencyKey, index),
      });
      uploaded.push(index);
      await db.submissions.update(item.id, { uploaded: [...uploaded] });
    }
    await db.submissions.update(item.id, { state: 'sent', failures: 0, problem: undefined });
    return 'next';
  } catch (error) {
    const failure = failureOf(error);
    const outcome = outcomeOf(failure);
    if (outcome === 'refuse' && error instanceof ApiProblem) {
      await db.submissions.update(item.id, {
        state: 'refused',
        problem: { status: error.status, code: error.code, field: error.field, hint: error.hint, detail: error.message },
      });
      return 'next';
    }
    if (outcome === 'pause') {
      await db.submissions.update(item.id, { state: 'waiting' });
      // The session ended: the shell asks to sign in again, and claimDevice starts the sender after.
      ready = false;
      return 'stop';
    }
    const failures = item.failures + 1;
    const nextAttemptAt = Date.now() + backoffDelay(failures);
    await db.submissions.update(item.id, { state: 'waiting', failures, nextAttemptAt, problem: error instanceof Offline ? undefined : problemOf(error) });
    schedule(nextAttemptAt - Date.now());
    return 'stop';
  }
}

/** What a transient server failure said (shown beside "waiting", the submission is not refused). */
function problemOf(error: unknown): StoredSubmission['problem'] {
  return error instanceof ApiProblem ? { status: error.status, code: error.code } : undefined;
}

/** Try the head of the outbox now, whatever its backoff said ("send now", the connection is back). */
export async function sendNow(): Promise<void> {
  await db.submissions.toCollection().modify((item) => {
    if (item.state === 'waiting') item.nextAttemptAt = 0;
  });
  kick();
}

/**
 * At start, before any sender runs here: a 'sending' left by a crash is shown as waiting again, if no
 * other tab is sending right now (then the lock would be taken).
 */
function recoverAtStart(): void {
  if (!('locks' in navigator)) {
    void recoverLeftBehind().catch(() => undefined);
    return;
  }
  void navigator.locks.request(lockName, { ifAvailable: true }, async (lock) => {
    if (lock) await recoverLeftBehind();
  }).catch(() => undefined);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => void sendNow().catch(() => undefined));
  recoverAtStart();
}
