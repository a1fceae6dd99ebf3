import { compareNames, dayNumber, type FieldName, type Level } from '../linkage/comparison.ts';
import { nameForms } from '../linkage/names.ts';
import { levelWeight, type LinkageModel } from '../linkage/scoring.ts';
import type { NameForms } from '../linkage/subject.ts';
import type { PersonFacts, PersonRole } from './people-index.ts';

/**
 * Family tracing's scoring (pure): how well one candidate — the people a protection case, another
 * tracing request or a birth record names — fits a tracing request: the sought person against each
 * of the candidate's people, then the one looking (the requester) against the person the relation
 * says they should be (the requester as the sought child's mother is the birth's or the case's
 * mother). Names are compared with record linkage's forms and levels (cross-script: Gulnara Aliyeva
 * = Гульнара Алиева; the gendered ending folds, so Aliyev is Aliyeva's son's surname too), weighted
 * by linkage's model (log2 m/u). Ages are date ranges (an approximate age of 9 is a range of birth
 * dates), weighed by how much of a childhood the range covers. Every compared field is explained.
 */

/** How the requester is related to the one sought. */
export const relations = ['mother', 'father', 'sibling', 'grandparent', 'aunt_uncle', 'other_relative', 'caregiver', 'child', 'other'] as const;
export type Relation = (typeof relations)[number];

/** A person as tracing compares them: names as written, a date of birth or a range, sex, a place. */
export interface TracedPerson {
  surname?: string;
  givenName?: string;
  patronymic?: string;
  sex?: 'male' | 'female';
  dateOfBirth?: string;
  bornFrom?: string;
  bornTo?: string;
  /** A KATO code or a place as stated. */
  place?: string;
}

export interface TracingQuery {
  sought: TracedPerson;
  requester: TracedPerson & { relation: Relation };
}

/** One person of a candidate, in the candidate's role (a case's child, a birth's mother…). */
export interface CandidatePerson extends TracedPerson {
  /** Index of the person within the subject (protection_people.person; for a birth: 1 child, 2 mother, 3 father). */
  person: number;
  role: PersonRole;
}

export type CandidateKind = 'case' | 'tracing' | 'birth';

export interface Candidate {
  kind: CandidateKind;
  subjectId: string;
  jurisdiction: string;
  people: CandidatePerson[];
}

export const tracingFields = [
  'sought_surname',
  'sought_given_name',
  'sought_patronymic',
  'sought_age',
  'sought_sex',
  'sought_place',
  'requester_surname',
  'requester_given_name',
  'requester_patronymic',
] as const;
export type TracingField = (typeof tracingFields)[number];

/** One field of the explanation: the level, its weight (bits), the values compared as written. */
export interface TracingFieldScore {
  field: TracingField;
  level: Level | 'missing';
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}

export type TracingBand = 'likely' | 'possible';

export interface TracingMatch {
  kind: CandidateKind;
  subjectId: string;
  jurisdiction: string;
  score: number;
  band: TracingBand;
  /** The candidate's person taken for the one sought, and for the requester (null: nobody fitting the relation). */
  sought: CandidatePerson;
  requester: CandidatePerson | null;
  fields: TracingFieldScore[];
}

/**
 * Bands. A request names few fields, so a tracing score is lower than a duplicate's: both names of
 * the sought person as transliterations score about 10.7 bits; add a fitting age (+2 to +3) and the
 * requester's two names (+10) and a real family scores 20 or more. Below `possible` (one name and an
 * age, at best) a candidate is not shown: a common surname alone would list thousands.
 */
export const tracingThresholds = { likely: 18, possible: 9 } as const;

/**
 * Ages. An unrelated person's date of birth falls in a range about as often as the range is wide
 * within the span of ages a tracing register holds (about 20 years of children and young people), so
 * u = width / span; m = 0.9 (ages are estimated: one in ten is off by more than the margin given).
 * Two exact dates use linkage's date levels and weights instead.
 */
export const ageSpanDays = Math.round(365.25 * 20);
export const ageM = 0.9;

/**
 * Places (last seen where, against where the candidate was recorded): families on the move are often
 * found far from where they were separated, so a different place weighs little against.
 */
