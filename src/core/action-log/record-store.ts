import type { Clock } from '../clock.ts';
import type { Queryable, Tx } from '../db/types.ts';
import { AppError } from '../errors.ts';
import { uuidv7 } from '../ids.ts';
import { actionHash, canonicalJson, genesisHash, type Json, sha256Hex } from './hashing.ts';
import {
  assertAllowed,
  noRecord,
  type RecordDefinition,
  type RecordKeys,
  type StoredAction,
} from './record-definition.ts';

/**
 * Writers hold this lock shared for the rest of their transaction from the moment they take an
 * action sequence number; the checkpoint job takes it exclusively for an instant to learn a
 * sequence number below which every transaction has finished. No write waits on another write.
 */
export const logWatermarkLock = 7_302_202;

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

export interface NewAction {
  type: string;
  actor: string;
  officeId?: string | null;
  reason?: string | null;
  payload: Json;
}

export interface WriteOptions {
  clock: Clock;
  /** The client-made id of this submission; a retry with the same key returns the first result. */
  idempotencyKey?: string;
  /** The version the caller last read; a different current version is a version_conflict. */
  expectedVersion?: number;
}

export interface WriteResult<S extends Json> {
  record: RecordRow<S>;
  action: StoredAction;
  /** True when this was a retry answered from the first result; nothing was written. */
  replayed: boolean;
}

const recordColumns = `id, type, status, version, jurisdiction, office_id AS "officeId", ref, number,
  subject_id AS "subjectId", data, created_at AS "createdAt", updated_at AS "updatedAt"`;

const actionColumns = `seq, record_id AS "recordId", record_seq AS "recordSeq", type, actor,
  office_id AS "officeId", at, reason, payload, prev_hash AS "prevHash", hash`;

export async function findRecord<S extends Json = Json>(
  db: Queryable,
  id: string,
): Promise<RecordRow<S> | undefined> {
  const { rows } = await db.query<RecordRow<S>>(`SELECT ${recordColumns} FROM records WHERE id = $1`, [id]);
  return rows[0];
}

export async function getRecord<S extends Json = Json>(db: Queryable, id: string): Promise<RecordRow<S>> {
  const record = await findRecord<S>(db, id);
  if (!record) throw new AppError('not_found', 'no such record', { field: 'id' });
  return record;
}

export async function listActions(db: Queryable, recordId: string): Promise<StoredAction[]> {
  const { rows } = await db.query<StoredAction>(
    `SELECT ${actionColumns} FROM record_actions WHERE record_id = $1 ORDER BY record_seq`,
    [recordId],
  );
  return rows;
}

async function getActionAt(db: Queryable, recordId: string, recordSeq: number): Promise<StoredAction> {
  const { rows } = await db.query<StoredAction>(
    `SELECT ${actionColumns} FROM record_actions WHERE record_id = $1 AND record_seq = $2`,
    [recordId, recordSeq],
  );
  if (!rows[0]) throw new AppError('internal', 'idempotency key points at a missing action');
  return rows[0];
}

/**
 * Claims the idempotency key inside the caller's transaction. A concurrent claim of the same key
 * waits on the unique index until the first commits, then sees it here and replays its result.
 */
async function claimKey(
  tx: Tx,
  options: WriteOptions,
  actor: string,
  requestHash: string,
): Promise<{ recordId: string; recordSeq: number } | undefined> {
  if (!options.idempotencyKey) return undefined;
  const key = `${actor}:${options.idempotencyKey}`;
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, requestHash, options.clock.now()],
  );
  if (inserted.rowCount > 0) return undefined;
  const { rows } = await tx.query<{
    request_hash: string;
    result: { recordId: string; recordSeq: number } | null;
  }>('SELECT request_hash, result FROM idempotency_keys WHERE key = $1', [key]);
  const first = rows[0];
  if (!first || first.request_hash !== requestHash || !first.result) {
    throw new AppError(
      'idempotency_key_reused',
      'this idempotency key was already used for a different request',
      {
        field: 'Idempotency-Key',
        hint: 'make a new key for each new submission; reuse a key only to retry the very same request',
      },
    );
  }
  return first.result;
}

async function settleKey(tx: Tx, options: WriteOptions, actor: string, action: StoredAction): Promise<void> {
  if (!options.idempotencyKey) return;
  await tx.query('UPDATE idempotency_keys SET record_id = $2, result = $3 WHERE key = $1', [
    `${actor}:${options.idempotencyKey}`,
    action.recordId,
    JSON.stringify({ recordId: action.recordId, recordSeq: action.recordSeq }),
  ]);
}

async function insertAction(
  tx: Tx,
  recordId: string,
  recordSeq: number,
  prevHash: string,
  input: NewAction,
  at: Date,
): Promise<StoredAction> {
  const facts = {
    recordId,
    recordSeq,
    type: input.type,
    actor: input.actor,
    officeId: input.officeId ?? null,
    at,
    reason: input.reason ?? null,
    payload: input.payload,
    prevHash,
  };
  const hash = actionHash(facts);
  // The shared lock is taken in the same statement, before the sequence number is drawn.
  const { rows } = await tx.query<{ seq: number }>(
    `INSERT INTO record_actions (record_id, record_seq, type, actor, office_id, at, reason, payload, prev_hash, hash)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM (SELECT pg_advisory_xact_lock_shared(${logWatermarkLock})) AS l
     RETURNING seq`,
    [
      recordId,
      recordSeq,
      facts.type,
      facts.actor,
      facts.officeId,
      at,
      facts.reason,
      JSON.stringify(facts.payload),
      prevHash,
      hash,
    ],
  );
  return { ...facts, seq: rows[0]!.seq, hash };
}

