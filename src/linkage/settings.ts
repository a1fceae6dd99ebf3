import fs from 'node:fs';
import path from 'node:path';
import { type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/errors.ts';
import { configDir } from '../places/pack.ts';
import { type FieldName, fieldLevels, fieldNames, type Level } from './comparison.ts';

/**
 * Linkage settings: config/<pack>/linkage.json. The thresholds, the date tolerance, blocking limits
 * and the documented starting m/u of every field's levels. Checked when loaded, so a mistyped
 * probability fails at start-up naming its field, and never turns into a silent weight.
 */
export interface LinkageSettings {
  /** log2 weights (sums of log2(m/u)); autoFlag > possible. */
  thresholds: { autoFlag: number; possible: number };
  /** ±k days for the "near" date level. */
  dateToleranceDays: number;
  /** Read by blocking: how far apart candidate birth dates may be, how many candidates per record. */
  blocking: { dateWindowDays: number; maxCandidates: number };
  /** Starting m and u of every level of every field (the weights until EM estimates others). */
  start: Record<FieldName, Record<Level, { m: number; u: number }>>;
  /** Starting λ: the share of candidate pairs that are the same birth. */
  prior: number;
  em: { maxIterations: number; tolerance: number };
}

const comment = Type.Optional(Type.String());
const probability = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 });
const levelStart = Type.Object({ m: probability, u: probability }, { additionalProperties: false });

function object(properties: Record<string, TSchema>) {
  return Type.Object({ $comment: comment, ...properties }, { additionalProperties: false });
}

const fieldStart = (field: FieldName) => object(Object.fromEntries(fieldLevels[field].map((level) => [level, levelStart])));

export const LinkageSettingsSchema = object({
  thresholds: object({ autoFlag: Type.Number(), possible: Type.Number() }),
  dateToleranceDays: Type.Integer({ minimum: 0, maximum: 31 }),
  blocking: object({
    dateWindowDays: Type.Integer({ minimum: 0, maximum: 366 }),
    maxCandidates: Type.Integer({ minimum: 1, maximum: 100_000 }),
  }),
  start: object(Object.fromEntries(fieldNames.map((field) => [field, fieldStart(field)]))),
  prior: probability,
  em: object({
    maxIterations: Type.Integer({ minimum: 1, maximum: 10_000 }),
    tolerance: Type.Number({ exclusiveMinimum: 0, maximum: 0.1 }),
  }),
});

function invalid(file: string, field: string, message: string): never {
  const where = field ? `${file}: ${field}` : file;
  throw new AppError('validation_failed', `${where} ${message}`, {
    field: where,
    hint: `correct ${file} (see the $comment of its sections) and start again`,
  });
}

/** m and u are each a distribution over a field's levels: their sums may miss 1 by this much. */
const sumTolerance = 0.001;

/** Checks parsed JSON against the schema and the rules between fields; drops the $comments. */
export function parseLinkageSettings(json: unknown, file = 'linkage.json'): LinkageSettings {
  const errors = [...Value.Errors(LinkageSettingsSchema, json)];
  // An unknown field is reported twice (the field itself, "schema is false", and its parent's
  // additionalProperties): the parent's names it better; a missing one names the parent only.
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors.find((e) => e.keyword === 'required') ?? errors[0];
  if (first) {
    const at = first.instancePath.slice(1).replaceAll('/', '.');
    const params = first.params as { additionalProperties?: string[]; requiredProperties?: string[] };
    if (params.additionalProperties) invalid(file, at, `has an unknown field ${params.additionalProperties.join(', ')}`);
    if (params.requiredProperties) {
      const missing = params.requiredProperties.map((p) => (at ? `${at}.${p}` : p));
      invalid(file, missing.join(', '), 'is missing');
    }
    invalid(file, at, first.message);
  }
  const raw = json as Omit<LinkageSettings, 'start'> & { start: Record<string, Record<string, unknown>> };
  if (raw.thresholds.autoFlag <= raw.thresholds.possible) {
    invalid(file, 'thresholds.autoFlag', `(${raw.thresholds.autoFlag}) must be above thresholds.possible (${raw.thresholds.possible})`);
  }
  if (raw.blocking.dateWindowDays < raw.dateToleranceDays) {
    invalid(file, 'blocking.dateWindowDays', `(${raw.blocking.dateWindowDays}) must be at least dateToleranceDays (${raw.dateToleranceDays}), or near dates never become candidates`);
  }
  const start = {} as LinkageSettings['start'];
  for (const field of fieldNames) {
    const levels: Record<Level, { m: number; u: number }> = {};
    let m = 0;
    let u = 0;
    for (const level of fieldLevels[field]) {
      const value = raw.start[field]![level] as { m: number; u: number };
      levels[level] = { m: value.m, u: value.u };
      m += value.m;
      u += value.u;
    }
    for (const [name, sum] of [['m', m], ['u', u]] as const) {
      if (Math.abs(sum - 1) > sumTolerance) {
        invalid(file, `start.${field}`, `${name} values sum to ${+sum.toFixed(6)}, not 1: they are the chances of each level and must add up`);
      }
    }
    start[field] = levels;
  }
  return {
    thresholds: { autoFlag: raw.thresholds.autoFlag, possible: raw.thresholds.possible },
    dateToleranceDays: raw.dateToleranceDays,
    blocking: { dateWindowDays: raw.blocking.dateWindowDays, maxCandidates: raw.blocking.maxCandidates },
    start,
    prior: raw.prior,
    em: { maxIterations: raw.em.maxIterations, tolerance: raw.em.tolerance },
  };
}

const cache = new Map<string, LinkageSettings>();

/** Reads config/<pack>/linkage.json and checks it (once per process). */
export function loadLinkageSettings(pack: string, dir: string = configDir): LinkageSettings {
  const file = path.join(dir, pack, 'linkage.json');
  const cached = cache.get(file);
  if (cached) return cached;
  const shown = `config/${pack}/linkage.json`;
  if (!fs.existsSync(file)) {
    throw new AppError('validation_failed', `country pack ${pack}: linkage.json is missing`, {
      field: shown,
      hint: 'copy config/kz/linkage.json and adapt its starting values and thresholds',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return invalid(shown, '', `is not valid JSON (${(error as Error).message})`);
  }
  const settings = parseLinkageSettings(json, shown);
  cache.set(file, settings);
  return settings;
}