const placeWeights: Record<'district' | 'region' | 'same_text' | 'different', { m: number; u: number }> = {
  district: { m: 0.4, u: 0.03 },
  region: { m: 0.6, u: 0.08 },
  same_text: { m: 0.4, u: 0.03 },
  different: { m: 0.4, u: 0.89 },
};

/** The linkage model's field whose weights a tracing field takes (names and sex), by the requester's relation where it matters. */
function modelField(field: TracingField, relation: Relation): FieldName {
  switch (field) {
    case 'sought_surname':
      return 'child_surname';
    case 'sought_given_name':
      return 'child_given_name';
    case 'sought_patronymic':
    case 'requester_patronymic':
      return 'child_patronymic';
    case 'requester_surname':
      return relation === 'father' ? 'father_surname' : 'mother_surname';
    case 'requester_given_name':
      return relation === 'father' ? 'father_given_name' : 'mother_given_name';
    default:
      return 'child_sex';
  }
}

const weightOf = (model: LinkageModel, field: FieldName, level: Level): number => {
  const mu = model.weights[field]?.[level];
  return mu ? levelWeight(mu.m, mu.u) : 0;
};

/** The range of birth dates an approximate age in years gives on `today` (± margin years): inclusive YYYY-MM-DD. */
export function birthRange(years: number, today: string, margin = 1): { bornFrom: string; bornTo: string } {
  const y = Number(today.slice(0, 4));
  const md = today.slice(4);
  const at = (year: number) => {
    const text = `${String(year).padStart(4, '0')}${md}`;
    // 29 February in a year without it: the day before.
    return Number.isNaN(dayNumber(text)) ? `${String(year).padStart(4, '0')}-02-28` : text;
  };
  // Aged `years + margin` at most: born after the day (years + margin + 1) years ago.
  const earliest = at(y - years - margin - 1);
  const from = new Date(Date.UTC(Number(earliest.slice(0, 4)), Number(earliest.slice(5, 7)) - 1, Number(earliest.slice(8, 10))) + 86_400_000).toISOString().slice(0, 10);
  return { bornFrom: from, bornTo: at(y - Math.max(0, years - margin)) };
}

/** A person's dates as a day-number range (NaN: unknown). */
function rangeOf(p: TracedPerson): [number, number] {
  if (p.dateOfBirth) {
    const d = dayNumber(p.dateOfBirth);
    return [d, d];
  }
  const from = p.bornFrom ? dayNumber(p.bornFrom) : NaN;
  const to = p.bornTo ? dayNumber(p.bornTo) : NaN;
  if (from !== from && to !== to) return [NaN, NaN];
  return [from === from ? from : to - ageSpanDays, to === to ? to : from + ageSpanDays];
}

const rangeText = (p: TracedPerson): string | null =>
  p.dateOfBirth ?? (p.bornFrom || p.bornTo ? `${p.bornFrom ?? '…'}/${p.bornTo ?? '…'}` : null);

/**
 * Two ages: both exact dates use linkage's levels (exact, near within the tolerance, different);
 * otherwise the ranges overlap ('within') or not ('different'), weighed by the wider range.
 */
export function compareAges(a: TracedPerson, b: TracedPerson, model: LinkageModel, toleranceDays: number): { level: Level; weight: number; note?: string } | undefined {
  const [af, at] = rangeOf(a);
  const [bf, bt] = rangeOf(b);
  if (af !== af || bf !== bf) return undefined;
  if (af === at && bf === bt) {
    const days = Math.abs(af - bf);
    const level = days === 0 ? 'exact' : days <= toleranceDays ? 'near' : 'different';
    return { level, weight: weightOf(model, 'child_date_of_birth', level), ...(days > 0 && { note: `days_apart:${days}` }) };
  }
  const width = Math.max(at - af, bt - bf) + 1;
  const u = Math.min(0.9, width / ageSpanDays);
  if (af <= bt && bf <= at) return { level: 'within', weight: levelWeight(ageM, u) };
  const gap = af > bt ? af - bt : bf - at;
  return { level: 'different', weight: levelWeight(1 - ageM, 1 - u), note: `days_apart:${gap}` };
}

const katoPattern = /^[0-9]{9}$/;
const placeFold = (s: string) => (nameForms(s)?.match ?? s.trim().toLowerCase());

