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
    for (const part of chunks(pack.places, batch)) {
      const keys = new Set<string>();
      const rows: string[][] = [];
      for (const p of part) {
        for (const key of [p.name.kk, p.name.ru, p.name.en].flatMap(searchKeys)) {
          if (keys.has(`${key}\u0000${p.kato}`)) continue;
          keys.add(`${key}\u0000${p.kato}`);
          rows.push([key, p.kato]);
        }
      }
      await tx.copyFrom('place_search', ['key', 'kato'], rows);
      done += part.length;
      onProgress?.(done, pack.places.length * 2);
    }
    for (const o of pack.offices) await tx.query(upsert('offices', officeColumns), officeRow(o));
    for (const f of pack.facilities) await tx.query(upsert('health_facilities', facilityColumns), facilityRow(f));
  });
  // Fresh statistics after a bulk load, so the planner keeps to the key index from the first search.
  await db.exec('ANALYZE places, place_search');
}

/** How many places the database holds (0 means the pack was never loaded). */
export async function countPlaces(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM places');
  return rows[0]!.n;
}

async function withPaths(db: Queryable, places: Place[]): Promise<PlaceRow[]> {
  const wanted = [...new Set(places.flatMap((p) => ancestorCodes(p.kato)))];
  const names = new Map<string, Names>();
  if (wanted.length) {
    const { rows } = await db.query<{ kato: string; name_kk: string; name_ru: string; name_en: string }>(
      'SELECT kato, name_kk, name_ru, name_en FROM places WHERE kato = ANY($1::text[])',
      [wanted],
    );
    for (const r of rows) names.set(r.kato, { kk: r.name_kk, ru: r.name_ru, en: r.name_en });
  }
  return places.map((p) => ({
    ...p,
    path: ancestorCodes(p.kato).flatMap((kato) =>
      names.has(kato) ? [{ kato, name: names.get(kato)! }] : [],
    ),
  }));
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

/**
 * Prefix search over every name in every language. The index is scanned in key order from the
 * prefix and stops after one page, so the cost does not grow with the size of the register.
 */
export async function searchPlaces(
  db: Queryable,
  s: PlaceSearch,
): Promise<{ items: PlaceRow[]; next: string | null }> {
  const prefix = normaliseName(s.q);
  if (!prefix) throw new AppError('validation_failed', 'type at least one letter or digit', { field: 'q' });
  // Without a cursor, start right at the prefix: the row comparison sets where the index scan begins.
  let after = { key: prefix, kato: '' };
  if (s.cursor) {
    const [key, kato] = Buffer.from(s.cursor, 'base64url').toString('utf8').split('\u0000');
    if (!key?.startsWith(prefix) || !kato)
      throw new AppError('validation_failed', 'cursor does not belong to this search', { field: 'cursor' });
    after = { key, kato };
  }
  const within = s.within ? `${significantPrefix(s.within)}%` : null;
  const { rows } = await db.query<{ key: string } & RawPlace>(
    `SELECT ps.key, ${placeSelect('p')}
     FROM place_search ps JOIN places p ON p.kato = ps.kato
     WHERE ps.key >= $1 AND ps.key < $2 AND (ps.key, ps.kato) > ($3, $4)
       AND ($5::text IS NULL OR p.level = $5) AND ($6::text IS NULL OR ps.kato LIKE $6)
     ORDER BY ps.key, ps.kato LIMIT $7`,
    [prefix, `${prefix}\u{10FFFF}`, after.key, after.kato, s.level ?? null, within, s.limit],
  );
  const seen = new Set<string>();
  const places: Place[] = [];
  for (const { key: _, ...r } of rows) {
    if (seen.has(r.kato)) continue;
    seen.add(r.kato);
    places.push(fromRaw(r));
  }
  const last = rows.at(-1);
  return {
    items: await withPaths(db, places),
    next:
      rows.length === s.limit && last
        ? Buffer.from(`${last.key}\u0000${last.kato}`).toString('base64url')
        : null,
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

async function queryFacilities(db: Queryable, where: string, params: unknown[]): Promise<Facility[]> {
  const { rows } = await db.query<
    Omit<Facility, 'name'> & { name_kk: string; name_ru: string; name_en: string }
  >(`SELECT ${facilityColumns.join(', ')} FROM health_facilities WHERE ${where} ORDER BY id`, params);
  return rows.map(({ name_kk, name_ru, name_en, ...f }) => ({
    ...f,
    name: { kk: name_kk, ru: name_ru, en: name_en },
  }));
}
