import type { Bytes } from './bytes.ts';
import { encodeCbor } from './cbor.ts';
import { CredentialError } from './errors.ts';

/** CWT claim keys (RFC 8392 §3.1) the codec reads, and the private keys of known credential kinds. */
export const cwtClaims = {
  iss: 1,
  sub: 2,
  exp: 4,
  nbf: 5,
  iat: 6,
  /** EU Digital COVID Certificate: hcert, a map whose key 1 is the DCC (JSON schema). */
  euDcc: -260,
  /** MOSIP Claim 169: identity data (IANA CWT registry). */
  claim169: 169,
  /** tirkeu's birth claims (a private claim key: negative, below -65536, per RFC 8392 §4). */
  tirkeuBirth: -70001,
} as const;

/** What a tirkeu birth certificate QR certifies, signed under claim -70001 (iss under claim 1). */
export interface BirthClaims {
  /** Printed form serial, e.g. "KZ-2026-0000123". */
  serial: string;
  kind: CertificateKind;
  /** Act record number. */
  registrationNumber: string;
  /** The child's IIN, 12 digits. */
  iin: string;
  child: PersonName;
  mother?: PersonName;
  father?: PersonName;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  placeOfBirth: { kato: string; name: string };
  /** YYYY-MM-DD */
  issuedOn: string;
  /** The issuing country, e.g. "KZ" (CWT iss). */
  issuer: string;
}

export type CertificateKind = 'birth_certificate' | 'certified_copy' | 'extract';

/** A name as recorded: any part may be missing (a mother who gave only her first name), never all. */
export interface PersonName {
  surname?: string;
  givenName?: string;
  patronymic?: string;
}

/**
 * The map under claim -70001. Small integer keys keep the payload small (each costs one byte);
 * text values stay as written (Kazakh or Russian Cyrillic, UTF-8); dates are RFC 3339 full-date
 * text, readable by any CBOR tool. Keys a reader does not know are ignored (CWT practice).
 *
 *   key  field               CBOR type
 *   1    serial              text
 *   2    kind                uint: 1 birth_certificate, 2 certified_copy, 3 extract
 *   3    registrationNumber  text
 *   4    iin                 text, 12 digits
 *   5    child               name map
 *   6    mother              name map (absent when not recorded)
 *   7    father              name map (absent when not established)
 *   8    dateOfBirth         text YYYY-MM-DD
 *   9    placeOfBirth        map { 1: KATO code (text), 2: name (text) }
 *   10   issuedOn            text YYYY-MM-DD
 *   name map: { 1: surname, 2: given name, 3: patronymic }, each absent when not recorded (never all)
 */
export const birthClaimKeys = {
  serial: 1,
  kind: 2,
  registrationNumber: 3,
  iin: 4,
  child: 5,
  mother: 6,
  father: 7,
  dateOfBirth: 8,
  placeOfBirth: 9,
  issuedOn: 10,
} as const;
const nameKeys = { surname: 1, givenName: 2, patronymic: 3 } as const;
const placeKeys = { kato: 1, name: 2 } as const;
const kindCodes: Record<CertificateKind, number> = { birth_certificate: 1, certified_copy: 2, extract: 3 };

/** The CWT payload of a birth certificate: iss, iat (NumericDate, seconds) and the birth claims. No exp: a birth certificate does not expire. */
export function encodeBirthCwt(claims: BirthClaims, issuedAt: Date): Bytes {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  if (!Number.isSafeInteger(iat)) throw new CredentialError('bad_claims', 'issuedAt is not a valid date');
  const birth = new Map<number, unknown>();
  const set = (key: number, value: unknown) => {
    if (value !== undefined) birth.set(key, value);
  };
  set(birthClaimKeys.serial, claims.serial);
  set(birthClaimKeys.kind, kindCodes[claims.kind]);
  set(birthClaimKeys.registrationNumber, claims.registrationNumber);
  set(birthClaimKeys.iin, claims.iin);
  set(birthClaimKeys.child, nameMap(claims.child));
  set(birthClaimKeys.mother, claims.mother && nameMap(claims.mother));
  set(birthClaimKeys.father, claims.father && nameMap(claims.father));
  set(birthClaimKeys.dateOfBirth, claims.dateOfBirth);
  set(
    birthClaimKeys.placeOfBirth,
    new Map([
      [placeKeys.kato, claims.placeOfBirth.kato],
      [placeKeys.name, claims.placeOfBirth.name],
    ]),
  );
  set(birthClaimKeys.issuedOn, claims.issuedOn);
  const cwt = new Map<number, unknown>([
    [cwtClaims.iss, claims.issuer],
    [cwtClaims.iat, iat],
    [cwtClaims.tirkeuBirth, birth],
  ]);
  // The same checks a verifier makes: nothing is signed that a verifier would refuse.
  readBirthClaims(cwt);
  return encodeCbor(cwt);
}

function nameMap(name: PersonName): Map<number, string> {
  const map = new Map<number, string>();
  if (name.surname) map.set(nameKeys.surname, name.surname);
  if (name.givenName) map.set(nameKeys.givenName, name.givenName);
  if (name.patronymic) map.set(nameKeys.patronymic, name.patronymic);
  return map;
}

