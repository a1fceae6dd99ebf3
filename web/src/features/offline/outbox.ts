import { useSyncExternalStore } from 'react';
import { api, ApiProblem, newIdempotencyKey, Offline } from '../../api/client.ts';

/**
 * THE CONTRACT other features use to submit (declaration, notification). This first version keeps
 * submissions in memory only; the offline feature replaces the body of this file with the
 * IndexedDB (Dexie) outbox without changing these exports.
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

let items: Submission[] = [];
const listeners = new Set<() => void>();
const notify = () => {
  items = [...items];
  for (const listener of listeners) listener();
};

function update(id: string, change: Partial<Submission>): Submission {
  const index = items.findIndex((s) => s.id === id);
  const next = { ...items[index]!, ...change };
  items[index] = next;
  notify();
  return next;
}

async function send(submission: Submission): Promise<void> {
  update(submission.id, { state: 'sending', attempts: submission.attempts + 1 });
  try {
    const path =
      submission.kind === 'notify' ? '/births/notifications' : submission.kind === 'declare' ? '/births' : `/births/${submission.recordId}/declaration`;
    const record = await api<{ id: string }>(submission.kind === 'redeclare' ? 'PUT' : 'POST', path, {
      body: submission.body,
      query: submission.kind === 'redeclare' ? { version: submission.version } : undefined,
      idempotencyKey: submission.idempotencyKey,
    });
    for (const [index, attachment] of (submission.attachments ?? []).entries()) {
      await api('POST', `/births/${record.id}/documents`, {
        blob: attachment.blob,
        query: { type: attachment.type },
        idempotencyKey: `${submission.idempotencyKey}.doc${index}`,
      });
    }
    update(submission.id, { state: 'sent', recordId: record.id });
  } catch (error) {
    if (error instanceof Offline) update(submission.id, { state: 'waiting' });
    else if (error instanceof ApiProblem)
      update(submission.id, { state: 'refused', problem: { status: error.status, code: error.code, field: error.field, hint: error.hint, detail: error.message } });
    else throw error;
  }
}

/** Keeps the submission (with its idempotency key) first, then sends it if there is a connection. */
export async function submit(input: NewSubmission): Promise<Submission> {
  const submission: Submission = { ...input, id: newIdempotencyKey(), idempotencyKey: newIdempotencyKey(), createdAt: new Date().toISOString(), state: 'waiting', attempts: 0 };
  items.push(submission);
  notify();
  void send(submission);
  return submission;
}

/** Resolves when the submission is sent or refused, or with it still waiting once timeoutMs has passed. */
export function whenSettled(id: string, timeoutMs = 15_000): Promise<Submission> {
  return new Promise((resolve) => {
    const check = () => {
      const current = items.find((s) => s.id === id);
      if (current && (current.state === 'sent' || current.state === 'refused')) {
        listeners.delete(check);
        clearTimeout(timer);
        resolve(current);
      }
    };
    const timer = setTimeout(() => {
      listeners.delete(check);
      resolve(items.find((s) => s.id === id)!);
    }, timeoutMs);
    listeners.add(check);
    check();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every submission on this device, oldest first, live. */
export function useOutbox(): Submission[] {
  return useSyncExternalStore(subscribe, () => items);
}
