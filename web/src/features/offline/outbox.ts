import { liveQuery } from 'dexie';
import { useSyncExternalStore } from 'react';
import { newIdempotencyKey } from '../../api/client.ts';
import { db, type StoredSubmission } from './db.ts';
import { kick } from './sender.ts';

/**
 * THE CONTRACT other features use to submit (declaration, notification). A submission is written to
 * IndexedDB, with its idempotency key and its attachments, before anything is sent: a reload, a
 * closed tab or a crashed browser loses nothing, and the sender (sender.ts) delivers it, in order,
 * when there is a connection.
 */
export type OutboxKind = 'declare' | 'redeclare' | 'notify';

export interface OutboxAttachment {
  /** The document type the pack knows (medical_birth_certificate, …). */
  type: string;
  name: string;
  blob: Blob;
}

export interface NewSubmission {
  kind: OutboxKind;
  /** The JSON body of the API request (the declaration, the notification). */
  body: unknown;
  /** For redeclare: the record and the version the user last saw. */
  recordId?: string;
  version?: number;
  attachments?: OutboxAttachment[];
  /** What the outbox list shows for it (e.g. the child's name as typed). */
  label: string;
}

export type SubmissionState = 'waiting' | 'sending' | 'sent' | 'refused';

export interface SubmissionProblem {
  status: number;
  code: string;
  field?: string;
  hint?: string;
  detail?: string;
}

export interface Submission extends NewSubmission {
  id: string;
  idempotencyKey: string;
  createdAt: string;
  state: SubmissionState;
  attempts: number;
  problem?: SubmissionProblem;
}

/** Keeps the submission (with its idempotency key) first, then sends it if there is a connection. */
export async function submit(input: NewSubmission): Promise<Submission> {
  const stored = await db.transaction('rw', db.submissions, async () => {
    const last = await db.submissions.orderBy('seq').last();
    const item: StoredSubmission = {
      ...input,
      id: newIdempotencyKey(),
      idempotencyKey: newIdempotencyKey(),
      createdAt: new Date().toISOString(),
      state: 'waiting',
      attempts: 0,
      seq: (last?.seq ?? 0) + 1,
      nextAttemptAt: 0,
      failures: 0,
      delivered: false,
      uploaded: [],
    };
    await db.submissions.add(item);
    return item;
  });
  kick();
  keepStorage();
  return stored;
}

let storageAsked = false;

/** Asks the browser not to evict the outbox when the disk fills up (it may decide on its own). */
function keepStorage(): void {
  if (storageAsked) return;
  storageAsked = true;
  void navigator.storage?.persist?.().catch(() => false);
}

/**
 * Every submission on this device, oldest first, from one live query shared by every component
 * that shows it; it follows changes made by the sender and by the app's other tabs.
 */
let snapshot: { items: StoredSubmission[]; loaded: boolean } = { items: [], loaded: false };
const listeners = new Set<() => void>();
let subscription: { unsubscribe(): void } | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  subscription ??= liveQuery(() => db.submissions.orderBy('seq').toArray()).subscribe({
    next: (items) => {
      snapshot = { items, loaded: true };
      for (const l of listeners) l();
    },
    // A failed read (storage blocked) leaves the last known list; the next change tries again.
    error: () => undefined,
  });
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      subscription?.unsubscribe();
      subscription = undefined;
      // Not kept in memory unwatched: after a sign-out the next person must not glimpse the last list.
      snapshot = { items: [], loaded: false };
    }
  };
}

/** The outbox with the sender's bookkeeping, and whether it was read yet (to tell "empty" from "loading"). */
export function useOutboxState(): { items: StoredSubmission[]; loaded: boolean } {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** Every submission on this device, oldest first, live. */
export function useOutbox(): Submission[] {
  return useOutboxState().items;
}

const settled = (s: Submission | undefined): s is Submission => s?.state === 'sent' || s?.state === 'refused';

/**
 * Resolves when the submission is sent or refused; or, still waiting, as soon as a try found no
 * connection (nobody should stare at a spinner in an office with no line), or once timeoutMs has passed.
 */
export function whenSettled(id: string, timeoutMs = 15_000): Promise<Submission> {
  return new Promise((resolve, reject) => {
    let last: Submission | undefined;
    const finish = (value: Submission | undefined) => {
      clearTimeout(timer);
      watch.unsubscribe();
      if (value) resolve(value);
      else reject(new Error('this submission is no longer in the outbox'));
    };
    const timer = setTimeout(() => finish(last), timeoutMs);
    const watch = liveQuery(() => db.submissions.get(id)).subscribe({
      next: (value) => {
        last = value ?? last;
        const noConnection = value?.state === 'waiting' && (value.attempts > 0 || !navigator.onLine);
        if (settled(value) || noConnection) finish(value);
      },
      error: () => finish(last),
    });
  });
}

/** Submissions not sent yet (waiting or being sent): lost if the person signs out now. */
export async function pendingCount(): Promise<number> {
  return db.submissions.filter((s) => s.state === 'waiting' || s.state === 'sending').count();
}

/**
 * Removes a waiting or refused submission, the person having confirmed. One being sent cannot be:
 * the server may already have it. Returns whether it was removed.
 */
export async function discard(id: string): Promise<boolean> {
  return db.transaction('rw', db.submissions, async () => {
    const item = await db.submissions.get(id);
    if (!item || (item.state !== 'waiting' && item.state !== 'refused')) return false;
    await db.submissions.delete(id);
    return true;
  });
}

export { sendNow } from './sender.ts';
