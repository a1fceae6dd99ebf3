/**
 * tirkeu's own payloads through the codec: round trip, size, tampering, truncation, the QR text
 * forms, the key set, every failure reason in its place. The interop vectors are in codec-interop.test.ts.
 */
import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBase45 } from '../../src/certificates/codec/base45.ts';
import { decodeCbor as decodeRaw, encodeCbor, Tag } from '../../src/certificates/codec/cbor.ts';
import {
  type BirthClaims,
  CredentialError,
  credentialFailures,
  credentialFailureText,
  decodeCoseSign1,
  decodeQrText,
  encodeBirthCwt,
  importPublicJwk,
  type KeyResolver,
  keySetResolver,
  maxQrTextLength,
  parseKeySet,
  readBirthClaims,
  sigStructure,
  toBase64Url,
  toHex,
  unwrapQrText,
  verifyQrText,
  type WebCryptoKey,
  wrapQrText,
} from '../../src/certificates/codec/index.ts';
import { failure, failureOf, generateTestKey, keySetOf, sampleBirth, sampleIssuedAt, signBirth, type TestSigningKey } from './fixtures/codec/sample.ts';


const at = new Date('2026-06-01T12:00:00Z');
let key: TestSigningKey;
let keys: KeyResolver;
let signed: { cose: Uint8Array; text: string };

beforeAll(async () => {
  key = await generateTestKey();
  keys = keySetResolver(keySetOf([key]));
  signed = await signBirth(key);
});

