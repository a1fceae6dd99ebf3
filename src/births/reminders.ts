import fs from 'node:fs';
import path from 'node:path';
import { findRecord } from '../core/action-log/record-store.ts';
import type { Json } from '../core/action-log/hashing.ts';
import { enqueue } from '../core/jobs/outbox.ts';
import type { JobHandler } from '../core/jobs/worker.ts';
import type { BirthState } from './record.ts';
import { type Names, timelinessOf } from './rules.ts';
import { act, type BirthDeps, type BirthRow, localDate } from './workflow.ts';
import { screenBirth } from './protection-screening.ts';

/** A message to a parent. Where it goes (SMS gateway, e-mail) is the sender's business. */
export interface Message {
  /**
   * The message's idempotency key: a sender delivers each id at most once, so a job run again
   * after its worker died (delivery is at least once) sends nothing new. A gateway adapter passes
   * it on as the gateway's own idempotency key.
   */
  id: string;
  recordId: string;
  to: { phone?: string; email?: string };
  text: Names;
}

export interface MessageSender {
  send(message: Message): Promise<void>;
}

/**
 * The default sender: one JSON line per message in a local file, for an office without an SMS
 * gateway (someone phones or writes) and for tests. The file holds contact details: it lives in
 * the data directory, with the database, never in the logs. A message whose id is already in the
 * file is not written again; the ids are read once, then only what was appended since.
 */
export function fileSender(file: string): MessageSender {
  const sent = new Set<string>();
  let readUpTo = 0;
  async function catchUp(): Promise<void> {
    const size = await fs.promises.stat(file).then((s) => s.size, () => 0);
    if (size <= readUpTo) return;
    const handle = await fs.promises.open(file, 'r');
    try {
      const fresh = Buffer.alloc(size - readUpTo);
      await handle.read(fresh, 0, fresh.length, readUpTo);
      const complete = fresh.lastIndexOf(0x0a) + 1;
      for (const line of fresh.subarray(0, complete).toString('utf8').split('\n')) {
        if (line) sent.add((JSON.parse(line) as { id?: string }).id ?? '');
      }
      readUpTo += complete;
    } finally {
      await handle.close();
    }
  }
  return {
    async send(message) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await catchUp();
      if (sent.has(message.id)) return;
      await fs.promises.appendFile(file, `${JSON.stringify(message)}\n`, { mode: 0o600 });
      sent.add(message.id);
    },
  };
}

export const reminderJob = 'birth.remind_mother';

/**
 * Flags every notified birth that has passed the legal declaration period undeclared, and queues
 * one reminder to its mother (the dedupe key makes a second sweep queue nothing). Returns how many
 * it flagged. Run on a timer by the server.
 */
export async function flagOverdueNotifications(deps: BirthDeps, limit = 500): Promise<number> {
  const today = localDate(deps.clock.now(), deps.timeZone);
  // Calendar days bound working days from above: anything overdue is older than the period in days.
  const { rows } = await deps.db.query<{ id: string; dateOfBirth: string }>(
    `SELECT id, data->'notification'->'child'->>'dateOfBirth' AS "dateOfBirth" FROM records
     WHERE type = 'birth' AND status = 'NOTIFIED' AND data->>'overdueSince' IS NULL
       AND data->'notification'->'child'->>'dateOfBirth' < $1
     ORDER BY updated_at LIMIT $2`,
    [new Date(Date.parse(today) - deps.rules.declarationWorkingDays * 86_400_000).toISOString().slice(0, 10), limit],
  );
  let flagged = 0;
  for (const row of rows) {
    if (timelinessOf(row.dateOfBirth, today, deps.rules) === 'current') continue;
    await deps.db.transaction(async (tx) => {
      const record = await findRecord<BirthState & Json>(tx, row.id);
      if (record?.status !== 'NOTIFIED' || record.data.overdueSince) return;
      const flaggedRecord = await act(tx, deps, record as BirthRow, { type: 'FLAG_OVERDUE' }, { actor: { kind: 'system', id: 'system' } });
      await screenBirth(tx, deps, flaggedRecord, 'overdue');
      await enqueue(tx, { kind: reminderJob, payload: { recordId: row.id }, dedupeKey: `${reminderJob}:${row.id}` }, deps.clock);
      flagged++;
    });
  }
  return flagged;
}

/**
 * Sends the reminder, if the birth is still undeclared and the facility left a contact. The job's
 * id goes with the message, so a second run of the same job is recognised by the sender.
 */
export function reminderHandler(deps: BirthDeps, sender: MessageSender): JobHandler {
  return async (payload, job) => {
    const recordId = (payload as { recordId: string }).recordId;
    const record = await findRecord<BirthState & Json>(deps.db, recordId);
    const contact = record?.data.notification?.contact;
    if (record?.status !== 'NOTIFIED' || !contact || (!contact.phone && !contact.email)) return;
    await sender.send({ id: `job-${job.id}`, recordId, to: { phone: contact.phone, email: contact.email }, text: deps.rules.reminder });
  };
}