function projectKeys(
  keys: RecordKeys,
): Pick<RecordRow, 'jurisdiction' | 'officeId' | 'ref' | 'number' | 'subjectId'> {
  return {
    jurisdiction: keys.jurisdiction,
    officeId: keys.officeId ?? null,
    ref: keys.ref ?? null,
    number: keys.number ?? null,
    subjectId: keys.subjectId ?? null,
  };
}

function requestHashOf(
  type: string,
  recordId: string | null,
  input: NewAction,
  expectedVersion?: number,
): string {
  return sha256Hex(
    canonicalJson({
      type,
      recordId,
      action: input.type,
      reason: input.reason ?? null,
      officeId: input.officeId ?? null,
      payload: input.payload,
      expectedVersion: expectedVersion ?? null,
    }),
  );
}

async function replay<S extends Json>(
  tx: Tx,
  first: { recordId: string; recordSeq: number },
): Promise<WriteResult<S>> {
  return {
    record: await getRecord<S>(tx, first.recordId),
    action: await getActionAt(tx, first.recordId, first.recordSeq),
    replayed: true,
  };
}

/** Creates a record with its first action, in the caller's transaction. */
export async function createRecord<S extends Json>(
  tx: Tx,
  definition: RecordDefinition<S>,
  input: NewAction & { recordId?: string },
  options: WriteOptions,
): Promise<WriteResult<S>> {
  const first = await claimKey(tx, options, input.actor, requestHashOf(definition.type, null, input));
  if (first) return replay<S>(tx, first);
  assertAllowed(definition, noRecord, input.type);
  const at = options.clock.now();
  const id = input.recordId ?? uuidv7(at.getTime());
  const probe = {
    seq: 0,
    recordId: id,
    recordSeq: 1,
    type: input.type,
    actor: input.actor,
    officeId: input.officeId ?? null,
    at,
    reason: input.reason ?? null,
    payload: input.payload,
    prevHash: genesisHash,
    hash: '',
  };
  // Reduce before writing so an invalid first action fails without touching the database.
  const state = definition.reduce(undefined, probe);
  const keys = definition.keys(state);
  await tx.query(
    `INSERT INTO records (id, type, status, version, jurisdiction, office_id, ref, number, subject_id, data, head_hash, created_at, updated_at)
     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, '', $10, $10)`,
    [
      id,
      definition.type,
      definition.status(state),
      keys.jurisdiction,
      keys.officeId ?? null,
      keys.ref ?? null,
      keys.number ?? null,
      keys.subjectId ?? null,
      JSON.stringify(state),
      at,
    ],
  );
  const action = await insertAction(tx, id, 1, genesisHash, input, at);
  await tx.query('UPDATE records SET head_hash = $2 WHERE id = $1', [id, action.hash]);
  await settleKey(tx, options, input.actor, action);
  const record: RecordRow<S> = {
    id,
    type: definition.type,
    status: definition.status(state),
    version: 1,
    ...projectKeys(keys),
    data: state,
    createdAt: at,
    updatedAt: at,
  };
  return { record, action, replayed: false };
}

/**
 * Appends one action to a record, in the caller's transaction: locks the record row, checks the
 * version and the transition table, folds the action into the stored state and writes both.
 */
export async function appendAction<S extends Json>(
  tx: Tx,
  definition: RecordDefinition<S>,
  recordId: string,
  input: NewAction,
  options: WriteOptions,
): Promise<WriteResult<S>> {
  const first = await claimKey(
    tx,
    options,
    input.actor,
    requestHashOf(definition.type, recordId, input, options.expectedVersion),
  );
  if (first) return replay<S>(tx, first);
  const { rows } = await tx.query<RecordRow<S> & { headHash: string }>(
    `SELECT ${recordColumns}, head_hash AS "headHash" FROM records WHERE id = $1 AND type = $2 FOR UPDATE`,
    [recordId, definition.type],
  );
  const current = rows[0];
  if (!current) throw new AppError('not_found', `no such ${definition.type} record`, { field: 'id' });
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    throw new AppError('version_conflict', `the record changed since version ${options.expectedVersion}`, {
      field: 'version',
      currentVersion: current.version,
      hint: 'reload the record, check what changed, and submit again with the current version',
    });
  }
  assertAllowed(definition, current.status, input.type);
  const at = options.clock.now();
  const action = await insertAction(tx, recordId, current.version + 1, current.headHash, input, at);
  const state = definition.reduce(current.data, action);
  const keys = definition.keys(state);
  await tx.query(
    `UPDATE records SET status = $2, version = version + 1, jurisdiction = $3, office_id = $4, ref = $5, number = $6,
       subject_id = $7, data = $8, head_hash = $9, updated_at = $10 WHERE id = $1`,
    [
      recordId,
      definition.status(state),
      keys.jurisdiction,
      keys.officeId ?? null,
      keys.ref ?? null,
      keys.number ?? null,
      keys.subjectId ?? null,
      JSON.stringify(state),
      action.hash,
      at,
    ],
  );
  await settleKey(tx, options, input.actor, action);
  const { headHash: _, ...before } = current;
  const record: RecordRow<S> = {
    ...before,
    status: definition.status(state),
    version: current.version + 1,
    ...projectKeys(keys),
    data: state,
    updatedAt: at,
  };
  return { record, action, replayed: false };
}
