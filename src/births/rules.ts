import { AppError } from '../core/errors.ts';
import type { PackSettings } from '../places/pack.ts';
import type { Declaration, LegalPath, Parent } from './declaration.ts';
import { checkIin, type IinRules, parseIinRules } from './iin.ts';

/** The pack's birth rules, parsed once: evidence per path, periods, IIN, citizenship at birth. */
export interface BirthRules {
  iin: IinRules;
  declarationWorkingDays: number;
  lateWithinDays: number;
  /** Per path, and per late/delayed timeliness: lists of document types, one of each list required. */
  evidence: Record<LegalPath, string[][]>;
  timelinessEvidence: { late: string[][]; delayed: string[][] };
  motherAge: { min: number; max: number };
  citizenship: CitizenshipRules;
  /** The reminder sent to a mother whose notified birth is overdue, in the pack's languages. */
  reminder: Names;
}

export type Names = { kk: string; ru: string; en: string };
export type CitizenshipResult = 'citizen' | 'not_citizen' | 'undetermined';
export interface CitizenshipRule {
  when: Partial<CitizenshipFacts>;
  result: CitizenshipResult;
  reason: Names;
}
export interface CitizenshipRules {
  country: string;
  rules: CitizenshipRule[];
  otherwise: { result: CitizenshipResult; reason: Names };
}

function packError(field: string): AppError {
  return new AppError('validation_failed', `pack.json ${field} is missing or malformed`, { field: `pack.json: ${field}` });
}

export function parseBirthRules(settings: PackSettings): BirthRules {
  const reg = settings.birthRegistration as
    | {
        paths?: Record<string, { documents?: string[][] }>;
        timeliness?: Record<string, { documents?: string[][] }>;
        motherAgeAtBirth?: { min: number; max: number };
        reminder?: Names;
      }
    | undefined;
  if (!reg?.paths) throw packError('birthRegistration.paths');
  const evidence = {} as Record<LegalPath, string[][]>;
  for (const path of ['facility_birth', 'home_birth', 'mother_without_documents', 'foreign_or_stateless_parents', 'foundling'] as const) {
    const documents = reg.paths[path]?.documents;
    if (!isEvidence(documents)) throw packError(`birthRegistration.paths.${path}.documents (a list of lists of document types)`);
    evidence[path] = documents;
  }
  const citizenship = settings.citizenshipAtBirth as CitizenshipRules | undefined;
  if (!citizenship || !Array.isArray(citizenship.rules) || !citizenship.otherwise) throw packError('citizenshipAtBirth');
  const results = ['citizen', 'not_citizen', 'undetermined'];
  const named = (reason: unknown) => ['kk', 'ru', 'en'].every((lang) => typeof (reason as Record<string, unknown> | undefined)?.[lang] === 'string');
  citizenship.rules.forEach((rule, i) => {
    const unknown = Object.keys(rule.when ?? {}).filter((key) => !citizenshipFactNames.includes(key as keyof CitizenshipFacts));
    if (!rule.when || unknown.length) throw packError(`citizenshipAtBirth.rules[${i}].when${unknown.length ? ` (unknown: ${unknown.join(', ')}; known: ${citizenshipFactNames.join(', ')})` : ''}`);
    if (!results.includes(rule.result)) throw packError(`citizenshipAtBirth.rules[${i}].result (one of ${results.join(', ')})`);
    if (!named(rule.reason)) throw packError(`citizenshipAtBirth.rules[${i}].reason (kk, ru and en)`);
  });
  if (!results.includes(citizenship.otherwise.result) || !named(citizenship.otherwise.reason)) throw packError('citizenshipAtBirth.otherwise');
  if (!reg.motherAgeAtBirth) throw packError('birthRegistration.motherAgeAtBirth');
  if (!reg.reminder?.kk || !reg.reminder.ru || !reg.reminder.en) throw packError('birthRegistration.reminder');
  return {
    iin: parseIinRules(settings.identityNumber),
    declarationWorkingDays: settings.periods.birthDeclarationWorkingDays,
    lateWithinDays: settings.periods.timeliness.lateWithinDays,
    evidence,
    timelinessEvidence: { late: reg.timeliness?.late?.documents ?? [], delayed: reg.timeliness?.delayed?.documents ?? [] },
    motherAge: reg.motherAgeAtBirth,
    citizenship,
    reminder: reg.reminder,
  };
}

