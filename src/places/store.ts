import type { Db, Queryable } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { ancestorCodes, isPlaceCode, significantPrefix } from './hierarchy.ts';
import { normaliseName, searchKeys } from './names.ts';
import {
  type CountryPack,
  type Facility,
  facilityColumns,
  facilityRow,
  type Names,
  type Office,
  officeColumns,
  officeRow,
  type Place,
  placeColumns,
  placeRow,
} from './pack.ts';

export interface PlaceRow extends Place {
  /** The containing units from the region down, for display ("Almaty › Medeu District"). */
  path: { kato: string; name: Names }[];
}

const placeSelect = (
  t: string,
) => `${t}.kato, ${t}.parent_kato AS "parentKato", ${t}.level, ${t}.kind, ${t}.name_kk,
  ${t}.name_ru, ${t}.name_en, ${t}.population, ${t}.crude_birth_rate::float8 AS "crudeBirthRate"`;

type RawPlace = Omit<Place, 'name'> & { name_kk: string; name_ru: string; name_en: string };

function fromRaw(r: RawPlace): Place {
  const { name_kk, name_ru, name_en, ...rest } = r;
  return { ...rest, name: { kk: name_kk, ru: name_ru, en: name_en } };
}

const batch = 5_000;

/** `col = excluded.col` for every column but the key: a reloaded pack updates rows in place. */
const updateAll = (columns: readonly string[], key: string) =>
  columns.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`).join(', ');

/** An insert-or-update of one row keyed by its first column (id). */
const upsert = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
   ON CONFLICT (${columns[0]}) DO UPDATE SET ${updateAll(columns, columns[0]!)}`;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Loads a country pack into the database in one transaction. Safe to run again: places, offices
 * and facilities are upserted, so records that point at them stay valid; search keys are rebuilt.
 */
export async function loadPackIntoDb(
  db: Db,
  pack: CountryPack,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec('CREATE TEMP TABLE staged_places (LIKE places INCLUDING DEFAULTS) ON COMMIT DROP');
    let done = 0;
    for (const part of chunks(pack.places, batch)) {
      await tx.copyFrom('staged_places', placeColumns, part.map(placeRow));
      done += part.length;
      onProgress?.(done, pack.places.length * 2);
    }
    // Parents first: ordering by the length of the significant code puts regions before districts.
    await tx.exec(`INSERT INTO places (${placeColumns.join(', ')}) SELECT ${placeColumns.join(', ')} FROM staged_places
      ORDER BY length(rtrim(kato, '0')), kato
      ON CONFLICT (kato) DO UPDATE SET ${updateAll(placeColumns, 'kato')}`);
    await tx.exec('DELETE FROM place_search WHERE kato IN (SELECT kato FROM staged_places)');
    const deferred = await deferSearchIndexes(tx);
    for (const part of chunks(pack.places, batch)) {
      const rows = part.flatMap((p) => nameKeys(p.name).map((key) => [key, p.kato, p.level]));
      await tx.copyFrom('place_search', ['key', 'kato', 'level'], rows);
      done += part.length;
      onProgress?.(done, pack.places.length * 2);
    }
    for (const definition of deferred) await tx.exec(definition);
    for (const o of pack.offices) await tx.query(upsert('offices', officeColumns), officeRow(o));
    for (const f of pack.facilities) await tx.query(upsert('health_facilities', facilityColumns), facilityRow(f));
    await indexFacilities(tx, pack.facilities);
  });
  // Fresh statistics after a bulk load, so the planner keeps to the key indexes from the first search.
  await db.exec('ANALYZE places, place_search, facility_search');
}

/**
 * Into an empty key table (a first load), the narrowing indexes (0014) are built once the keys are
 * in, by one sort each: growing three indexes key by key made loading 150,000 places half as long
 * again (PGlite: 39 s instead of 26 s). Returns the definitions to run after the load.
 */
async function deferSearchIndexes(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'place_search' AND indexname <> 'place_search_pkey'
       AND NOT EXISTS (SELECT 1 FROM place_search)`,
  );
  for (const index of rows) await tx.exec(`DROP INDEX ${index.name}`);
  return rows.map((index) => index.definition);
}

/** The search keys of a place or facility in its three languages, each once. */
function nameKeys(name: Names): string[] {
  return [...new Set([name.kk, name.ru, name.en].flatMap(searchKeys))];
}

async function indexFacilities(db: Queryable, facilities: readonly Facility[]): Promise<void> {
  await db.query('DELETE FROM facility_search WHERE facility_id = ANY($1::text[])', [facilities.map((f) => f.id)]);
  await db.copyFrom(
    'facility_search',
    ['key', 'facility_id'],
    facilities.flatMap((f) => nameKeys(f.name).map((key) => [key, f.id])),
  );
}

/**
 * Whether the server must load the pack at start: never loaded, or loaded before facilities had
 * search keys (0014), which only the loader can make. Loading again is safe (see loadPackIntoDb).
 */
export async function packNeedsLoading(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ unloaded: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM places)
       OR (EXISTS (SELECT 1 FROM health_facilities) AND NOT EXISTS (SELECT 1 FROM facility_search)) AS unloaded`,
  );
  return rows[0]!.unloaded;
}

