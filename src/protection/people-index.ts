import type { Tx } from '../core/db/types.ts';
import { nameForms } from '../linkage/names.ts';

/**
 * The people a protection case or a tracing request names, indexed for family tracing: one row per
 * person, and one row per phonetic key of each of their names (record linkage's forms), so a name
 * written in Latin finds the same name written in Kazakh or Russian Cyrillic. Called in the
 * transaction of every action that changes who a case or request names, or its tracing consent.
 */
export const personRoles = ['child', 'mother', 'father', 'sibling', 'relative', 'caregiver', 'sought', 'requester'] as const;
export type PersonRole = (typeof personRoles)[number];

export interface PersonFacts {
  role: PersonRole;
  surname?: string;
  givenName?: string;
  patronymic?: string;
  sex?: 'male' | 'female';
  /** Known exactly, or a range worked out from an approximate age. */
  dateOfBirth?: string;
  bornFrom?: string;
  bornTo?: string;
  /** Where the person was last known to be (free text as stated, or a KATO code). */
  lastSeenPlace?: string;
}

export interface IndexedSubject {
  id: string;
  kind: 'case' | 'tracing';
  jurisdiction: string;
  tracingConsent: boolean;
  people: readonly PersonFacts[];
}

/** Replaces what the index holds for the subject. */
export async function indexPeople(tx: Tx, subject: IndexedSubject): Promise<void> {
  await tx.query('DELETE FROM protection_people WHERE subject_id = $1', [subject.id]);
  for (const [person, facts] of subject.people.entries()) {
    await tx.query(
      `INSERT INTO protection_people (subject_id, person, kind, role, jurisdiction, consent, sex, born_from, born_to, facts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [subject.id, person, subject.kind, facts.role, subject.jurisdiction, subject.tracingConsent, facts.sex ?? null, facts.bornFrom ?? facts.dateOfBirth ?? null, facts.bornTo ?? facts.dateOfBirth ?? null, JSON.stringify(facts)],
    );
    const keys = new Map<string, string>();
    for (const written of [facts.surname, facts.givenName, facts.patronymic]) {
      const forms = nameForms(written);
      if (forms) for (const key of forms.phonetic) keys.set(`${key}\u0000${forms.match}`, forms.match);
    }
    for (const [pair, match] of keys) {
      await tx.query('INSERT INTO protection_person_names (key, match, subject_id, person) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [pair.split('\u0000')[0], match, subject.id, person]);
    }
  }
}
