import type { Clock } from '../clock.ts';
import type { Db, Queryable, Tx } from '../db/types.ts';
import { checkpointHash, genesisHash, merkleRoot } from './hashing.ts';

/**
 * Writers hold this lock shared for the rest of their transaction from the moment they take an
 * action sequence number; the checkpoint job takes it exclusively for an instant to learn a
 * sequence number below which every transaction has finished. No write waits on another write.
 */
export const logWatermarkLock = 7_302_202;

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  actionCount: number;
  merkleRoot: string;
  prevHash: string;
  hash: string;
  /** Base64url Ed25519 signature over the UTF-8 of `hash`, or null for a checkpoint sealed unsigned. */
  signature: string | null;
  /** The signing key's id (16 hex characters) in the published key set, with `signature`. */
  keyId: string | null;
  createdAt: Date;
}

/**
 * Signs a checkpoint's hash with a signing key. Core knows no module: the certificates module
 * makes one from its current signing key, and the server and the CLI pass it in. The signature
 * is not part of the checkpoint's hash, so a checkpoint sealed unsigned stays valid as it is.
 */
export interface CheckpointSigner {
  keyId: string;
  /** The base64url signature over the UTF-8 bytes of the checkpoint's hash. */
  sign(hash: string): Promise<string>;
}

const checkpointColumns = `id, from_seq AS "fromSeq", to_seq AS "toSeq", action_count AS "actionCount",
  merkle_root AS "merkleRoot", prev_hash AS "prevHash", hash, signature, key_id AS "keyId", created_at AS "createdAt"`;

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
 * Writes checkpoints over every action after the last checkpoint up to `watermark`. When another
 * sealer takes a checkpoint id first, its checkpoint is read back and sealing goes on from there.
 */
async function sealUpTo(db: Queryable, watermark: number, clock: Clock, signer: CheckpointSigner | undefined): Promise<Checkpoint[]> {
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
    const hash = checkpointHash(body);
    const checkpoint: Checkpoint = {
      ...body,
      hash,
      signature: signer ? await signer.sign(hash) : null,
      keyId: signer?.keyId ?? null,
      createdAt: clock.now(),
    };
    const { rowCount } = await db.query(
      `INSERT INTO log_checkpoints (id, from_seq, to_seq, action_count, merkle_root, prev_hash, hash, signature, key_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [
        checkpoint.id,
        fromSeq,
        toSeq,
        checkpoint.actionCount,
        checkpoint.merkleRoot,
        checkpoint.prevHash,
        checkpoint.hash,
        checkpoint.signature,
        checkpoint.keyId,
        checkpoint.createdAt,
      ],
    );
    if (rowCount > 0) written.push(checkpoint);
  }
}

/**
 * Seals every settled action since the last checkpoint into new checkpoints, signed when a signer
 * is given. Safe to run in several processes at once. Returns the checkpoints this call wrote.
 */
export async function sealCheckpoints(db: Db, clock: Clock, signer?: CheckpointSigner): Promise<Checkpoint[]> {
  return sealUpTo(db, await settledWatermark(db), clock, signer);
}

/**
 * Seals, inside the caller's transaction, every action up to the newest, the transaction's own
 * included: the checkpoints commit or roll back with them. The transaction holds the watermark
 * lock exclusively until it ends, so no action below the newest is still being written.
 */
export async function sealCheckpointsWithin(tx: Tx, clock: Clock, signer?: CheckpointSigner): Promise<Checkpoint[]> {
  await tx.query(`SELECT pg_advisory_xact_lock(${logWatermarkLock})`);
  const { rows } = await tx.query<{ max: number }>('SELECT coalesce(max(seq), 0) AS max FROM record_actions');
  return sealUpTo(tx, rows[0]!.max, clock, signer);
}
