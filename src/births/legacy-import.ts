import { Compile } from 'typebox/compile';
import type { Json } from '../core/action-log/hashing.ts';
import { canonicalJson } from '../core/action-log/hashing.ts';
import type { CheckpointSigner } from '../core/action-log/checkpoint.ts';
import { createRecordsInBulk } from '../core/action-log/record-store.ts';
import { isIsoDate } from '../core/dates.ts';
import type { Tx } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { allocateActNumbers, allocateIinsInBulk, claimIins } from './allocation.ts';
import { Declaration, legalStatuses, type Parent } from './declaration.ts';
import { checkIin } from './iin.ts';
import { type BirthPayload, birthRecord, type Registration } from './record.ts';
import { type BirthRules, checkDeclaration, citizenshipAtBirth, timelinessOf, type UnverifiedFact } from './rules.ts';
import { indexBirths } from './duplicates.ts';
import { type BirthDeps, localDate } from './workflow.ts';

/**
 * Historical registrations from legacy registers: one flat row per birth (CSV or JSON Lines), the
 * columns below. Each row passes the checks a declaration through the API passes (the Declaration
 * schema, real calendar dates, no birth in the future, the pack's rules) and becomes the same
 * record and history a registration through the workflow makes (DECLARE, VALIDATE, REGISTER),
 * keeping its legacy reference and act number; a valid IIN is kept, a missing one allocated. Old
 * registers that kept no act number, office or registration date get documented defaults. Rows
 * already imported (same legacy_ref) are skipped, so an interrupted import is resumed by running it again.
 */
export const legacyColumns = [
  ['legacy_ref', 'required', 'the legacy register’s reference, unique (at most 120 characters)'],
  ['act_number', 'optional', 'the act record number as printed on the certificate, unique; when empty, the next number of the office’s counter for the year registered (OFFICE/YEAR/NNNNNN)'],
  ['office_id', 'optional', 'the office that registered the birth (see GET /api/v1/offices); when empty, the registry office of the place of birth: the one in its region sharing the most leading KATO digits with it'],
  ['registered_on', 'optional', 'YYYY-MM-DD, not in the future; the date of birth when empty'],
  ['iin', 'optional', 'the child’s IIN; validated and kept; allocated when empty'],
  ['child_surname', 'optional', 'at most 100 characters, as every name'],
  ['child_given_name', 'optional', ''],
  ['child_patronymic', 'optional', ''],
  ['child_sex', 'required', 'male | female (or M | F)'],
  ['child_date_of_birth', 'required', 'YYYY-MM-DD, a calendar date 1900–2099, not in the future'],
  ['place_kato', 'required unless facility_id', 'KATO code of the place of birth'],
  ['facility_id', 'optional', 'health facility of the birth'],
  ['plurality', 'optional', '1–8, 1 by default'],
  ['birth_order', 'optional', '1–8, 1 by default'],
  ['weight_grams', 'optional', '200–8000'],
  ['mother_surname', 'optional', ''],
  ['mother_given_name', 'optional', ''],
  ['mother_date_of_birth', 'optional', 'YYYY-MM-DD'],
  ['mother_iin', 'optional', 'validated when given'],
  ['mother_citizenship', 'optional', 'ISO alpha-2, stateless or unknown (unknown by default)'],
  ['mother_legal_status', 'optional', `${legalStatuses.join(' | ')} (unknown by default)`],
  ['father_surname', 'optional', 'father columns all empty = father not recorded'],
  ['father_given_name', 'optional', ''],
  ['father_date_of_birth', 'optional', ''],
  ['father_iin', 'optional', ''],
  ['father_citizenship', 'optional', ''],
  ['father_legal_status', 'optional', ''],
  ['marital_status', 'optional', 'married | not_married | unknown (default)'],
  ['parentage', 'optional', 'marriage | joint_declaration | father_declaration | court_decision | not_established (default)'],
] as const;

/** NUL or half a surrogate pair: text nobody typed, which the API refuses and the database cannot store. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const unstorableText = /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const knownColumns = new Set<string>(legacyColumns.map(([column]) => column));

/** The columns of a file or row that the import does not know (a misspelt column would lose its data). */
export function unknownLegacyColumns(columns: Iterable<string>): string[] {
  return [...columns].filter((c) => !knownColumns.has(c));
}

export interface LegacyRow {
  line: number;
  values: Record<string, string | undefined>;
}

