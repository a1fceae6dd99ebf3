import { AppError } from '../core/errors.ts';
import { type ComparisonVector, fieldNames } from './comparison.ts';
import { clampProbability, type LinkageModel, ownFields } from './scoring.ts';

/**
 * Unsupervised estimation of m, u and λ from the comparison vectors of candidate pairs: the
 * Fellegi–Sunter EM (Winkler 1988, "Using the EM algorithm for weight computation in the
 * Fellegi–Sunter model of record linkage"; the same as Splink's), fields independent given match
 * status. E step: each pair's chance of being one birth under the current model. M step: m of a
 * level = the match-weighted share of pairs at that level among pairs where the field is present
 * (u likewise with non-match weights); λ = the mean chance. A missing field is skipped, a level no
 * pair shows keeps its starting value, and every value stays inside the clamp, so no weight is
 * infinite. The E step scores with the one-delivery rule of scoring.ts, as the audit will: twins
 * are then counted among the non-matches instead of teaching the model that duplicates differ in
 * birth order.
 *
 * Millions of pairs share a few thousand distinct vectors, so the vectors are grouped first and
 * each iteration runs over the distinct patterns with their counts.
 */

export interface EstimateOptions {
  maxIterations: number;
  /** Stop when no m, u or λ moves by more than this in one iteration. */
  tolerance: number;
  /** Stamped on the model (the caller's clock: this module reads none). */
  estimatedAt?: string;
}

