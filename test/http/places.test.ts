import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
});
afterAll(() => t.close());

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
  });
});
