import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/types.ts';
import { compareSubjects, type ComparisonVector } from './comparison.ts';
import { estimateModel } from './em.ts';
import { saveModel } from './matching.ts';
import { modelFromSettings, type LinkageModel } from './scoring.ts';
import type { LinkageSettings } from './settings.ts';
import { findSubjects } from './store.ts';
import { candidatePairsFrom } from './audit.ts';

/**
 * m and u estimated from the register itself (unsupervised EM, em.ts): a sample of records, the
 * candidate pairs the blocking passes give them, their comparison vectors, EM from the pack's
 * starting values. The model is stored and used from then on by matching, the audit and search.
 */
export interface EstimationResult {
  model: LinkageModel;
  pairs: number;
  iterations: number;
  converged: boolean;
}

export async function estimateFromRegister(db: Db, settings: LinkageSettings, clock: Clock, options: { sample: number }): Promise<EstimationResult> {
  const window = Math.max(0, Math.trunc(settings.blocking.dateWindowDays));
  // A sample spread over the register (every k-th record in id order), each with its candidates from the same passes the audit uses.
  const { rows: counted } = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM linkage_subjects');
  const total = Number(counted[0]!.n);
  const step = Math.max(1, Math.floor(total / Math.max(1, options.sample)));
  const { rows: pairs } = await db.query<{ a: string; b: string }>(
    `WITH a AS (SELECT * FROM (SELECT s.*, row_number() OVER (ORDER BY record_id) AS n FROM linkage_subjects s) x WHERE n % $1 = 0 LIMIT $2)
     SELECT * FROM (${candidatePairsFrom(window, 'b.record_id <> a.record_id')}) p LIMIT 500000`,
    [step, options.sample],
  );
  const vectors: ComparisonVector[] = [];
  for (let i = 0; i < pairs.length; i += 5_000) {
    const slice = pairs.slice(i, i + 5_000);
    const subjects = new Map((await findSubjects(db, [...new Set(slice.flatMap((p) => [p.a, p.b]))])).map((s) => [s.subject.recordId, s.subject]));
    for (const p of slice) {
      const [a, b] = [subjects.get(p.a), subjects.get(p.b)];
      if (a && b) vectors.push(compareSubjects(a, b, settings));
    }
  }
  const now = clock.now();
  const result = estimateModel(vectors, modelFromSettings(settings), { ...settings.em, estimatedAt: now.toISOString() });
  const model: LinkageModel = { ...result.model, source: 'estimated', estimatedAt: now.toISOString(), pairs: vectors.length };
  await saveModel(db, model, vectors.length, now);
  return { model, pairs: vectors.length, iterations: result.iterations, converged: result.converged };
}