/** Last seen where, against where the candidate was recorded: KATO codes by district (4 digits) and region (2), or the same place as stated. */
export function comparePlaces(a: string | undefined, b: string | undefined): { level: Level; weight: number } | undefined {
  if (!a?.trim() || !b?.trim()) return undefined;
  let level: keyof typeof placeWeights;
  if (katoPattern.test(a) && katoPattern.test(b)) level = a.slice(0, 4) === b.slice(0, 4) ? 'district' : a.slice(0, 2) === b.slice(0, 2) ? 'region' : 'different';
  else level = placeFold(a) === placeFold(b) ? 'same_text' : 'different';
  const { m, u } = placeWeights[level];
  return { level, weight: levelWeight(m, u) };
}

/**
 * The roles in which the candidate should name the requester, given the role in which it names the
 * one sought: the sought as a case's child with the requester their mother → the case's mother; the
 * sought as another request's requester → that request's sought (each looking for the other).
 */
export function requesterRoles(soughtRole: PersonRole, relation: Relation): PersonRole[] {
  if (soughtRole === 'requester') return ['sought'];
  if (soughtRole === 'sought') return ['requester'];
  if (soughtRole === 'child' || soughtRole === 'sibling') {
    if (relation === 'mother') return ['mother'];
    if (relation === 'father') return ['father'];
    if (relation === 'sibling') return soughtRole === 'child' ? ['sibling'] : ['child', 'sibling'];
    return ['relative', 'caregiver'];
  }
  if (soughtRole === 'mother' || soughtRole === 'father') return relation === 'child' ? ['child', 'sibling'] : relation === 'sibling' ? ['relative'] : ['relative', 'caregiver'];
  return ['relative', 'caregiver', 'mother', 'father'];
}

interface NamePart {
  field: TracingField;
  key: 'surname' | 'givenName' | 'patronymic';
}
const soughtNames: NamePart[] = [
  { field: 'sought_surname', key: 'surname' },
  { field: 'sought_given_name', key: 'givenName' },
  { field: 'sought_patronymic', key: 'patronymic' },
];
const requesterNames: NamePart[] = [
  { field: 'requester_surname', key: 'surname' },
  { field: 'requester_given_name', key: 'givenName' },
  { field: 'requester_patronymic', key: 'patronymic' },
];

/**
 * Names already worked out: a match compares each candidate person's names with the request's
 * once per reading of the candidate (every person may be the one sought, every other the requester),
 * and registers repeat their names, so forms are kept (bounded, first in first out, frozen).
 */
const formsCache = new Map<string, NameForms | null>();
const formsCacheLimit = 50_000;
function formsOf(written: string | undefined): NameForms | undefined {
  if (written === undefined) return undefined;
  const hit = formsCache.get(written);
  if (hit !== undefined) return hit ?? undefined;
  const forms = nameForms(written);
  if (written.length <= 200) {
    formsCache.set(written, forms ? Object.freeze(forms) : null);
    if (formsCache.size > formsCacheLimit) formsCache.delete(formsCache.keys().next().value!);
  }
  return forms;
}

function nameFields(parts: NamePart[], a: TracedPerson, b: TracedPerson | null, relation: Relation, model: LinkageModel): TracingFieldScore[] {
  return parts.map(({ field, key }) => {
    const fa = formsOf(a[key]);
    const fb = b ? formsOf(b[key]) : undefined;
    const entry: TracingFieldScore = { field, level: 'missing', weight: 0, a: fa?.written ?? null, b: fb?.written ?? null };
    if (fa && fb) {
      entry.level = compareNames(fa, fb);
      entry.weight = weightOf(model, modelField(field, relation), entry.level);
    }
    return entry;
  });
}

const missing = (field: TracingField, a: string | null, b: string | null): TracingFieldScore => ({ field, level: 'missing', weight: 0, a, b });

