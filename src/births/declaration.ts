import { type Static, type TLiteral, type TSchemaOptions, Type } from 'typebox';
import { IsoDate } from '../core/dates.ts';

/**
 * The birth declaration: the one schema for the facts of a birth, shared by the API, the record
 * state and the rules. Nothing about a parent is required beyond what the legal path needs; a
 * parent's IIN or identity document is never required.
 */
/** A union of string literals whose static type is the union of the values (not string, not never). */
function oneOf<const T extends readonly string[]>(values: T, options?: TSchemaOptions) {
  return Type.Union(values.map((v) => Type.Literal(v)) as unknown as [TLiteral<T[number]>], options);
}

/**
 * Text as a person writes it on a form: not blank, no control characters (line breaks, bells) and no
 * invisible format characters (a right-to-left override would show a name other than the one stored).
 */
const text = (max = 100) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\p{Cc}\\p{Cf}]*[^\\s\\p{Cc}\\p{Cf}][^\\p{Cc}\\p{Cf}]*$' });
const Kato = Type.String({ pattern: '^\\d{9}$', description: '9-digit KATO code' });

export const legalStatuses = [
  'citizen',
  'permanent_resident',
  'temporary_resident',
  'refugee_or_asylum_seeker',
  'stateless',
  'undocumented',
  'unknown',
] as const;

export const Citizenship = Type.String({
  pattern: '^([A-Z]{2}|stateless|unknown)$',
  description: 'ISO 3166-1 alpha-2 country code, "stateless" or "unknown"',
});

export const Parent = Type.Object({
  surname: Type.Optional(text()),
  givenName: Type.Optional(text()),
  patronymic: Type.Optional(text()),
  dateOfBirth: Type.Optional(IsoDate),
  /**
   * When the date of birth is not known: the age as stated. Any age a person can have is taken; one
   * outside the pack's range is kept unverified for the registrar to confirm, never refused.
   */
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
  /** As written: a mistyped number is kept, marked unverified, and never blocks the child. */
  iin: Type.Optional(Type.String({ maxLength: 20 })),
  citizenship: Citizenship,
  legalStatus: oneOf(legalStatuses),
  document: Type.Optional(Type.Object({ type: text(40), number: text(40) })),
  /** Identity as stated by the person, not proven by a document (mother without documents). */
  identityDeclared: Type.Optional(Type.Boolean()),
  residence: Type.Optional(Type.Object({ kato: Type.Optional(Kato), address: Type.Optional(text(300)), country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })) })),
});
export type Parent = Static<typeof Parent>;

export const PlaceOfBirth = Type.Object({
  type: Type.Union([Type.Literal('facility'), Type.Literal('other')]),
  facilityId: Type.Optional(Type.String({ maxLength: 64 })),
  /** Filled from the facility when the birth took place in one. */
  kato: Type.Optional(Kato),
  address: Type.Optional(text(300)),
  /** ISO country when born abroad (a child of citizens registered at home). */
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
});

export const Child = Type.Object({
  surname: Type.Optional(text()),
  givenName: Type.Optional(text()),
  patronymic: Type.Optional(text()),
  /** patronymic (e.g. Асанович), kazakh_suffix (Асанұлы / Асанқызы, no patronymic) or none. */
  nameForm: Type.Optional(Type.Union([Type.Literal('patronymic'), Type.Literal('kazakh_suffix'), Type.Literal('none')])),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  dateOfBirth: IsoDate,
  timeOfBirth: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM local time' })),
  placeOfBirth: PlaceOfBirth,
  plurality: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
  birthOrder: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
  weightGrams: Type.Optional(Type.Integer({ minimum: 200, maximum: 8000 })),
});

export const legalPaths = ['facility_birth', 'home_birth', 'mother_without_documents', 'foreign_or_stateless_parents', 'foundling'] as const;
export type LegalPath = (typeof legalPaths)[number];

export const Declaration = Type.Object({
  path: oneOf(legalPaths, { description: 'the legal path the registration follows' }),
  child: Child,
  /** Absent only for a foundling. */
  mother: Type.Optional(Parent),
  father: Type.Optional(Parent),
  maritalStatus: Type.Union([Type.Literal('married'), Type.Literal('not_married'), Type.Literal('unknown')]),
  parentage: Type.Union([
    Type.Literal('marriage'),
    Type.Literal('joint_declaration'),
    Type.Literal('father_declaration'),
    Type.Literal('court_decision'),
    Type.Literal('not_established'),
  ]),
  informant: Type.Object({
    relation: oneOf(['mother', 'father', 'relative', 'guardian', 'health_facility', 'police', 'guardianship_authority', 'other']),
    name: Type.Optional(text(200)),
  }),
  attendant: Type.Optional(oneOf(['physician', 'midwife', 'nurse', 'other', 'none'])),
  /** Supporting documents presented: type and reference (uploads come with their own store). */
  documents: Type.Array(Type.Object({ type: text(60), reference: Type.Optional(text(120)) }), { maxItems: 30, default: [] }),
});
export type Declaration = Static<typeof Declaration>;

/** What a health facility sends within hours of a birth: enough to chase the registration. */
export const Notification = Type.Object({
  child: Type.Object({
    sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female')])),
    dateOfBirth: IsoDate,
    timeOfBirth: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })),
    plurality: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
    birthOrder: Type.Integer({ minimum: 1, maximum: 8, default: 1 }),
    weightGrams: Type.Optional(Type.Integer({ minimum: 200, maximum: 8000 })),
  }),
  facilityId: Type.String({ maxLength: 64 }),
  mother: Type.Optional(Type.Partial(Parent)),
  /** The facility's own reference (medical birth certificate number), for matching retries. */
  medicalCertificateNumber: Type.Optional(text(60)),
  contact: Type.Optional(Type.Object({ phone: Type.Optional(text(30)), email: Type.Optional(text(200)) })),
});
export type Notification = Static<typeof Notification>;
