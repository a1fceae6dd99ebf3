import type { Clock } from '../clock.ts';
import type { Queryable, Tx } from '../db/types.ts';
import { AppError, notFound } from '../errors.ts';
import { uuidv7 } from '../ids.ts';
import {
  type ActionFacts,
  actionColumns,
  actionFields,
  actionSelect,
  type Json,
  type RecordRow,
  recordColumns,
  recordFields,
  recordSelect,
  type StoredAction,
  type StoredRecord,
  storedRecordSelect,
} from './action.ts';
import { actionHash, canonicalJson, genesisHash, sha256Hex } from './hashing.ts';
import { assertAllowed, checkPayload, noRecord, projectRecord, type RecordDefinition } from './record-definition.ts';
import { type CheckpointSigner, logWatermarkLock, sealCheckpointsWithin } from './checkpoint.ts';

export type { RecordRow } from './action.ts';

export interface NewAction {
  type: string;
  actor: string;
  officeId?: string | null;
  reason?: string | null;
  payload: Json;
  /**
   * What the caller asked for, when the payload also carries what the server decided (an
   * allocated number): a retry is recognised by the request, not by a fresh allocation.
   */
  request?: Json;
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

/** A record by id; `lock` takes its row lock for the rest of the caller's transaction. */
export async function findRecord<S extends Json = Json>(
  db: Queryable,
  id: string,
  options: { type?: string; lock?: boolean } = {},
): Promise<RecordRow<S> | undefined> {
  const { rows } = await db.query<RecordRow<S>>(
    `SELECT ${recordSelect} FROM records WHERE id = $1 AND ($2::text IS NULL OR type = $2)${options.lock ? ' FOR UPDATE' : ''}`,
    [id, options.type ?? null],
  );
  return rows[0];
}

export async function getRecord<S extends Json = Json>(db: Queryable, id: string): Promise<RecordRow<S>> {
  const record = await findRecord<S>(db, id);
  if (!record) throw notFound();
  return record;
}

export async function listActions(db: Queryable, recordId: string): Promise<StoredAction[]> {
  const { rows } = await db.query<StoredAction>(
    `SELECT ${actionSelect} FROM record_actions WHERE record_id = $1 ORDER BY record_seq`,
    [recordId],
  );
  return rows;
}

async function getActionAt(db: Queryable, recordId: string, recordSeq: number): Promise<StoredAction> {
  const { rows } = await db.query<StoredAction>(
    `SELECT ${actionSelect} FROM record_actions WHERE record_id = $1 AND record_seq = $2`,
    [recordId, recordSeq],
  );
  if (!rows[0]) throw new AppError('internal', 'idempotency key points at a missing action');
  return rows[0];
}

/**
 * Claims the idempotency key inside the caller's transaction, recording now where its result will
 * be (the transaction commits both or neither). A concurrent claim of the same key waits on the
 * unique index until the first commits, then finds it here and replays its result.
 */
async function claimKey(
  tx: Tx,
  options: WriteOptions,
  actor: string,
  requestHash: string,
  result: IdempotentResult,
): Promise<IdempotentResult | undefined> {
  if (!options.idempotencyKey) return undefined;
  const key = `${actor}:${options.idempotencyKey}`;
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (key, request_hash, record_id, result, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, requestHash, result.recordId, JSON.stringify(result), options.clock.now()],
  );
  if (inserted.rowCount > 0) return undefined;
  const { rows } = await tx.query<{ request_hash: string; result: IdempotentResult }>(
    'SELECT request_hash, result FROM idempotency_keys WHERE key = $1',
    [key],
  );
  const first = rows[0];
  if (!first || first.request_hash !== requestHash) {
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

/**
 * The action a submission with this idempotency key already wrote, if any: for use cases that
 * would otherwise draw something that cannot be given back (a printed form's serial) before
 * appendAction recognises the retry. Call it with the record locked, so a concurrent retry waits.
 */
export async function findIdempotentAction(tx: Tx, actor: string, idempotencyKey: string | undefined): Promise<StoredAction | undefined> {
  if (!idempotencyKey) return undefined;
  const { rows } = await tx.query<{ result: IdempotentResult }>('SELECT result FROM idempotency_keys WHERE key = $1', [`${actor}:${idempotencyKey}`]);
  return rows[0] && getActionAt(tx, rows[0].result.recordId, rows[0].result.recordSeq);
}

interface IdempotentResult {
  recordId: string;
  recordSeq: number;
}

function newAction(
  recordId: string,
  recordSeq: number,
  prevHash: string,
  input: NewAction,
  at: Date,
): ActionFacts {
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
  return { ...facts, hash: actionHash(facts) };
}

const list = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/** Column values in the order of the field lists; jsonb as canonical JSON, written without recursion. */
function actionParams(a: ActionFacts): unknown[] {
  return actionFields.map((f) => (f === 'payload' ? canonicalJson(a.payload) : a[f]));
}

function recordParams(r: StoredRecord): unknown[] {
  return recordFields.map((f) => (f === 'data' ? canonicalJson(r.data) : r[f]));
}

/**
 * The INSERT of an action ($1…), as a CTE to put in front of the statement that writes the record
 * row. The watermark lock is taken shared in the same statement, before the sequence number is drawn.
 */
const insertActionCte = `action AS (
  INSERT INTO record_actions (${actionFields.map((f) => actionColumns[f]).join(', ')})
  SELECT ${list(1, actionFields.length)} FROM (SELECT pg_advisory_xact_lock_shared(${logWatermarkLock})) AS l
  RETURNING seq)`;

const recordParamsFrom = actionFields.length + 1;

const insertRecordSql = `WITH record AS (
     INSERT INTO records (${recordFields.map((f) => recordColumns[f]).join(', ')})
     VALUES (${list(recordParamsFrom, recordFields.length)})),
   ${insertActionCte}
   SELECT seq FROM action`;

/** The columns an append rewrites ($11…, then the id): all but those fixed at creation. */
const updatedFields = recordFields.filter((f) => f !== 'id' && f !== 'type' && f !== 'createdAt');

const updateRecordSql = `WITH ${insertActionCte},
   record AS (
     UPDATE records SET ${updatedFields.map((f, i) => `${recordColumns[f]} = $${recordParamsFrom + i}`).join(', ')}
     WHERE id = $${recordParamsFrom + updatedFields.length})
   SELECT seq FROM action`;

function updateParams(r: StoredRecord): unknown[] {
  return [...updatedFields.map((f) => (f === 'data' ? canonicalJson(r.data) : r[f])), r.id];
}

function withoutHead<S extends Json>(stored: StoredRecord<S>): RecordRow<S> {
  const { headHash: _, ...record } = stored;
  return record;
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
      payload: input.request ?? input.payload,
      expectedVersion: expectedVersion ?? null,
    }),
  );
}

