import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
// The test signs as the server does, with the codec the page verifies with.
import { type BirthClaims, encodeBirthCwt, type KeySet, kidOfPublicKey, signCoseSign1, toBase64Url, toHex, wrapQrText } from '../../../../src/certificates/codec/index.ts';
import { checkInBrowser } from './check-in-browser.ts';

const claims: BirthClaims = {
  serial: 'KZ-2026-0000123',
  kind: 'birth_certificate',
  registrationNumber: '710000/2026/000045',
  iin: '260312500017',
  child: { surname: 'Сейтқали', givenName: 'Әлихан', patronymic: 'Ерланұлы' },
  mother: { surname: 'Сейтқали', givenName: 'Гүлнұр' },
  dateOfBirth: '2026-03-12',
  placeOfBirth: { kato: '711000000', name: 'Астана' },
  issuedOn: '2026-03-20',
  issuer: 'KZ',
};
const issuedAt = new Date('2026-03-20T08:00:00Z');
const at = new Date('2026-04-01T00:00:00Z');
const base45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

let keySet: KeySet;
let text: string;
let kid: string;

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const kidBytes = await kidOfPublicKey(raw);
  kid = toHex(kidBytes);
  keySet = {
    issuer: 'KZ',
    keys: [{ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(raw), kid, alg: 'EdDSA', use: 'sig', validFrom: '2026-01-01T00:00:00Z', validTo: '2031-01-01T00:00:00Z', retired: false }],
  };
  text = wrapQrText(await signCoseSign1(encodeBirthCwt(claims, issuedAt), kidBytes, pair.privateKey));
});

describe('the signature check on the verification page', () => {
  it('verifies a certificate the registry signed, and reads its facts', async () => {
    expect(await checkInBrowser(text, keySet, at)).toEqual({ kind: 'verified', text, birth: claims, keyId: kid, issuedAt });
  });

  it('verifies it from a link, whatever the address bar did to its spaces and colon', async () => {
    const link = `https://tirkeu.example/verify#${text}`;
    expect(await checkInBrowser(link, keySet, at)).toMatchObject({ kind: 'verified', birth: claims });
    const hash = encodeURIComponent(text);
    expect(await checkInBrowser(hash, keySet, at)).toMatchObject({ kind: 'verified', text, birth: claims });
  });

  it('refuses a payload with one character changed, never calling it verified', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...base45), async (position, replacement) => {
        const index = 4 + (position % (text.length - 4));
        fc.pre(text[index] !== replacement);
        const changed = text.slice(0, index) + replacement + text.slice(index + 1);
        const result = await checkInBrowser(changed, keySet, at);
        expect(result.kind).toBe('failed');
      }),
      { numRuns: 60 },
    );
  });

  it('says a truncated payload is damaged', async () => {
    expect(await checkInBrowser(text.slice(0, -7), keySet, at)).toMatchObject({ kind: 'failed' });
  });

  it('does not know a key that is not in the published set', async () => {
    expect(await checkInBrowser(text, { issuer: 'KZ', keys: [] }, at)).toMatchObject({ kind: 'failed', reason: 'unknown_key' });
  });

  it('has nothing to check with before any key set was loaded', async () => {
    expect(await checkInBrowser(text, null, at)).toEqual({ kind: 'no_keys', text });
  });
});
