import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ComparisonVector, type FieldName, fieldLevels, fieldNames } from '../../src/linkage/comparison.ts';
import { estimateModel } from '../../src/linkage/em.ts';
import { type LinkageModel, levelWeight, modelFromSettings, scoreVector } from '../../src/linkage/scoring.ts';
import { loadLinkageSettings } from '../../src/linkage/settings.ts';

const settings = loadLinkageSettings('kz');
const start = modelFromSettings(settings);

/** A small seeded generator (mulberry32), so a simulation is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function draw(distribution: Record<string, { m: number; u: number }>, which: 'm' | 'u', r: number): string {
  const levels = Object.keys(distribution);
  let acc = 0;
  for (const level of levels) {
    acc += distribution[level]![which];
    if (r < acc) return level;
  }
  return levels.at(-1)!;
}

/** Comparison vectors of `pairs` pairs drawn from a known model: λ of them matches, each field missing with `missing` chance. */
function simulate(truth: LinkageModel, pairs: number, missing: number, seed: number): ComparisonVector[] {
  const rnd = random(seed);
  const vectors: ComparisonVector[] = [];
  for (let i = 0; i < pairs; i++) {
    const match = rnd() < truth.lambda;
    const v: ComparisonVector = {};
    for (const field of fieldNames) {
      const level = draw(truth.weights[field], match ? 'm' : 'u', rnd());
      if (rnd() >= missing) v[field] = level;
    }
    vectors.push(v);
  }
  return vectors;
}

/**
 * A "true" model unlike the pack's start: each field's m and u mixed 60/40 with another distribution
 * (seeded), so EM has somewhere to travel. Birth order keeps its start: a truth where duplicates
 * often differ in birth order is one the one-delivery rule is built to refuse.
 */
function perturbed(seed: number): LinkageModel {
  const rnd = random(seed);
  const weights = {} as LinkageModel['weights'];
  for (const field of fieldNames) {
    const levels = fieldLevels[field];
    const mix = (which: 'm' | 'u') => {
      const noise = levels.map(() => rnd());
      const total = noise.reduce((a, b) => a + b, 0);
      return levels.map((l, i) => (field === 'birth_order' ? start.weights[field][l]![which] : 0.6 * start.weights[field][l]![which] + (0.4 * noise[i]!) / total));
    };
    const m = mix('m');
    const u = mix('u');
    weights[field] = Object.fromEntries(levels.map((l, i) => [l, { m: m[i]!, u: u[i]! }]));
  }
  return { weights, lambda: 0.15, source: 'pack' };
}

function largestError(estimated: LinkageModel, truth: LinkageModel): { error: number; where: string } {
  let error = Math.abs(estimated.lambda - truth.lambda);
  let where = 'lambda';
  for (const field of fieldNames) {
    for (const level of fieldLevels[field]) {
      for (const which of ['m', 'u'] as const) {
        const e = Math.abs(estimated.weights[field][level]![which] - truth.weights[field][level]![which]);
        if (e > error) {
          error = e;
          where = `${field}.${level}.${which}`;
        }
      }
    }
  }
  return { error, where };
}

