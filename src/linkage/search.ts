import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, authorize } from '../access/policy.ts';
import type { Queryable } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { currentModel } from './matching.ts';
import { queryTokens } from './names.ts';
import type { LinkageModel } from './scoring.ts';
import type { LinkageSettings } from './settings.ts';
import { roles } from './store.ts';
import type { LinkageInput } from './subject.ts';

/**
 * Search over births: by the child's IIN (exact), by act number (exact), or by names in any script
 * (each word of the query found through its phonetic key, ranked by the model's weights: a
 * transliteration of the word above a spelling that only sounds alike), with filters. Cut to the
 * reader's jurisdiction in SQL before the page is; cursor-paginated; every search is audited.
 */
export interface SearchQuery {
  /** An IIN, an act number, or names (the child's, or a parent's). */
  q?: string;
  mother?: string;
  father?: string;
  motherIin?: string;
  fatherIin?: string;
  dobFrom?: string;
  dobTo?: string;
  sex?: 'male' | 'female';
  /** A KATO code: births registered in that place or under it. */
  place?: string;
  status?: string;
  office?: string;
  limit: number;
  cursor?: string;
}

export interface SearchHit {
  recordId: string;
  status: string;
  number: string | null;
  iin: string | null;
  jurisdiction: string;
  officeId: string | null;
  child: LinkageInput['child'];
  mother: LinkageInput['mother'] | null;
  father: LinkageInput['father'] | null;
  /** The name score (Σ log2 m/u of the words found); null when nothing was searched by name. */
  score: number | null;
  matchedBy: 'iin' | 'number' | 'name' | 'filters';
}

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

interface HitRow {
  id: string;
  status: string;
  number: string | null;
  subject_id: string | null;
  jurisdiction: string;
  office_id: string | null;
  facts: Omit<LinkageInput, 'recordId'>;
  score: number | null;
}

const hitOf = (r: HitRow, matchedBy: SearchHit['matchedBy']): SearchHit => ({
  recordId: r.id,
  status: r.status,
  number: r.number,
  iin: r.subject_id,
  jurisdiction: r.jurisdiction,
  officeId: r.office_id,
  child: r.facts.child,
  mother: r.facts.mother ?? null,
  father: r.facts.father ?? null,
  score: r.score === null ? null : Math.round(r.score * 100) / 100,
  matchedBy,
});

interface Cursor {
  score: number | null;
  id: string;
}

function readCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (typeof value.id === 'string' && /^[0-9a-f-]{36}$/.test(value.id) && (value.score === null || Number.isFinite(value.score))) return value;
  } catch {
    // Answered below.
  }
  throw new AppError('validation_failed', 'the cursor is not one this search gave', { field: 'cursor', hint: 'start again without a cursor' });
}

const writeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

/** The words of the name fields as (token, key, match, role) rows; a word with no key is left out. */
function nameRows(q: SearchQuery, words: string | undefined): { token: number[]; key: string[]; match: string[]; role: number[]; count: number } {
  const rows = { token: [] as number[], key: [] as string[], match: [] as string[], role: [] as number[], count: 0 };
  const add = (text: string | undefined, role: number) => {
    for (const forms of queryTokens(text ?? '').slice(0, 6)) {
      if (!forms.phonetic.length) continue;
      const token = rows.count++;
      for (const key of forms.phonetic) {
        rows.token.push(token);
        rows.key.push(key);
        rows.match.push(forms.match);
        rows.role.push(role);
      }
    }
  };
  add(words, 0);
  add(q.mother, roles.mother);
  add(q.father, roles.father);
  return rows;
}

function weight(model: LinkageModel, field: 'child_surname', level: string): number {
  const mu = model.weights[field]?.[level];
  return mu ? Math.log2(mu.m / mu.u) : 0;
}

/** Up to limit + 1 records, newest first, in which every word of the query is one of the names, as written or transliterated. */
async function transliterationPage(db: Queryable, names: ReturnType<typeof nameRows>, within: string, limit: number): Promise<Omit<HitRow, 'score'>[]> {
  const params: unknown[] = [within, limit + 1];
  const tokens: string[] = [];
  for (let token = 0; token < names.count; token++) {
    const i = names.token.indexOf(token);
    params.push(names.key[i], names.match[i], names.role[i]);
    const [k, m, r] = [params.length - 2, params.length - 1, params.length];
    tokens.push(`SELECT record_id FROM linkage_names WHERE key = $${k} AND match = $${m} AND ($${r}::int = 0 OR role = $${r}::int) AND jurisdiction LIKE $1`);
  }
  const { rows } = await db.query<Omit<HitRow, 'score'>>(
    // INTERSECT, not a join: each word's spellings are read once from the index and hashed, whatever
    // the planner guesses of a common name (a nested loop over two common names took seconds).
    `WITH ids AS (SELECT record_id FROM (${tokens.join(' INTERSECT ')}) words ORDER BY record_id DESC LIMIT $2)
     SELECT r.id, r.status, r.number, r.subject_id, r.jurisdiction, r.office_id, s.facts
       FROM ids JOIN records r ON r.id = ids.record_id JOIN linkage_subjects s ON s.record_id = r.id
      ORDER BY r.id DESC`,
    params,
  );
  return rows;
}

