import { createHash } from 'node:crypto';
import { type HashedAction, hashedActionFields } from './action.ts';

export type { Json } from './action.ts';

type Task = { emit: string } | { write: unknown };

/**
 * JSON with object keys sorted at every level, so a value hashes the same after a round trip
 * through jsonb (which reorders keys) as it did before. Iterative, with its own stack: no stored
 * value, however deeply nested, can exhaust the call stack of whoever hashes or verifies it.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  const stack: Task[] = [{ write: value }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('emit' in task) {
      parts.push(task.emit);
      continue;
    }
    const v = task.write;
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('non-finite number in JSON');
      parts.push(JSON.stringify(v ?? null));
    } else if (v instanceof Date) {
      parts.push(JSON.stringify(v.toISOString()));
    } else if (Array.isArray(v)) {
      stack.push({ emit: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ write: v[i] });
        if (i > 0) stack.push({ emit: ',' });
      }
      stack.push({ emit: '[' });
    } else {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stack.push({ emit: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, x] = entries[i]!;
        stack.push({ write: x });
        stack.push({ emit: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` });
      }
      stack.push({ emit: '{' });
    }
  }
  return parts.join('');
}

export function sha256Hex(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

export const genesisHash = '0'.repeat(64);

/** The hash of an action: SHA-256 of the canonical JSON of exactly its hashed fields. */
export function actionHash(action: HashedAction): string {
  return sha256Hex(canonicalJson(Object.fromEntries(hashedActionFields.map((f) => [f, action[f]]))));
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
