import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSyntheticPlaces } from '../../bench/synthetic-places.ts';
import { isWithin } from '../../src/places/hierarchy.ts';
import { normaliseName, searchKeys } from '../../src/places/names.ts';
import { loadPack, type Place } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
});
afterAll(() => t.close());

const get = async (url: string) => {
  const res = await t.app.inject(url);
  return { status: res.statusCode, body: res.json() };
};

describe('places over HTTP', () => {
  it('searches by prefix and pages with a cursor', async () => {
    const res = await t.app.inject('/api/v1/places?q=алм&limit=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // A page holds up to limit matching names; a place matching twice (two languages) is shown once.
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.next).toEqual(expect.any(String));
    const next = await t.app.inject(`/api/v1/places?q=алм&limit=2&cursor=${body.next}`);
    expect(next.json().items[0].kato).not.toBe(body.items[0].kato);
  });

  it('ignores case and the Kazakh letters typed without a Kazakh keyboard', async () => {
    const akmola = '110000000';
    for (const q of ['Ақм', 'ақм', 'АҚМ', 'Акм', 'акмол', 'Ақмола обл', 'akm', 'AKMOLA']) {
      const { body } = await get(`/api/v1/places?q=${encodeURIComponent(q)}&level=region`);
      expect(body.items.map((p: Place) => p.kato), q).toEqual([akmola]);
    }
    const { body } = await get(`/api/v1/places?q=${encodeURIComponent('Түркіст')}&level=region`);
    expect(body.items.map((p: Place) => p.name.ru)).toEqual(['Туркестанская область']);
  });

  it('gives one place with its path, its children, offices and facilities', async () => {
    const medeu = await t.app.inject('/api/v1/places/751600000');
    expect(medeu.json()).toMatchObject({ name: { en: 'Medeu District' }, path: [{ kato: '750000000' }] });
    expect((await t.app.inject('/api/v1/places/750000000/children')).json().items).toHaveLength(8);
    expect((await t.app.inject('/api/v1/offices?within=710000000')).json().items.length).toBeGreaterThan(0);
    expect((await t.app.inject('/api/v1/facilities?within=750000000')).json().items.length).toBeGreaterThan(
      0,
    );
  });

  it('names the bad parameter', async () => {
    const bad = await t.app.inject('/api/v1/places/12345');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'params.kato' });
    const missing = await t.app.inject('/api/v1/places/999999999');
    expect(missing.statusCode).toBe(404);
    expect((await t.app.inject('/api/v1/places?q=')).json()).toMatchObject({ field: 'querystring.q' });
    expect((await get('/api/v1/places?q=%20-%20')).body).toMatchObject({ code: 'validation_failed', field: 'q' });
  });
});

describe('facilities by name', () => {
  it('finds facilities by the start of a word in any language, with the place they stand in', async () => {
    const ids = async (query: string) =>
      (await get(`/api/v1/facilities?${query}`)).body.items.map((f: { id: string }) => f.id);
    expect(await ids('q=перинат')).toEqual(expect.arrayContaining(['kz-hf-75-001', 'kz-hf-71-001', 'kz-hf-61-002']));
    expect(await ids(`q=${encodeURIComponent('ПЕРЗЕНТ')}`)).toEqual(await ids(`q=${encodeURIComponent('перзент')}`));
    expect(await ids(`q=${encodeURIComponent('Сарыағаш')}`)).toEqual(['kz-hf-61-001']);
    expect(await ids('q=maternity&within=750000000')).toEqual(['kz-hf-75-002']);
    const { body } = await get('/api/v1/facilities?q=perinatal&within=750000000');
    expect(body.items[0]).toMatchObject({ id: 'kz-hf-75-001', path: [{ kato: '750000000' }, { kato: '751300000' }] });
    expect(body.next).toBeNull();
  });

  it('pages, and gives one facility by its id', async () => {
    const first = await get('/api/v1/facilities?q=p&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await get(`/api/v1/facilities?q=p&limit=1&cursor=${first.body.next}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await get(`/api/v1/facilities?q=m&cursor=${first.body.next}`)).body).toMatchObject({ field: 'cursor' });
    const one = await get('/api/v1/facilities/kz-hf-71-001');
    expect(one.body).toMatchObject({ kind: 'perinatal_centre', name: { en: 'Multi-profile Perinatal Centre No. 1' }, path: [{ kato: '710000000' }, { kato: '711300000' }] });
    expect((await get('/api/v1/facilities/kz-hf-00-000')).status).toBe(404);
  });
});

describe('narrowed searches over a large list', () => {
  // Every narrowing reads its own index (0014); walking all pages must give exactly the places a
  // plain filter over the list gives.
  const pack = withSyntheticPlaces(loadPack('kz'), 6_000);
  beforeAll(() => loadPackIntoDb(t.db, pack));

  const expected = (q: string, level?: string, within?: string) =>
    new Set(
      pack.places
        .filter((p) => [p.name.kk, p.name.ru, p.name.en].flatMap(searchKeys).some((k) => k.startsWith(normaliseName(q))))
        .filter((p) => !level || p.level === level)
        .filter((p) => !within || isWithin(within, p.kato))
        .map((p) => p.kato),
    );

  async function walk(q: string, level?: string, within?: string): Promise<Set<string>> {
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ q, limit: '50', ...(level ? { level } : {}), ...(within ? { within } : {}), ...(cursor ? { cursor } : {}) });
      const { status, body } = await get(`/api/v1/places?${query}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(50);
      for (const p of body.items as Place[]) found.add(p.kato);
      cursor = body.next;
    } while (cursor);
    return found;
  }

  const district = '615000000';
  const okrug = '615001000';
  const cases: [string, string | undefined, string | undefined][] = [
    ['Қара', undefined, '610000000'],
    ['kara', 'okrug', '610000000'],
    ['ауданы', 'district', undefined],
    ['А', 'region', undefined],
    ['с', 'settlement', district],
    ['ауыл', undefined, okrug],
    ['VILLAGE', undefined, '615001004'],
    ['район', 'district', '190000000'],
  ];
  it.each(cases)('q=%s level=%s within=%s', async (q, level, within) => {
    const want = expected(q, level, within);
    expect(want.size).toBeGreaterThan(0);
    expect(await walk(q, level, within)).toEqual(want);
  });
});
