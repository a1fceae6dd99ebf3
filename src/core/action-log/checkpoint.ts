import type { Clock } from '../clock.ts';
import type { Db, Queryable } from '../db/types.ts';
import { checkpointHash, genesisHash, merkleRoot } from './hashing.ts';
import { logWatermarkLock } from './record-store.ts';

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  actionCount: number;
  merkleRoot: string;
  prevHash: string;
  hash: string;
  createdAt: Date;
}

const checkpointColumns = `id, from_seq AS "fromSeq", to_seq AS "toSeq", action_count AS "actionCount",
  merkle_root AS "merkleRoot", prev_hash AS "prevHash", hash, created_at AS "createdAt"`;

/** Caps one checkpoint so sealing a bulk import stays within memory; the job loops. */
const maxActionsPerCheckpoint = 500_000;

export async function findLastCheckpoint(db: Queryable): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<Checkpoint>(
    `SELECT ${checkpointColumns} FROM log_checkpoints ORDER BY id DESC LIMIT 1`,
  );
  return rows[0];
}

export async function listCheckpoints(db: Queryable, afterId: number, limit: number): Promise<Checkpoint[]> {
  const { rows } = await db.query<Checkpoint>(
    `SELECT ${checkpointColumns} FROM log_checkpoints WHERE id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows;
}

/** The action hashes of (fromSeq, toSeq], in sequence order. */
export async function actionHashesBetween(db: Queryable, fromSeq: number, toSeq: number): Promise<string[]> {
  const { rows } = await db.query<{ hash: string }>(
    'SELECT hash FROM record_actions WHERE seq > $1 AND seq <= $2 ORDER BY seq',
    [fromSeq, toSeq],
  );
  return rows.map((r) => r.hash);
}

/**
 * The highest sequence number below which no transaction is still writing. Taking the lock
 * exclusively waits for the writers that hold it shared; once granted, any action not yet
 * visible will draw a larger number than the maximum seen now.
 */
async function settledWatermark(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${logWatermarkLock})`);
    const { rows } = await tx.query<{ max: number }>(
      'SELECT coalesce(max(seq), 0) AS max FROM record_actions',
    );
    return rows[0]!.max;
  });
}

/**
 * Seals every settled action since the last checkpoint into new checkpoints. Safe to run in
 * several processes at once: a checkpoint id already taken by another sealer is left to it.
 * Returns the checkpoints this call wrote.
 */
export async function sealCheckpoints(db: Db, clock: Clock): Promise<Checkpoint[]> {
  const watermark = await settledWatermark(db);
  const written: Checkpoint[] = [];
  for (;;) {
    const last = await findLastCheckpoint(db);
    const fromSeq = last?.toSeq ?? 0;
    if (fromSeq >= watermark) return written;
    const toSeq = Math.min(watermark, fromSeq + maxActionsPerCheckpoint);
    const hashes = await actionHashesBetween(db, fromSeq, toSeq);
    const body = {
      id: (last?.id ?? 0) + 1,
      fromSeq,
      toSeq,
      actionCount: hashes.length,
      merkleRoot: merkleRoot(hashes),
      prevHash: last?.hash ?? genesisHash,
    };
    const checkpoint: Checkpoint = { ...body, hash: checkpointHash(body), createdAt: clock.now() };
    const { rowCount } = await db.query(
      `INSERT INTO log_checkpoints (id, from_seq, to_seq, action_count, merkle_root, prev_hash, hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [
        checkpoint.id,
        fromSeq,
        toSeq,
        checkpoint.actionCount,
        checkpoint.merkleRoot,
        checkpoint.prevHash,
        checkpoint.hash,
        checkpoint.createdAt,
      ],
    );
    if (rowCount === 0) return written;
    written.push(checkpoint);
  }
}
