import type { Declaration, LegalPath, Notification, Parent } from '../../../../../src/births/declaration.ts';

/**
 * The guided declaration without the screen: which questions decide the legal path, which steps
 * and fields that path asks for, what is still required, and the Declaration body the API takes.
 * Everything here is pure so that it is tested without a browser.
 */

export type BornWhere = 'facility' | 'elsewhere' | 'abroad';
export type ParentsStatus = 'citizens' | 'foreigners' | 'stateless' | 'unknown';

export interface PathAnswers {
  foundling?: boolean;
  bornWhere?: BornWhere;
  motherHasDocuments?: boolean;
  parentsStatus?: ParentsStatus;
}

export type Question = keyof PathAnswers;

/** The country whose register this is: its citizens are "citizens" in the questions. */
export const homeCountry = 'KZ';

/** The questions to ask, in order: a foundling has no known parent, so nothing about parents is asked. */
export function questionsFor(answers: PathAnswers): Question[] {
  if (answers.foundling !== false) return ['foundling'];
  return ['foundling', 'bornWhere', 'motherHasDocuments', 'parentsStatus'];
}

/**
 * The legal path the answers lead to, or undefined while a question is open. The most protective
 * path wins: a foundling first, then a mother without documents (her identity is taken as she
 * states it), then parents who are not citizens, then where the child was born. A child of citizens
 * born abroad follows the facility path: the foreign hospital's medical certificate is its evidence.
 */
export function pathOf(answers: PathAnswers): LegalPath | undefined {
  if (answers.foundling === true) return 'foundling';
  if (questionsFor(answers).some((q) => answers[q] === undefined)) return undefined;
  if (answers.motherHasDocuments === false) return 'mother_without_documents';
  if (answers.parentsStatus !== 'citizens') return 'foreign_or_stateless_parents';
  return answers.bornWhere === 'elsewhere' ? 'home_birth' : 'facility_birth';
}

export type Step = 'path' | 'child' | 'mother' | 'family' | 'documents' | 'review';

/** The steps of the form: a foundling has no mother step, a correction carries no uploads. */
export function stepsFor(path: LegalPath | undefined, mode: FormMode): Step[] {
  if (!path) return ['path'];
  return ['path', 'child', ...(path === 'foundling' ? [] : (['mother'] as const)), 'family', ...(mode === 'correct' ? [] : (['documents'] as const)), 'review'];
}

export type FormMode = 'new' | 'declare' | 'correct';

export interface ParentForm {
  surname: string;
  givenName: string;
  patronymic: string;
  dateOfBirth: string;
  age: string;
  iin: string;
  /** ISO country code, "stateless" or "unknown". */
  citizenship: string;
  /** Empty until the answers or the user set it. */
  legalStatus: '' | Parent['legalStatus'];
  documentType: string;
  documentNumber: string;
  residenceKato: string;
  residenceAddress: string;
}

export interface DeclarationForm {
  answers: PathAnswers;
  child: {
    surname: string;
    givenName: string;
    patronymic: string;
    nameForm: '' | 'patronymic' | 'kazakh_suffix' | 'none';
    sex: '' | 'male' | 'female';
    dateOfBirth: string;
    timeOfBirth: string;
    plurality: string;
    birthOrder: string;
    weightGrams: string;
    facilityId: string;
    /** The place of birth, the place a foundling was found, or for a birth abroad the place of residence here. */
    kato: string;
    address: string;
    /** The country of a birth abroad. */
    country: string;
  };
  mother: ParentForm;
  fatherKnown: boolean;
  father: ParentForm;
  maritalStatus: '' | Declaration['maritalStatus'];
  parentage: '' | Declaration['parentage'];
  informant: { relation: '' | Declaration['informant']['relation']; name: string };
  attendant: '' | NonNullable<Declaration['attendant']>;
  /** Documents already listed (a declaration being updated or corrected keeps them). */
  documents: Declaration['documents'];
}

