import { describe, expect, it } from 'vitest';
import { parseKeySet } from './published-keys.ts';

const key = { kty: 'OKP', crv: 'Ed25519', x: 'm5Yt3yA1r0b5C1M4pQ', kid: '00112233aabbccdd', alg: 'EdDSA', use: 'sig', validFrom: '2026-01-01T00:00:00Z', validTo: '2031-01-01T00:00:00Z', retired: false };

describe('a key set kept on the device', () => {
  it('is taken when it has the published shape', () => {
    expect(parseKeySet({ issuer: 'KZ', keys: [key] })).toEqual({ issuer: 'KZ', keys: [key] });
    expect(parseKeySet({ issuer: 'KZ', keys: [] })).toEqual({ issuer: 'KZ', keys: [] });
  });

  it('is ignored when damaged or foreign', () => {
    for (const value of [null, 'KZ', [], { keys: [key] }, { issuer: 'KZ' }, { issuer: 'KZ', keys: [null] }, { issuer: 'KZ', keys: [{ ...key, x: 1 }] }]) {
      expect(parseKeySet(value)).toBeNull();
    }
  });
});
