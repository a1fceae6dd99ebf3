import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors.ts';
import { type CsvRecord, readCsv } from './csv-reader.ts';
import { isPlaceCode, isWithin, type PlaceLevel, significantPrefix } from './hierarchy.ts';

export interface Names {
  kk: string;
  ru: string;
  en: string;
}

export interface Place {
  kato: string;
  parentKato: string | null;
  level: PlaceLevel;
  kind: string;
  name: Names;
  population: number | null;
  crudeBirthRate: number | null;
}

export interface Office {
  id: string;
  kind: string;
  kato: string;
  name: Names;
  address: string;
}

export interface Facility {
  id: string;
  kind: string;
  kato: string;
  name: Names;
}

/**
 * The columns of places, offices and facilities, one list each: the pack's CSV files carry them and
 * the tables they load into have them, in this order (the loader copies the rows below as they are).
 */
export const placeColumns = ['kato', 'parent_kato', 'level', 'kind', 'name_kk', 'name_ru', 'name_en', 'population', 'crude_birth_rate'] as const;
export const officeColumns = ['id', 'kind', 'kato', 'name_kk', 'name_ru', 'name_en', 'address'] as const;
export const facilityColumns = ['id', 'kind', 'kato', 'name_kk', 'name_ru', 'name_en'] as const;

export const placeRow = (p: Place) => [p.kato, p.parentKato, p.level, p.kind, p.name.kk, p.name.ru, p.name.en, p.population, p.crudeBirthRate];
export const officeRow = (o: Office) => [o.id, o.kind, o.kato, o.name.kk, o.name.ru, o.name.en, o.address];
export const facilityRow = (f: Facility) => [f.id, f.kind, f.kato, f.name.kk, f.name.ru, f.name.en];

/** pack.json: the country-wide settings (periods, IIN and naming rules) later modules read. */
export interface PackSettings {
  code: string;
  name: Names;
  languages: string[];
  defaultLanguage: string;
  timeZone: string;
  periods: { birthDeclarationWorkingDays: number; timeliness: { lateWithinDays: number } } & Record<
    string,
    unknown
  >;
  identityNumber: Record<string, unknown>;
  naming: Record<string, unknown>;
  /** Evidence per legal path and citizenship rules: parsed by the births module (births/rules.ts). */
  birthRegistration?: Record<string, unknown>;
  citizenshipAtBirth?: Record<string, unknown>;
  /** Weekend, fixed and moving public holidays: parsed by births/working-days.ts. */
  publicHolidays?: Record<string, unknown>;
}

export interface CountryPack {
  settings: PackSettings;
  places: Place[];
  offices: Office[];
  facilities: Facility[];
}

/** The pack's files as text, keyed by file name: parsing is pure, reading is the caller's business. */
export type PackFiles = Record<
  'pack.json' | 'regions.csv' | 'places.csv' | 'offices.csv' | 'facilities.csv',
  string
>;

const levels: readonly PlaceLevel[] = ['region', 'district', 'okrug', 'settlement'];

function fail(file: string, record: CsvRecord | undefined, column: string, message: string): never {
  const where = record ? `${file} line ${record.line}: ${column}` : `${file}: ${column}`;
  throw new AppError('validation_failed', `${where} ${message}`, {
    field: where,
    hint: `correct ${file} and load the pack again`,
  });
}

function requireColumns(file: string, header: string[], columns: readonly string[]): void {
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) fail(file, undefined, missing.join(', '), 'column is missing');
}

function text(file: string, r: CsvRecord, column: string): string {
  const value = r.values[column]?.trim() ?? '';
  if (!value) fail(file, r, column, 'is empty');
  return value;
}

function names(file: string, r: CsvRecord): Names {
  return { kk: text(file, r, 'name_kk'), ru: text(file, r, 'name_ru'), en: text(file, r, 'name_en') };
}

function code(file: string, r: CsvRecord, column: string): string {
  const value = text(file, r, column);
  if (!isPlaceCode(value)) fail(file, r, column, `must be a 9-digit KATO code, not "${value}"`);
  return value;
}

function optionalNumber(file: string, r: CsvRecord, column: string): number | null {
  const raw = r.values[column]?.trim();
  if (!raw) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    fail(file, r, column, `must be a non-negative number, not "${raw}"`);
  return value;
}