export async function searchBirths(db: Queryable, settings: LinkageSettings, actor: Actor | undefined, query: SearchQuery, ctx: RequestContext): Promise<SearchPage> {
  authorize(actor, 'record.read');
  const within = actor.kind === 'system' || actor.jurisdiction === null ? '' : significantPrefix(actor.jurisdiction);
  const cursor = readCursor(query.cursor);
  const text = query.q?.trim() ?? '';
  let kind: SearchHit['matchedBy'] = 'filters';
  let words: string | undefined;
  const where = [`r.type = 'birth'`, `r.jurisdiction LIKE $1`];
  const params: unknown[] = [`${within}%`];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (/^\d{12}$/.test(text)) {
    kind = 'iin';
    where.push(`r.subject_id = ${param(text)}`);
  } else if (text && /\d/.test(text)) {
    kind = 'number';
    where.push(`r.number = ${param(text)}`);
  } else if (text) {
    words = text;
  }
  if (query.motherIin) where.push(`s.mother_iin = ${param(query.motherIin)}`);
  if (query.fatherIin) where.push(`s.father_iin = ${param(query.fatherIin)}`);
  if (query.dobFrom) where.push(`s.child_dob >= ${param(query.dobFrom)}::date`);
  if (query.dobTo) where.push(`s.child_dob <= ${param(query.dobTo)}::date`);
  if (query.sex) where.push(`s.child_sex = ${param(query.sex)}`);
  if (query.place) where.push(`r.jurisdiction LIKE ${param(`${significantPrefix(query.place)}%`)}`);
  if (query.status) where.push(`r.status = ${param(query.status)}`);
  if (query.office) where.push(`r.office_id = ${param(query.office)}`);
  const names = nameRows(query, words);
  if (words !== undefined && names.count === 0 && !query.mother && !query.father) {
    throw new AppError('validation_failed', 'nothing to search for in these words', { field: 'q', hint: 'type a name, an IIN (12 digits) or an act number' });
  }
  if (kind === 'filters' && names.count === 0 && params.length === 1) {
    throw new AppError('validation_failed', 'say what to look for', { field: 'q', hint: 'a name, an IIN, an act number, or a filter such as the mother’s IIN or a date of birth range' });
  }
  // The first page of a plain name search: the records where every word is a transliteration of
  // one of their names, newest first, straight from the index; the ranked query below only when
  // these do not fill the page (or for filters, and the pages after).
  const onlyNames = params.length === 1 && kind === 'filters' && names.count > 0 && !cursor;
  if (onlyNames) {
    const model = await currentModel(db, settings);
    const page = await transliterationPage(db, names, params[0] as string, query.limit);
    if (page.length > query.limit) {
      const score = names.count * weight(model, 'child_surname', 'transliteration');
      const items = page.slice(0, query.limit).map((r) => hitOf({ ...r, score }, 'name'));
      await audit(db, ctx, { actor, event: 'records_searched', outcome: 'success', targetType: 'birth', details: { by: 'name', results: items.length } });
      return { items, nextCursor: writeCursor({ score, id: items.at(-1)!.recordId }) };
    }
  }
  const limit = param(query.limit + 1);
  let sql: string;
  if (names.count) {
    kind = kind === 'filters' ? 'name' : kind;
    const model = await currentModel(db, settings);
    const t = param(names.token);
    const k = param(names.key);
    const m = param(names.match);
    const ro = param(names.role);
    const [exactW, soundW] = [param(weight(model, 'child_surname', 'transliteration')), param(weight(model, 'child_surname', 'phonetic'))];
    const need = param(names.count);
    if (cursor) where.push(`(h.score, r.id) < (${param(cursor.score ?? 0)}::float8, ${param(cursor.id)}::uuid)`);
    sql = `WITH q AS (SELECT * FROM unnest(${t}::int[], ${k}::text[], ${m}::text[], ${ro}::int[]) AS q(token, key, match, role)),
      found AS (
        SELECT n.record_id, q.token, max(CASE WHEN n.match = q.match THEN ${exactW}::float8 ELSE ${soundW}::float8 END) AS w
          FROM q JOIN linkage_names n ON n.key = q.key AND (q.role = 0 OR n.role = q.role)
         GROUP BY n.record_id, q.token),
      h AS (SELECT record_id, sum(w) AS score FROM found GROUP BY record_id HAVING count(*) = ${need})
      SELECT r.id, r.status, r.number, r.subject_id, r.jurisdiction, r.office_id, s.facts, h.score
        FROM h JOIN records r ON r.id = h.record_id JOIN linkage_subjects s ON s.record_id = r.id
       WHERE ${where.join(' AND ')}
       ORDER BY h.score DESC, r.id DESC LIMIT ${limit}`;
  } else {
    if (cursor) where.push(`r.id < ${param(cursor.id)}::uuid`);
    sql = `SELECT r.id, r.status, r.number, r.subject_id, r.jurisdiction, r.office_id, s.facts, NULL::float8 AS score
             FROM records r JOIN linkage_subjects s ON s.record_id = r.id
            WHERE ${where.join(' AND ')}
            ORDER BY r.id DESC LIMIT ${limit}`;
  }
  const { rows } = await db.query<HitRow>(sql, params);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items = page.map((r) => hitOf(r, kind));
  await audit(db, ctx, { actor, event: 'records_searched', outcome: 'success', targetType: 'birth', details: { by: kind, results: items.length } });
  return { items, nextCursor: rows.length > query.limit && last ? writeCursor({ score: last.score, id: last.id }) : null };
}