describe('EM estimation of m, u and λ', () => {
  it('recovers a known model within 0.05 from simulated pairs (seeded), starting from the pack', () => {
    for (const seed of [1, 2, 3]) {
      const truth = perturbed(seed);
      const vectors = simulate(truth, 30_000, 0.2, seed * 101);
      const { model, converged, iterations } = estimateModel(vectors, start, settings.em);
      expect(converged, `seed ${seed}`).toBe(true);
      expect(iterations).toBeLessThan(settings.em.maxIterations);
      const { error, where } = largestError(model, truth);
      // The start was far off (about 0.37 somewhere), EM comes within about 0.02.
      expect(largestError(start, truth).error).toBeGreaterThan(0.2);
      expect(error, `seed ${seed}: ${where}`).toBeLessThan(0.05);
      expect(model).toMatchObject({ source: 'estimated', pairs: 30_000 });
    }
  });

  it('recovers the pack model itself when the pairs are drawn from it', () => {
    const truth = { ...start, lambda: 0.05 };
    const { model } = estimateModel(simulate(truth, 40_000, 0.1, 7), { ...start, lambda: 0.3 }, settings.em);
    const { error, where } = largestError(model, truth);
    expect(error, where).toBeLessThan(0.05);
  });

  it('skips missing fields, keeps the start of levels and fields no pair shows, and clamps', () => {
    const truth = perturbed(9);
    const vectors = simulate(truth, 5_000, 0, 9).map((v) => {
      const { father_iin: _father, ...rest } = v;
      // Never 'jw_mid' on the mother's given name.
      if (rest.mother_given_name === 'jw_mid') rest.mother_given_name = 'jw_high';
      return rest;
    });
    const { model } = estimateModel(vectors, start, settings.em);
    expect(model.weights.father_iin).toEqual(start.weights.father_iin);
    expect(model.weights.mother_given_name.jw_mid).toEqual(start.weights.mother_given_name.jw_mid);
    for (const field of fieldNames) {
      for (const { m, u } of Object.values(model.weights[field])) {
        for (const p of [m, u]) {
          expect(p).toBeGreaterThanOrEqual(1e-4);
          expect(p).toBeLessThanOrEqual(1 - 1e-4);
        }
      }
    }
  });

  it('never produces an infinite weight, whatever the vectors', () => {
    const level = (field: FieldName) => fc.option(fc.constantFrom(...fieldLevels[field]), { nil: undefined, freq: 3 });
    const vector = fc.record(Object.fromEntries(fieldNames.map((f) => [f, level(f)])) as Record<FieldName, fc.Arbitrary<string | undefined>>);
    fc.assert(
      fc.property(fc.array(vector, { minLength: 1, maxLength: 60 }), (raw) => {
        const vectors = raw.map((v) => Object.fromEntries(Object.entries(v).filter(([, l]) => l !== undefined)) as ComparisonVector);
        const { model } = estimateModel(vectors, start, { maxIterations: 20, tolerance: 1e-6 });
        expect(model.lambda).toBeGreaterThanOrEqual(1e-4);
        expect(model.lambda).toBeLessThanOrEqual(1 - 1e-4);
        for (const field of fieldNames) for (const { m, u } of Object.values(model.weights[field])) expect(Number.isFinite(levelWeight(m, u))).toBe(true);
        for (const v of vectors) expect(Number.isFinite(scoreVector(v, model))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('stops at maxIterations, says it did not converge, and stamps what it is told', () => {
    const vectors = simulate(perturbed(4), 2_000, 0.1, 4);
    const once = estimateModel(vectors, start, { maxIterations: 1, tolerance: 1e-12, estimatedAt: '2026-11-23T10:00:00Z' });
    expect(once).toMatchObject({ iterations: 1, converged: false });
    expect(once.model.estimatedAt).toBe('2026-11-23T10:00:00Z');
    const none = estimateModel([], start, settings.em);
    expect(none).toMatchObject({ iterations: 0, converged: false });
    expect(none.model.weights).toEqual(start.weights);
  });

  it('refuses a level the starting model does not know, naming the field', () => {
    expect(() => estimateModel([{ place: 'region' }], start, settings.em)).toThrow(/level region for place/);
  });

  it('counts twins among the non-matches (the one-delivery rule in the E step)', () => {
    // 2,000 duplicates, 60,000 unrelated pairs and 400 twin pairs: every family field agrees for the twins.
    const duplicate: ComparisonVector = Object.fromEntries(fieldNames.map((f) => [f, fieldLevels[f][0]]));
    duplicate.child_iin = 'different';
    const twins: ComparisonVector = { ...duplicate, child_given_name: 'different', birth_order: 'different' };
    const unrelated: ComparisonVector = Object.fromEntries(fieldNames.map((f) => [f, 'different']));
    unrelated.child_sex = 'same';
    unrelated.birth_order = 'same';
    const vectors = [...Array(2_000).fill(duplicate), ...Array(60_000).fill(unrelated), ...Array(400).fill(twins)] as ComparisonVector[];
    const { model } = estimateModel(vectors, start, settings.em);
    expect(model.lambda).toBeCloseTo(2_000 / vectors.length, 3);
    expect(model.weights.birth_order.different!.m).toBeLessThan(0.01);
    expect(scoreVector(twins, model)).toBeLessThan(settings.thresholds.possible);
  });
});
