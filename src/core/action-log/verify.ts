import type { Queryable } from '../db/types.ts';
import { actionHashesBetween, listCheckpoints } from './checkpoint.ts';
import { actionHash, canonicalJson, checkpointHash, genesisHash, merkleRoot } from './hashing.ts';
import { findRecordType, fold, type StoredAction } from './record-definition.ts';

export type BrokenKind =
  | 'action_hash' // an action's content no longer matches its hash
  | 'chain' // an action does not point at the hash of the record's previous action
  | 'sequence' // a record's actions are not numbered 1..n (one removed or slipped in)
  | 'record_head' // the record row disagrees with its newest action (version or head hash)
  | 'orphan_actions' // actions whose record row is gone
  | 'projection' // the stored state is not the fold of the actions
  | 'checkpoint_chain'
  | 'checkpoint_root'; // the actions of a sealed range are not the ones that were sealed

export interface BrokenLink {
  kind: BrokenKind;
  message: string;
  recordId?: string;
  recordSeq?: number;
  seq?: number;
  checkpointId?: number;
}

export interface VerifyReport {
  records: number;
  actions: number;
  projectionsChecked: number;
  checkpoints: number;
  sealedActions: number;
  unsealedActions: number;
  broken?: BrokenLink;
}

export interface VerifyProgress {
  phase: 'records' | 'checkpoints';
  done: number;
  total: number;
}

interface RecordHead {
  id: string;
  type: string;
  status: string;
  version: number;
  data: unknown;
  headHash: string;
}

const batchSize = 2_000;

function checkRecord(record: RecordHead, actions: StoredAction[]): BrokenLink | undefined {
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
    if (actionHash(action) !== action.hash) {
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
  if (definition) {
    const state = fold(definition, actions);
    if (
      !state ||
      canonicalJson(state) !== canonicalJson(record.data) ||
      definition.status(state) !== record.status
    ) {
      return {
        kind: 'projection',
        message: 'stored state differs from the replay of its actions',
        recordId: record.id,
      };
    }
  }
  return undefined;
}

/**
 * Recomputes every record's hash chain and every checkpoint's Merkle root, and stops at the first
 * broken link. Reads in keyset-paginated batches, so memory stays flat on a national register.
 */
export async function verifyLog(
  db: Queryable,
  onProgress?: (p: VerifyProgress) => void,
): Promise<VerifyReport> {
  const report: VerifyReport = {
    records: 0,
    actions: 0,
    projectionsChecked: 0,
    checkpoints: 0,
    sealedActions: 0,
    unsealedActions: 0,
  };
  const totals = await db.query<{ records: number; actions: number; checkpoints: number }>(
    `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM record_actions) AS actions,
            (SELECT count(*) FROM log_checkpoints) AS checkpoints`,
  );
  const total = totals.rows[0]!;

  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows: records } = await db.query<RecordHead>(
      `SELECT id, type, status, version, data, head_hash AS "headHash" FROM records WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, batchSize],
    );
    if (records.length === 0) break;
    const lastId = records.at(-1)!.id;
    const { rows: actions } = await db.query<StoredAction>(
      `SELECT seq, record_id AS "recordId", record_seq AS "recordSeq", type, actor, office_id AS "officeId", at,
              reason, payload, prev_hash AS "prevHash", hash
       FROM record_actions WHERE record_id > $1 AND record_id <= $2 ORDER BY record_id, record_seq`,
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
      if (findRecordType(record.type)) report.projectionsChecked++;
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
  for (;;) {
    const checkpoints = await listCheckpoints(db, prev.id, 100);
    if (checkpoints.length === 0) break;
    for (const checkpoint of checkpoints) {
      const at = { checkpointId: checkpoint.id };
      const { hash, createdAt: _, ...body } = checkpoint;
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
      report.checkpoints++;
      report.sealedActions += hashes.length;
      prev = checkpoint;
      onProgress?.({ phase: 'checkpoints', done: report.checkpoints, total: total.checkpoints });
    }
  }
  const unsealed = await db.query<{ n: number }>('SELECT count(*) AS n FROM record_actions WHERE seq > $1', [
    prev.toSeq,
  ]);
  report.unsealedActions = unsealed.rows[0]!.n;
  return report;
}
