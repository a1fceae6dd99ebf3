import { describe, expect, it } from 'vitest';
import { keptKeySet } from './published-keys.ts';

const key = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  kid: '00112233aabbccdd',
  alg: 'EdDSA',
  use: 'sig',
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2031-01-01T00:00:00Z',
  retired: false,
};

describe('a key set kept on the device', () => {
  it('is taken when it has the published shape', () => {
    expect(keptKeySet({ issuer: 'KZ', keys: [key] })).toEqual({ issuer: 'KZ', keys: [key] });
    expect(keptKeySet({ issuer: 'KZ', keys: [] })).toEqual({ issuer: 'KZ', keys: [] });
  });

  it('is ignored when damaged or foreign', () => {
    for (const value of [null, 'KZ', [], { keys: [key] }, { issuer: 'KZ' }, { issuer: 'KZ', keys: [null] }, { issuer: 'KZ', keys: [{ ...key, x: 1 }] }, { issuer: 'KZ', keys: [{ ...key, x: 'AAAA' }] }]) {
      expect(keptKeySet(value)).toBeNull();
    }
  });
});