async function replay<S extends Json>(tx: Tx, first: IdempotentResult): Promise<WriteResult<S>> {
  return {
    record: await getRecord<S>(tx, first.recordId),
    action: await getActionAt(tx, first.recordId, first.recordSeq),
    replayed: true,
  };
}

/**
 * Creates a record with its first action, in the caller's transaction. The state is folded
 * before anything is written, so an action the reducer rejects leaves no trace.
 */
export async function createRecord<S extends Json>(
  tx: Tx,
  definition: RecordDefinition<S>,
  input: NewAction & { recordId?: string },
  options: WriteOptions,
): Promise<WriteResult<S>> {
  const at = options.clock.now();
  const id = input.recordId ?? uuidv7(at.getTime());
  const first = await claimKey(tx, options, input.actor, requestHashOf(definition.type, null, input), {
    recordId: id,
    recordSeq: 1,
  });
  if (first) return replay<S>(tx, first);
  assertAllowed(definition, noRecord, input.type);
  checkPayload(definition, input.type, input.payload);
  const facts = newAction(id, 1, genesisHash, input, at);
  const state = definition.reduce(undefined, facts);
  const stored = projectRecord(definition, state, { id, version: 1, headHash: facts.hash, createdAt: at, updatedAt: at });
  const { rows } = await tx.query<{ seq: number }>(insertRecordSql, [...actionParams(facts), ...recordParams(stored)]);
  return { record: withoutHead(stored), action: { ...facts, seq: rows[0]!.seq }, replayed: false };
}

/**
 * Appends one action to a record, in the caller's transaction: locks the record row, checks the
 * version and the transition table, folds the action into the stored state and writes both in
 * one statement.
 */
