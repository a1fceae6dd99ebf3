import type { Clock } from '../core/clock.ts';
import type { Db, Queryable } from '../core/db/types.ts';
import { uuidv7 } from '../core/ids.ts';
import { currentModel } from './matching.ts';
import { type FoundPair, recordPairs } from './pairs.ts';
import { clustersOf } from './clusters.ts';
import { type PairScore, scorePair } from './scoring.ts';
import type { LinkageSettings } from './settings.ts';
import { findSubjects } from './store.ts';

/**
 * The batch audit: the whole register (or what was indexed since a moment, after an import)
 * compared with itself through the blocking passes, in chunks of records walked in id order. Each
 * chunk is one transaction that stores its pairs and the audit's progress, so an interrupted audit
 * resumes after the last chunk that committed.
 */
export interface AuditOptions {
  /** Only records indexed at or after this moment are walked (each compared with the whole register). */
  since?: Date;
  /** Records per chunk. */
  chunk?: number;
  /** Carry on the newest unfinished audit instead of starting afresh. */
  resume?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface AuditSummary {
  auditId: string;
  records: number;
  /** Candidate pairs the blocking passes produced (each scored). */
  compared: number;
  /** Pairs at or above the possible-match threshold, stored for review. */
  pairs: number;
  resumed: boolean;
}

/** Each blocking pass as a join from the rows `a` to the register `b` (blocking.ts describes them). */
function passes(windowDays: number): string[] {
  const near = (d: number) => `b.child_dob BETWEEN a.child_dob - ${d} AND a.child_dob + ${d}`;
  return [
    'b.mother_iin = a.mother_iin',
    'b.child_iin = a.child_iin',
    `b.mother_key = a.mother_key AND ${near(31 + windowDays)}`,
    `b.child_key = a.child_key AND ${near(windowDays)}`,
    `b.child_given_key = a.child_given_key AND ${near(windowDays)}`,
    'b.facility_id = a.facility_id AND b.child_dob = a.child_dob',
  ];
}

/** The candidate pairs (a, b) of the rows of a CTE named `a`, each pass an indexed join, `also` limiting b. */
export function candidatePairsFrom(windowDays: number, also: string): string {
  return passes(windowDays)
    .map((on) => `SELECT a.record_id AS a, b.record_id AS b FROM a JOIN linkage_subjects b ON ${on} AND ${also}`)
    .join('\nUNION ');
}

export async function runAudit(db: Db, settings: LinkageSettings, clock: Clock, options: AuditOptions = {}): Promise<AuditSummary> {
  const chunk = options.chunk ?? 5_000;
  const since = options.since ?? null;
  const model = await currentModel(db, settings);
  const window = Math.max(0, Math.trunc(settings.blocking.dateWindowDays));
  const unfinished = options.resume ? (await db.query<{ id: string; last_record: string | null; records: number; pairs: number }>('SELECT id, last_record, records, pairs FROM linkage_audits WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1')).rows[0] : undefined;
  const auditId = unfinished?.id ?? uuidv7(clock.now().getTime());
  if (!unfinished) await db.query('INSERT INTO linkage_audits (id, started_at) VALUES ($1, $2)', [auditId, clock.now()]);
  let last = unfinished?.last_record ?? null;
  let records = unfinished?.records ?? 0;
  let pairs = unfinished?.pairs ?? 0;
  let compared = 0;
  const total = Number((await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM linkage_subjects WHERE ($1::timestamptz IS NULL OR indexed_at >= $1)', [since])).rows[0]!.n);
  // A record of the chunk meets a later record once; with `since`, it also meets every record indexed before.
  const later = since ? '(b.record_id > a.record_id OR b.indexed_at < $3)' : 'b.record_id > a.record_id';
  const union = candidatePairsFrom(window, later);
  const pairSql = `WITH a AS (SELECT * FROM linkage_subjects WHERE ($1::uuid IS NULL OR record_id > $1) AND ($3::timestamptz IS NULL OR indexed_at >= $3) ORDER BY record_id LIMIT $2)
    ${union}`;
  for (;;) {
    options.onProgress?.(records, total);
    const done = await db.transaction(async (tx) => {
      const { rows: chunkPairs } = await tx.query<{ a: string; b: string }>(pairSql, [last, chunk, since]);
      const { rows: walked } = await tx.query<{ id: string; n: number }>(
        `SELECT max(record_id::text) AS id, count(*)::int8 AS n FROM (SELECT record_id FROM linkage_subjects WHERE ($1::uuid IS NULL OR record_id > $1) AND ($3::timestamptz IS NULL OR indexed_at >= $3) ORDER BY record_id LIMIT $2) c`,
        [last, chunk, since],
      );
      const n = Number(walked[0]?.n ?? 0);
      if (!n) return true;
      const found = await scoreChunk(tx, chunkPairs, model, settings);
      const stored = await recordPairs(tx, found, clock.now());
      compared += chunkPairs.length;
      pairs += stored.length;
      records += n;
      last = walked[0]!.id;
      await tx.query('UPDATE linkage_audits SET last_record = $2, records = $3, pairs = $4 WHERE id = $1', [auditId, last, records, pairs]);
      return false;
    });
    if (done) break;
  }
  await db.query('UPDATE linkage_audits SET finished_at = $2 WHERE id = $1', [auditId, clock.now()]);
  options.onProgress?.(records, total);
  return { auditId, records, compared, pairs, resumed: unfinished !== undefined };
}

async function scoreChunk(tx: Queryable, candidatePairs: { a: string; b: string }[], model: Awaited<ReturnType<typeof currentModel>>, settings: LinkageSettings): Promise<FoundPair[]> {
  if (!candidatePairs.length) return [];
  const ids = [...new Set(candidatePairs.flatMap((p) => [p.a, p.b]))];
  const subjects = new Map((await findSubjects(tx, ids)).filter((s) => s.status !== 'ARCHIVED' && s.status !== 'REVOKED').map((s) => [s.subject.recordId, s.subject]));
  const found: FoundPair[] = [];
  for (const { a, b } of candidatePairs) {
    const [sa, sb] = [subjects.get(a), subjects.get(b)];
    if (!sa || !sb) continue;
    const score = scorePair(sa, sb, model, settings);
    if (score.band !== 'non_match') found.push({ recordA: a, recordB: b, score: score.score, band: score.band, source: 'audit' });
  }
  return found;
}

export interface ReportPair {
  pairId: string;
  recordA: string;
  recordB: string;
  numberA: string | null;
  numberB: string | null;
  legacyRefA: string | null;
  legacyRefB: string | null;
  score: number;
  band: string;
  source: string;
  /** The cluster (numbered from 1, largest first) the pair belongs to. */
  cluster: number;
  comparison: PairScore;
}

/**
 * Every open suspected pair with both records' numbers and legacy references, its cluster and the
 * field-by-field comparison under the register's model: what `tirkeu linkage audit --out` writes.
 */
export async function* openPairsReport(db: Queryable, settings: LinkageSettings): AsyncGenerator<ReportPair> {
  const model = await currentModel(db, settings);
  const { rows: all } = await db.query<{ recordA: string; recordB: string }>(`SELECT record_a AS "recordA", record_b AS "recordB" FROM linkage_pairs WHERE status = 'open'`);
  const clusterOf = new Map<string, number>();
  clustersOf(all).forEach((members, i) => members.forEach((id) => clusterOf.set(id, i + 1)));
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<{ id: string; a: string; b: string; na: string | null; nb: string | null; ra: string | null; rb: string | null; score: number; band: string; source: string }>(
      `SELECT p.id, p.record_a AS a, p.record_b AS b, x.number AS na, y.number AS nb, x.ref AS ra, y.ref AS rb, p.score, p.band, p.source
         FROM linkage_pairs p JOIN records x ON x.id = p.record_a JOIN records y ON y.id = p.record_b
        WHERE p.status = 'open' AND p.id > $1 ORDER BY p.id LIMIT 1000`,
      [after],
    );
    if (!rows.length) return;
    const subjects = new Map((await findSubjects(db, [...new Set(rows.flatMap((r) => [r.a, r.b]))])).map((s) => [s.subject.recordId, s.subject]));
    for (const r of rows) {
      const [sa, sb] = [subjects.get(r.a), subjects.get(r.b)];
      if (!sa || !sb) continue;
      yield {
        pairId: r.id,
        recordA: r.a,
        recordB: r.b,
        numberA: r.na,
        numberB: r.nb,
        legacyRefA: r.ra,
        legacyRefB: r.rb,
        score: r.score,
        band: r.band,
        source: r.source,
        cluster: clusterOf.get(r.a) ?? 0,
        comparison: scorePair(sa, sb, model, settings),
      };
    }
    after = rows.at(-1)!.id;
  }
}

/** The CSV columns of pairs.csv: the pair, then one column per compared field ("level weight"). */
export function reportCsvHeader(fields: readonly string[]): string[] {
  return ['record_a', 'record_b', 'number_a', 'number_b', 'legacy_ref_a', 'legacy_ref_b', 'score', 'band', 'source', 'cluster', ...fields];
}

export function reportCsvRow(pair: ReportPair, fields: readonly string[]): unknown[] {
  const byField = new Map(pair.comparison.fields.map((f) => [f.field as string, f]));
  return [
    pair.recordA,
    pair.recordB,
    pair.numberA,
    pair.numberB,
    pair.legacyRefA,
    pair.legacyRefB,
    Math.round(pair.score * 100) / 100,
    pair.band,
    pair.source,
    pair.cluster,
    ...fields.map((f) => {
      const c = byField.get(f);
      return c ? `${c.level} ${c.weight >= 0 ? '+' : ''}${Math.round(c.weight * 100) / 100}` : '';
    }),
  ];
}
