import fs from 'node:fs';
import path from 'node:path';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/errors.ts';
import { configDir } from '../places/pack.ts';

/**
 * Protection settings: config/<pack>/protection.json. What screening flags and at what risk, the
 * deadlines for first contact, the partner agencies, the consent purposes and the best-interests
 * procedure's rules. Checked when loaded, so a mistyped field stops the start naming it.
 */
export const riskLevels = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const flagCodes = [
  'statelessness_risk',
  'foundling',
  'young_mother',
  'mother_undocumented',
  'foreign_parents_no_residence',
  'no_parent_established',
  'delayed_registration',
  'notified_not_declared',
] as const;
export type FlagCode = (typeof flagCodes)[number];

const comment = Type.Optional(Type.String());
const object = (properties: Record<string, TSchema>) => Type.Object({ $comment: comment, ...properties }, { additionalProperties: false });
export const Names = Type.Object({ kk: Type.String({ minLength: 1 }), ru: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export type Names = Static<typeof Names>;
/** A risk level as a schema (the one the API and the records use). */
export const Risk = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const perRisk = (schema: TSchema) => object(Object.fromEntries(riskLevels.map((r) => [r, schema])));
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });

const FlagSetting = object({ risk: Risk, name: Names, reason: Names });

export const ProtectionSettingsSchema = object({
  screening: object({
    motherMinAge: Type.Integer({ minimum: 1, maximum: 30 }),
    lateAfterDays: Type.Integer({ minimum: 1, maximum: 3660 }),
    flags: object(Object.fromEntries(flagCodes.map((code) => [code, FlagSetting]))),
  }),
  deadlineHours: perRisk(Type.Integer({ minimum: 1, maximum: 24 * 90 })),
  followUpDays: perRisk(Type.Integer({ minimum: 1, maximum: 365 })),
  planReviewDays: Type.Integer({ minimum: 1, maximum: 730 }),
  agencies: Type.Array(object({ id: Code, kind: Code, name: Names }), { minItems: 1, maxItems: 200 }),
  consentPurposes: Type.Array(Code, { minItems: 1, maxItems: 20 }),
  bid: object({
    mandatoryFor: object({ caseKinds: Type.Array(Code, { maxItems: 20 }), questions: Type.Array(Code, { maxItems: 20 }) }),
    minPanel: Type.Integer({ minimum: 3, maximum: 15 }),
    professions: Type.Array(Code, { minItems: 3, maxItems: 40 }),
    options: Type.Array(Code, { minItems: 2, maxItems: 40 }),
  }),
  reports: object({ minCell: Type.Integer({ minimum: 1, maximum: 100 }) }),
});

export interface FlagSetting {
  risk: RiskLevel;
  name: Names;
  reason: Names;
}

export interface Agency {
  id: string;
  kind: string;
  name: Names;
}

export interface ProtectionSettings {
  screening: { motherMinAge: number; lateAfterDays: number; flags: Record<FlagCode, FlagSetting> };
  /** Hours from the referral to the deadline for first contact, by risk. */
  deadlineHours: Record<RiskLevel, number>;
  /** Days between follow-up visits, by risk. */
  followUpDays: Record<RiskLevel, number>;
  planReviewDays: number;
  agencies: Agency[];
  consentPurposes: string[];
  bid: { mandatoryFor: { caseKinds: string[]; questions: string[] }; minPanel: number; professions: string[]; options: string[] };
  reports: { minCell: number };
}

function invalid(file: string, field: string, message: string): never {
  const where = field ? `${file}: ${field}` : file;
  throw new AppError('validation_failed', `${where} ${message}`, { field: where, hint: `correct ${file} and start again` });
}

/** Checks parsed JSON against the schema; drops the $comments. */
export function parseProtectionSettings(json: unknown, file = 'protection.json'): ProtectionSettings {
  const errors = [...Value.Errors(ProtectionSettingsSchema, json)];
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors.find((e) => e.keyword === 'required') ?? errors[0];
  if (first) {
    const at = first.instancePath.slice(1).replaceAll('/', '.');
    const params = first.params as { additionalProperties?: string[]; requiredProperties?: string[] };
    if (params.additionalProperties) invalid(file, at, `has an unknown field ${params.additionalProperties.join(', ')}`);
    if (params.requiredProperties) invalid(file, params.requiredProperties.map((p) => (at ? `${at}.${p}` : p)).join(', '), 'is missing');
    invalid(file, at, first.message);
  }
  const raw = json as ProtectionSettings;
  const ids = raw.agencies.map((a) => a.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) invalid(file, 'agencies', `name ${twice} twice`);
  for (const purpose of ['sharing', 'tracing']) {
    if (!raw.consentPurposes.includes(purpose)) invalid(file, 'consentPurposes', `must include ${purpose}: referrals to agencies and tracing check it`);
  }
  const flags = Object.fromEntries(flagCodes.map((code) => [code, { risk: raw.screening.flags[code].risk, name: raw.screening.flags[code].name, reason: raw.screening.flags[code].reason }])) as Record<FlagCode, FlagSetting>;
  return {
    screening: { motherMinAge: raw.screening.motherMinAge, lateAfterDays: raw.screening.lateAfterDays, flags },
    deadlineHours: { ...raw.deadlineHours },
    followUpDays: { ...raw.followUpDays },
    planReviewDays: raw.planReviewDays,
    agencies: raw.agencies.map((a) => ({ id: a.id, kind: a.kind, name: a.name })),
    consentPurposes: [...raw.consentPurposes],
    bid: {
      mandatoryFor: { caseKinds: [...raw.bid.mandatoryFor.caseKinds], questions: [...raw.bid.mandatoryFor.questions] },
      minPanel: raw.bid.minPanel,
      professions: [...raw.bid.professions],
      options: [...raw.bid.options],
    },
    reports: { minCell: raw.reports.minCell },
  };
}

const cache = new Map<string, ProtectionSettings>();

/** Reads config/<pack>/protection.json and checks it (once per process). */
export function loadProtectionSettings(pack: string, dir: string = configDir): ProtectionSettings {
  const file = path.join(dir, pack, 'protection.json');
  const cached = cache.get(file);
  if (cached) return cached;
  const shown = `config/${pack}/protection.json`;
  if (!fs.existsSync(file)) {
    throw new AppError('validation_failed', `country pack ${pack}: protection.json is missing`, { field: shown, hint: 'copy config/kz/protection.json and adapt it' });
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return invalid(shown, '', `is not valid JSON (${(error as Error).message})`);
  }
  const settings = parseProtectionSettings(json, shown);
  cache.set(file, settings);
  return settings;
}
