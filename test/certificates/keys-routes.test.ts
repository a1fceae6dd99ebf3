import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeySet } from '../../src/certificates/codec/key-set.ts';
import { generateSigningKey, retireSigningKey } from '../../src/certificates/keys.ts';
import { openTestApp, type TestApp, testSigningPassphrase } from '../support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

describe('the published key set', () => {
  it('is an empty set before any key exists', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/certificates/keys' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ issuer: 'KZ', keys: [] });
  });

  it('answers anyone at the API and at the well-known URL alike, with every key’s public half only, cacheable for an hour from any origin', async () => {
    const old = await generateSigningKey(t.db, t.clock, { passphrase: testSigningPassphrase });
    t.clock.advance(60_000);
    await retireSigningKey(t.db, t.clock, old.kid);
    const current = await generateSigningKey(t.db, t.clock, { passphrase: testSigningPassphrase });
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/certificates/keys' });
    const wellKnown = await t.app.inject({ method: 'GET', url: '/.well-known/tirkeu-keys.json' });
    for (const res of [api, wellKnown]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.body).not.toMatch(/PRIVATE|private/);
    }
    expect(wellKnown.body).toBe(api.body);
    const set = parseKeySet(api.json());
    expect(set.keys.map((k) => [k.kid, k.retired])).toEqual([
      [current.kid, false],
      [old.kid, true],
    ]);
    expect(Object.keys(set.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'retired', 'use', 'validFrom', 'validTo', 'x']);
    expect(api.json()).toEqual(set);
  });
});
