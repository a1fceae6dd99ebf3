import type { Queryable } from '../core/db/types.ts';
import { queryTokens } from './names.ts';
import { type Role, roles } from './store.ts';
import type { LinkageInput } from './subject.ts';

/**
 * Births by a person's names, for family tracing (src/protection/tracing.ts): the births in which
 * someone of the given role (the child, the mother, the father) has every one of the given names
 * (up to three words), in any script — each word found through its phonetic keys in linkage_names,
 * as search does. Returns linkage's copy of each birth's facts, so the protection module reads no
 * table of the births module. Archived and revoked records (duplicates, errors) are left out.
 */
export interface PersonNameQuery {
  role: Role;
  /** Names as written (surname, given name, patronymic, any order); blank ones are ignored. */
  names: readonly (string | undefined)[];
  /** Only births of a child born in this range (for the child role, or to narrow by the child's age). */
  childBornFrom?: string;
  childBornTo?: string;
  limit: number;
}

export interface BirthPerson {
  recordId: string;
  jurisdiction: string;
  status: string;
  facts: Omit<LinkageInput, 'recordId'>;
}

interface Row {
  record_id: string;
  jurisdiction: string;
  status: string;
  facts: Omit<LinkageInput, 'recordId'>;
}

/** The words of the names, each as its phonetic keys (a word with none is left out); at most three words. */
function wordKeys(names: readonly (string | undefined)[]): string[][] {
  const words: string[][] = [];
  const seen = new Set<string>();
  for (const name of names) {
    for (const forms of queryTokens(name ?? '')) {
      if (!forms.phonetic.length || seen.has(forms.match)) continue;
      seen.add(forms.match);
      words.push([...forms.phonetic]);
    }
  }
  return words.slice(0, 3);
}

/**
 * Up to `limit` births per query (the union of the queries, each birth once). A query with no
 * usable name finds nothing: tracing never lists births by age alone.
 */
export async function findBirthsByPersonNames(db: Queryable, queries: readonly PersonNameQuery[]): Promise<BirthPerson[]> {
  const passes: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const q of queries) {
    const words = wordKeys(q.names);
    if (!words.length) continue;
    const role = param(roles[q.role]);
    // INTERSECT, as search does: each word's spellings read once from the index and hashed.
    const ids = words.map((keys) => `SELECT record_id FROM linkage_names WHERE key = ANY(${param(keys)}::text[]) AND role = ${role}`).join(' INTERSECT ');
    const dob = [
      q.childBornFrom ? `s.child_dob >= ${param(q.childBornFrom)}::date` : '',
      q.childBornTo ? `s.child_dob <= ${param(q.childBornTo)}::date` : '',
    ].filter(Boolean);
    passes.push(
      `(SELECT s.record_id FROM (${ids}) w JOIN linkage_subjects s ON s.record_id = w.record_id${dob.length ? ` WHERE ${dob.join(' AND ')}` : ''} LIMIT ${param(q.limit)})`,
    );
  }
  if (!passes.length) return [];
  const { rows } = await db.query<Row>(
    `SELECT s.record_id, r.jurisdiction, r.status, s.facts
       FROM linkage_subjects s JOIN records r ON r.id = s.record_id
      WHERE s.record_id IN (${passes.join(' UNION ')})
        AND r.status NOT IN ('ARCHIVED', 'REVOKED')
      ORDER BY s.record_id`,
    params,
  );
  return rows.map((r) => ({ recordId: r.record_id, jurisdiction: r.jurisdiction, status: r.status, facts: r.facts }));
}