/** How many places the database holds (0 means the pack was never loaded). */
export async function countPlaces(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM places');
  return rows[0]!.n;
}

async function placeNames(db: Queryable, katos: Iterable<string>): Promise<Map<string, Names>> {
  const wanted = [...new Set(katos)];
  const names = new Map<string, Names>();
  if (!wanted.length) return names;
  const { rows } = await db.query<{ kato: string; name_kk: string; name_ru: string; name_en: string }>(
    'SELECT kato, name_kk, name_ru, name_en FROM places WHERE kato = ANY($1::text[])',
    [wanted],
  );
  for (const r of rows) names.set(r.kato, { kk: r.name_kk, ru: r.name_ru, en: r.name_en });
  return names;
}

function pathOf(names: Map<string, Names>, katos: string[]): PlaceRow['path'] {
  return katos.flatMap((kato) => (names.has(kato) ? [{ kato, name: names.get(kato)! }] : []));
}

async function withPaths(db: Queryable, places: Place[]): Promise<PlaceRow[]> {
  const names = await placeNames(db, places.flatMap((p) => ancestorCodes(p.kato)));
  return places.map((p) => ({ ...p, path: pathOf(names, ancestorCodes(p.kato)) }));
}

export async function findPlace(db: Queryable, kato: string): Promise<PlaceRow | undefined> {
  if (!isPlaceCode(kato)) return undefined;
  const { rows } = await db.query<RawPlace>(`SELECT ${placeSelect('p')} FROM places p WHERE kato = $1`, [
    kato,
  ]);
  if (!rows[0]) return undefined;
  return (await withPaths(db, [fromRaw(rows[0])]))[0];
}

export async function getPlace(db: Queryable, kato: string): Promise<PlaceRow> {
  const place = await findPlace(db, kato);
  if (!place) throw new AppError('not_found', `no place with code ${kato}`, { field: 'kato' });
  return place;
}

export async function listChildren(db: Queryable, kato: string | null): Promise<Place[]> {
  const { rows } = await db.query<RawPlace>(
    `SELECT ${placeSelect('p')} FROM places p WHERE parent_kato IS NOT DISTINCT FROM $1 ORDER BY name_en`,
    [kato],
  );
  return rows.map(fromRaw);
}

export interface PlaceSearch {
  q: string;
  level?: string;
  /** Only places inside this one. */
  within?: string;
  limit: number;
  /** From a previous page's `next`. */
  cursor?: string;
}

/** Where a page of keys starts: just after the last row of the previous page. */
function searchCursor(key: string, id: string): string {
  return Buffer.from(`${key}\u0000${id}`).toString('base64url');
}

