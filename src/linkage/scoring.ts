import { AppError } from '../core/errors.ts';
import {
  type ComparisonVector,
  compareInto,
  dayNumber,
  type FieldName,
  fieldNames,
  type Level,
  childShift,
  crossedSurnameFirst,
  fatherShift,
  motherShift,
} from './comparison.ts';
import type { LinkageSettings } from './settings.ts';
import type { LinkageSubject, NameForms, PersonForms } from './subject.ts';

/**
 * Fellegi–Sunter scoring: a pair's score is the sum over its compared fields of log2(m/u), m the
 * chance of the field's level when the two records are one birth, u when they are two. Fields
 * missing on either side add nothing.
 *
 * One rule goes beyond the sum, because twins break the model's assumption that fields are
 * independent once match status is known: two children of one delivery agree on everything the
 * family and the delivery share (parents, surname, patronymic, date, place), so those fields add up
 * to far more than the two things that tell the twins apart (given name and birth order) can take
 * back (each weight is clamped to ±13.3 bits): with the pack's start, twins with both parents
 * known sum to 81, a duplicate with only the mother's names to 34. So when the birth orders differ
 * (two children of one delivery, unless a clerk erred), the shared fields say nothing about
 * whether the records are one child: only the child's own fields count (given name, sex, IIN,
 * birth order), unless the full sum is lower still. The price: a duplicate whose birth order was
 * mistyped (or a second twin's order left to default to 1) falls below review.
 *
 * Siblings break it the same way: another child of the same mother, born months or years apart,
 * shares the parents' names, dates and IINs, the surname and the place, and differs only in the
 * child's given name and date of birth (measured on the synthetic register: 20% of auto-flagged
 * pairs were siblings before this rule). So when both the child's date of birth and given name are
 * `different`, the record is taken for another child: only the child's own fields and the date's
 * (negative) weight count, unless the full sum is lower still.
 */

export interface LinkageModel {
  weights: Record<FieldName, Record<Level, { m: number; u: number }>>;
  lambda: number;
  source: 'pack' | 'estimated';
  estimatedAt?: string;
  pairs?: number;
}

/**
 * One field of a pair's explanation. `a`/`b`: the values compared, as written (for crossed names,
 * the crossed pair this field counted, a's value first). `note` is a code the interface words in kk/ru/en:
 * - `swapped`: this person's surname and given name were compared crossed, which agreed better;
 * - `days_apart:N`: the dates are N calendar days apart (near or different);
 * - `one_delivery`: set aside (weight 0) because the birth orders differ: see the rule above.
 */
export interface FieldScore {
  field: FieldName;
  level: Level | 'missing';
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}
export type Band = 'match' | 'possible' | 'non_match';
export interface PairScore {
  score: number;
  band: Band;
  fields: FieldScore[];
}

/** m and u are kept inside [floor, 1 - floor]: no weight is ever ±Infinity (|weight| ≤ 13.3). */
export const probabilityFloor = 1e-4;
export const clampProbability = (p: number): number =>
  p < probabilityFloor || p !== p ? probabilityFloor : p > 1 - probabilityFloor ? 1 - probabilityFloor : p;

export function levelWeight(m: number, u: number): number {
  return Math.log2(clampProbability(m) / clampProbability(u));
}

/** The fields that describe the child, not the family or the delivery: they decide between twins. */
export const ownFields: ReadonlySet<FieldName> = new Set<FieldName>(['child_given_name', 'child_sex', 'child_iin', 'birth_order']);

export function modelFromSettings(s: LinkageSettings): LinkageModel {
  const weights = {} as LinkageModel['weights'];
  for (const field of fieldNames) {
    weights[field] = {};
    for (const [level, { m, u }] of Object.entries(s.start[field])) weights[field][level] = { m, u };
  }
  return { weights, lambda: s.prior, source: 'pack' };
}

const weightAt = (levels: Record<Level, { m: number; u: number }> | undefined, level: Level, field: FieldName): number => {
  const mu = levels?.[level];
  return mu === undefined ? missingWeight(field, level) : levelWeight(mu.m, mu.u);
};

