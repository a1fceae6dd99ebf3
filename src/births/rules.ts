import { type Static, Type } from 'typebox';
import { isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import type { PackSettings } from '../places/pack.ts';
import type { Declaration, LegalPath, Parent } from './declaration.ts';
import { checkIin, type IinRules, parseIinRules } from './iin.ts';
import { parseWorkingCalendar, type WorkingCalendar, workingDaysBetween } from './working-days.ts';

/** The pack's birth rules, parsed once: evidence per path, periods, IIN, citizenship at birth. */
export interface BirthRules {
  iin: IinRules;
  declarationWorkingDays: number;
  lateWithinDays: number;
  /** Weekends, public holidays and moved days off: what a working day is. */
  calendar: WorkingCalendar;
  /** Every supporting document type the pack knows; an upload of another type is refused. */
  documentTypes: string[];
  /** What each document type is called, in the pack's languages (the app names what it asks for). */
  documentNames: Record<string, Names>;
  /** Timeliness categories whose registration needs a registrar's recorded approval first. */
  approvalNeeded: Timeliness[];
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
        documentTypes?: unknown;
        documentNames?: Record<string, unknown>;
        paths?: Record<string, { documents?: string[][] }>;
        timeliness?: Record<string, { documents?: string[][]; registrarApproval?: boolean }>;
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
  const documentTypes = reg.documentTypes;
  if (!Array.isArray(documentTypes) || !documentTypes.every((t) => typeof t === 'string' && /^[a-z][a-z0-9_]{1,59}$/.test(t))) {
    throw packError('birthRegistration.documentTypes (a list of lower_snake_case document types)');
  }
  const unnamed = (documentTypes as string[]).filter((type) => !named(reg.documentNames?.[type]));
  if (unnamed.length) throw packError(`birthRegistration.documentNames (kk, ru and en for ${unnamed.join(', ')})`);
  const timelinessEvidence = { late: reg.timeliness?.late?.documents ?? [], delayed: reg.timeliness?.delayed?.documents ?? [] };
  for (const [where, lists] of [...Object.entries(evidence).map(([path, lists]) => [`paths.${path}`, lists] as const), ...Object.entries(timelinessEvidence).map(([t, lists]) => [`timeliness.${t}`, lists] as const)]) {
    const unknown = lists.flat().filter((type) => !documentTypes.includes(type));
    if (unknown.length) throw packError(`birthRegistration.${where}.documents (${unknown.join(', ')} not in birthRegistration.documentTypes)`);
  }
  return {
    iin: parseIinRules(settings.identityNumber),
    declarationWorkingDays: settings.periods.birthDeclarationWorkingDays,
    lateWithinDays: settings.periods.timeliness.lateWithinDays,
    calendar: parseWorkingCalendar(settings.publicHolidays),
    documentTypes: documentTypes as string[],
    documentNames: Object.fromEntries((documentTypes as string[]).map((type) => [type, reg.documentNames![type] as Names])),
    approvalNeeded: (['late', 'delayed'] as const).filter((t) => reg.timeliness?.[t]?.registrarApproval === true),
    evidence,
    timelinessEvidence,
    motherAge: reg.motherAgeAtBirth,
    citizenship,
    reminder: reg.reminder,
  };
}

function isEvidence(value: unknown): value is string[][] {
  return Array.isArray(value) && value.every((anyOf) => Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every((type) => typeof type === 'string'));
}

export type Timeliness = 'current' | 'late' | 'delayed';

/** Whole days from one calendar date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export { isWorkingDay, workingDaysBetween } from './working-days.ts';

/**
 * current = within the legal declaration period (working days: weekends, public holidays and
 * moved days off do not count); late = within lateWithinDays of the birth; delayed = later.
 */
export function timelinessOf(dateOfBirth: string, declaredOn: string, rules: Pick<BirthRules, 'declarationWorkingDays' | 'lateWithinDays' | 'calendar'>): Timeliness {
  if (workingDaysBetween(dateOfBirth, declaredOn, rules.calendar, rules.declarationWorkingDays) <= rules.declarationWorkingDays) return 'current';
  return daysBetween(dateOfBirth, declaredOn) <= rules.lateWithinDays ? 'late' : 'delayed';
}

/**
 * The documents still missing: for each requirement not met, the types of which one would do.
 * Only documents `held` count (uploaded, or originals someone recorded seeing): a type merely
 * listed in the declaration does not.
 */
export function missingDocuments(declaration: Declaration, timeliness: Timeliness, rules: BirthRules, held: readonly string[]): string[][] {
  const presented = new Set(held);
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

/**
 * A parent fact that is implausible or cannot be checked (a mistyped IIN, an age outside the
 * pack's range, a parent born after the child). It never refuses a child: the fact is kept as
 * sent, and the registrar confirms it before registering. `field` is the field that was sent.
 */
/** A parent fact kept as sent but not verified, as notifications and declarations record it. */
export const UnverifiedFact = Type.Object({
  field: Type.String({ minLength: 1, maxLength: 60 }),
  code: Type.Union([
    Type.Literal('iin_invalid'),
    Type.Literal('iin_date'),
    Type.Literal('iin_date_mismatch'),
    Type.Literal('iin_sex_mismatch'),
    Type.Literal('age_out_of_range'),
    Type.Literal('born_after_child'),
  ]),
  message: Type.String({ maxLength: 500 }),
});
export type UnverifiedFact = Static<typeof UnverifiedFact>;

type ParentFacts = Pick<Parent, 'dateOfBirth' | 'age' | 'iin'>;

/** The unverified facts about the parents of a child born on `childBorn` (pure). */
export function unverifiedParentFacts(parents: { mother?: Partial<ParentFacts>; father?: Partial<ParentFacts> }, childBorn: string, rules: Pick<BirthRules, 'iin' | 'motherAge'>): UnverifiedFact[] {
  const facts: UnverifiedFact[] = [];
  for (const role of ['mother', 'father'] as const) {
    const parent = parents[role];
    if (!parent) continue;
    if (parent.iin !== undefined) {
      const check = checkIin(parent.iin, rules.iin, { dateOfBirth: parent.dateOfBirth, sex: role === 'mother' ? 'female' : 'male' });
      if (!check.valid) facts.push({ field: `${role}.iin`, code: 'iin_invalid', message: `not a valid IIN: ${check.problems[0]!.message}` });
      for (const w of check.warnings) facts.push({ field: `${role}.iin`, code: `iin_${w.code}`, message: w.message });
    }
    if (parent.dateOfBirth !== undefined && parent.dateOfBirth >= childBorn) {
      facts.push({ field: `${role}.dateOfBirth`, code: 'born_after_child', message: `the ${role}'s date of birth ${parent.dateOfBirth} is not before the child's ${childBorn}` });
    }
  }
  const mother = parents.mother;
  if (mother) {
    const field = mother.dateOfBirth !== undefined ? 'mother.dateOfBirth' : 'mother.age';
    const age = mother.dateOfBirth !== undefined ? ageOn(mother.dateOfBirth, childBorn) : mother.age;
    if (age !== undefined && age >= 0 && (age < rules.motherAge.min || age > rules.motherAge.max)) {
      facts.push({ field, code: 'age_out_of_range', message: `the mother would have been ${age} at the birth; the usual range is ${rules.motherAge.min}–${rules.motherAge.max}` });
    }
  }
  return facts;
}

/**
 * The facts of a declaration that can be checked without the database. Throws the first problem
 * about the child or the path as a 400 naming the field; returns what is unverified about the
 * parents, which never refuses the declaration.
 */
export function checkDeclaration(declaration: Declaration, today: string, rules: BirthRules): UnverifiedFact[] {
  const fail = (field: string, message: string, hint?: string): never => {
    throw new AppError('validation_failed', message, { field, hint });
  };
  const { child } = declaration;
  if (!isIsoDate(child.dateOfBirth)) fail('child.dateOfBirth', `${child.dateOfBirth} is not a calendar date`, 'give the date as YYYY-MM-DD');
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
    const date = declaration[role]?.dateOfBirth;
    if (date !== undefined && !isIsoDate(date)) fail(`${role}.dateOfBirth`, `${date} is not a calendar date`, 'give the date as YYYY-MM-DD, or the age instead');
  }
  return unverifiedParentFacts(declaration, child.dateOfBirth, rules);
}
