import { jaroWinkler } from './jaro-winkler.ts';
import type { LinkageSettings } from './settings.ts';
import type { LinkageSubject, NameForms, PersonForms } from './subject.ts';

/**
 * Comparison: two subjects → one agreement level per field (Fellegi–Sunter's comparison vector).
 * A field missing on either side is left out of the vector, so it weighs nothing. Batch audit runs
 * this for millions of pairs: the hot path allocates only the vector itself (levels are the shared
 * string constants below, dates are parsed digit by digit, Jaro–Winkler reuses scratch arrays).
 */

export const fieldNames = [
  'child_surname',
  'child_given_name',
  'child_patronymic',
  'child_date_of_birth',
  'child_sex',
  'child_iin',
  'birth_order',
  'mother_surname',
  'mother_given_name',
  'mother_date_of_birth',
  'mother_iin',
  'father_surname',
  'father_given_name',
  'father_iin',
  'place',
] as const;
export type FieldName = (typeof fieldNames)[number];

/** An agreement level: one of the `fieldLevels` of its field. */
export type Level = string;

/** Absent = missing on either side (weight 0). */
export type ComparisonVector = Partial<Record<FieldName, Level>>;

/**
 * Name levels, best first; the first that holds is the level. exact: the `exact` forms are equal;
 * transliteration: the `match` forms are (another script, Kazakh letters typed as Russian ones,
 * gendered endings); phonetic: a Double Metaphone key in common; jw_high / jw_mid: Jaro–Winkler of
 * the match forms ≥ 0.92 / ≥ 0.85 (a typo); else different.
 */
export const nameLevels = ['exact', 'transliteration', 'phonetic', 'jw_high', 'jw_mid', 'different'] as const;
/** near: at most `dateToleranceDays` apart on the calendar. */
export const dateLevels = ['exact', 'near', 'different'] as const;
export const iinLevels = ['exact', 'different'] as const;
export const sameLevels = ['same', 'different'] as const;
/** facility: the same health facility; district: the same 4-digit KATO prefix; else different. */
export const placeLevels = ['facility', 'district', 'different'] as const;

/** Jaro–Winkler thresholds of the jw_high and jw_mid levels (the usual Splink ladder). */
export const jwHigh = 0.92;
export const jwMid = 0.85;

export const fieldLevels: Readonly<Record<FieldName, readonly Level[]>> = {
  child_surname: nameLevels,
  child_given_name: nameLevels,
  child_patronymic: nameLevels,
  child_date_of_birth: dateLevels,
  child_sex: sameLevels,
  child_iin: iinLevels,
  birth_order: sameLevels,
  mother_surname: nameLevels,
  mother_given_name: nameLevels,
  mother_date_of_birth: dateLevels,
  mother_iin: iinLevels,
  father_surname: nameLevels,
  father_given_name: nameLevels,
  father_iin: iinLevels,
  place: placeLevels,
};

/** Name levels by rank (5 = exact … 0 = different): the hot path compares ranks, not strings. */
const nameLevelByRank: readonly Level[] = ['different', 'jw_mid', 'jw_high', 'phonetic', 'transliteration', 'exact'];

function nameRank(a: NameForms, b: NameForms): number {
  if (a.exact === b.exact) return 5;
  const am = a.match;
  const bm = b.match;
  if (am !== '' && am === bm) return 4;
  const pa = a.phonetic;
  const pb = b.phonetic;
  for (let i = 0; i < pa.length; i++) {
    const key = pa[i]!;
    if (key === '') continue;
    for (let j = 0; j < pb.length; j++) if (pb[j] === key) return 3;
  }
  if (am === '' || bm === '') return 0;
  const jw = jaroWinkler(am, bm, jwMid);
  return jw >= jwHigh ? 2 : jw >= jwMid ? 1 : 0;
}

export function compareNames(a: NameForms, b: NameForms): Level {
  return nameLevelByRank[nameRank(a, b)]!;
}

/** A name is there when it has something in it (names.ts gives undefined for a blank one; this is belt and braces). */
const named = (n: NameForms | undefined): n is NameForms => n !== undefined && n.exact !== '';

const nameLevel = (a: NameForms | undefined, b: NameForms | undefined): Level | undefined =>
  named(a) && named(b) ? nameLevelByRank[nameRank(a, b)] : undefined;

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date, NaN when it is not a real calendar date (2023-02-29,
 * 2024-13-01, a typed "15.03.2024"). Digit by digit, without Date: it runs twice per date per pair.
 * Days-from-civil after H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
 */
export function dayNumber(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    year = year * 10 + d;
  }
  const m1 = text.charCodeAt(5) - 48;
  const m2 = text.charCodeAt(6) - 48;
  const d1 = text.charCodeAt(8) - 48;
  const d2 = text.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return NaN;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Two dates: exact, near (≤ tolerance days apart, across month and year ends and 29 February), or
 * different. A date that is not a real calendar date is compared as written: equal text is exact.
 */
export function compareDates(a: string, b: string, toleranceDays: number): Level {
  if (a === b) return 'exact';
  const da = dayNumber(a);
  const db = dayNumber(b);
  if (da !== da || db !== db) return 'different';
  return Math.abs(da - db) <= toleranceDays ? 'near' : 'different';
}

const present = (s: string | undefined): s is string => s !== undefined && s !== '';

const dateLevel = (a: string | undefined, b: string | undefined, tolerance: number): Level | undefined =>
  present(a) && present(b) ? compareDates(a, b, tolerance) : undefined;

const iinLevel = (a: string | undefined, b: string | undefined): Level | undefined =>
  present(a) && present(b) ? (a === b ? 'exact' : 'different') : undefined;