describe('a tirkeu birth certificate payload', () => {
  it('round-trips: signed, wrapped, unwrapped and verified, it gives back every claim', async () => {
    expect(signed.text.startsWith('KZ1:')).toBe(true);
    const verified = await verifyQrText(signed.text, { keys, at });
    expect(verified).toMatchObject({ format: 'tirkeu-birth', alg: 'EdDSA', kid: key.kidHex, issuer: 'KZ' });
    expect(verified.birth).toEqual(sampleBirth);
    expect(verified.issuedAt).toEqual(new Date(Math.floor(sampleIssuedAt.getTime() / 1000) * 1000));
    expect(verified.expiresAt).toBeUndefined();
    expect(verified.keyLabel).toContain(key.kidHex);
  });

  it('is a plain COSE_Sign1: tag 18, protected {1: -8, 4: kid}, empty unprotected map, no tag 64 on byte strings', () => {
    const hex = toHex(signed.cose);
    expect(hex.startsWith(`d2844da201270448${key.kidHex}a0`)).toBe(true);
    const cose = decodeCoseSign1(signed.cose);
    expect(cose.protectedHeader).toEqual(new Map<number, unknown>([[1, -8], [4, key.kid]]));
    expect(cose.unprotectedHeader.size).toBe(0);
    expect(cose.signature.length).toBe(64);
  });

  it('fits a QR code that scans from paper: a realistic Kazakh payload is under 600 characters', () => {
    // Printed so the size is on record in the test output (the README cites it).
    console.log(
      `QR payload: ${signed.text.length} characters (${signed.cose.length} bytes of COSE); ` +
        `as a link https://tirkeu.kz/verify#… ${signed.text.length + 'https://tirkeu.kz/verify#'.length}`,
    );
    expect(signed.text.length).toBeLessThan(600);
  });

  it('a byte changed anywhere in the signed message fails (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: signed.cose.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, flip) => {
        const tampered = signed.cose.slice();
        tampered[index] = tampered[index]! ^ flip;
        await expect(verifyQrText(wrapQrText(tampered), { keys, at })).rejects.toBeInstanceOf(CredentialError);
      }),
      { numRuns: 300 },
    );
  });

  it('every single byte of the signed message, changed, fails', async () => {
    for (let index = 0; index < signed.cose.length; index++) {
      const tampered = signed.cose.slice();
      tampered[index] = tampered[index]! ^ 0x01;
      await expect(verifyQrText(wrapQrText(tampered), { keys, at }), `byte ${index}`).rejects.toBeInstanceOf(CredentialError);
    }
  });

  it('a character changed anywhere in the QR text fails, or yields exactly the same signed bytes (property)', async () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    const prefix = 'KZ1:'.length;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: signed.text.length - prefix - 1 }), fc.constantFrom(...alphabet), async (offset, char) => {
        const i = prefix + offset;
        fc.pre(signed.text[i] !== char);
        const text = signed.text.slice(0, i) + char + signed.text.slice(i + 1);
        let cose: Uint8Array | undefined;
        try {
          cose = unwrapQrText(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CredentialError);
          return;
        }
        // zlib may ignore a changed bit (a header level flag, padding after the last block): then the
        // signed bytes are identical and the certificate is the same. Any other change fails.
        if (toHex(cose) === toHex(signed.cose)) return;
        await expect(verifyQrText(text, { keys, at })).rejects.toBeInstanceOf(CredentialError);
      }),
      { numRuns: 300 },
    );
  });

  it('every truncation of the QR text fails', async () => {
    for (let length = 0; length < signed.text.length; length++) {
      await expect(verifyQrText(signed.text.slice(0, length), { keys, at }), `first ${length} characters`).rejects.toBeInstanceOf(
        CredentialError,
      );
    }
    // Cut at a Base45 group boundary, the text still decodes: the zlib stream is what fails.
    const whole = 'KZ1:'.length + Math.floor((signed.text.length - 'KZ1:'.length) / 3) * 3;
    expect(await failure(verifyQrText(signed.text.slice(0, whole - 3), { keys, at }))).toBe('bad_compression');
  });

  it('claims survive the round trip for any valid content (property)', () => {
    const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom(...'АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯаәғқңөұүһі -’\'ABCxyz') });
    const name = fc.record({ surname: text(40), givenName: text(40), patronymic: fc.option(text(40), { nil: undefined }) }, { requiredKeys: ['surname', 'givenName'] });
    const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const claims: fc.Arbitrary<BirthClaims> = fc.record(
      {
        serial: text(20),
        kind: fc.constantFrom('birth_certificate', 'certified_copy', 'extract'),
        registrationNumber: text(30),
        iin: fc.stringMatching(/^[0-9]{12}$/),
        child: name,
        mother: name,
        father: name,
        dateOfBirth: date,
        placeOfBirth: fc.record({ kato: fc.stringMatching(/^[0-9]{9}$/), name: text(60) }),
        issuedOn: date,
        issuer: fc.constantFrom('KZ', 'UZ'),
      },
      { requiredKeys: ['serial', 'kind', 'registrationNumber', 'iin', 'child', 'dateOfBirth', 'placeOfBirth', 'issuedOn', 'issuer'] },
    );
    fc.assert(
      fc.property(claims, (birth) => {
        // Members left undefined are absent from the payload, and from what is read back.
        const expected = JSON.parse(JSON.stringify(birth)) as BirthClaims;
        const payload = encodeBirthCwt(birth, sampleIssuedAt);
        expect(readBirthClaims(decodeCbor(payload))).toStrictEqual(expected);
        // And through the whole decoder, as an unsigned COSE_Sign1 in uncompressed Base45.
        const unsigned = new Uint8Array([0x84, 0x40, 0xa0, ...bstr(payload), 0x40]);
        expect(decodeQrText(encodeBase45(unsigned)).birth).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to encode what a verifier would refuse', () => {
    expect(failureOf(() => encodeBirthCwt({ ...sampleBirth, iin: '26031465001' }, sampleIssuedAt))).toBe('bad_claims');
    expect(failureOf(() => encodeBirthCwt({ ...sampleBirth, dateOfBirth: '2026-02-30' }, sampleIssuedAt))).toBe('bad_claims');
    expect(failureOf(() => encodeBirthCwt({ ...sampleBirth, child: {} }, sampleIssuedAt))).toBe('bad_claims');
    expect(failureOf(() => encodeBirthCwt({ ...sampleBirth, serial: 'KZ\u0000' }, sampleIssuedAt))).toBe('bad_claims');
    expect(failureOf(() => encodeBirthCwt(sampleBirth, new Date(Number.NaN)))).toBe('bad_claims');
  });
});

