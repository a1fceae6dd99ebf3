import type { Queryable } from '../db/types.ts';
import { type ActionFacts, actionSelect, type Json, recordColumns, recordFields, type StoredAction, type StoredRecord, storedRecordSelect } from './action.ts';
import { actionHashesBetween, type Checkpoint, listCheckpoints } from './checkpoint.ts';
import { actionHash, canonicalJson, checkpointHash, genesisHash, merkleRoot } from './hashing.ts';
import { assertAllowed, findRecordType, noRecord, projectRecord, type RecordDefinition } from './record-definition.ts';

export type BrokenKind =
  | 'action_hash' // an action's content no longer matches its hash
  | 'chain' // an action does not point at the hash of the record's previous action
  | 'sequence' // a record's actions are not numbered 1..n (one removed or slipped in)
  | 'record_head' // the record row disagrees with its newest action (version or head hash)
  | 'orphan_actions' // actions whose record row is gone
  | 'record_type' // a record of a type whose definition is not loaded: its history cannot be replayed
  | 'transition' // the history takes a step the record type's transition table does not allow
  | 'projection' // a column of the record row is not what the fold of its actions gives
  | 'document' // a document's bytes are not the ones its record's history cites (a module's verifier)
  | 'register' // a module's register beside the log (the IINs issued) disagrees with the records
  | 'checkpoint_chain'
  | 'checkpoint_root' // the actions of a sealed range are not the ones that were sealed
  | 'checkpoint_signature'; // a checkpoint's signature does not verify, or names a key the key set lacks

export interface BrokenLink {
  kind: BrokenKind;
  message: string;
  recordId?: string;
  recordSeq?: number;
  seq?: number;
  checkpointId?: number;
  /** The records column that differs from the replay, for kind projection. */
  column?: string;
  documentId?: string;
}

export interface VerifyReport {
  records: number;
  actions: number;
  projectionsChecked: number;
  checkpoints: number;
  /** Checkpoints whose signature was checked against the key set and verified. */
  signedCheckpoints: number;
  /** Checkpoints sealed without a signature (before any signing key, without the passphrase, by an import). */
  unsignedCheckpoints: number;
  sealedActions: number;
  unsealedActions: number;
  /** What each module verifier checked, by name (e.g. documents: 12). */
  checkedByModules: Record<string, number>;
  /** Not broken, but not proven either: e.g. actions that no checkpoint seals yet. */
  warnings: string[];
  broken?: BrokenLink;
}