/**
 * How a person's surname and given name were compared, two bits per person in compareInto's result
 * (child: bits 0–1, mother: 2–3, father: 4–5): straight; crossed with the surname field holding a's
 * surname against b's given name (and the given field the other crossed pair); or crossed the
 * other way round.
 */
export const straightNames = 0;
export const crossedSurnameFirst = 1;
export const crossedGivenFirst = 2;
export const childShift = 0;
export const motherShift = 2;
export const fatherShift = 4;

/** The ranks compareSurnameGiven found (-1: missing): module scratch, so the hot path returns two numbers without an object. */
let surnameRank = -1;
let givenRank = -1;

/**
 * A person's surname and given name, straight or crossed (a clerk who put the given name in the
 * surname box, common when Kazakh and Russian forms disagree on the order). Crossed is kept when
 * both crossed pairs agree at least at jw_mid and their rank sum beats the straight one (a tie
 * stays straight): one crossed agreement alone is a coincidence (a surname that is also a given
 * name), not a swap. Which crossed pair is "the surname" depends on which record had the names in
 * the right boxes, which cannot be known, so the surname field takes the better of the two and the
 * given name the other: the same from either side. Sets surnameRank and givenRank; returns how.
 */
function compareSurnameGiven(a: PersonForms | undefined, b: PersonForms | undefined): number {
  const as = a?.surname;
  const ag = a?.givenName;
  const bs = b?.surname;
  const bg = b?.givenName;
  surnameRank = named(as) && named(bs) ? nameRank(as, bs) : -1;
  givenRank = named(ag) && named(bg) ? nameRank(ag, bg) : -1;
  if (surnameRank < 0 || givenRank < 0) return straightNames;
  const straight = surnameRank + givenRank;
  // With one name exact and the other at least transliteration-equal, crossing can at best tie
  // (an exact crossed name would make the straight pair the same strings): skip the work.
  if (straight >= 9) return straightNames;
  const first = nameRank(as!, bg!);
  if (first === 0 || first + 5 <= straight) return straightNames;
  const second = nameRank(ag!, bs!);
  if (second === 0 || first + second <= straight) return straightNames;
  if (first >= second) {
    surnameRank = first;
    givenRank = second;
    return crossedSurnameFirst;
  }
  surnameRank = second;
  givenRank = first;
  return crossedGivenFirst;
}

/**
 * Fills `out` with the comparison of a and b and returns how each person's names were compared
 * (two bits per person, see straightNames): scorePair uses it to explain, compareSubjects drops it.
 */
export function compareInto(a: LinkageSubject, b: LinkageSubject, settings: LinkageSettings, out: ComparisonVector): number {
  const tolerance = settings.dateToleranceDays;
  let crossing = 0;
  const ac = a.child;
  const bc = b.child;
  crossing |= compareSurnameGiven(ac, bc) << childShift;
  if (surnameRank >= 0) out.child_surname = nameLevelByRank[surnameRank];
  if (givenRank >= 0) out.child_given_name = nameLevelByRank[givenRank];
  const patronymic = nameLevel(ac.patronymic, bc.patronymic);
  if (patronymic !== undefined) out.child_patronymic = patronymic;
  const dob = dateLevel(ac.dateOfBirth, bc.dateOfBirth, tolerance);
  if (dob !== undefined) out.child_date_of_birth = dob;
  if (ac.sex !== undefined && bc.sex !== undefined) out.child_sex = ac.sex === bc.sex ? 'same' : 'different';
  const childIin = iinLevel(ac.iin, bc.iin);
  if (childIin !== undefined) out.child_iin = childIin;
  if (ac.birthOrder !== undefined && bc.birthOrder !== undefined) out.birth_order = ac.birthOrder === bc.birthOrder ? 'same' : 'different';

  const am = a.mother;
  const bm = b.mother;
  crossing |= compareSurnameGiven(am, bm) << motherShift;
  if (surnameRank >= 0) out.mother_surname = nameLevelByRank[surnameRank];
  if (givenRank >= 0) out.mother_given_name = nameLevelByRank[givenRank];
  const motherDob = dateLevel(am?.dateOfBirth, bm?.dateOfBirth, tolerance);
  if (motherDob !== undefined) out.mother_date_of_birth = motherDob;
  const motherIin = iinLevel(am?.iin, bm?.iin);
  if (motherIin !== undefined) out.mother_iin = motherIin;

  const af = a.father;
  const bf = b.father;
  crossing |= compareSurnameGiven(af, bf) << fatherShift;
  if (surnameRank >= 0) out.father_surname = nameLevelByRank[surnameRank];
  if (givenRank >= 0) out.father_given_name = nameLevelByRank[givenRank];
  const fatherIin = iinLevel(af?.iin, bf?.iin);
  if (fatherIin !== undefined) out.father_iin = fatherIin;

  const place = placeLevel(a, b);
  if (place !== undefined) out.place = place;
  return crossing;
}

function placeLevel(a: LinkageSubject, b: LinkageSubject): Level | undefined {
  if (present(a.facilityId) && a.facilityId === b.facilityId) return 'facility';
  const ka = a.placeKato;
  const kb = b.placeKato;
  if (typeof ka !== 'string' || typeof kb !== 'string' || ka.length < 4 || kb.length < 4) return undefined;
  for (let i = 0; i < 4; i++) if (ka.charCodeAt(i) !== kb.charCodeAt(i)) return 'different';
  return 'district';
}

export function compareSubjects(a: LinkageSubject, b: LinkageSubject, settings: LinkageSettings): ComparisonVector {
  const out: ComparisonVector = {};
  compareInto(a, b, settings, out);
  return out;
}
