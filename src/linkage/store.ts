import type { Queryable } from '../core/db/types.ts';
import { blockingKeys, dateWindows } from './blocking.ts';
import { subjectOf } from './names.ts';
import type { LinkageInput, LinkageSubject, PersonForms } from './subject.ts';

/**
 * What linkage stores about each birth: its facts as written (scoring works out the compared forms
 * from them), the blocking keys beside them, and one row per name for search. The births module
 * calls indexSubjects in the transaction of every write that changes a birth's facts, so the index
 * never disagrees with a committed record.
 */
export async function indexSubjects(tx: Queryable, inputs: readonly LinkageInput[], now: Date): Promise<void> {
  if (!inputs.length) return;
  const ids = inputs.map((i) => i.recordId);
  await tx.query('DELETE FROM linkage_names WHERE record_id = ANY($1::uuid[])', [ids]);
  await tx.query('DELETE FROM linkage_subjects WHERE record_id = ANY($1::uuid[])', [ids]);
  const subjects: unknown[][] = [];
  const names: unknown[][] = [];
  const at = now.toISOString();
  for (const input of inputs) {
    const subject = subjectOf(input);
    const keys = blockingKeys(subject);
    const { recordId, ...facts } = input;
    subjects.push([
      recordId,
      JSON.stringify(facts),
      input.child.dateOfBirth,
      input.child.sex ?? null,
      keys.childIin,
      keys.motherIin,
      keys.fatherIin,
      keys.facilityId,
      keys.childKey,
      keys.childGivenKey,
      keys.motherKey,
      at,
    ]);
    for (const [key, role, match] of nameKeys(subject)) names.push([key, recordId, role, match, input.placeKato]);
  }
  await tx.copyFrom(
    'linkage_subjects',
    ['record_id', 'facts', 'child_dob', 'child_sex', 'child_iin', 'mother_iin', 'father_iin', 'facility_id', 'child_key', 'child_given_key', 'mother_key', 'indexed_at'],
    subjects,
  );
  await tx.copyFrom('linkage_names', ['key', 'record_id', 'role', 'match', 'jurisdiction'], names);
}

export const roles = { child: 1, mother: 2, father: 3 } as const;
export type Role = keyof typeof roles;

/** The (phonetic key, role, match form) rows of a subject's names, without repeats. */
function nameKeys(subject: LinkageSubject): [string, number, string][] {
  const seen = new Set<string>();
  const rows: [string, number, string][] = [];
  const add = (person: PersonForms | undefined, role: number) => {
    for (const name of [person?.surname, person?.givenName, person?.patronymic]) {
      for (const key of name?.phonetic ?? []) {
        const id = `${key}\u0000${role}\u0000${name!.match}`;
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push([key, role, name!.match]);
      }
    }
  };
  add(subject.child, roles.child);
  add(subject.mother, roles.mother);
  add(subject.father, roles.father);
  return rows;
}

export interface StoredSubject {
  subject: LinkageSubject;
  status: string;
  jurisdiction: string;
}

interface SubjectRow {
  record_id: string;
  facts: Omit<LinkageInput, 'recordId'>;
  status: string;
  jurisdiction: string;
}

const toStored = (row: SubjectRow): StoredSubject => ({ subject: subjectOf({ recordId: row.record_id, ...row.facts }), status: row.status, jurisdiction: row.jurisdiction });

/**
 * The stored births a subject is compared with: the union of the blocking passes (blocking.ts),
 * each an indexed lookup capped at `limit` rows, so that a busy facility's day cannot crowd out the
 * mother's IIN or the child's names; archived and revoked records are no longer anyone's duplicate.
 */
export async function findCandidates(db: Queryable, subject: LinkageSubject, options: { windowDays: number; limit: number }): Promise<StoredSubject[]> {
  const keys = blockingKeys(subject);
  const windows = dateWindows(subject.child.dateOfBirth, options.windowDays);
  const pass = (where: string) => `(SELECT record_id FROM linkage_subjects WHERE ${where} AND record_id <> $12 LIMIT $13)`;
  const { rows } = await db.query<SubjectRow>(
    `SELECT s.record_id, s.facts, r.status, r.jurisdiction
       FROM linkage_subjects s JOIN records r ON r.id = s.record_id
      WHERE s.record_id IN (
              ${pass('mother_iin = $1')}
        UNION ${pass('child_iin = $2')}
        UNION ${pass('mother_key = $3 AND child_dob BETWEEN $4::date AND $5::date')}
        UNION ${pass('child_key = $6 AND child_dob BETWEEN $7::date AND $8::date')}
        UNION ${pass('child_given_key = $9 AND child_dob BETWEEN $7::date AND $8::date')}
        UNION ${pass('facility_id = $10 AND child_dob = $11::date')})
        AND r.status NOT IN ('ARCHIVED', 'REVOKED')`,
    [
      keys.motherIin,
      keys.childIin,
      keys.motherKey,
      windows.month.from,
      windows.month.to,
      keys.childKey,
      windows.near.from,
      windows.near.to,
      keys.childGivenKey,
      keys.facilityId,
      subject.child.dateOfBirth,
      subject.recordId,
      options.limit,
    ],
  );
  return rows.map(toStored);
}

/** Stored subjects by record id (those not indexed are left out). */
export async function findSubjects(db: Queryable, recordIds: readonly string[]): Promise<StoredSubject[]> {
  if (!recordIds.length) return [];
  const { rows } = await db.query<SubjectRow>(
    'SELECT s.record_id, s.facts, r.status, r.jurisdiction FROM linkage_subjects s JOIN records r ON r.id = s.record_id WHERE s.record_id = ANY($1::uuid[])',
    [recordIds],
  );
  return rows.map(toStored);
}