/** A CBOR byte-string header and body (lengths under 65536). */
function bstr(bytes: Uint8Array): number[] {
  const n = bytes.length;
  const head = n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff];
  return [...head, ...bytes];
}

describe('QR text forms', () => {
  it('accepts the payload bare, with its prefix, and as the fragment of a link', async () => {
    const bare = signed.text.slice('KZ1:'.length);
    for (const text of [signed.text, bare, `https://tirkeu.example/verify#${signed.text}`, `HTTPS://TIRKEU.EXAMPLE/VERIFY#${bare}`]) {
      await expect(verifyQrText(text, { keys, at })).resolves.toMatchObject({ format: 'tirkeu-birth' });
    }
  });

  it("accepts a link whose fragment's spaces a browser percent-encoded (location.hash)", async () => {
    const withSpace = await findSignedTextWith(' ');
    const link = `https://tirkeu.example/verify#${withSpace.replaceAll(' ', '%20')}`;
    await expect(verifyQrText(link, { keys, at })).resolves.toMatchObject({ format: 'tirkeu-birth' });
    await expect(verifyQrText(withSpace.replaceAll(' ', '%20'), { keys, at })).resolves.toMatchObject({ format: 'tirkeu-birth' });
  });

  it('reads a link whose payload held a real "%20" besides a space the browser encoded', () => {
    // Search plain payloads (no signing) for a text with both; each is found within a few thousand.
    for (let n = 0; n < 200_000; n++) {
      const bytes = new TextEncoder().encode(`payload ${n} ${'x'.repeat(n % 40)}`);
      const text = wrapQrText(bytes);
      if (!text.includes(' ') || !text.includes('%20')) continue;
      const link = `https://tirkeu.example/verify#${text.replaceAll(' ', '%20')}`;
      expect(new TextDecoder().decode(unwrapQrText(link))).toBe(`payload ${n} ${'x'.repeat(n % 40)}`);
      return;
    }
    throw new Error('no payload with both a space and "%20" found');
  });

  it('never trims: a space added before or after is a Base45 character and breaks the payload', async () => {
    // A leading space hides the prefix; a trailing one adds a character (dangling, or a byte the
    // zlib checksum refuses, depending on the length); a newline is no Base45.
    expect(await failure(verifyQrText(` ${signed.text}`, { keys, at }))).toBe('bad_base45');
    expect(['bad_base45', 'bad_compression']).toContain(await failure(verifyQrText(`${signed.text} `, { keys, at })));
    expect(await failure(verifyQrText(`${signed.text}\n`, { keys, at }))).toBe('bad_base45');
  });

  it('refuses more than a QR code can hold as too_large, before decoding anything', () => {
    expect(failureOf(() => unwrapQrText('A'.repeat(maxQrTextLength + 1)))).toBe('too_large');
    expect(failureOf(() => unwrapQrText('!'.repeat(maxQrTextLength + 1)))).toBe('too_large');
  });

  it('a link without a fragment, empty text, lower case: bad_base45', () => {
    expect(failureOf(() => unwrapQrText('https://tirkeu.example/verify'))).toBe('bad_base45');
    expect(failureOf(() => unwrapQrText(''))).toBe('bad_base45');
    expect(failureOf(() => unwrapQrText('KZ1:'))).toBe('bad_base45');
    expect(failureOf(() => unwrapQrText(signed.text.toLowerCase()))).toBe('bad_base45');
  });

  it('damaged zlib data fails bad_compression: an impossible stream, a wrong checksum', () => {
    const compressed = zlibSync(signed.cose, { level: 9 });
    const badStream = compressed.slice();
    badStream[2] = 0xff; // block type 3 does not exist
    expect(failureOf(() => unwrapQrText(encodeBase45(badStream)))).toBe('bad_compression');
    const badChecksum = compressed.slice();
    badChecksum[badChecksum.length - 1] = badChecksum[badChecksum.length - 1]! ^ 1;
    expect(failureOf(() => unwrapQrText(encodeBase45(badChecksum)))).toBe('bad_compression');
    expect(failureOf(() => unwrapQrText(encodeBase45(compressed.subarray(0, 4))))).toBe('bad_compression');
  });

  it('bytes without a zlib header are taken as uncompressed CBOR', async () => {
    await expect(verifyQrText(encodeBase45(signed.cose), { keys, at })).resolves.toMatchObject({ format: 'tirkeu-birth' });
  });

  it('returns plain Uint8Arrays, never Node Buffers, whatever it was given', () => {
    const cose = decodeCoseSign1(Buffer.from(signed.cose));
    for (const bytes of [cose.protectedBytes, cose.payload, cose.signature, cose.kid!, unwrapQrText(signed.text)]) {
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    }
  });
});