function missingWeight(field: FieldName, level: Level): never {
  throw new AppError('validation_failed', `the linkage model has no weight for ${field} at level ${level}`, {
    field: `weights.${field}.${level}`,
    hint: 'the model and the comparison disagree on the levels: rebuild the model from the pack (linkage.json)',
  });
}

/**
 * Σ log2(m/u) over the vector's fields, with the one-delivery rule (see the top of this file).
 * Written out field by field: batch audit calls it millions of times, and named property reads
 * are several times faster than a loop over field names.
 */
export function scoreVector(v: ComparisonVector, model: LinkageModel): number {
  const w = model.weights;
  let family = 0;
  let own = 0;
  let l: Level | undefined;
  if ((l = v.child_surname) !== undefined) family += weightAt(w.child_surname, l, 'child_surname');
  if ((l = v.child_given_name) !== undefined) own += weightAt(w.child_given_name, l, 'child_given_name');
  if ((l = v.child_patronymic) !== undefined) family += weightAt(w.child_patronymic, l, 'child_patronymic');
  if ((l = v.child_date_of_birth) !== undefined) family += weightAt(w.child_date_of_birth, l, 'child_date_of_birth');
  if ((l = v.child_sex) !== undefined) own += weightAt(w.child_sex, l, 'child_sex');
  if ((l = v.child_iin) !== undefined) own += weightAt(w.child_iin, l, 'child_iin');
  if ((l = v.birth_order) !== undefined) own += weightAt(w.birth_order, l, 'birth_order');
  if ((l = v.mother_surname) !== undefined) family += weightAt(w.mother_surname, l, 'mother_surname');
  if ((l = v.mother_given_name) !== undefined) family += weightAt(w.mother_given_name, l, 'mother_given_name');
  if ((l = v.mother_date_of_birth) !== undefined) family += weightAt(w.mother_date_of_birth, l, 'mother_date_of_birth');
  if ((l = v.mother_iin) !== undefined) family += weightAt(w.mother_iin, l, 'mother_iin');
  if ((l = v.father_surname) !== undefined) family += weightAt(w.father_surname, l, 'father_surname');
  if ((l = v.father_given_name) !== undefined) family += weightAt(w.father_given_name, l, 'father_given_name');
  if ((l = v.father_iin) !== undefined) family += weightAt(w.father_iin, l, 'father_iin');
  if ((l = v.place) !== undefined) family += weightAt(w.place, l, 'place');
  return combine(own, family, v, model);
}

/** Another child of the same family, not the same child twice: another birth order (twins), or another date and another name (siblings). */
export function anotherChild(v: ComparisonVector): 'one_delivery' | 'another_child' | null {
  if (v.birth_order === 'different') return 'one_delivery';
  return v.child_date_of_birth === 'different' && v.child_given_name === 'different' ? 'another_child' : null;
}

/** The rules above: for another child of one family, only the child's own fields (and a date that differs), unless the whole sum is lower. */
function combine(own: number, family: number, v: ComparisonVector, model: LinkageModel): number {
  const all = own + family;
  const rule = anotherChild(v);
  if (!rule) return all;
  const child = rule === 'another_child' ? own + weightAt(model.weights.child_date_of_birth, 'different', 'child_date_of_birth') : own;
  return child < all ? child : all;
}

export function bandOf(score: number, settings: LinkageSettings): Band {
  if (score >= settings.thresholds.autoFlag) return 'match';
  if (score >= settings.thresholds.possible) return 'possible';
  return 'non_match';
}

const written = (n: NameForms | undefined) => n?.written ?? null;
const text = (s: string | number | undefined) => (s === undefined || s === '' ? null : String(s));
const placeText = (s: LinkageSubject) => (s.facilityId ? `${s.facilityId} · ${s.placeKato}` : (s.placeKato ?? null));