export function estimateModel(
  vectors: ComparisonVector[],
  start: LinkageModel,
  options: EstimateOptions,
): { model: LinkageModel; iterations: number; converged: boolean } {
  const fieldCount = fieldNames.length;
  // Levels of each field as the starting model names them, and their slots in flat arrays.
  const levels = fieldNames.map((f) => Object.keys(start.weights[f] ?? {}));
  const offset = new Int32Array(fieldCount + 1);
  for (let f = 0; f < fieldCount; f++) offset[f + 1] = offset[f]! + levels[f]!.length;
  const slots = offset[fieldCount]!;
  const slotOf = levels.map((ls) => new Map(ls.map((l, i) => [l, i])));

  // Distinct patterns: for each, per field the level's slot or -1 when missing, and how many pairs.
  const patternIndex = new Map<string, number>();
  const patternSlots: number[] = [];
  const counts: number[] = [];
  const key: number[] = new Array<number>(fieldCount);
  for (const v of vectors) {
    for (let f = 0; f < fieldCount; f++) {
      const level = v[fieldNames[f]!];
      if (level === undefined) {
        key[f] = -1;
        continue;
      }
      const slot = slotOf[f]!.get(level);
      if (slot === undefined) {
        throw new AppError('validation_failed', `a comparison vector has level ${level} for ${fieldNames[f]}, which the starting model does not know`, {
          field: `${fieldNames[f]}`,
          hint: `known levels: ${levels[f]!.join(', ')}; build the starting model from the pack (modelFromSettings)`,
        });
      }
      key[f] = offset[f]! + slot;
    }
    const k = key.join(',');
    const found = patternIndex.get(k);
    if (found !== undefined) counts[found]!++;
    else {
      patternIndex.set(k, counts.length);
      counts.push(1);
      patternSlots.push(...key);
    }
  }
  const patterns = counts.length;

  const m = new Float64Array(slots);
  const u = new Float64Array(slots);
  const seen = new Uint8Array(slots);
  for (let f = 0; f < fieldCount; f++) {
    levels[f]!.forEach((level, i) => {
      const mu = start.weights[fieldNames[f]!]![level]!;
      m[offset[f]! + i] = clampProbability(mu.m);
      u[offset[f]! + i] = clampProbability(mu.u);
    });
  }
  for (const s of patternSlots) if (s >= 0) seen[s] = 1;
  const fieldOf = new Int32Array(slots);
  for (let f = 0; f < fieldCount; f++) for (let s = offset[f]!; s < offset[f + 1]!; s++) fieldOf[s] = f;
  const own = fieldNames.map((f) => ownFields.has(f));
  // The slots of the levels that say "another child of the family" (scoring.ts: anotherChild).
  const slotOfLevel = (field: string, level: string) => {
    const f = fieldNames.indexOf(field as (typeof fieldNames)[number]);
    const i = slotOf[f]!.get(level);
    return i === undefined ? -2 : offset[f]! + i;
  };
  const birthOrderDifferent = slotOfLevel('birth_order', 'different');
  const dateDifferent = slotOfLevel('child_date_of_birth', 'different');
  const givenDifferent = slotOfLevel('child_given_name', 'different');

  let lambda = clampProbability(start.lambda);
  const logRatio = new Float64Array(slots);
  const matchSum = new Float64Array(slots);
  const nonMatchSum = new Float64Array(slots);
  const matchTotal = new Float64Array(fieldCount);
  const nonMatchTotal = new Float64Array(fieldCount);
  let iterations = 0;
  let converged = false;

  while (iterations < options.maxIterations && patterns > 0) {
    iterations++;
    for (let s = 0; s < slots; s++) logRatio[s] = Math.log(m[s]! / u[s]!);
    matchSum.fill(0);
    nonMatchSum.fill(0);
    matchTotal.fill(0);
    nonMatchTotal.fill(0);
    const priorLogOdds = Math.log(lambda / (1 - lambda));
    let matches = 0;
    for (let p = 0; p < patterns; p++) {
      const base = p * fieldCount;
      let all = 0;
      let ownSum = 0;
      let twins = false;
      let otherDate = false;
      let otherName = false;
      for (let f = 0; f < fieldCount; f++) {
        const s = patternSlots[base + f]!;
        if (s < 0) continue;
        all += logRatio[s]!;
        if (own[f]) ownSum += logRatio[s]!;
        if (s === birthOrderDifferent) twins = true;
        if (s === dateDifferent) otherDate = true;
        if (s === givenDifferent) otherName = true;
      }
      const sibling = !twins && otherDate && otherName;
      const child = sibling ? ownSum + logRatio[dateDifferent]! : ownSum;
      const logOdds = priorLogOdds + ((twins || sibling) && child < all ? child : all);
      const chance = 1 / (1 + Math.exp(-logOdds));
      const c = counts[p]!;
      const cm = c * chance;
      const cu = c - cm;
      matches += cm;
      for (let f = 0; f < fieldCount; f++) {
        const s = patternSlots[base + f]!;
        if (s < 0) continue;
        matchSum[s] = matchSum[s]! + cm;
        nonMatchSum[s] = nonMatchSum[s]! + cu;
        matchTotal[f] = matchTotal[f]! + cm;
        nonMatchTotal[f] = nonMatchTotal[f]! + cu;
      }
    }

    let change = 0;
    for (let s = 0; s < slots; s++) {
      if (!seen[s]) continue;
      const f = fieldOf[s]!;
      if (matchTotal[f]! > 0) {
        const next = clampProbability(matchSum[s]! / matchTotal[f]!);
        change = Math.max(change, Math.abs(next - m[s]!));
        m[s] = next;
      }
      if (nonMatchTotal[f]! > 0) {
        const next = clampProbability(nonMatchSum[s]! / nonMatchTotal[f]!);
        change = Math.max(change, Math.abs(next - u[s]!));
        u[s] = next;
      }
    }
    const nextLambda = clampProbability(matches / vectors.length);
    change = Math.max(change, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    if (change < options.tolerance) {
      converged = true;
      break;
    }
  }

  const weights = {} as LinkageModel['weights'];
  for (let f = 0; f < fieldCount; f++) {
    const field = fieldNames[f]!;
    weights[field] = {};
    levels[f]!.forEach((level, i) => {
      weights[field][level] = { m: m[offset[f]! + i]!, u: u[offset[f]! + i]! };
    });
  }
  const model: LinkageModel = { weights, lambda, source: 'estimated', pairs: vectors.length };
  if (options.estimatedAt !== undefined) model.estimatedAt = options.estimatedAt;
  return { model, iterations, converged };
}