function isEvidence(value: unknown): value is string[][] {
  return Array.isArray(value) && value.every((anyOf) => Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every((type) => typeof type === 'string'));
}

export type Timeliness = 'current' | 'late' | 'delayed';

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Working days (Monday–Friday) after `from` up to and including `to`. Public holidays are not yet pack data. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`) + 86_400_000; t <= end; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) count++;
  }
  return count;
}

/** current = within the legal declaration period; late = within lateWithinDays of the birth; delayed = later. */
export function timelinessOf(dateOfBirth: string, declaredOn: string, rules: Pick<BirthRules, 'declarationWorkingDays' | 'lateWithinDays'>): Timeliness {
  if (workingDaysBetween(dateOfBirth, declaredOn) <= rules.declarationWorkingDays) return 'current';
  return days(dateOfBirth, declaredOn) <= rules.lateWithinDays ? 'late' : 'delayed';
}

/** The documents still missing: for each requirement not met, the types of which one would do. */
export function missingDocuments(declaration: Declaration, timeliness: Timeliness, rules: BirthRules): string[][] {
  const presented = new Set(declaration.documents.map((d) => d.type));
  const needed = [...rules.evidence[declaration.path], ...(timeliness === 'current' ? [] : rules.timelinessEvidence[timeliness])];
  return needed.filter((anyOf) => !anyOf.some((type) => presented.has(type)));
}

const citizenshipFactNames: (keyof CitizenshipFacts)[] = [
  'foundling',
  'citizenParents',
  'otherParent',
  'bornInCountry',
  'allParentsStateless',
  'parentsPermanentResidents',
  'citizenParentResident',
  'allParentsForeign',
];

export interface CitizenshipFacts {
  foundling: boolean;
  citizenParents: number;
  otherParent: 'stateless' | 'foreign' | 'unknown' | 'none';
  bornInCountry: boolean;
  allParentsStateless: boolean;
  parentsPermanentResidents: boolean;
  citizenParentResident: boolean;
  allParentsForeign: boolean;
}

/** The facts the citizenship rules look at, read off a declaration. */
export function citizenshipFacts(declaration: Declaration, country: string): CitizenshipFacts {
  const parents = [declaration.mother, declaration.father].filter((p): p is Parent => p !== undefined);
  const isCitizen = (p: Parent) => p.citizenship === country || p.legalStatus === 'citizen';
  const citizens = parents.filter(isCitizen);
  const others = parents.filter((p) => !isCitizen(p));
  const kindOf = (p: Parent) => (p.citizenship === 'stateless' ? 'stateless' : p.citizenship === 'unknown' ? 'unknown' : 'foreign');
  const resident = (p: Parent) => p.legalStatus === 'citizen' || p.legalStatus === 'permanent_resident' || p.residence?.kato !== undefined;
  return {
    foundling: declaration.path === 'foundling',
    citizenParents: citizens.length,
    otherParent: others.length === 0 ? 'none' : kindOf(others[0]!),
    bornInCountry: !declaration.child.placeOfBirth.country || declaration.child.placeOfBirth.country === country,
    allParentsStateless: parents.length > 0 && parents.every((p) => p.citizenship === 'stateless'),
    parentsPermanentResidents: parents.length > 0 && parents.every((p) => p.legalStatus === 'permanent_resident'),
    citizenParentResident: citizens.some(resident),
    allParentsForeign: parents.length > 0 && parents.every((p) => kindOf(p) === 'foreign' && !isCitizen(p)),
  };
}

export interface CitizenshipAtBirth {
  result: CitizenshipResult;
  reason: Names;
  /** True when the result leaves the child without a nationality anyone has confirmed. */
  atRiskOfStatelessness: boolean;
}

/** The child's citizenship at birth: the first pack rule whose conditions all hold. */
export function citizenshipAtBirth(declaration: Declaration, rules: CitizenshipRules): CitizenshipAtBirth {
  const facts = citizenshipFacts(declaration, rules.country);
  const rule = rules.rules.find((r) => Object.entries(r.when).every(([key, value]) => facts[key as keyof CitizenshipFacts] === value)) ?? rules.otherwise;
  return { result: rule.result, reason: rule.reason, atRiskOfStatelessness: rule.result === 'undetermined' };
}

function ageOn(dateOfBirth: string, on: string): number {
  const [y1, m1, d1] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = on.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

function isCalendarDate(value: string): boolean {
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/**
 * The facts of a declaration that can be checked without the database. Throws the first problem
 * as a 400 naming the field; returns the warnings (an IIN whose digits disagree with the person).
 */
export function checkDeclaration(declaration: Declaration, today: string, rules: BirthRules): string[] {
  const fail = (field: string, message: string, hint?: string): never => {
    throw new AppError('validation_failed', message, { field, hint });
  };
  const warnings: string[] = [];
  const { child } = declaration;
  if (!isCalendarDate(child.dateOfBirth)) fail('child.dateOfBirth', `${child.dateOfBirth} is not a calendar date`);
  if (child.dateOfBirth > today) fail('child.dateOfBirth', 'the date of birth is in the future', 'check the date');
  if (child.birthOrder > child.plurality) fail('child.birthOrder', `birth order ${child.birthOrder} is more than the plurality ${child.plurality}`, 'for twins, plurality is 2 and birth order 1 or 2');
  if (child.placeOfBirth.type === 'facility' && !child.placeOfBirth.facilityId) fail('child.placeOfBirth.facilityId', 'a birth in a health facility names the facility');
  if (child.placeOfBirth.type === 'other' && !child.placeOfBirth.kato && !child.placeOfBirth.country) fail('child.placeOfBirth.kato', 'give the place code (KATO) of the place of birth');
  if (child.nameForm === 'kazakh_suffix' && child.patronymic) fail('child.patronymic', 'with the -ұлы / -қызы form no patronymic is recorded', 'leave the patronymic empty');
  if (declaration.path === 'foundling') {
    if (declaration.mother || declaration.father) fail('path', 'a foundling has no known parent; choose another path if a parent is known');
  } else if (!declaration.mother) {
    fail('mother', 'give what is known of the mother: her citizenship and status may be "unknown", and no document is needed');
  }
  for (const role of ['mother', 'father'] as const) {
    const parent = declaration[role];
    if (!parent) continue;
    if (parent.dateOfBirth && !isCalendarDate(parent.dateOfBirth)) fail(`${role}.dateOfBirth`, `${parent.dateOfBirth} is not a calendar date`);
    if (parent.iin !== undefined) {
      const check = checkIin(parent.iin, rules.iin, { dateOfBirth: parent.dateOfBirth });
      if (!check.valid) fail(`${role}.iin`, `not a valid IIN: ${check.problems[0]!.message}`, 'correct it, or leave it out: no parent IIN is required');
      warnings.push(...check.warnings.map((w) => `${role}.iin: ${w.message}`));
    }
  }
  const mother = declaration.mother;
  if (mother) {
    const age = mother.dateOfBirth ? ageOn(mother.dateOfBirth, child.dateOfBirth) : mother.age;
    if (age !== undefined && (age < rules.motherAge.min || age > rules.motherAge.max)) {
      fail('mother.dateOfBirth', `the mother would have been ${age} at the birth; the register accepts ${rules.motherAge.min}–${rules.motherAge.max}`, "check the mother's and the child's dates of birth");
    }
  }
  return warnings;
}