/** Birth claims from a decoded CWT claims map; bad_claims naming the field on anything missing or mistyped. */
export function readBirthClaims(payload: Map<unknown, unknown>): BirthClaims {
  const birth = payload.get(cwtClaims.tirkeuBirth);
  if (!(birth instanceof Map)) throw new CredentialError('bad_claims', `claim ${cwtClaims.tirkeuBirth} (birth claims) is missing or not a map`);
  const get = (key: number) => birth.get(key);
  const kindCode = get(birthClaimKeys.kind);
  const kind = (Object.keys(kindCodes) as CertificateKind[]).find((k) => kindCodes[k] === kindCode);
  if (!kind) throw new CredentialError('bad_claims', `birth claim kind (${birthClaimKeys.kind}) is not one of 1, 2, 3`);
  const claims: BirthClaims = {
    serial: text(get(birthClaimKeys.serial), 'serial', 64),
    kind,
    registrationNumber: text(get(birthClaimKeys.registrationNumber), 'registrationNumber', 64),
    iin: matching(get(birthClaimKeys.iin), 'iin', /^[0-9]{12}$/, '12 digits'),
    child: person(get(birthClaimKeys.child), 'child'),
    dateOfBirth: date(get(birthClaimKeys.dateOfBirth), 'dateOfBirth'),
    placeOfBirth: place(get(birthClaimKeys.placeOfBirth)),
    issuedOn: date(get(birthClaimKeys.issuedOn), 'issuedOn'),
    issuer: text(payload.get(cwtClaims.iss), 'issuer (iss)', 64),
  };
  const mother = get(birthClaimKeys.mother);
  if (mother !== undefined) claims.mother = person(mother, 'mother');
  const father = get(birthClaimKeys.father);
  if (father !== undefined) claims.father = person(father, 'father');
  return claims;
}

function person(value: unknown, field: string): PersonName {
  if (!(value instanceof Map)) throw new CredentialError('bad_claims', `birth claim ${field} is not a name map`);
  const name: PersonName = {};
  for (const part of ['surname', 'givenName', 'patronymic'] as const) {
    const given = value.get(nameKeys[part]);
    if (given !== undefined) name[part] = text(given, `${field}.${part}`, 200);
  }
  if (!Object.keys(name).length) throw new CredentialError('bad_claims', `birth claim ${field} has no name at all`);
  return name;
}

function place(value: unknown): BirthClaims['placeOfBirth'] {
  if (!(value instanceof Map)) throw new CredentialError('bad_claims', 'birth claim placeOfBirth is not a map');
  return {
    kato: matching(value.get(placeKeys.kato), 'placeOfBirth.kato', /^[0-9]{1,16}$/, 'digits'),
    name: text(value.get(placeKeys.name), 'placeOfBirth.name', 300),
  };
}

/** Non-empty text of at most `max` characters, without control characters. */
function text(value: unknown, field: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.length === 0 || value.length > max || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new CredentialError('bad_claims', `birth claim ${field} is missing or is not text of 1 to ${max} characters`);
  }
  return value;
}

function matching(value: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new CredentialError('bad_claims', `birth claim ${field} is missing or is not ${what}`);
  return value;
}

/** A real calendar date as YYYY-MM-DD (not 2026-02-30). */
function date(value: unknown, field: string): string {
  const iso = matching(value, field, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'a date YYYY-MM-DD');
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
    throw new CredentialError('bad_claims', `birth claim ${field} is not a real calendar date`);
  }
  return iso;
}

/** The standard CWT claims a verifier checks; bad_claims when one is present with the wrong type. */
export interface CwtTimes {
  issuer?: string;
  issuedAt?: Date;
  expiresAt?: Date;
  notBefore?: Date;
}

export function readCwtTimes(payload: Map<unknown, unknown>): CwtTimes {
  const times: CwtTimes = {};
  const iss = payload.get(cwtClaims.iss);
  if (iss !== undefined) {
    if (typeof iss !== 'string') throw new CredentialError('bad_claims', 'CWT claim iss (1) is not text');
    times.issuer = iss;
  }
  const issuedAt = numericDate(payload, cwtClaims.iat, 'iat');
  if (issuedAt) times.issuedAt = issuedAt;
  const expiresAt = numericDate(payload, cwtClaims.exp, 'exp');
  if (expiresAt) times.expiresAt = expiresAt;
  const notBefore = numericDate(payload, cwtClaims.nbf, 'nbf');
  if (notBefore) times.notBefore = notBefore;
  return times;
}

/** RFC 8392 NumericDate: seconds since the epoch, an integer or a float. */
function numericDate(payload: Map<unknown, unknown>, key: number, name: string): Date | undefined {
  const value = payload.get(key);
  if (value === undefined) return undefined;
  const seconds = typeof value === 'bigint' ? Number(value) : value;
  const date = typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new CredentialError('bad_claims', `CWT claim ${name} (${key}) is not a NumericDate`);
  return date;
}