export function emptyParent(): ParentForm {
  return {
    surname: '',
    givenName: '',
    patronymic: '',
    dateOfBirth: '',
    age: '',
    iin: '',
    citizenship: '',
    legalStatus: '',
    documentType: '',
    documentNumber: '',
    residenceKato: '',
    residenceAddress: '',
  };
}

export function emptyForm(): DeclarationForm {
  return {
    answers: {},
    child: {
      surname: '',
      givenName: '',
      patronymic: '',
      nameForm: '',
      sex: '',
      dateOfBirth: '',
      timeOfBirth: '',
      plurality: '1',
      birthOrder: '1',
      weightGrams: '',
      facilityId: '',
      kato: '',
      address: '',
      country: '',
    },
    mother: emptyParent(),
    fatherKnown: false,
    father: emptyParent(),
    maritalStatus: '',
    parentage: '',
    informant: { relation: '', name: '' },
    attendant: '',
    documents: [],
  };
}

/** The statuses a parent may have given the parents' status answer (the first is the default). */
export function legalStatusesFor(status: ParentsStatus | undefined, hasDocuments: boolean | undefined): Parent['legalStatus'][] {
  switch (status) {
    case 'citizens':
      return ['citizen'];
    case 'foreigners':
      return ['temporary_resident', 'permanent_resident', 'refugee_or_asylum_seeker', 'undocumented', 'unknown'];
    case 'stateless':
      return ['stateless', 'permanent_resident', 'temporary_resident', 'refugee_or_asylum_seeker', 'undocumented'];
    default:
      return hasDocuments === false ? ['undocumented', 'unknown'] : ['unknown', 'undocumented'];
  }
}

/**
 * A parent's citizenship and status as the answers imply them, set again whenever an answer changes
 * (the questions come before the parents' step); a foreign country already chosen is kept.
 */
export function parentStatusDefaults(answers: PathAnswers, current: ParentForm): Pick<ParentForm, 'citizenship' | 'legalStatus'> {
  const legalStatus = legalStatusesFor(answers.parentsStatus, answers.motherHasDocuments)[0]!;
  switch (answers.parentsStatus) {
    case 'citizens':
      return { citizenship: homeCountry, legalStatus };
    case 'stateless':
      return { citizenship: 'stateless', legalStatus };
    case 'unknown':
      return { citizenship: 'unknown', legalStatus };
    default:
      return { citizenship: /^[A-Z]{2}$/.test(current.citizenship) && current.citizenship !== homeCountry ? current.citizenship : '', legalStatus };
  }
}

/** The form after an answer changed: the parents' citizenship follows the answers. */
export function answer(form: DeclarationForm, change: PathAnswers): DeclarationForm {
  const answers = { ...form.answers, ...change };
  if (answers.foundling) return { ...form, answers: { foundling: true } };
  return {
    ...form,
    answers,
    mother: { ...form.mother, ...parentStatusDefaults(answers, form.mother) },
    father: { ...form.father, ...parentStatusDefaults(answers, form.father) },
  };
}

/** A field path of the Declaration (child.dateOfBirth), as the server names it in a refusal. */
export type FieldPath = string;

/** What must be filled before leaving a step; everything else is optional, as the law has it. */
export function requiredMissing(form: DeclarationForm, step: Step): FieldPath[] {
  const path = pathOf(form.answers);
  const missing: FieldPath[] = [];
  const need = (value: string, field: FieldPath) => {
    if (!value.trim()) missing.push(field);
  };
  if (step === 'path') {
    for (const q of questionsFor(form.answers)) if (form.answers[q] === undefined) missing.push(`answers.${q}`);
  }
  if (step === 'child') {
    const c = form.child;
    need(c.sex, 'child.sex');
    need(c.dateOfBirth, 'child.dateOfBirth');
    if (path !== 'foundling' && form.answers.bornWhere === 'facility') need(c.facilityId, 'child.placeOfBirth.facilityId');
    else need(c.kato, 'child.placeOfBirth.kato');
    if (form.answers.bornWhere === 'abroad' && path !== 'foundling') need(c.country, 'child.placeOfBirth.country');
  }
  if (step === 'mother' && path !== 'foundling') {
    if (form.answers.parentsStatus === 'foreigners') need(form.mother.citizenship, 'mother.citizenship');
  }
  if (step === 'family') {
    if (path !== 'foundling') {
      need(form.maritalStatus, 'maritalStatus');
      need(form.parentage, 'parentage');
      if (form.fatherKnown && form.answers.parentsStatus === 'foreigners') need(form.father.citizenship, 'father.citizenship');
    }
    need(form.informant.relation, 'informant.relation');
  }
  return missing;
}