function parseSettings(json: string): PackSettings {
  let settings: PackSettings;
  try {
    settings = JSON.parse(json) as PackSettings;
  } catch (error) {
    return fail('pack.json', undefined, '', `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof settings.code !== 'string' || !/^[a-z]{2,3}$/.test(settings.code))
    fail('pack.json', undefined, 'code', 'must be a country code like kz');
  if (!Array.isArray(settings.languages) || settings.languages.length === 0)
    fail('pack.json', undefined, 'languages', 'must list the languages');
  if (!settings.languages.includes(settings.defaultLanguage))
    fail('pack.json', undefined, 'defaultLanguage', 'must be one of languages');
  try {
    new Intl.DateTimeFormat('en', { timeZone: settings.timeZone });
  } catch {
    fail('pack.json', undefined, 'timeZone', `"${settings.timeZone}" is not an IANA time zone`);
  }
  if (!Number.isInteger(settings.periods?.birthDeclarationWorkingDays)) {
    fail(
      'pack.json',
      undefined,
      'periods.birthDeclarationWorkingDays',
      'must be a whole number of working days',
    );
  }
  if (!Number.isInteger(settings.periods?.timeliness?.lateWithinDays)) {
    fail('pack.json', undefined, 'periods.timeliness.lateWithinDays', 'must be a whole number of days');
  }
  return settings;
}

/** Parses and checks a whole pack: codes, a parent for every place, levels, references. */
export function parsePack(files: PackFiles): CountryPack {
  const settings = parseSettings(files['pack.json']);
  const places: Place[] = [];
  const byCode = new Map<string, Place>();
  const add = (file: string, r: CsvRecord, place: Place) => {
    if (byCode.has(place.kato)) fail(file, r, 'kato', `${place.kato} appears twice`);
    byCode.set(place.kato, place);
    places.push(place);
  };

  const regions = readCsv(files['regions.csv']);
  // A region has no parent and is always a region; the other places have no statistics of their own.
  requireColumns('regions.csv', regions.header, placeColumns.filter((c) => c !== 'parent_kato' && c !== 'level'));
  for (const r of regions.records) {
    const kato = code('regions.csv', r, 'kato');
    if (significantPrefix(kato).length !== 2)
      fail('regions.csv', r, 'kato', `${kato} is not a top-level code (AB0000000)`);
    add('regions.csv', r, {
      kato,
      parentKato: null,
      level: 'region',
      kind: text('regions.csv', r, 'kind'),
      name: names('regions.csv', r),
      population: optionalNumber('regions.csv', r, 'population'),
      crudeBirthRate: optionalNumber('regions.csv', r, 'crude_birth_rate'),
    });
  }

  const rest = readCsv(files['places.csv']);
  requireColumns('places.csv', rest.header, placeColumns.filter((c) => c !== 'population' && c !== 'crude_birth_rate'));
  for (const r of rest.records) {
    const kato = code('places.csv', r, 'kato');
    const parentKato = code('places.csv', r, 'parent_kato');
    const level = text('places.csv', r, 'level') as PlaceLevel;
    if (!levels.includes(level) || level === 'region')
      fail('places.csv', r, 'level', 'must be district, okrug or settlement');
    add('places.csv', r, {
      kato,
      parentKato,
      level,
      kind: text('places.csv', r, 'kind'),
      name: names('places.csv', r),
      population: null,
      crudeBirthRate: null,
    });
  }
  // Parents are checked once every place is known, so the file's order does not matter.
  for (const [i, place] of places.entries()) {
    if (!place.parentKato) continue;
    const r = rest.records[i - regions.records.length]!;
    const parent = byCode.get(place.parentKato);
    if (!parent) fail('places.csv', r, 'parent_kato', `${place.parentKato} is not a known place`);
    if (levels.indexOf(parent.level) !== levels.indexOf(place.level) - 1) {
      fail('places.csv', r, 'level', `a ${place.level} cannot sit directly under a ${parent.level}`);
    }
    if (!isWithin(parent.kato, place.kato))
      fail('places.csv', r, 'kato', `${place.kato} does not start with its parent's digits (${parent.kato})`);
  }

  const known = (file: string, r: CsvRecord) => {
    const kato = code(file, r, 'kato');
    if (!byCode.has(kato)) fail(file, r, 'kato', `${kato} is not a known place`);
    return kato;
  };
  const ids = new Set<string>();
  const id = (file: string, r: CsvRecord) => {
    const value = text(file, r, 'id');
    if (ids.has(value)) fail(file, r, 'id', `${value} appears twice`);
    ids.add(value);
    return value;
  };
  const officeRows = readCsv(files['offices.csv']);
  requireColumns('offices.csv', officeRows.header, officeColumns);
  const offices = officeRows.records.map((r) => ({
    id: id('offices.csv', r),
    kind: text('offices.csv', r, 'kind'),
    kato: known('offices.csv', r),
    name: names('offices.csv', r),
    address: r.values.address?.trim() ?? '',
  }));
  const facilityRows = readCsv(files['facilities.csv']);
  requireColumns('facilities.csv', facilityRows.header, facilityColumns);
  const facilities = facilityRows.records.map((r) => ({
    id: id('facilities.csv', r),
    kind: text('facilities.csv', r, 'kind'),
    kato: known('facilities.csv', r),
    name: names('facilities.csv', r),
  }));
  return { settings, places, offices, facilities };
}

export const configDir = fileURLToPath(new URL('../../config/', import.meta.url));

const cache = new Map<string, CountryPack>();

/** Reads config/<code>/ and parses it (once per process). */
export function loadPack(code: string, dir: string = configDir): CountryPack {
  const key = path.join(dir, code);
  let pack = cache.get(key);
  if (!pack) {
    const read = (name: keyof PackFiles) => {
      const file = path.join(key, name);
      if (!fs.existsSync(file)) {
        throw new AppError('validation_failed', `country pack ${code}: ${name} is missing`, {
          field: `config/${code}/${name}`,
          hint: 'see config/kz/README.md for the files a pack holds',
        });
      }
      return fs.readFileSync(file, 'utf8');
    };
    pack = parsePack({
      'pack.json': read('pack.json'),
      'regions.csv': read('regions.csv'),
      'places.csv': read('places.csv'),
      'offices.csv': read('offices.csv'),
      'facilities.csv': read('facilities.csv'),
    });
    cache.set(key, pack);
  }
  return pack;
}
