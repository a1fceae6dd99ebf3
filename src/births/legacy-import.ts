import type { Json } from '../core/action-log/hashing.ts';
import { createRecordsInBulk } from '../core/action-log/record-store.ts';
import { AppError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { allocateIinsInBulk } from './allocation.ts';
import { type Declaration, legalStatuses, type Parent } from './declaration.ts';
import { checkIin } from './iin.ts';
import { type BirthPayload, birthRecord, type Registration } from './record.ts';
import { type BirthRules, checkDeclaration, citizenshipAtBirth, timelinessOf } from './rules.ts';
import type { BirthDeps } from './workflow.ts';

/**
 * Historical registrations from legacy registers: one flat row per birth (CSV or JSON Lines), the
 * columns below. Each row becomes the same record and history a registration through the workflow
 * makes (DECLARE, VALIDATE, REGISTER), keeping its legacy reference and act number; a valid IIN is
 * kept, a missing one allocated. Rows already imported (same legacy_ref) are skipped, so an
 * interrupted import is resumed by running it again.
 */
export const legacyColumns = [
  ['legacy_ref', 'required', 'the legacy register’s reference, unique'],
  ['act_number', 'required', 'the act record number as printed on the certificate, unique'],
  ['office_id', 'required', 'the registry office that registered the birth (see GET /api/v1/offices)'],
  ['registered_on', 'required', 'YYYY-MM-DD'],
  ['iin', 'optional', 'the child’s IIN; validated and kept; allocated when empty'],
  ['child_surname', 'optional', ''],
  ['child_given_name', 'optional', ''],
  ['child_patronymic', 'optional', ''],
  ['child_sex', 'required', 'male | female (or M | F)'],
  ['child_date_of_birth', 'required', 'YYYY-MM-DD'],
  ['place_kato', 'required unless facility_id', 'KATO code of the place of birth'],
  ['facility_id', 'optional', 'health facility of the birth'],
  ['plurality', 'optional', '1 by default'],
  ['birth_order', 'optional', '1 by default'],
  ['weight_grams', 'optional', ''],
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

export interface LegacyBirth {
  ref: string;
  number: string;
  officeId: string;
  registeredOn: string;
  iin: string | undefined;
  declaration: Declaration;
}

export interface RejectedRow {
  line: number;
  field: string;
  message: string;
}

const date = /^\d{4}-\d{2}-\d{2}$/;

/** One legacy row as a declaration; throws a validation error naming the column at fault. */
export function parseLegacyRow(values: Record<string, string | undefined>, rules: BirthRules): LegacyBirth {
  const get = (column: string) => values[column]?.trim() || undefined;
  const fail = (column: string, message: string): never => {
    throw new AppError('validation_failed', message, { field: column });
  };
  const required = (column: string) => get(column) ?? fail(column, `${column} is empty`);
  const dateOf = (column: string) => {
    const value = get(column);
    if (value !== undefined && !date.test(value)) fail(column, `${column} must be YYYY-MM-DD, not "${value}"`);
    return value;
  };
  const int = (column: string, fallback?: number) => {
    const value = get(column);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) fail(column, `${column} must be a whole number, not "${value}"`);
    return Number(value);
  };
  const oneOf = <T extends string>(column: string, allowed: readonly T[], fallback: T): T => {
    const value = get(column) ?? fallback;
    if (!allowed.includes(value as T)) fail(column, `${column} must be one of ${allowed.join(', ')}, not "${value}"`);
    return value as T;
  };
  const sexRaw = required('child_sex').toLowerCase();
  const sex = ({ m: 'male', male: 'male', f: 'female', female: 'female' } as const)[sexRaw as 'm'] ?? fail('child_sex', `child_sex must be male or female, not "${sexRaw}"`);
  const parent = (role: 'mother' | 'father'): Parent | undefined => {
    const columns = ['surname', 'given_name', 'date_of_birth', 'iin', 'citizenship', 'legal_status'].map((c) => `${role}_${c}`);
    if (role === 'father' && columns.every((c) => get(c) === undefined)) return undefined;
    const citizenship = get(`${role}_citizenship`) ?? 'unknown';
    if (!/^([A-Z]{2}|stateless|unknown)$/.test(citizenship)) fail(`${role}_citizenship`, `${role}_citizenship must be an ISO alpha-2 code, stateless or unknown`);
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
  const declaration: Declaration = {
    path: facilityId ? 'facility_birth' : 'home_birth',
    child: {
      ...Object.fromEntries(Object.entries(childName).filter(([, v]) => v !== undefined)),
      sex,
      dateOfBirth: dateOf('child_date_of_birth') ?? fail('child_date_of_birth', 'child_date_of_birth is empty'),
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
    documents: [{ type: 'legacy_register_entry', reference: required('legacy_ref') }],
  };
  if (!declaration.mother) delete declaration.mother;
  if (!declaration.father) delete declaration.father;
  const registeredOn = dateOf('registered_on') ?? fail('registered_on', 'registered_on is empty');
  if (registeredOn < declaration.child.dateOfBirth) fail('registered_on', 'registered before the date of birth');
  try {
    checkDeclaration(declaration, registeredOn, rules);
  } catch (error) {
    if (error instanceof AppError) fail(legacyColumnOf(String(error.details.field ?? '')), error.message);
    throw error;
  }
  const iin = get('iin');
  if (iin !== undefined) {
    const check = checkIin(iin, rules.iin);
    if (!check.valid) fail('iin', `not a valid IIN: ${check.problems[0]!.message}`);
  }
  return { ref: required('legacy_ref'), number: required('act_number'), officeId: required('office_id'), registeredOn, iin, declaration };
}

/** The legacy column behind a declaration field the rules name (child.dateOfBirth → child_date_of_birth). */
function legacyColumnOf(field: string): string {
  return field
    .replace('child.placeOfBirth.kato', 'place_kato')
    .replace('child.placeOfBirth.facilityId', 'facility_id')
    .replace('child.birthOrder', 'birth_order')
    .replace(/\./g, '_')
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export interface ImportReport {
  imported: number;
  skipped: number;
  rejected: RejectedRow[];
}

interface KnownPlaces {
  places: Set<string>;
  facilities: Map<string, string>;
  offices: Set<string>;
}

async function knownPlaces(deps: BirthDeps): Promise<KnownPlaces> {
  const places = await deps.db.query<{ kato: string }>('SELECT kato FROM places');
  const facilities = await deps.db.query<{ id: string; kato: string }>('SELECT id, kato FROM health_facilities');
  const offices = await deps.db.query<{ id: string }>('SELECT id FROM offices');
  return {
    places: new Set(places.rows.map((r) => r.kato)),
    facilities: new Map(facilities.rows.map((r) => [r.id, r.kato])),
    offices: new Set(offices.rows.map((r) => r.id)),
  };
}

/**
 * Imports rows in batches of `batchSize`, one transaction per batch. Every check that could fail
 * is made before the batch writes (places, offices, duplicates in the batch and in the register),
 * so a bad row is reported and skipped while the rest of its batch still loads.
 */
export async function importBirths(
  deps: BirthDeps,
  rows: Iterable<{ line: number; values: Record<string, string | undefined> }>,
  options: { source: string; batchSize?: number; onProgress?: (report: ImportReport) => void },
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: 0, rejected: [] };
  const known = await knownPlaces(deps);
  const batchSize = options.batchSize ?? 500;
  let batch: { line: number; birth: LegacyBirth; kato: string }[] = [];
  const flush = async () => {
    if (batch.length) await writeBatch(deps, batch, report, options.source);
    batch = [];
    options.onProgress?.(report);
  };
  for (const row of rows) {
    try {
      const birth = parseLegacyRow(row.values, deps.rules);
      const place = birth.declaration.child.placeOfBirth;
      const kato = place.facilityId ? known.facilities.get(place.facilityId) : place.kato;
      if (place.facilityId && !kato) throw new AppError('validation_failed', `no health facility ${place.facilityId}`, { field: 'facility_id' });
      if (!known.places.has(kato!)) throw new AppError('validation_failed', `no place with KATO code ${kato}`, { field: 'place_kato' });
      if (!known.offices.has(birth.officeId)) throw new AppError('validation_failed', `no registry office ${birth.officeId}`, { field: 'office_id' });
      batch.push({ line: row.line, birth, kato: kato! });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.rejected.push({ line: row.line, field: String(error.details.field ?? ''), message: error.message });
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

async function writeBatch(deps: BirthDeps, batch: { line: number; birth: LegacyBirth; kato: string }[], report: ImportReport, source: string): Promise<void> {
  const refs = batch.map((b) => b.birth.ref);
  const numbers = batch.map((b) => b.birth.number);
  await deps.db.transaction(async (tx) => {
    const existingRefs = new Set((await tx.query<{ ref: string }>("SELECT ref FROM records WHERE type = 'birth' AND ref = ANY($1::text[])", [refs])).rows.map((r) => r.ref));
    const takenNumbers = new Set((await tx.query<{ number: string }>("SELECT number FROM records WHERE type = 'birth' AND number = ANY($1::text[])", [numbers])).rows.map((r) => r.number));
    const now = deps.clock.now();
    const accepted: { line: number; birth: LegacyBirth; kato: string; recordId: string }[] = [];
    for (const { line, birth, kato } of batch) {
      if (existingRefs.has(birth.ref)) {
        report.skipped++;
        continue;
      }
      if (takenNumbers.has(birth.number)) {
        report.rejected.push({ line, field: 'act_number', message: `act number ${birth.number} is already in the register` });
        continue;
      }
      existingRefs.add(birth.ref);
      takenNumbers.add(birth.number);
      accepted.push({ line, birth, kato, recordId: uuidv7(now.getTime()) });
    }
    // Kept IINs first: one another record already holds rejects its row.
    const kept = accepted.filter((a) => a.birth.iin);
    const claimed = await tx.query<{ iin: string; recordId: string }>(
      `INSERT INTO iins (iin, record_id, issued_at) SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])
       ON CONFLICT (iin) DO NOTHING RETURNING iin, record_id AS "recordId"`,
      [kept.map((a) => a.birth.iin), kept.map((a) => a.recordId), kept.map(() => now.toISOString())],
    );
    const holder = new Map(claimed.rows.map((r) => [r.iin, r.recordId]));
    const writing = accepted.filter((a) => {
      if (!a.birth.iin || holder.get(a.birth.iin) === a.recordId) return true;
      report.rejected.push({ line: a.line, field: 'iin', message: `IIN ${a.birth.iin} is already held by another record` });
      return false;
    });
    const needing = writing.filter((a) => !a.birth.iin);
    const allocated = await allocateIinsInBulk(
      tx,
      needing.map((a) => ({ dateOfBirth: a.birth.declaration.child.dateOfBirth, sex: a.birth.declaration.child.sex, recordId: a.recordId })),
      now,
      deps.rules.iin,
    );
    needing.forEach((a, i) => {
      a.birth.iin = allocated[i];
    });
    const actor = `system:import:${source}`.slice(0, 200);
    const items = writing.map(({ birth, kato, recordId }) => {
      const registration: Registration = {
        number: birth.number,
        iin: birth.iin!,
        officeId: birth.officeId,
        registeredOn: birth.registeredOn,
        timeliness: timelinessOf(birth.declaration.child.dateOfBirth, birth.registeredOn, deps.rules),
        citizenship: citizenshipAtBirth(birth.declaration, deps.rules.citizenship),
      };
      const payloads: BirthPayload[] = [
        { type: 'DECLARE', declaration: birth.declaration, jurisdiction: kato, missingDocuments: [], legacyRef: birth.ref },
        { type: 'VALIDATE' },
        { type: 'REGISTER', registration },
      ];
      return { recordId, actions: payloads.map((payload) => ({ type: payload.type, actor, officeId: birth.officeId, payload: payload as unknown as Json })) };
    });
    await createRecordsInBulk(tx, birthRecord, items, deps.clock);
    report.imported += items.length;
  });
}