export async function appendAction<S extends Json>(
  tx: Tx,
  definition: RecordDefinition<S>,
  recordId: string,
  input: NewAction,
  options: WriteOptions,
): Promise<WriteResult<S>> {
  // The row lock comes first: a concurrent retry of the same submission touches the same record,
  // so it waits here and then finds the key claimed.
  const { rows } = await tx.query<StoredRecord<S>>(
    `SELECT ${storedRecordSelect} FROM records WHERE id = $1 AND type = $2 FOR UPDATE`,
    [recordId, definition.type],
  );
  const current = rows[0];
  if (!current) throw notFound();
  const requestHash = requestHashOf(definition.type, recordId, input, options.expectedVersion);
  const first = await claimKey(tx, options, input.actor, requestHash, {
    recordId,
    recordSeq: current.version + 1,
  });
  if (first) return replay<S>(tx, first);
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    throw new AppError('version_conflict', `the record changed since version ${options.expectedVersion}`, {
      field: 'version',
      currentVersion: current.version,
      hint: 'reload the record, check what changed, and submit again with the current version',
    });
  }
  assertAllowed(definition, current.status, input.type);
  checkPayload(definition, input.type, input.payload);
  const at = options.clock.now();
  const facts = newAction(recordId, current.version + 1, current.headHash, input, at);
  const state = definition.reduce(current.data, facts);
  const stored = projectRecord(definition, state, {
    id: recordId,
    version: current.version + 1,
    headHash: facts.hash,
    createdAt: current.createdAt,
    updatedAt: at,
  });
  const written = await tx.query<{ seq: number }>(updateRecordSql, [...actionParams(facts), ...updateParams(stored)]);
  return { record: withoutHead(stored), action: { ...facts, seq: written.rows[0]!.seq }, replayed: false };
}

/** One record and its whole history, for createRecordsInBulk. */
export interface BulkRecord {
  recordId: string;
  actions: NewAction[];
}

/**
 * Writes many records, each with its full history, by COPY in the caller's transaction: the bulk
 * path for importing registers. Each history is checked against the transition table and the
 * payload schemas, hash-chained and folded exactly as createRecord and appendAction would, so
 * verify-log cannot tell the two apart. No idempotency keys: the caller makes reruns safe (an
 * import skips references it has).
 *
 * The batch is sealed into a checkpoint before it commits, so an imported history is never left
 * unsealed (where a forger who rewrites a record and its hashes consistently would go unseen)
 * waiting for a server's timer. Sealing here rather than in each caller means no bulk writer can
 * forget it. The watermark lock is taken exclusively from the start: it waits for the writers in
 * flight, then holds new actions off for the moment this batch takes, so the sealed range is
 * exactly what has committed plus this batch, and two bulk writers cannot deadlock upgrading it.
 */
export async function createRecordsInBulk<S extends Json>(tx: Tx, definition: RecordDefinition<S>, items: readonly BulkRecord[], clock: Clock, signer?: CheckpointSigner): Promise<RecordRow<S>[]> {
  if (items.length === 0) return [];
  const at = clock.now();
  const records: RecordRow<S>[] = [];
  const recordRows: unknown[][] = [];
  const actionRows: unknown[][] = [];
  for (const item of items) {
    let state: S | undefined;
    let status: string = noRecord;
    let prevHash = genesisHash;
    item.actions.forEach((input, i) => {
      assertAllowed(definition, status, input.type);
      checkPayload(definition, input.type, input.payload);
      const facts = newAction(item.recordId, i + 1, prevHash, input, at);
      state = definition.reduce(state, facts);
      status = definition.status(state);
      prevHash = facts.hash;
      actionRows.push(actionParams(facts));
    });
    const stored = projectRecord(definition, state!, { id: item.recordId, version: item.actions.length, headHash: prevHash, createdAt: at, updatedAt: at });
    records.push(withoutHead(stored));
    recordRows.push(recordParams(stored));
  }
  await tx.query(`SELECT pg_advisory_xact_lock(${logWatermarkLock})`);
  await tx.copyFrom('records', recordFields.map((f) => recordColumns[f]), recordRows);
  await tx.copyFrom('record_actions', actionFields.map((f) => actionColumns[f]), actionRows);
  await sealCheckpointsWithin(tx, clock, signer);
  return records;
}
