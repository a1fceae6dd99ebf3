/**
 * The one home of the shapes of the action log: what an action and a record row hold, and which
 * column of `record_actions` and `records` holds each field. Hashing, the record store (INSERT,
 * UPDATE, COPY, SELECT) and verify-log all read these lists, so a field added here is hashed,
 * written, read and verified everywhere at once.
 */

/** What can be stored in a jsonb payload. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The fields of an action that its hash covers: everything but the global sequence number and the hash. */
export interface HashedAction {
  recordId: string;
  recordSeq: number;
  type: string;
  actor: string;
  officeId: string | null;
  at: Date;
  reason: string | null;
  payload: Json;
  prevHash: string;
}

/**
 * What a reducer sees of an action: everything but the global sequence number, which says when
 * the commit happened relative to other records and must not change a record's own state.
 */
export interface ActionFacts extends HashedAction {
  hash: string;
}

/** An action as stored: the unit of a record's history. */
export interface StoredAction extends ActionFacts {
  seq: number;
}

/** The fields the hash covers (canonical JSON sorts them, so their order here does not matter). */
export const hashedActionFields = [
  'at',
  'actor',
  'officeId',
  'payload',
  'prevHash',
  'reason',
  'recordId',
  'recordSeq',
  'type',
] as const satisfies readonly (keyof HashedAction)[];

/** Each field an action writes, and its column in record_actions (seq is drawn by the database). */
export const actionColumns: { readonly [F in keyof ActionFacts]: string } = {
  recordId: 'record_id',
  recordSeq: 'record_seq',
  type: 'type',
  actor: 'actor',
  officeId: 'office_id',
  at: 'at',
  reason: 'reason',
  payload: 'payload',
  prevHash: 'prev_hash',
  hash: 'hash',
};

/** A record's current state row, as use cases read it. */
export interface RecordRow<S extends Json = Json> {
  id: string;
  type: string;
  status: string;
  version: number;
  jurisdiction: string;
  officeId: string | null;
  ref: string | null;
  number: string | null;
  subjectId: string | null;
  data: S;
  createdAt: Date;
  updatedAt: Date;
}

/** The whole stored row: with the hash of its newest action, so an append needs no extra read. */
export interface StoredRecord<S extends Json = Json> extends RecordRow<S> {
  headHash: string;
}

/**
 * Each field of a record row and its column in records. Every one of them is derived from the
 * record's actions (see projectRecord), and verify-log compares every one with the replay.
 */
export const recordColumns: { readonly [F in keyof StoredRecord]: string } = {
  id: 'id',
  type: 'type',
  status: 'status',
  version: 'version',
  jurisdiction: 'jurisdiction',
  officeId: 'office_id',
  ref: 'ref',
  number: 'number',
  subjectId: 'subject_id',
  data: 'data',
  headHash: 'head_hash',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export const actionFields = Object.keys(actionColumns) as (keyof ActionFacts)[];
export const recordFields = Object.keys(recordColumns) as (keyof StoredRecord)[];

function selectList<F extends string>(columns: { readonly [K in F]: string }, fields: readonly F[]): string {
  return fields.map((f) => (columns[f] === f ? f : `${columns[f]} AS "${f}"`)).join(', ');
}

/** SELECT list of an action row as a StoredAction. */
export const actionSelect = `seq, ${selectList(actionColumns, actionFields)}`;

/** SELECT list of a record row as a RecordRow (without the head hash). */
export const recordSelect = selectList(
  recordColumns,
  recordFields.filter((f) => f !== 'headHash'),
);

/** SELECT list of a record row as a StoredRecord. */
export const storedRecordSelect = selectList(recordColumns, recordFields);
