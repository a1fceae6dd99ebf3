import type { Queryable } from '../core/db/types.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Band } from './scoring.ts';

/**
 * Suspected duplicate pairs: what the review queue lists and a registrar decides. A pair is stored
 * once whoever finds it (a declaration, a registration, the batch audit); record_a is the earlier
 * record (ids are time-ordered UUIDs), record_b the one suspected of repeating it.
 */
export type PairStatus = 'open' | 'duplicate' | 'not_duplicate' | 'closed';
export type PairSource = 'declaration' | 'registration' | 'audit';

export interface Pair {
  id: string;
  recordA: string;
  recordB: string;
  score: number;
  band: Band;
  source: PairSource;
  status: PairStatus;
  foundAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

const columnsOf = (t: string) =>
  `${t}id, ${t}record_a AS "recordA", ${t}record_b AS "recordB", ${t}score, ${t}band, ${t}source, ${t}status, ${t}found_at AS "foundAt",
   ${t}decided_by AS "decidedBy", ${t}decided_at AS "decidedAt", ${t}reason`;
const columns = columnsOf('');

export interface FoundPair {
  recordA: string;
  recordB: string;
  score: number;
  band: Band;
  source: PairSource;
}

/** Orders a pair's records: the earlier first. */
export function ordered(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/**
 * Stores pairs found; a pair already stored keeps its decision (a registrar's "not a duplicate" is
 * never reopened by the next audit), an open one takes the newer score. Returns the pairs as stored.
 */
export async function recordPairs(tx: Queryable, found: readonly FoundPair[], now: Date): Promise<Pair[]> {
  if (!found.length) return [];
  const rows = found.map((f) => {
    const [a, b] = ordered(f.recordA, f.recordB);
    return [uuidv7(now.getTime()), a, b, f.score, f.band, f.source];
  });
  const { rows: stored } = await tx.query<Pair>(
    `INSERT INTO linkage_pairs (id, record_a, record_b, score, band, source, status, found_at)
     SELECT id, a, b, score, band, source, 'open', $7 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::float8[], $5::text[], $6::text[]) AS t(id, a, b, score, band, source)
     ON CONFLICT (record_a, record_b) DO UPDATE SET score = excluded.score, band = excluded.band
       WHERE linkage_pairs.status = 'open'
     RETURNING ${columns}`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4]), rows.map((r) => r[5]), now],
  );
  return stored;
}

/** Pairs a registrar already decided between `recordId` and any of `others`. */
export async function decidedPairs(db: Queryable, recordId: string, others: readonly string[]): Promise<Pair[]> {
  if (!others.length) return [];
  const { rows } = await db.query<Pair>(
    `SELECT ${columns} FROM linkage_pairs
      WHERE status <> 'open' AND ((record_a = $1 AND record_b = ANY($2::uuid[])) OR (record_b = $1 AND record_a = ANY($2::uuid[])))`,
    [recordId, others],
  );
  return rows;
}

export async function findPair(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<Pair | undefined> {
  const { rows } = await db.query<Pair>(`SELECT ${columns} FROM linkage_pairs WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** The open pairs a record is part of. */
export async function openPairsOf(db: Queryable, recordId: string): Promise<Pair[]> {
  const { rows } = await db.query<Pair>(`SELECT ${columns} FROM linkage_pairs WHERE status = 'open' AND (record_a = $1 OR record_b = $1) ORDER BY score DESC`, [recordId]);
  return rows;
}

export async function settlePair(tx: Queryable, id: string, decision: { status: Exclude<PairStatus, 'open'>; by: string; reason: string | null }, now: Date): Promise<void> {
  await tx.query('UPDATE linkage_pairs SET status = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE id = $1', [id, decision.status, decision.by, now, decision.reason]);
}

export interface PairQuery {
  /** The reader's jurisdiction (a KATO prefix); null for the whole country. Both records must be inside it. */
  within: string | null;
  status: PairStatus;
  limit: number;
  /** From the previous page: the last pair's score and id. */
  after?: { score: number; id: string };
}

/** The review queue: pairs whose both records the reader may see, strongest first. */
export async function listPairs(db: Queryable, q: PairQuery): Promise<Pair[]> {
  const prefix = `${q.within ?? ''}%`;
  const { rows } = await db.query<Pair>(
    `SELECT ${columnsOf('p.')}
       FROM linkage_pairs p JOIN records a ON a.id = p.record_a JOIN records b ON b.id = p.record_b
      WHERE p.status = $1 AND a.jurisdiction LIKE $2 AND b.jurisdiction LIKE $2
        AND ($3::float8 IS NULL OR (p.score, p.id) < ($3::float8, $4::uuid))
      ORDER BY p.score DESC, p.id DESC LIMIT $5`,
    [q.status, prefix, q.after?.score ?? null, q.after?.id ?? null, q.limit],
  );
  return rows;
}