/** Every required field of every step, for the review. */
export function allRequiredMissing(form: DeclarationForm, mode: FormMode): FieldPath[] {
  return stepsFor(pathOf(form.answers), mode).flatMap((step) => requiredMissing(form, step));
}

const text = (value: string): string | undefined => value.trim() || undefined;
const integer = (value: string): number | undefined => (/^\s*\d+\s*$/.test(value) ? Number(value) : undefined);

function parentBody(p: ParentForm, declared: boolean): Parent {
  const residence = { kato: text(p.residenceKato), address: text(p.residenceAddress) };
  const document = text(p.documentType) && text(p.documentNumber) ? { type: text(p.documentType)!, number: text(p.documentNumber)! } : undefined;
  return dropUndefined({
    surname: text(p.surname),
    givenName: text(p.givenName),
    patronymic: text(p.patronymic),
    dateOfBirth: text(p.dateOfBirth),
    age: text(p.dateOfBirth) ? undefined : integer(p.age),
    iin: text(p.iin),
    citizenship: text(p.citizenship) ?? 'unknown',
    legalStatus: p.legalStatus || 'unknown',
    document: declared ? undefined : document,
    identityDeclared: declared ? true : undefined,
    residence: residence.kato || residence.address ? dropUndefined(residence) : undefined,
  }) as Parent;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The Declaration the API takes, built from the form; `documents` are the types of the files added in it. */
export function buildDeclaration(form: DeclarationForm, addedDocuments: string[] = []): Declaration {
  const path = pathOf(form.answers);
  if (!path) throw new Error('the legal path is not decided yet');
  const c = form.child;
  const foundling = path === 'foundling';
  const bornWhere = foundling ? 'elsewhere' : form.answers.bornWhere;
  const placeOfBirth: Declaration['child']['placeOfBirth'] =
    bornWhere === 'facility'
      ? { type: 'facility', facilityId: text(c.facilityId) }
      : dropUndefined({ type: 'other' as const, kato: text(c.kato), address: text(c.address), country: bornWhere === 'abroad' ? text(c.country) : undefined });
  const child = dropUndefined({
    surname: text(c.surname),
    givenName: text(c.givenName),
    patronymic: c.nameForm === 'kazakh_suffix' ? undefined : text(c.patronymic),
    nameForm: c.nameForm || undefined,
    sex: c.sex as 'male' | 'female',
    dateOfBirth: c.dateOfBirth,
    timeOfBirth: text(c.timeOfBirth),
    placeOfBirth: dropUndefined(placeOfBirth),
    plurality: integer(c.plurality) ?? 1,
    birthOrder: integer(c.birthOrder) ?? 1,
    weightGrams: integer(c.weightGrams),
  }) as Declaration['child'];
  const documents = [...form.documents, ...addedDocuments.filter((type) => !form.documents.some((d) => d.type === type)).map((type) => ({ type }))];
  if (foundling) {
    return {
      path,
      child,
      maritalStatus: 'unknown',
      parentage: 'not_established',
      informant: dropUndefined({ relation: form.informant.relation || 'guardianship_authority', name: text(form.informant.name) }) as Declaration['informant'],
      // Not asked for a foundling, but kept when a stored declaration has it: a correction changes only what was changed.
      ...(form.attendant && { attendant: form.attendant }),
      documents,
    };
  }
  return dropUndefined({
    path,
    child,
    mother: parentBody(form.mother, path === 'mother_without_documents'),
    father: form.fatherKnown ? parentBody(form.father, false) : undefined,
    maritalStatus: form.maritalStatus || 'unknown',
    parentage: form.parentage || 'not_established',
    informant: dropUndefined({ relation: form.informant.relation || 'mother', name: text(form.informant.name) }) as Declaration['informant'],
    attendant: form.attendant || undefined,
    documents,
  }) as Declaration;
}

function parentForm(p: Partial<Parent> | undefined): ParentForm {
  if (!p) return emptyParent();
  return {
    surname: p.surname ?? '',
    givenName: p.givenName ?? '',
    patronymic: p.patronymic ?? '',
    dateOfBirth: p.dateOfBirth ?? '',
    age: p.age === undefined ? '' : String(p.age),
    iin: p.iin ?? '',
    citizenship: p.citizenship ?? '',
    legalStatus: p.legalStatus ?? '',
    documentType: p.document?.type ?? '',
    documentNumber: p.document?.number ?? '',
    residenceKato: p.residence?.kato ?? '',
    residenceAddress: p.residence?.address ?? '',
  };
}

function statusOf(p: Partial<Parent> | undefined): ParentsStatus {
  if (!p) return 'unknown';
  if (p.citizenship === homeCountry || p.legalStatus === 'citizen') return 'citizens';
  if (p.citizenship === 'stateless') return 'stateless';
  if (p.citizenship === 'unknown' || p.citizenship === undefined) return 'unknown';
  return 'foreigners';
}

/** The answers a stored declaration gives, chosen so that they lead back to its own path. */
export function answersOf(d: Declaration): PathAnswers {
  if (d.path === 'foundling') return { foundling: true };
  const place = d.child.placeOfBirth;
  const bornWhere: BornWhere = place.type === 'facility' ? 'facility' : place.country && place.country !== homeCountry ? 'abroad' : 'elsewhere';
  const citizens = d.path === 'facility_birth' || d.path === 'home_birth';
  let parentsStatus = citizens ? 'citizens' : statusOf(d.mother);
  if (d.path === 'foreign_or_stateless_parents' && parentsStatus === 'citizens') parentsStatus = 'unknown';
  return {
    foundling: false,
    bornWhere: d.path === 'home_birth' ? 'elsewhere' : d.path === 'facility_birth' && bornWhere === 'elsewhere' ? 'facility' : bornWhere,
    motherHasDocuments: d.path !== 'mother_without_documents',
    parentsStatus,
  };
}

/** The form for a stored declaration (one sent back for update, or a registered one being corrected). */
export function formFromDeclaration(d: Declaration): DeclarationForm {
  const c = d.child;
  const place = c.placeOfBirth;
  return {
    answers: answersOf(d),
    child: {
      surname: c.surname ?? '',
      givenName: c.givenName ?? '',
      patronymic: c.patronymic ?? '',
      nameForm: c.nameForm ?? '',
      sex: c.sex,
      dateOfBirth: c.dateOfBirth,
      timeOfBirth: c.timeOfBirth ?? '',
      plurality: String(c.plurality),
      birthOrder: String(c.birthOrder),
      weightGrams: c.weightGrams === undefined ? '' : String(c.weightGrams),
      facilityId: place.facilityId ?? '',
      kato: place.type === 'facility' ? '' : (place.kato ?? ''),
      address: place.address ?? '',
      country: place.country ?? '',
    },
    mother: parentForm(d.mother),
    fatherKnown: d.father !== undefined,
    father: parentForm(d.father),
    maritalStatus: d.maritalStatus,
    parentage: d.parentage,
    informant: { relation: d.informant.relation, name: d.informant.name ?? '' },
    attendant: d.attendant ?? '',
    documents: d.documents,
  };
}

/** The form for a birth a facility notified: what the facility knew, born there. */
export function formFromNotification(n: Notification): DeclarationForm {
  const form = emptyForm();
  const status = n.mother?.citizenship !== undefined || n.mother?.legalStatus !== undefined ? statusOf(n.mother) : undefined;
  return {
    ...form,
    answers: { foundling: false, bornWhere: 'facility', ...(status && { parentsStatus: status }) },
    child: {
      ...form.child,
      sex: n.child.sex ?? '',
      dateOfBirth: n.child.dateOfBirth,
      timeOfBirth: n.child.timeOfBirth ?? '',
      plurality: String(n.child.plurality),
      birthOrder: String(n.child.birthOrder),
      weightGrams: n.child.weightGrams === undefined ? '' : String(n.child.weightGrams),
      facilityId: n.facilityId,
    },
    mother: parentForm(n.mother),
    informant: { relation: 'mother', name: '' },
    documents: n.medicalCertificateNumber ? [{ type: 'medical_birth_certificate', reference: n.medicalCertificateNumber }] : [],
  };
}

/** The step that shows a field the server refused (given as child.dateOfBirth, /child/dateOfBirth or body.declaration.child…). */
export function normaliseField(field: string): FieldPath {
  return field
    .replace(/^\/+/, '')
    .replace(/\//g, '.')
    .replace(/^body\./, '')
    .replace(/^declaration\./, '');
}

export function stepOfField(field: string, steps: Step[]): Step {
  const head = normaliseField(field).split(/[.[]/)[0]!;
  const step: Step =
    head === 'child'
      ? 'child'
      : head === 'mother'
        ? 'mother'
        : ['father', 'maritalStatus', 'parentage', 'informant', 'attendant'].includes(head)
          ? 'family'
          : head === 'path' || head === 'answers'
            ? 'path'
            : ['documents', 'type', 'content-type', 'body'].includes(head)
              ? 'documents'
              : 'review';
  return steps.includes(step) ? step : 'review';
}

/** Document requirements not met by the held types: each a list of types of which one would do. */
export function missingDocuments(required: string[][], held: readonly string[]): string[][] {
  const have = new Set(held);
  return required.filter((anyOf) => !anyOf.some((type) => have.has(type)));
}

export interface Requirements {
  paths: Record<string, string[][]>;
  timeliness: { late: string[][]; delayed: string[][] };
  approvalNeeded: string[];
  documentTypes: { type: string; name: { kk: string; ru: string; en: string } }[];
  dateOfBirth?: { date: string; timeliness: 'current' | 'late' | 'delayed' };
}

/** What the path and the timeliness of the date of birth ask for. */
export function requiredDocuments(requirements: Requirements, path: LegalPath, dateOfBirth: string): string[][] {
  const timeliness = requirements.dateOfBirth?.date === dateOfBirth ? requirements.dateOfBirth.timeliness : 'current';
  return [...(requirements.paths[path] ?? []), ...(timeliness === 'current' ? [] : requirements.timeliness[timeliness])];
}

/** A date the API can take, worth asking about (the date input gives partial years while typing). */
export function askableDate(value: string): string | undefined {
  return /^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value) ? value : undefined;
}

export interface Change {
  field: FieldPath;
  before: string;
  after: string;
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) value.forEach((item, i) => flatten(item, `${prefix}.${i}`, into));
  else if (typeof value === 'object') for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  else into.set(prefix, String(value));
}

/** Every filled field of a declaration, in order, for the review. */
export function factsOf(declaration: Declaration): { field: FieldPath; value: string }[] {
  const facts = new Map<string, string>();
  flatten(declaration, '', facts);
  return [...facts].map(([field, value]) => ({ field, value }));
}

/** The fields a correction changes, with their values before and after (as typed, never transliterated). */
export function changesBetween(before: Declaration, after: Declaration): Change[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  return fields.filter((field) => a.get(field) !== b.get(field)).map((field) => ({ field, before: a.get(field) ?? '', after: b.get(field) ?? '' }));
}

/** What the outbox shows for a declaration: the child's name as typed, or the date of birth. */
export function labelOf(form: DeclarationForm): string {
  return [form.child.surname, form.child.givenName].map((s) => s.trim()).filter(Boolean).join(' ') || form.child.dateOfBirth;
}