const shiftOf: Partial<Record<FieldName, number>> = {
  child_surname: childShift,
  child_given_name: childShift,
  mother_surname: motherShift,
  mother_given_name: motherShift,
  father_surname: fatherShift,
  father_given_name: fatherShift,
};

/** The values each field compares, as written; crossed names show what was compared with what. */
function values(field: FieldName, a: LinkageSubject, b: LinkageSubject, crossing: number): [string | null, string | null] {
  const names = (who: 'child' | 'mother' | 'father', name: 'surname' | 'givenName'): [string | null, string | null] => {
    const pa: PersonForms | undefined = a[who];
    const pb: PersonForms | undefined = b[who];
    const how = (crossing >> shiftOf[field]!) & 3;
    if (how === 0) return [written(pa?.[name]), written(pb?.[name])];
    // crossedSurnameFirst: the surname field holds a's surname against b's given name.
    const surnameFirst = (how === crossedSurnameFirst) === (name === 'surname');
    return surnameFirst ? [written(pa?.surname), written(pb?.givenName)] : [written(pa?.givenName), written(pb?.surname)];
  };
  switch (field) {
    case 'child_surname':
      return names('child', 'surname');
    case 'child_given_name':
      return names('child', 'givenName');
    case 'child_patronymic':
      return [written(a.child.patronymic), written(b.child.patronymic)];
    case 'child_date_of_birth':
      return [text(a.child.dateOfBirth), text(b.child.dateOfBirth)];
    case 'child_sex':
      return [text(a.child.sex), text(b.child.sex)];
    case 'child_iin':
      return [text(a.child.iin), text(b.child.iin)];
    case 'birth_order':
      return [text(a.child.birthOrder), text(b.child.birthOrder)];
    case 'mother_surname':
      return names('mother', 'surname');
    case 'mother_given_name':
      return names('mother', 'givenName');
    case 'mother_date_of_birth':
      return [text(a.mother?.dateOfBirth), text(b.mother?.dateOfBirth)];
    case 'mother_iin':
      return [text(a.mother?.iin), text(b.mother?.iin)];
    case 'father_surname':
      return names('father', 'surname');
    case 'father_given_name':
      return names('father', 'givenName');
    case 'father_iin':
      return [text(a.father?.iin), text(b.father?.iin)];
    case 'place':
      return [placeText(a), placeText(b)];
  }
}

/** A pair's score, band and field-by-field explanation (every field, missing ones at weight 0). */
export function scorePair(a: LinkageSubject, b: LinkageSubject, model: LinkageModel, settings: LinkageSettings): PairScore {
  const v: ComparisonVector = {};
  const crossing = compareInto(a, b, settings, v);
  // The same sums as scoreVector, in the same order, so the explanation adds up to the score exactly.
  let own = 0;
  let family = 0;
  for (const field of fieldNames) {
    const level = v[field];
    if (level === undefined) continue;
    const w = weightAt(model.weights[field], level, field);
    if (ownFields.has(field)) own += w;
    else family += w;
  }
  const score = combine(own, family, v, model);
  const setAside = score !== own + family ? anotherChild(v) : null;
  const fields = fieldNames.map((field): FieldScore => {
    const level = v[field];
    const [va, vb] = values(field, a, b, crossing);
    const entry: FieldScore = { field, level: level ?? 'missing', weight: 0, a: va, b: vb };
    if (level !== undefined) entry.weight = weightAt(model.weights[field], level, field);
    const shift = shiftOf[field];
    if (shift !== undefined && (crossing >> shift) & 3) entry.note = 'swapped';
    if ((field === 'child_date_of_birth' || field === 'mother_date_of_birth') && level !== undefined && level !== 'exact') {
      const days = Math.abs(dayNumber(va!) - dayNumber(vb!));
      if (days === days) entry.note = `days_apart:${days}`;
    }
    if (setAside && level !== undefined && !ownFields.has(field) && !(setAside === 'another_child' && field === 'child_date_of_birth')) {
      entry.weight = 0;
      entry.note = setAside;
    }
    return entry;
  });
  return { score, band: bandOf(score, settings), fields };
}