/** The sought person against one candidate person: names, age, sex, place. */
function soughtFields(q: TracingQuery, p: CandidatePerson, model: LinkageModel, toleranceDays: number): TracingFieldScore[] {
  const fields = nameFields(soughtNames, q.sought, p, q.requester.relation, model);
  const age = compareAges(q.sought, p, model, toleranceDays);
  fields.push(age ? { field: 'sought_age', level: age.level, weight: age.weight, a: rangeText(q.sought), b: rangeText(p), ...(age.note && { note: age.note }) } : missing('sought_age', rangeText(q.sought), rangeText(p)));
  const sex = q.sought.sex && p.sex ? (q.sought.sex === p.sex ? 'same' : 'different') : undefined;
  fields.push(sex ? { field: 'sought_sex', level: sex, weight: weightOf(model, 'child_sex', sex), a: q.sought.sex!, b: p.sex! } : missing('sought_sex', q.sought.sex ?? null, p.sex ?? null));
  const place = comparePlaces(q.sought.place, p.place);
  fields.push(place ? { field: 'sought_place', level: place.level, weight: place.weight, a: q.sought.place!, b: p.place! } : missing('sought_place', q.sought.place ?? null, p.place ?? null));
  return fields;
}

const sum = (fields: readonly TracingFieldScore[]) => fields.reduce((s, f) => s + f.weight, 0);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The best reading of a candidate: the person taken for the one sought (each tried), and the person
 * of a fitting role taken for the requester (the best of them, or nobody: then the requester's names
 * are missing, weight 0, not against). Undefined when the best score is below `possible`.
 */
export function scoreCandidate(q: TracingQuery, candidate: Candidate, model: LinkageModel, toleranceDays: number): TracingMatch | undefined {
  let best: TracingMatch | undefined;
  for (const person of candidate.people) {
    const sought = soughtFields(q, person, model, toleranceDays);
    // A person none of whose names agree at all is not the one sought, however the age fits.
    if (!sought.some((f) => f.field !== 'sought_age' && f.field !== 'sought_sex' && f.field !== 'sought_place' && f.level !== 'missing' && f.level !== 'different')) continue;
    const roles = requesterRoles(person.role, q.requester.relation);
    let requester: CandidatePerson | null = null;
    let requesterScores = nameFields(requesterNames, q.requester, null, q.requester.relation, model);
    for (const other of candidate.people) {
      if (other === person || !roles.includes(other.role)) continue;
      const fields = nameFields(requesterNames, q.requester, other, q.requester.relation, model);
      if (requester === null || sum(fields) > sum(requesterScores)) {
        requester = other;
        requesterScores = fields;
      }
    }
    const fields = [...sought, ...requesterScores].map((f) => ({ ...f, weight: round(f.weight) }));
    const score = round(sum(fields));
    if (!best || score > best.score) {
      best = { kind: candidate.kind, subjectId: candidate.subjectId, jurisdiction: candidate.jurisdiction, score, band: score >= tracingThresholds.likely ? 'likely' : 'possible', sought: person, requester, fields };
    }
  }
  return best && best.score >= tracingThresholds.possible ? best : undefined;
}

/** Every candidate scored, those above `possible` best first (ties: by kind, then id, so the order is stable). */
export function rankCandidates(q: TracingQuery, candidates: readonly Candidate[], model: LinkageModel, toleranceDays: number): TracingMatch[] {
  const kindOrder: Record<CandidateKind, number> = { case: 0, tracing: 1, birth: 2 };
  return candidates
    .map((c) => scoreCandidate(q, c, model, toleranceDays))
    .filter((m): m is TracingMatch => m !== undefined)
    .sort((a, b) => b.score - a.score || kindOrder[a.kind] - kindOrder[b.kind] || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0));
}

/** A PersonFacts of the people index as tracing compares it. */
export function tracedOf(facts: PersonFacts): TracedPerson {
  const p: TracedPerson = {};
  if (facts.surname) p.surname = facts.surname;
  if (facts.givenName) p.givenName = facts.givenName;
  if (facts.patronymic) p.patronymic = facts.patronymic;
  if (facts.sex) p.sex = facts.sex;
  if (facts.dateOfBirth) p.dateOfBirth = facts.dateOfBirth;
  if (facts.bornFrom) p.bornFrom = facts.bornFrom;
  if (facts.bornTo) p.bornTo = facts.bornTo;
  if (facts.lastSeenPlace) p.place = facts.lastSeenPlace;
  return p;
}