export interface LegacyBirth {
  ref: string;
  /** Undefined when the register kept none: allocated from the office's counter. */
  number: string | undefined;
  /** Undefined when the register kept none: the office of the place of birth. */
  officeId: string | undefined;
  registeredOn: string;
  iin: string | undefined;
  declaration: Declaration;
  /** Parent facts the register holds that do not check (a mistyped IIN): kept, marked unverified. */
  unverified: UnverifiedFact[];
}

export interface RejectedRow {
  line: number;
  field: string;
  message: string;
}

/**
 * One legacy row as a declaration; throws a validation error naming the column at fault. `today`
 * is the registry's date: neither the birth nor its registration may lie after it.
 */
/** Compiled once: every row of a register of millions is checked against it. */
const declarationValidator = Compile(Declaration);

export function parseLegacyRow(values: Record<string, string | undefined>, rules: BirthRules, today: string): LegacyBirth {
  const get = (column: string) => values[column]?.trim() || undefined;
  const fail = (column: string, message: string): never => {
    throw new AppError('validation_failed', message, { field: column });
  };
  const required = (column: string) => get(column) ?? fail(column, `${column} is empty`);
  const bounded = (column: string, max: number) => {
    const value = get(column);
    if (value !== undefined && value.length > max) fail(column, `${column} is longer than ${max} characters`);
    return value;
  };
  const dateOf = (column: string) => {
    const value = get(column);
    if (value !== undefined && !isIsoDate(value)) fail(column, `${column} must be a calendar date YYYY-MM-DD between 1900 and 2099, not "${value.slice(0, 20)}"`);
    return value;
  };
  const int = (column: string, fallback?: number) => {
    const value = get(column);
    if (value === undefined) return fallback;
    if (!/^\d{1,6}$/.test(value)) fail(column, `${column} must be a whole number, not "${value.slice(0, 20)}"`);
    return Number(value);
  };
  const oneOf = <T extends string>(column: string, allowed: readonly T[], fallback: T): T => {
    const value = get(column) ?? fallback;
    if (!allowed.includes(value as T)) fail(column, `${column} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  // What the API refuses in any string (and the database cannot store): a NUL or half a surrogate pair.
  for (const [column, value] of Object.entries(values)) {
    if (value !== undefined && unstorableText.test(value)) fail(column, `${column} holds a NUL character or half a surrogate pair`);
  }
  const ref = required('legacy_ref');
  if (ref.length > 120) fail('legacy_ref', 'legacy_ref is longer than 120 characters');
  const sexRaw = required('child_sex').toLowerCase();
  const sex = ({ m: 'male', male: 'male', f: 'female', female: 'female' } as const)[sexRaw as 'm'] ?? fail('child_sex', 'child_sex must be male or female (or M or F)');
  const parent = (role: 'mother' | 'father'): Parent | undefined => {
    const columns = ['surname', 'given_name', 'date_of_birth', 'iin', 'citizenship', 'legal_status'].map((c) => `${role}_${c}`);
    if (role === 'father' && columns.every((c) => get(c) === undefined)) return undefined;
    const citizenship = get(`${role}_citizenship`) ?? 'unknown';
    const p: Parent = { citizenship, legalStatus: oneOf(`${role}_legal_status`, legalStatuses, 'unknown') };
    const surname = get(`${role}_surname`);
    const givenName = get(`${role}_given_name`);
    const dateOfBirth = dateOf(`${role}_date_of_birth`);
    const iin = get(`${role}_iin`);
    return { ...p, ...(surname && { surname }), ...(givenName && { givenName }), ...(dateOfBirth && { dateOfBirth }), ...(iin && { iin }) };
  };
  const facilityId = get('facility_id');
  const kato = get('place_kato');
  if (!facilityId && !kato) fail('place_kato', 'give place_kato or facility_id');
  const childName = { surname: get('child_surname'), givenName: get('child_given_name'), patronymic: get('child_patronymic') };
  const dateOfBirth = dateOf('child_date_of_birth') ?? fail('child_date_of_birth', 'child_date_of_birth is empty');
  const declaration: Declaration = {
    path: facilityId ? 'facility_birth' : 'home_birth',
    child: {
      ...Object.fromEntries(Object.entries(childName).filter(([, v]) => v !== undefined)),
      sex,
      dateOfBirth,
      placeOfBirth: facilityId ? { type: 'facility', facilityId, ...(kato && { kato }) } : { type: 'other', kato },
      plurality: int('plurality', 1)!,
      birthOrder: int('birth_order', 1)!,
      ...(get('weight_grams') !== undefined && { weightGrams: int('weight_grams') }),
    },
    mother: parent('mother'),
    father: parent('father'),
    maritalStatus: oneOf('marital_status', ['married', 'not_married', 'unknown'] as const, 'unknown'),
    parentage: oneOf('parentage', ['marriage', 'joint_declaration', 'father_declaration', 'court_decision', 'not_established'] as const, 'not_established'),
    informant: { relation: 'other', name: 'legacy register' },
    documents: [{ type: 'legacy_register_entry', reference: ref }],
  };
  if (!declaration.mother) delete declaration.mother;
  if (!declaration.father) delete declaration.father;
  // The API's own schema: name lengths, codes, ranges, the shape of every part.
  if (!declarationValidator.Check(declaration)) {
    const first = declarationValidator.Errors(declaration)[0]!;
    const column = first.instancePath.startsWith('/documents') ? 'legacy_ref' : legacyColumnOf(first.instancePath.slice(1).replaceAll('/', '.'));
    fail(column, `${column} ${first.message}`);
  }
  if (dateOfBirth > today) fail('child_date_of_birth', `the date of birth ${dateOfBirth} is in the future (today is ${today})`);
  const registeredOn = dateOf('registered_on') ?? dateOfBirth;
  if (registeredOn > today) fail('registered_on', `registered_on ${registeredOn} is in the future (today is ${today})`);
  if (registeredOn < dateOfBirth) fail('registered_on', 'registered before the date of birth');
  let unverified: UnverifiedFact[] = [];
  try {
    unverified = checkDeclaration(declaration, registeredOn, rules);
  } catch (error) {
    if (error instanceof AppError) fail(legacyColumnOf(String(error.details.field ?? '')), error.message);
    throw error;
  }
  const iin = get('iin');
  if (iin !== undefined) {
    const check = checkIin(iin, rules.iin);
    if (!check.valid) fail('iin', `not a valid IIN: ${check.problems[0]!.message}`);
  }
  return { ref, number: bounded('act_number', 100), officeId: bounded('office_id', 64), registeredOn, iin, declaration, unverified };
}

/** The legacy column behind a declaration field the rules name (child.dateOfBirth → child_date_of_birth). */
function legacyColumnOf(field: string): string {
  return field
    .replace('child.placeOfBirth.kato', 'place_kato')
    .replace('child.placeOfBirth.facilityId', 'facility_id')
    .replace('child.birthOrder', 'birth_order')
    .replace('child.plurality', 'plurality')
    .replace('child.weightGrams', 'weight_grams')
    .replace(/\./g, '_')
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export interface ImportReport {
  imported: number;
  skipped: number;
  rejected: number;
}

interface KnownPlaces {
  places: Set<string>;
  facilities: Map<string, string>;
  offices: { id: string; kato: string; kind: string }[];
}

async function knownPlaces(deps: BirthDeps): Promise<KnownPlaces> {
  const places = await deps.db.query<{ kato: string }>('SELECT kato FROM places');
  const facilities = await deps.db.query<{ id: string; kato: string }>('SELECT id, kato FROM health_facilities');
  const offices = await deps.db.query<{ id: string; kato: string; kind: string }>('SELECT id, kato, kind FROM offices ORDER BY id');
  return {
    places: new Set(places.rows.map((r) => r.kato)),
    facilities: new Map(facilities.rows.map((r) => [r.id, r.kato])),
    offices: offices.rows,
  };
}

/**
 * The registry office of a place, for registers that did not keep one, among the registry offices
 * (not service centres) of the place's region: the one whose area contains the place most closely
 * (the district's before the region's), else the one whose code shares the most leading digits with
 * the place's; the first by id on a tie. Undefined when the region has none.
 */
export function officeOfPlace(kato: string, offices: readonly { id: string; kato: string; kind: string }[]): string | undefined {
  let best: { id: string; score: number } | undefined;
  for (const office of offices) {
    if (office.kind !== 'registry_office') continue;
    const area = significantPrefix(office.kato);
    let shared = 0;
    while (shared < area.length && area[shared] === kato[shared]) shared++;
    if (shared < 2) continue;
    const score = shared === area.length ? 100 + shared : shared;
    if (!best || score > best.score) best = { id: office.id, score };
  }
  return best?.id;
}

interface Accepted {
  line: number;
  birth: LegacyBirth;
  kato: string;
  officeId: string;
}

/**
 * Imports rows (read as a stream: memory stays bounded whatever the file's size) in batches of
 * `batchSize`, one transaction per batch. Every check that could fail is made before the batch
 * writes (the row's facts, places, offices, duplicates in the batch and in the register), so a bad
 * row is reported through onRejected and skipped while the rest of its batch still loads.
 */
export async function importBirths(
  deps: BirthDeps,
  rows: AsyncIterable<LegacyRow> | Iterable<LegacyRow>,
  options: {
    source: string;
    batchSize?: number;
    onRejected: (row: RejectedRow) => void;
    onProgress?: (report: ImportReport) => void;
    /** Signs the checkpoint that seals each batch (unsigned without one, as checkpoints are without a key). */
    checkpointSigner?: CheckpointSigner;
  },
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: 0, rejected: 0 };
  const reject = (row: RejectedRow) => {
    report.rejected++;
    options.onRejected(row);
  };
  const known = await knownPlaces(deps);
  const batchSize = options.batchSize ?? 500;
  let batch: Accepted[] = [];
  const flush = async () => {
    if (batch.length) await writeBatch(deps, batch, report, reject, options.source, options.checkpointSigner);
    batch = [];
    options.onProgress?.(report);
  };
  for await (const row of rows) {
    try {
      // The registry's today, read per row: an import may run across midnight.
      const birth = parseLegacyRow(row.values, deps.rules, localDate(deps.clock.now(), deps.timeZone));
      const place = birth.declaration.child.placeOfBirth;
      const kato = place.facilityId ? known.facilities.get(place.facilityId) : place.kato;
      if (place.facilityId && !kato) throw new AppError('validation_failed', `no health facility ${place.facilityId}`, { field: 'facility_id' });
      if (!known.places.has(kato!)) throw new AppError('validation_failed', `no place with KATO code ${kato}`, { field: 'place_kato' });
      const officeId = birth.officeId ?? officeOfPlace(kato!, known.offices);
      if (!officeId) throw new AppError('validation_failed', `no registry office in the region of place ${kato}: give office_id`, { field: 'office_id' });
      if (!known.offices.some((o) => o.id === officeId)) throw new AppError('validation_failed', `no registry office ${officeId}`, { field: 'office_id' });
      batch.push({ line: row.line, birth, kato: kato!, officeId });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reject({ line: row.line, field: String(error.details.field ?? ''), message: error.message });
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}

/**
 * Act numbers for the rows whose register kept none, from each office's counter for the year
 * registered, by record id. `taken` holds the numbers this batch already uses.
 */
async function allocateMissingNumbers(tx: Tx, rows: (Accepted & { recordId: string })[], taken: Set<string>): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  let pending = rows.filter((r) => !r.birth.number);
  while (pending.length) {
    const groups = new Map<string, typeof pending>();
    for (const r of pending) {
      const key = `${r.officeId}\u0000${r.birth.registeredOn.slice(0, 4)}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const drawn: { row: (typeof pending)[number]; number: string }[] = [];
    // The same order in every process, so two importers lock counter rows without deadlocking.
    for (const key of [...groups.keys()].sort()) {
      const group = groups.get(key)!;
      const [officeId, year] = key.split('\u0000') as [string, string];
      const numbers = await allocateActNumbers(tx, officeId, Number(year), group.length);
      group.forEach((row, i) => drawn.push({ row, number: numbers[i]! }));
    }
    // A legacy number written in the counter's own form may already be in the register: draw again for it.
    const { rows: clashing } = await tx.query<{ number: string }>("SELECT number FROM records WHERE type = 'birth' AND number = ANY($1::text[])", [drawn.map((d) => d.number)]);
    const clash = new Set(clashing.map((r) => r.number));
    pending = [];
    for (const d of drawn) {
      if (clash.has(d.number) || taken.has(d.number)) pending.push(d.row);
      else {
        taken.add(d.number);
        result.set(d.row.recordId, d.number);
      }
    }
  }
  return result;
}

async function writeBatch(deps: BirthDeps, batch: Accepted[], report: ImportReport, reject: (row: RejectedRow) => void, source: string, signer: CheckpointSigner | undefined): Promise<void> {
  const refs = batch.map((b) => b.birth.ref);
  const numbers = batch.flatMap((b) => (b.birth.number ? [b.birth.number] : []));
  // Counted and reported only once the batch commits: a transaction retried on PostgreSQL runs again from the start.
  const outcome = await deps.db.transaction(async (tx) => {
    // A reference already held is skipped only when it was imported with the same facts (a resumed import); the
    // same reference on another birth, in the register or earlier in this file, is a rejected row.
    const existingRefs = new Map(
      (
        await tx.query<{ ref: string; declaration: Json }>(
          `SELECT r.ref, a.payload->'declaration' AS declaration FROM records r JOIN record_actions a ON a.record_id = r.id AND a.record_seq = 1
           WHERE r.type = 'birth' AND r.ref = ANY($1::text[])`,
          [refs],
        )
      ).rows.map((r) => [r.ref, canonicalJson(r.declaration)]),
    );
    const takenNumbers = new Set((await tx.query<{ number: string }>("SELECT number FROM records WHERE type = 'birth' AND number = ANY($1::text[])", [numbers])).rows.map((r) => r.number));
    const now = deps.clock.now();
    const accepted: (Accepted & { recordId: string })[] = [];
    const rejected: RejectedRow[] = [];
    let skipped = 0;
    for (const item of batch) {
      const { line, birth } = item;
      const held = existingRefs.get(birth.ref);
      if (held !== undefined) {
        if (held === canonicalJson(birth.declaration as unknown as Json)) skipped++;
        else rejected.push({ line, field: 'legacy_ref', message: `legacy_ref ${birth.ref} is already in the register (or earlier in this file) for another birth` });
        continue;
      }
      if (birth.number && takenNumbers.has(birth.number)) {
        rejected.push({ line, field: 'act_number', message: `act number ${birth.number} is already in the register` });
        continue;
      }
      existingRefs.set(birth.ref, canonicalJson(birth.declaration as unknown as Json));
      if (birth.number) takenNumbers.add(birth.number);
      accepted.push({ ...item, recordId: uuidv7(now.getTime()) });
    }
    // Kept IINs first: one another record already holds rejects its row.
    const kept = accepted.filter((a) => a.birth.iin);
    const holder = await claimIins(tx, kept.map((a) => ({ iin: a.birth.iin!, recordId: a.recordId })), now);
    const writing = accepted.filter((a) => {
      if (!a.birth.iin || holder.get(a.birth.iin) === a.recordId) return true;
      rejected.push({ line: a.line, field: 'iin', message: `IIN ${a.birth.iin} is already held by another record` });
      return false;
    });
    const numberOf = await allocateMissingNumbers(tx, writing, takenNumbers);
    const needing = writing.filter((a) => !a.birth.iin);
    const allocated = await allocateIinsInBulk(
      tx,
      needing.map((a) => ({ dateOfBirth: a.birth.declaration.child.dateOfBirth, sex: a.birth.declaration.child.sex, recordId: a.recordId })),
      now,
      deps.rules.iin,
    );
    const iinOf = new Map(needing.map((a, i) => [a.recordId, allocated[i]!]));
    const actor = `system:import:${source}`.slice(0, 200);
    const items = writing.map(({ birth, kato, officeId, recordId }) => {
      const registration: Registration = {
        number: birth.number ?? numberOf.get(recordId)!,
        iin: birth.iin ?? iinOf.get(recordId)!,
        officeId,
        registeredOn: birth.registeredOn,
        timeliness: timelinessOf(birth.declaration.child.dateOfBirth, birth.registeredOn, deps.rules),
        citizenship: citizenshipAtBirth(birth.declaration, deps.rules.citizenship),
      };
      const payloads: BirthPayload[] = [
        { type: 'DECLARE', declaration: birth.declaration, jurisdiction: kato, missingDocuments: [], legacyRef: birth.ref, ...(birth.unverified.length && { unverified: birth.unverified }) },
        { type: 'VALIDATE' },
        { type: 'REGISTER', registration },
      ];
      return { recordId, actions: payloads.map((payload) => ({ type: payload.type, actor, officeId, payload: payload as unknown as Json })) };
    });
    const created = await createRecordsInBulk(tx, birthRecord, items, deps.clock, signer);
    await indexBirths(tx, created, now);
    return { imported: items.length, skipped, rejected };
  });
  report.imported += outcome.imported;
  report.skipped += outcome.skipped;
  for (const r of outcome.rejected) reject(r);
}