/** A payload whose QR text holds a space (the issue date moves until one appears). */
async function findSignedTextWith(char: string): Promise<string> {
  for (let s = 0; s < 500; s++) {
    const { text } = await signBirth(key, sampleBirth, new Date(sampleIssuedAt.getTime() + s * 1000));
    if (text.includes(char)) return text;
  }
  throw new Error(`no payload with ${JSON.stringify(char)} found`);
}

describe('the key set', () => {
  it('an unknown kid fails unknown_key; a payload naming no key too', async () => {
    const other = await generateTestKey();
    const { text } = await signBirth(other);
    expect(await failure(verifyQrText(text, { keys, at }))).toBe('unknown_key');
    expect(await failure(verifyQrText(await signWith('EdDSA', key.privateKey, cwtMap(), { kid: null }), { keys, at }))).toBe('unknown_key');
  });

  it('a key whose published kid does not derive from its public key is not trusted', async () => {
    const other = await generateTestKey();
    const set = keySetOf([key]);
    set.keys[0]!.x = toBase64Url(other.rawPublicKey); // kid of `key`, public key of `other`
    const { text } = await signBirth(other, sampleBirth);
    const forged = await signWith('EdDSA', other.privateKey, decodeCoseSign1(unwrapQrText(text)).payload, { kid: key.kid });
    expect(await failure(verifyQrText(forged, { keys: keySetResolver(set), at }))).toBe('unknown_key');
  });

  it("judges the key's validity at the signing time: old certificates stay valid after the key's period, a payload signed outside it fails key_expired", async () => {
    const set = keySetResolver(keySetOf([key], { validFrom: '2026-01-01T00:00:00Z', validTo: '2026-12-31T23:59:59Z', retired: true }));
    await expect(verifyQrText(signed.text, { keys: set, at: new Date('2040-01-01T00:00:00Z') })).resolves.toMatchObject({
      format: 'tirkeu-birth',
    });
    const late = await signBirth(key, sampleBirth, new Date('2027-01-02T00:00:00Z'));
    expect(await failure(verifyQrText(late.text, { keys: set, at: new Date('2027-02-01T00:00:00Z') }))).toBe('key_expired');
    const early = await signBirth(key, sampleBirth, new Date('2025-12-31T00:00:00Z'));
    expect(await failure(verifyQrText(early.text, { keys: set, at }))).toBe('key_expired');
  });

  it('parseKeySet accepts a published set and names the first wrong member of a bad one', () => {
    const good = keySetOf([key]);
    expect(parseKeySet(JSON.parse(JSON.stringify({ ...good, extra: 1 })))).toEqual(good);
    const bad = (change: (k: Record<string, unknown>) => void) => {
      const set = JSON.parse(JSON.stringify(good)) as { keys: Record<string, unknown>[] };
      change(set.keys[0]!);
      return () => parseKeySet(set);
    };
    expect(bad((k) => (k.kid = 'xyz'))).toThrow('keys[0].kid');
    expect(bad((k) => (k.x = 'AAAA'))).toThrow('keys[0].x');
    expect(bad((k) => (k.x = 'not base64url!'))).toThrow('keys[0].x');
    expect(bad((k) => (k.crv = 'P-256'))).toThrow('keys[0].crv');
    expect(bad((k) => (k.validTo = 'soon'))).toThrow('keys[0].validTo');
    expect(bad((k) => delete k.retired)).toThrow('keys[0].retired');
    expect(() => parseKeySet([])).toThrow('not a JSON object');
    expect(() => parseKeySet({ issuer: 'KZ' })).toThrow('keys');
  });
});