function readCursor(prefix: string, cursor: string | undefined): { key: string; id: string } {
  // Without a cursor, start right at the prefix: the row comparison sets where the index scan begins.
  if (!cursor) return { key: prefix, id: '' };
  const [key, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000');
  if (!key?.startsWith(prefix) || !id)
    throw new AppError('validation_failed', 'cursor does not belong to this search', { field: 'cursor' });
  return { key, id };
}

function searchPrefix(q: string): string {
  const prefix = normaliseName(q);
  if (!prefix) throw new AppError('validation_failed', 'type at least one letter or digit', { field: 'q' });
  return prefix;
}

/**
 * One page of distinct things from rows in key order. A thing found under two keys (its Kazakh and
 * Russian names) counts once, so twice the page is read; the cursor follows the last row used.
 */
function pageOf<R extends { key: string }>(rows: R[], idOf: (r: R) => string, limit: number, read: number) {
  const seen = new Set<string>();
  const items: R[] = [];
  let used = 0;
  for (const row of rows) {
    if (items.length === limit) break;
    used++;
    if (seen.has(idOf(row))) continue;
    seen.add(idOf(row));
    items.push(row);
  }
  const last = rows[used - 1];
  const more = used < rows.length || rows.length === read;
  return { items, next: more && last ? searchCursor(last.key, idOf(last)) : null };
}

/**
 * Prefix search over every name in every language. Each search is one index range read in key
 * order that stops after a page, so its cost does not grow with the size of the register: the
 * plain search reads the key index, a level the level's, an area its region's or district's
 * (0014); a rural okrug or a settlement is then a filter inside its district.
 */
export async function searchPlaces(
  db: Queryable,
  s: PlaceSearch,
): Promise<{ items: PlaceRow[]; next: string | null }> {
  const prefix = searchPrefix(s.q);
  const after = readCursor(prefix, s.cursor);
  const read = s.limit * 2;
  const params: unknown[] = [prefix, `${prefix}\u{10FFFF}`, after.key, after.id, read];
  const where = ['ps.key >= $1', 'ps.key < $2', '(ps.key, ps.kato) > ($3, $4)'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (s.level) where.push(`ps.level = ${param(s.level)}`);
  if (s.within) {
    const area = significantPrefix(s.within);
    const indexed = area.length >= 4 ? 4 : 2;
    where.push(`left(ps.kato, ${indexed}) = ${param(area.slice(0, indexed))}`);
    if (area.length > indexed) where.push(`ps.kato LIKE ${param(`${area}%`)}`);
  }
  const { rows } = await db.query<{ key: string } & RawPlace>(
    `SELECT ps.key, ${placeSelect('p')}
     FROM place_search ps JOIN places p ON p.kato = ps.kato
     WHERE ${where.join(' AND ')}
     ORDER BY ps.key, ps.kato LIMIT $5`,
    params,
  );
  const page = pageOf(rows, (r) => r.kato, s.limit, read);
  return {
    items: await withPaths(db, page.items.map(({ key: _, ...r }) => fromRaw(r))),
    next: page.next,
  };
}

async function queryOffices(db: Queryable, where: string, params: unknown[]): Promise<Office[]> {
  const { rows } = await db.query<
    Omit<Office, 'name'> & { name_kk: string; name_ru: string; name_en: string }
  >(
    `SELECT ${officeColumns.join(', ')} FROM offices WHERE ${where} ORDER BY id`,
    params,
  );
  return rows.map(({ name_kk, name_ru, name_en, ...o }) => ({
    ...o,
    name: { kk: name_kk, ru: name_ru, en: name_en },
  }));
}

export function listOffices(db: Queryable, within?: string): Promise<Office[]> {
  return queryOffices(db, '$1::text IS NULL OR kato LIKE $1', [
    within ? `${significantPrefix(within)}%` : null,
  ]);
}

export async function findOffice(db: Queryable, id: string): Promise<Office | undefined> {
  return (await queryOffices(db, 'id = $1', [id]))[0];
}

export function listFacilities(db: Queryable, within?: string): Promise<Facility[]> {
  return queryFacilities(db, '$1::text IS NULL OR kato LIKE $1', [within ? `${significantPrefix(within)}%` : null]);
}

export async function findFacility(db: Queryable, id: string): Promise<Facility | undefined> {
  return (await queryFacilities(db, 'id = $1', [id]))[0];
}

export interface FacilityRow extends Facility {
  /** The place it stands in, from the region down to that place itself. */
  path: PlaceRow['path'];
}

async function facilityPaths(db: Queryable, facilities: Facility[]): Promise<FacilityRow[]> {
  const lineage = (kato: string) => [...ancestorCodes(kato), kato];
  const names = await placeNames(db, facilities.flatMap((f) => lineage(f.kato)));
  return facilities.map((f) => ({ ...f, path: pathOf(names, lineage(f.kato)) }));
}

export async function getFacility(db: Queryable, id: string): Promise<FacilityRow> {
  const facility = await findFacility(db, id);
  if (!facility) throw new AppError('not_found', `no health facility ${id}`, { field: 'id' });
  return (await facilityPaths(db, [facility]))[0]!;
}

export interface FacilitySearch {
  q: string;
  within?: string;
  limit: number;
  cursor?: string;
}

/** Facilities by the start of any word of their name in any language, as searchPlaces does for places. */
export async function searchFacilities(
  db: Queryable,
  s: FacilitySearch,
): Promise<{ items: FacilityRow[]; next: string | null }> {
  const prefix = searchPrefix(s.q);
  const after = readCursor(prefix, s.cursor);
  const read = s.limit * 2;
  const { rows } = await db.query<{ key: string } & RawFacility>(
    `SELECT fs.key, ${facilityColumns.map((c) => `f.${c}`).join(', ')}
     FROM facility_search fs JOIN health_facilities f ON f.id = fs.facility_id
     WHERE fs.key >= $1 AND fs.key < $2 AND (fs.key, fs.facility_id) > ($3, $4)
       AND ($5::text IS NULL OR f.kato LIKE $5)
     ORDER BY fs.key, fs.facility_id LIMIT $6`,
    [prefix, `${prefix}\u{10FFFF}`, after.key, after.id, s.within ? `${significantPrefix(s.within)}%` : null, read],
  );
  const page = pageOf(rows, (r) => r.id, s.limit, read);
  return { items: await facilityPaths(db, page.items.map(({ key: _, ...r }) => facilityOf(r))), next: page.next };
}

type RawFacility = Omit<Facility, 'name'> & { name_kk: string; name_ru: string; name_en: string };

function facilityOf({ name_kk, name_ru, name_en, ...f }: RawFacility): Facility {
  return { ...f, name: { kk: name_kk, ru: name_ru, en: name_en } };
}

async function queryFacilities(db: Queryable, where: string, params: unknown[]): Promise<Facility[]> {
  const { rows } = await db.query<RawFacility>(
    `SELECT ${facilityColumns.join(', ')} FROM health_facilities WHERE ${where} ORDER BY id`,
    params,
  );
  return rows.map(facilityOf);
}
