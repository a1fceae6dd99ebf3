import { createHash } from 'node:crypto';

/** What can be stored in a jsonb payload. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every level, so a value hashes the same after a round trip
 * through jsonb (which reorders keys) as it did before.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in JSON');
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

export const genesisHash = '0'.repeat(64);

/** The fields of an action that its hash covers: everything but the global sequence number. */
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

export function actionHash(action: HashedAction): string {
  return sha256Hex(
    canonicalJson({
      at: action.at.toISOString(),
      actor: action.actor,
      officeId: action.officeId,
      payload: action.payload,
      prevHash: action.prevHash,
      reason: action.reason,
      recordId: action.recordId,
      recordSeq: action.recordSeq,
      type: action.type,
    }),
  );
}

/**
 * Merkle tree hash over the action hashes in sequence order. Leaves and inner nodes are hashed
 * with different prefixes (0x00, 0x01, as in RFC 6962) so a leaf can never pass for a node; a
 * node without a sibling is carried up unchanged.
 */
export function merkleRoot(leafHashes: readonly string[]): string {
  if (leafHashes.length === 0) return sha256Hex('');
  let level: Buffer[] = leafHashes.map((h) =>
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(h, 'hex')
      .digest(),
  );
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      next.push(
        right
          ? createHash('sha256')
              .update(Buffer.from([1]))
              .update(left)
              .update(right)
              .digest()
          : left,
      );
    }
    level = next;
  }
  return level[0]!.toString('hex');
}

export interface CheckpointBody {
  id: number;
  fromSeq: number;
  toSeq: number;
  actionCount: number;
  merkleRoot: string;
  prevHash: string;
}

export function checkpointHash(body: CheckpointBody): string {
  return sha256Hex(canonicalJson(body));
}