/** The CWT claims of the sample certificate, as a map to re-sign in other ways. */
function cwtMap(): Uint8Array {
  return encodeBirthCwt(sampleBirth, sampleIssuedAt);
}

/** A QR text signed by hand with any algorithm and protected header (kid null: none). */
async function signWith(
  alg: 'EdDSA' | 'ES256' | 'PS256' | 'ES384',
  privateKey: WebCryptoKey,
  payload: Uint8Array,
  options: { kid?: Uint8Array | null; extraProtected?: [number, unknown][]; algId?: number } = {},
): Promise<string> {
  const ids = { EdDSA: -8, ES256: -7, PS256: -37, ES384: -35 };
  const header = new Map<number, unknown>([[1, options.algId ?? ids[alg]]]);
  if (options.kid !== null) header.set(4, options.kid ?? key.kid);
  for (const [label, value] of options.extraProtected ?? []) header.set(label, value);
  const protectedBytes = encodeCbor(header);
  const params = {
    EdDSA: { name: 'Ed25519' },
    ES256: { name: 'ECDSA', hash: 'SHA-256' },
    ES384: { name: 'ECDSA', hash: 'SHA-384' },
    PS256: { name: 'RSA-PSS', saltLength: 32 },
  }[alg];
  const signature = new Uint8Array(await crypto.subtle.sign(params, privateKey, sigStructure(protectedBytes, payload)));
  return wrapQrText(encodeCbor(new Tag([protectedBytes, new Map(), payload, signature], 18)));
}

