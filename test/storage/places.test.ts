import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSyntheticPlaces } from '../../bench/synthetic-places.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import {
  countPlaces,
  findPlace,
  listChildren,
  listFacilities,
  listOffices,
  loadPackIntoDb,
  searchPlaces,
} from '../../src/places/store.ts';
import { openTestDb } from '../support/db.ts';

let db: Db;
const pack = loadPack('kz');

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, pack);
});
afterAll(() => db.close());

const names = async (q: string, extra: Partial<Parameters<typeof searchPlaces>[1]> = {}) =>
  (await searchPlaces(db, { q, limit: 20, ...extra })).items.map((p) => p.name.en);

describe('places from the country pack', () => {
  it('loads every place, office and facility, and loading again changes nothing', async () => {
    expect(await countPlaces(db)).toBe(pack.places.length);
    await loadPackIntoDb(db, pack);
    expect(await countPlaces(db)).toBe(pack.places.length);
    expect(await listOffices(db)).toHaveLength(pack.offices.length);
    expect((await listFacilities(db, '750000000')).every((f) => f.kato.startsWith('75'))).toBe(true);
  });

  it('finds places by a prefix of any word in Kazakh, Russian or English, ignoring case and Kazakh letters', async () => {
    expect(await names('Алм')).toEqual(
      expect.arrayContaining(['Almaty', 'Almaty Region', 'Almaly District']),
    );
    expect(await names('алма')).toEqual(expect.arrayContaining(['Almaty', 'Almaty Region']));
    expect(await names('ALM')).toEqual(expect.arrayContaining(['Almaty', 'Almaty Region']));
    expect(await names('Ақтөбе')).toEqual(await names('Актобе'));
    expect(await names('zhyrau')).toEqual(['Bukhar-Zhyrau District']);
    expect(await names('medeu d')).toEqual(['Medeu District']);
  });

  it('restricts to a level or to the inside of a place, and shows where a place lies', async () => {
    expect(await names('district', { within: '750000000', limit: 50 })).toHaveLength(8);
    expect(await names('алм', { level: 'region' })).toEqual(['Almaty Region', 'Almaty']);
    const kaskelen = (await searchPlaces(db, { q: 'Shamalgan', limit: 5 })).items[0]!;
    expect(kaskelen.path.map((p) => p.name.en)).toEqual([
      'Almaty Region',
      'Karasay District',
      'Kaskelen Rural Okrug',
    ]);
    expect((await findPlace(db, '750000000'))?.population).toBeGreaterThan(2_000_000);
    expect((await listChildren(db, null)).length).toBe(20);
  });

  it('pages through results with a cursor', async () => {
    const first = await searchPlaces(db, { q: 'district', limit: 10 });
    expect(first.next).not.toBeNull();
    const second = await searchPlaces(db, { q: 'district', limit: 10, cursor: first.next! });
    expect(second.items.map((p) => p.kato)).not.toContain(first.items[0]!.kato);
    await expect(searchPlaces(db, { q: 'almaty', limit: 10, cursor: first.next! })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('a large place list', () => {
  // bench/places.ts measures the full 150,000; a test keeps to a size that loads in seconds.
  it('loads 20,000 more places and still finds by prefix', async () => {
    const big = withSyntheticPlaces(pack, 20_000);
    await loadPackIntoDb(db, big);
    expect(await countPlaces(db)).toBe(big.places.length);
    const found = await searchPlaces(db, { q: 'Medeu', limit: 5 });
    expect(found.items.map((p) => p.name.en)).toContain('Medeu District');
    const villages = await searchPlaces(db, {
      q: 'kyzyl',
      level: 'settlement',
      within: '610000000',
      limit: 20,
    });
    expect(villages.items.length).toBe(20);
    expect(villages.items.every((p) => p.kato.startsWith('61') && p.level === 'settlement')).toBe(true);
  });
});
