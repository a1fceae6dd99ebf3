import { Dexie, type EntityTable } from 'dexie';
import type { Submission } from './outbox.ts';
import type { CachedRecord } from './record-cache.ts';

/**
 * The one IndexedDB database of the app: what this device keeps for the person signed in on it.
 * Nothing personal goes to localStorage; everything here is removed at sign-out and when someone
 * else signs in (local-data.ts).
 */
export interface StoredSubmission extends Submission {
  /** Order of submission on this device. */
  seq: number;
  /** Epoch ms before which the sender does not try it again. */
  nextAttemptAt: number;
  /** Transient failures in a row, for the backoff. */
  failures: number;
  /** The declaration or notification itself reached the server (its record id is known). */
  delivered: boolean;
  /** Indexes of the attachments the server has confirmed. */
  uploaded: number[];
}

export interface StoredRecord extends CachedRecord {
  id: string;
}

export interface DeviceRow {
  key: 'owner';
  userId: string;
}

export const db = new Dexie('tirkeu') as Dexie & {
  submissions: EntityTable<StoredSubmission, 'id'>;
  records: EntityTable<StoredRecord, 'id'>;
  device: EntityTable<DeviceRow, 'key'>;
};

db.version(1).stores({
  submissions: 'id, seq',
  records: 'id, savedAt',
  device: 'key',
});
