import { AppError } from '../core/errors.ts';

/**
 * The individual identification number (IIN) rules of a country pack, as pure functions:
 * YYMMDD, a century-and-sex digit, a 4-digit serial and a check digit computed in up to two
 * weighted passes (pack.json "identityNumber"; Kazakhstan: Government Decree No. 406, 2007).
 */
export type Sex = 'male' | 'female';

export interface IinRules {
  digits: number;
  /** digit → century (1800, 1900, 2000) and sex. */
  centurySexDigit: Record<string, { century: number; sex: Sex }>;
  /** Weights of the first pass and, when it gives 10, of the second. */
  checkDigitWeights: [number[], number[]];
}

export function parseIinRules(raw: Record<string, unknown>): IinRules {
  const digits = raw.digits;
  const centurySexDigit = raw.centurySexDigit as IinRules['centurySexDigit'] | undefined;
  const weights = raw.checkDigitWeights as number[][] | undefined;
  const bad = (field: string) =>
    new AppError('validation_failed', `pack.json identityNumber.${field} is missing or malformed`, { field: `pack.json: identityNumber.${field}` });
  if (digits !== 12) throw bad('digits');
  if (!centurySexDigit || Object.values(centurySexDigit).some((v) => !Number.isInteger(v.century) || !['male', 'female'].includes(v.sex))) throw bad('centurySexDigit');
  if (!Array.isArray(weights) || weights.length !== 2 || weights.some((w) => !Array.isArray(w) || w.length !== 11)) throw bad('checkDigitWeights');
  return { digits, centurySexDigit, checkDigitWeights: [weights[0]!, weights[1]!] };
}

/** The check digit for the first 11 digits, or null when both passes give 10 (never issued). */
export function checkDigit(first11: string, rules: IinRules): number | null {
  for (const weights of rules.checkDigitWeights) {
    let sum = 0;
    for (let i = 0; i < 11; i++) sum += (first11.charCodeAt(i) - 48) * weights[i]!;
    const c = sum % 11;
    if (c !== 10) return c;
  }
  return null;
}

export type IinProblem = 'format' | 'century_sex_digit' | 'check_digit' | 'never_issued';
export type IinWarning = 'date' | 'date_mismatch' | 'sex_mismatch';

export interface IinCheck {
  valid: boolean;
  /** Hard errors: the number cannot be an IIN. */
  problems: { code: IinProblem; message: string }[];
  /** Since 2013 digits need not match the holder: a mismatch is a warning, never a rejection. */
  warnings: { code: IinWarning; message: string }[];
  /** What the digits say, when they say it. */
  dateOfBirth?: string;
  sex?: Sex;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Checks a number as received; `holder` (if known) is compared with what the digits say. */
export function checkIin(value: string, rules: IinRules, holder: { dateOfBirth?: string; sex?: Sex } = {}): IinCheck {
  const result: IinCheck = { valid: false, problems: [], warnings: [] };
  if (!/^\d{12}$/.test(value)) {
    result.problems.push({ code: 'format', message: 'an IIN is exactly 12 digits' });
    return result;
  }
  const expected = checkDigit(value.slice(0, 11), rules);
  if (expected === null) result.problems.push({ code: 'never_issued', message: 'the first 11 digits give no check digit in either pass: such a number is never issued' });
  else if (expected !== Number(value[11])) result.problems.push({ code: 'check_digit', message: `the check digit is ${value[11]}, it should be ${expected}: a digit is mistyped` });
  const centurySex = rules.centurySexDigit[value[6]!];
  if (!centurySex) result.problems.push({ code: 'century_sex_digit', message: `digit 7 (${value[6]}) is not a century-and-sex digit` });
  else {
    result.sex = centurySex.sex;
    const date = isoDate(centurySex.century + Number(value.slice(0, 2)), Number(value.slice(2, 4)), Number(value.slice(4, 6)));
    if (date) result.dateOfBirth = date;
    else result.warnings.push({ code: 'date', message: 'digits 1–6 are not a calendar date' });
    if (holder.dateOfBirth && date && holder.dateOfBirth !== date) result.warnings.push({ code: 'date_mismatch', message: `the digits say born ${date}, the record says ${holder.dateOfBirth}` });
    if (holder.sex && holder.sex !== centurySex.sex) result.warnings.push({ code: 'sex_mismatch', message: `the digits say ${centurySex.sex}, the record says ${holder.sex}` });
  }
  result.valid = result.problems.length === 0;
  return result;
}

/** The first 7 digits of a new IIN: YYMMDD and the century-and-sex digit. */
export function iinPrefix(dateOfBirth: string, sex: Sex, rules: IinRules): string {
  const year = Number(dateOfBirth.slice(0, 4));
  const century = Math.floor(year / 100) * 100;
  const digit = Object.entries(rules.centurySexDigit).find(([, v]) => v.century === century && v.sex === sex)?.[0];
  if (!digit) throw new AppError('validation_failed', `no IIN century digit for a ${sex} born in ${year}`, { field: 'child.dateOfBirth' });
  return `${dateOfBirth.slice(2, 4)}${dateOfBirth.slice(5, 7)}${dateOfBirth.slice(8, 10)}${digit}`;
}

/** The IIN for a prefix and serial, or null when that serial gives no check digit (skip it). */
export function composeIin(prefix: string, serial: number, rules: IinRules): string | null {
  const first11 = `${prefix}${String(serial).padStart(4, '0')}`;
  const c = checkDigit(first11, rules);
  return c === null ? null : `${first11}${c}`;
}

/** Serials run 0001–9999 per date and sex: ten thousand children of one sex born on one day. */
export const maxSerial = 9999;