export interface VerifyProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * A check a module adds to verify-log for what it keeps beside the action log (a document's bytes
 * against the hash its record's history cites). Core knows no module: the command that runs
 * verify-log composes the verifiers of the modules it loads. It runs after the log itself has
 * verified, so it may trust every action's payload.
 */
export interface LogVerifier {
  /** What it checks, for progress and the report (e.g. "documents"). */
  name: string;
  verify(db: Queryable, progress: (done: number, total: number) => void): Promise<{ checked: number; broken?: BrokenLink }>;
}

export type CheckpointSignatureVerdict = 'valid' | 'bad_signature' | 'unknown_key';

/**
 * Checks a checkpoint's signature (base64url, over the UTF-8 of its hash) against a key set. The
 * certificates module makes one from the published keys; core knows no module.
 */
export type CheckpointSignatureCheck = (signed: { keyId: string; hash: string; signature: string }) => Promise<CheckpointSignatureVerdict>;

export interface VerifyOptions {
  verifiers?: readonly LogVerifier[];
  onProgress?: (p: VerifyProgress) => void;
  /**
   * Checks every signed checkpoint's signature; without it signed checkpoints are counted as
   * unchecked and a warning says so.
   */
  checkpointSignatures?: CheckpointSignatureCheck;
  /**
   * Refuse an unsigned checkpoint that follows a signed one: once the log is signed, a forger who
   * rewrites history and drops the signatures it cannot remake would otherwise pass with a warning.
   */
  requireSignatures?: boolean;
}

const batchSize = 2_000;

/** Canonical JSON, or undefined for a stored value JSON cannot carry (jsonb's 1e400 is Infinity here). */
function canonicalOrUndefined(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
}

function hashOrUndefined(action: StoredAction): string | undefined {
  try {
    return actionHash(action);
  } catch {
    return undefined;
  }
}

function sameValue(column: keyof StoredRecord, stored: unknown, replayed: unknown): boolean {
  if (column === 'data') {
    const text = canonicalOrUndefined(stored);
    return text !== undefined && text === canonicalOrUndefined(replayed);
  }
  if (stored instanceof Date && replayed instanceof Date) return stored.getTime() === replayed.getTime();
  return stored === replayed;
}

/** Replays the history as the writers did: each step allowed by the transition table, then folded. */
function replay(definition: RecordDefinition<Json>, record: StoredRecord, actions: readonly ActionFacts[]): { state?: Json; broken?: BrokenLink } {
  let state: Json | undefined;
  let status = noRecord;
  for (const action of actions) {
    const where = { recordId: record.id, recordSeq: action.recordSeq };
    try {
      assertAllowed(definition, status, action.type);
    } catch {
      return { broken: { kind: 'transition', message: `${action.type} is not allowed in status ${status} of a ${definition.type} record`, ...where } };
    }
    try {
      state = definition.reduce(state, action);
      status = definition.status(state);
    } catch (error) {
      return { broken: { kind: 'projection', message: `the ${definition.type} reducer refuses this action (${(error as Error).message})`, ...where } };
    }
  }
  return { state };
}

function checkRecord(record: StoredRecord, actions: StoredAction[]): BrokenLink | undefined {
  let prevHash = genesisHash;
  for (const [index, action] of actions.entries()) {
    const where = { recordId: record.id, recordSeq: action.recordSeq, seq: action.seq };
    if (action.recordSeq !== index + 1) {
      return {
        kind: 'sequence',
        message: `action ${index + 1} of the record is missing or out of place`,
        ...where,
      };
    }
    if (action.prevHash !== prevHash) {
      return { kind: 'chain', message: 'action does not point at the hash of the previous action', ...where };
    }
    if (hashOrUndefined(action) !== action.hash) {
      return { kind: 'action_hash', message: 'action content does not match its stored hash', ...where };
    }
    prevHash = action.hash;
  }
  if (actions.length !== record.version || prevHash !== record.headHash) {
    return {
      kind: 'record_head',
      message: `record is at version ${record.version} but has ${actions.length} actions ending elsewhere`,
      recordId: record.id,
    };
  }
  const definition = findRecordType(record.type);
  if (!definition) {
    return {
      kind: 'record_type',
      message: `no record definition is loaded for type "${record.type}": its history cannot be replayed (the type column was changed, or the module that owns it is not loaded)`,
      recordId: record.id,
      column: 'type',
    };
  }
  const replayed = replay(definition, record, actions);
  if (replayed.broken) return replayed.broken;
  const expected = projectRecord(definition, replayed.state!, {
    id: record.id,
    version: actions.length,
    headHash: prevHash,
    createdAt: actions[0]!.at,
    updatedAt: actions.at(-1)!.at,
  });
  const column = recordFields.find((f) => !sameValue(f, record[f], expected[f]));
  if (column) {
    return {
      kind: 'projection',
      message: `records.${recordColumns[column]} is not what the replay of the record's actions gives`,
      recordId: record.id,
      column: recordColumns[column],
    };
  }
  return undefined;
}

/** Why a checkpoint's signature fails, if it does; a checkpoint without one passes unless signatures are required. */
async function checkSignature(checkpoint: Checkpoint, options: VerifyOptions, signedBefore: boolean): Promise<BrokenLink | undefined> {
  const { signature, keyId, hash } = checkpoint;
  const at = { checkpointId: checkpoint.id };
  if (signature === null && keyId === null) {
    if (options.requireSignatures && signedBefore) {
      return { kind: 'checkpoint_signature', message: 'checkpoint is not signed although an earlier one is (signatures are required)', ...at };
    }
    return undefined;
  }
  if (signature === null || keyId === null) {
    return { kind: 'checkpoint_signature', message: 'checkpoint has half a signature (a key id without a signature, or the reverse)', ...at };
  }
  if (!options.checkpointSignatures) return undefined;
  const verdict = await options.checkpointSignatures({ keyId, hash, signature });
  if (verdict === 'unknown_key') {
    return { kind: 'checkpoint_signature', message: `checkpoint is signed by key ${keyId}, which the key set does not hold`, ...at };
  }
  if (verdict === 'bad_signature') {
    return { kind: 'checkpoint_signature', message: `checkpoint signature does not verify with key ${keyId}`, ...at };
  }
  return undefined;
}

/**
 * Recomputes every record's hash chain and every checkpoint's Merkle root, checks every checkpoint
 * signature when given a key set, and stops at the first broken link. Reads in keyset-paginated
 * batches, so memory stays flat on a national register.
 */
export async function verifyLog(db: Queryable, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { onProgress } = options;
  const report: VerifyReport = {
    records: 0,
    actions: 0,
    projectionsChecked: 0,
    checkpoints: 0,
    signedCheckpoints: 0,
    unsignedCheckpoints: 0,
    sealedActions: 0,
    unsealedActions: 0,
    checkedByModules: {},
    warnings: [],
  };
  const totals = await db.query<{ records: number; actions: number; checkpoints: number }>(
    `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM record_actions) AS actions,
            (SELECT count(*) FROM log_checkpoints) AS checkpoints`,
  );
  const total = totals.rows[0]!;

  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows: records } = await db.query<StoredRecord>(
      `SELECT ${storedRecordSelect} FROM records WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, batchSize],
    );
    if (records.length === 0) break;
    const lastId = records.at(-1)!.id;
    const { rows: actions } = await db.query<StoredAction>(
      `SELECT ${actionSelect} FROM record_actions WHERE record_id > $1 AND record_id <= $2 ORDER BY record_id, record_seq`,
      [afterId, lastId],
    );
    const byRecord = new Map<string, StoredAction[]>(records.map((r) => [r.id, []]));
    for (const action of actions) {
      const list = byRecord.get(action.recordId);
      if (!list) {
        report.broken = {
          kind: 'orphan_actions',
          message: 'actions exist for a record that is gone',
          recordId: action.recordId,
          seq: action.seq,
        };
        return report;
      }
      list.push(action);
    }
    for (const record of records) {
      const broken = checkRecord(record, byRecord.get(record.id)!);
      if (broken) {
        report.broken = broken;
        return report;
      }
      report.projectionsChecked++;
    }
    report.records += records.length;
    report.actions += actions.length;
    afterId = lastId;
    onProgress?.({ phase: 'records', done: report.records, total: total.records });
  }
  if (report.actions !== total.actions) {
    report.broken = {
      kind: 'orphan_actions',
      message: `${total.actions - report.actions} actions belong to no record`,
    };
    return report;
  }

  let prev: { id: number; toSeq: number; hash: string } = { id: 0, toSeq: 0, hash: genesisHash };
  let uncheckedSignatures = 0;
  let unsignedAfterSigned = 0;
  for (;;) {
    const checkpoints = await listCheckpoints(db, prev.id, 100);
    if (checkpoints.length === 0) break;
    for (const checkpoint of checkpoints) {
      const at = { checkpointId: checkpoint.id };
      const { hash, createdAt: _, signature, keyId, ...body } = checkpoint;
      if (
        checkpoint.id !== prev.id + 1 ||
        checkpoint.fromSeq !== prev.toSeq ||
        checkpoint.prevHash !== prev.hash ||
        checkpointHash(body) !== hash
      ) {
        report.broken = {
          kind: 'checkpoint_chain',
          message: 'checkpoint does not follow from the previous one',
          ...at,
        };
        return report;
      }
      const hashes = await actionHashesBetween(db, checkpoint.fromSeq, checkpoint.toSeq);
      if (hashes.length !== checkpoint.actionCount || merkleRoot(hashes) !== checkpoint.merkleRoot) {
        report.broken = {
          kind: 'checkpoint_root',
          message: `actions ${checkpoint.fromSeq + 1}..${checkpoint.toSeq} are not the ones sealed (an action was changed, removed or slipped in)`,
          ...at,
        };
        return report;
      }
      const broken = await checkSignature(checkpoint, options, report.signedCheckpoints + uncheckedSignatures > 0);
      if (broken) {
        report.broken = broken;
        return report;
      }
      if (signature === null) {
        report.unsignedCheckpoints++;
        if (report.signedCheckpoints + uncheckedSignatures > 0) unsignedAfterSigned++;
      } else if (options.checkpointSignatures) report.signedCheckpoints++;
      else uncheckedSignatures++;
      report.checkpoints++;
      report.sealedActions += hashes.length;
      prev = checkpoint;
      onProgress?.({ phase: 'checkpoints', done: report.checkpoints, total: total.checkpoints });
    }
  }
  // Unsigned checkpoints from before the first signed one are only counted (a register sealed before
  // it had keys); one after a signed checkpoint is worth a look.
  if (unsignedAfterSigned > 0) {
    report.warnings.push(
      `${unsignedAfterSigned} ${unsignedAfterSigned === 1 ? 'checkpoint' : 'checkpoints'} after the first signed one ${unsignedAfterSigned === 1 ? 'is' : 'are'} not signed ` +
        '(sealed by a process without TIRKEU_SIGNING_KEY_PASSPHRASE or with no valid key, or by an import): find out why; --require-signed refuses them',
    );
  }
  if (uncheckedSignatures > 0) {
    report.warnings.push(`${uncheckedSignatures} checkpoint signatures were not checked: no key set was given`);
  }
  const unsealed = await db.query<{ n: number }>('SELECT count(*) AS n FROM record_actions WHERE seq > $1', [
    prev.toSeq,
  ]);
  report.unsealedActions = unsealed.rows[0]!.n;
  if (report.unsealedActions > 0) {
    report.warnings.push(
      `${report.unsealedActions} ${report.unsealedActions === 1 ? 'action is' : 'actions are'} not sealed by a checkpoint yet: a consistent rewrite of them would not be seen (run tirkeu checkpoint, or let a server run)`,
    );
  }

  for (const verifier of options.verifiers ?? []) {
    const result = await verifier.verify(db, (done, total) => onProgress?.({ phase: verifier.name, done, total }));
    report.checkedByModules[verifier.name] = result.checked;
    if (result.broken) {
      report.broken = result.broken;
      return report;
    }
  }
  return report;
}