describe('algorithms and failure reasons', () => {
  const trusting = (publicKey: WebCryptoKey): KeyResolver => async () => ({ key: publicKey, label: 'the test key' });

  it('verifies ES256 and PS256 signatures, and refuses them tampered', async () => {
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const rsa = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    for (const [alg, pair] of [['ES256', ec], ['PS256', rsa]] as const) {
      // Through JWK, as `tirkeu verify --trust` imports keys.
      const publicKey = await importPublicJwk((await crypto.subtle.exportKey('jwk', pair.publicKey)) as { kty: string });
      const text = await signWith(alg, pair.privateKey, cwtMap());
      await expect(verifyQrText(text, { keys: trusting(publicKey), at })).resolves.toMatchObject({ alg, format: 'tirkeu-birth' });
      const cose = unwrapQrText(text);
      cose[cose.length - 5] = cose[cose.length - 5]! ^ 0x10; // inside the signature
      expect(await failure(verifyQrText(wrapQrText(cose), { keys: trusting(publicKey), at }))).toBe('bad_signature');
    }
  });

  it('another or no algorithm fails unsupported_algorithm; a critical header bad_cose', async () => {
    const ec384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const es384 = await signWith('ES384', ec384.privateKey, cwtMap());
    expect(await failure(verifyQrText(es384, { keys, at }))).toBe('unsupported_algorithm');
    const textAlg = await signWith('EdDSA', key.privateKey, cwtMap(), { algId: 'EdDSA' as unknown as number });
    expect(await failure(verifyQrText(textAlg, { keys, at }))).toBe('unsupported_algorithm');
    const critical = await signWith('EdDSA', key.privateKey, cwtMap(), { extraProtected: [[2, [99]], [99, 1]] });
    expect(await failure(verifyQrText(critical, { keys, at }))).toBe('bad_cose');
  });

  it('an Ed25519 key against an ES256 header fails bad_signature (the key cannot have signed it)', async () => {
    const text = await signWith('EdDSA', key.privateKey, cwtMap(), { algId: -7 });
    expect(await failure(verifyQrText(text, { keys, at }))).toBe('bad_signature');
  });

  it('exp passed fails expired, nbf ahead fails not_yet_valid (after the signature held)', async () => {
    const withTimes = (extra: [number, number][]) => {
      const cwt = new Map<number, unknown>([[1, 'KZ'], [6, 1_780_000_000], ...extra]);
      return encodeCbor(cwt);
    };
    const expired = await signWith('EdDSA', key.privateKey, withTimes([[4, Math.floor(at.getTime() / 1000) - 1]]));
    expect(await failure(verifyQrText(expired, { keys, at }))).toBe('expired');
    const early = await signWith('EdDSA', key.privateKey, withTimes([[5, Math.floor(at.getTime() / 1000) + 60]]));
    expect(await failure(verifyQrText(early, { keys, at }))).toBe('not_yet_valid');
    await expect(verifyQrText(early, { keys, at: new Date(at.getTime() + 61_000) })).resolves.toMatchObject({ format: 'cwt' });
  });

  it('signed contents that are not CBOR fail bad_cbor; not a claims map, a mistyped claim or a birth claim missing fail bad_claims', async () => {
    const sign = (payload: Uint8Array) => signWith('EdDSA', key.privateKey, payload);
    expect(await failure(verifyQrText(await sign(new Uint8Array([0xff, 0x00])), { keys, at }))).toBe('bad_cbor');
    expect(await failure(verifyQrText(await sign(encodeCbor(['not', 'a', 'map'])), { keys, at }))).toBe('bad_claims');
    expect(await failure(verifyQrText(await sign(encodeCbor(new Map([[4, 'tomorrow']]))), { keys, at }))).toBe('bad_claims');
    const birth = decodeCbor(cwtMap());
    (birth.get(-70001) as Map<number, unknown>).delete(4); // the IIN
    expect(await failure(verifyQrText(await sign(encodeCbor(birth)), { keys, at }))).toBe('bad_claims');
  });

  it('CBOR that is not a COSE_Sign1 fails bad_cose; bytes that are not CBOR bad_cbor', () => {
    const cose = decodeCbor(signed.cose) as unknown as Tag;
    expect(failureOf(() => decodeCoseSign1(encodeCbor(new Tag(cose.value, 98))))).toBe('bad_cose');
    expect(failureOf(() => decodeCoseSign1(encodeCbor((cose.value as unknown[]).slice(0, 3))))).toBe('bad_cose');
    const detached = (cose.value as unknown[]).slice();
    detached[2] = null;
    expect(failureOf(() => decodeCoseSign1(encodeCbor(detached)))).toBe('bad_cose');
    expect(failureOf(() => decodeCoseSign1(new Uint8Array([...signed.cose, 0x00])))).toBe('bad_cbor');
    expect(failureOf(() => decodeCoseSign1(new Uint8Array([0x1c])))).toBe('bad_cbor');
  });

  it('deeply nested claims are refused as bad_claims, not a crash', async () => {
    let nested: unknown = 1;
    for (let i = 0; i < 200; i++) nested = [nested];
    const text = await signWith('EdDSA', key.privateKey, encodeCbor(new Map([[1, 'KZ'], [-1, nested]])));
    expect(await failure(verifyQrText(text, { keys, at }))).toBe('bad_claims');
  });

  it('a QR-sized zlib bomb is refused as too large before it is inflated whole, and decoding goes on working', async () => {
    const text = encodeBase45(zlibSync(new Uint8Array(2_000_000).fill(0x81), { level: 9 }));
    expect(text.length).toBeLessThan(maxQrTextLength);
    expect(failureOf(() => decodeQrText(text))).toBe('too_large');
    // Nested arrays that do fit are still refused by the CBOR reader, not by a crash.
    expect(failureOf(() => decodeQrText(encodeBase45(zlibSync(new Uint8Array(60_000).fill(0x81), { level: 9 }))))).toBe('bad_cbor');
    await expect(verifyQrText(signed.text, { keys, at })).resolves.toMatchObject({ format: 'tirkeu-birth' });
  });

  it('every failure reason has a sentence in Kazakh, Russian and English', () => {
    for (const reason of credentialFailures) {
      const text = credentialFailureText[reason];
      for (const language of ['kk', 'ru', 'en'] as const) expect(text[language].length).toBeGreaterThan(10);
    }
    expect(Object.keys(credentialFailureText).sort()).toEqual([...credentialFailures].sort());
  });
});

function decodeCbor(bytes: Uint8Array): Map<unknown, unknown> {
  return decodeRaw(bytes, 'test CBOR') as Map<unknown, unknown>;
}
