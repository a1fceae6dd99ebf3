/**
 * The codec against credentials other people issued: the EU Digital COVID Certificate test data
 * (eu-digital-green-certificates/dgc-testdata) and the MOSIP Claim 169 vectors (jeremi/claim-169),
 * copied unedited into ../shared/interop. Every EXPECTED* flag a DCC file carries is checked.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  cwtClaims,
  decodeBase45,
  decodeCoseSign1,
  decodeQrText,
  fromHex,
  importEd25519PublicKey,
  importP256PublicKey,
  importPublicJwk,
  type KeyResolver,
  type PublicJwk,
  signCoseSign1,
  sigStructure,
  toHex,
  unwrapQrText,
  verifyCoseSign1,
  verifyQrText,
  type WebCryptoKey,
  wrapQrText,
} from '../../src/certificates/codec/index.ts';
import { encodeBase45 } from '../../src/certificates/codec/base45.ts';
import { failure, failureOf } from './fixtures/codec/sample.ts';

// jsqr is a CommonJS bundle: under NodeNext its default import is the module, whose `default` is the reader.
const jsQR = jsQRModule.default;

const interop = (file: string) => JSON.parse(fs.readFileSync(new URL(`../../../shared/interop/${file}`, import.meta.url), 'utf8'));

/** A resolver that trusts one key whatever kid the payload names (as `tirkeu verify --trust` does). */
const trusting = (key: WebCryptoKey): KeyResolver => async () => ({ key, label: 'the test key' });


// --- EU DCC -------------------------------------------------------------------------------------

interface DccTestFile {
  JSON?: unknown;
  CBOR?: string;
  COSE?: string;
  COMPRESSED?: string;
  BASE45?: string;
  PREFIX?: string;
  '2DCODE'?: string;
  TESTCTX: { CERTIFICATE: string; VALIDATIONCLOCK: string; DESCRIPTION: string };
  EXPECTEDRESULTS: Record<string, boolean>;
}

/** The DSC's public key: node:crypto reads the X.509 certificate, WebCrypto imports its JWK. */
async function signerKey(file: DccTestFile): Promise<{ key: WebCryptoKey; certificate: X509Certificate }> {
  const certificate = new X509Certificate(Buffer.from(file.TESTCTX.CERTIFICATE, 'base64'));
  const jwk = certificate.publicKey.export({ format: 'jwk' }) as PublicJwk;
  return { key: await importPublicJwk(jwk), certificate };
}

/** The hcert (claim -260, key 1) of a decoded DCC as JSON. */
function hcertOf(claims: unknown): unknown {
  return (claims as Record<string, Record<string, unknown>>)[String(cwtClaims.euDcc)]!['1'];
}

const dccFiles = ['AT/1.json', 'DE/1.json', 'common/CO5.json', 'common/B1.json'];

describe.each(dccFiles)('EU DCC test file %s', (name) => {
  const file = interop(`eu-dcc/${name}`) as DccTestFile;
  const expected = file.EXPECTEDRESULTS;
  const at = new Date(file.TESTCTX.VALIDATIONCLOCK);

  it('carries only the EXPECTED* flags this test knows how to check', () => {
    const known = [
      'EXPECTEDVALIDOBJECT',
      'EXPECTEDSCHEMAVALIDATION',
      'EXPECTEDDECODE',
      'EXPECTEDVERIFY',
      'EXPECTEDUNPREFIX',
      'EXPECTEDVALIDJSON',
      'EXPECTEDCOMPRESSION',
      'EXPECTEDB45DECODE',
      'EXPECTEDPICTUREDECODE',
      'EXPECTEDEXPIRATIONCHECK',
    ];
    expect(Object.keys(expected).filter((flag) => !known.includes(flag))).toEqual([]);
  });

  it.runIf(expected.EXPECTEDUNPREFIX !== undefined)('EXPECTEDUNPREFIX: the HC1: prefix comes off', () => {
    expect(file.PREFIX!.startsWith('HC1:')).toBe(expected.EXPECTEDUNPREFIX);
    if (expected.EXPECTEDUNPREFIX && file.BASE45) expect(file.PREFIX!.slice(4)).toBe(file.BASE45);
  });

  it.runIf(expected.EXPECTEDB45DECODE !== undefined)('EXPECTEDB45DECODE: Base45 decodes, or fails as bad_base45', () => {
    const base45 = file.BASE45 ?? file.PREFIX!.slice(4);
    if (expected.EXPECTEDB45DECODE) {
      expect(toHex(decodeBase45(base45))).toBe(file.COMPRESSED!.toLowerCase());
    } else {
      expect(failureOf(() => decodeBase45(base45))).toBe('bad_base45');
      // The whole procedure stops there too, before any key is needed.
      expect(failureOf(() => unwrapQrText(file.PREFIX!))).toBe('bad_base45');
    }
  });

  it.runIf(expected.EXPECTEDCOMPRESSION !== undefined)('EXPECTEDCOMPRESSION: zlib inflates to the COSE bytes', () => {
    expect(expected.EXPECTEDCOMPRESSION).toBe(true);
    expect(toHex(unwrapQrText(file.PREFIX!))).toBe(file.COSE!.toLowerCase());
  });

  it.runIf(expected.EXPECTEDVALIDOBJECT !== undefined)('EXPECTEDVALIDOBJECT: the COSE bytes are a COSE_Sign1 with a CWT', () => {
    const cose = decodeCoseSign1(fromHex(file.COSE!));
    expect(cose.alg).toBe(-7);
    expect(cose.kid?.length).toBe(8);
    expect(decodeQrText(file.PREFIX!).format).toBe('eu-dcc');
  });

  it.runIf(expected.EXPECTEDDECODE !== undefined)('EXPECTEDDECODE: the published CBOR is what the COSE payload holds', () => {
    const decoded = decodeQrText(file.PREFIX!);
    const cose = decodeCoseSign1(fromHex(file.COSE!));
    // Some files publish the whole CWT payload, others only the hcert (with indefinite-length maps):
    // either the bytes match, or the published CBOR decodes to the same hcert.
    if (toHex(cose.payload) === file.CBOR!.toLowerCase()) return;
    const published = decodeQrText(wrapQrText(cborAsSign1(fromHex(file.CBOR!)))).claims;
    expect(published).toEqual(hcertOf(decoded.claims));
  });

  it.runIf(expected.EXPECTEDVALIDJSON !== undefined)('EXPECTEDVALIDJSON: the hcert equals the published JSON', () => {
    expect(hcertOf(decodeQrText(file.PREFIX!).claims)).toEqual(file.JSON);
  });

  it.runIf(expected.EXPECTEDSCHEMAVALIDATION !== undefined)(
    'EXPECTEDSCHEMAVALIDATION: the hcert has the DCC schema 1.x required members',
    () => {
      // The DCC JSON schema itself is not among the interop files: check the members it requires.
      const dcc = hcertOf(decodeQrText(file.PREFIX!).claims) as Record<string, unknown>;
      const valid =
        typeof dcc.ver === 'string' &&
        /^1\.\d+\.\d+$/.test(dcc.ver) &&
        typeof (dcc.nam as Record<string, unknown>)?.fnt === 'string' &&
        typeof dcc.dob === 'string' &&
        ['v', 't', 'r'].filter((group) => Array.isArray(dcc[group])).length === 1;
      expect(valid).toBe(expected.EXPECTEDSCHEMAVALIDATION);
    },
  );

  it.runIf(expected.EXPECTEDVERIFY !== undefined)('EXPECTEDVERIFY: the signature verifies at the validation clock, or fails as bad_signature', async () => {
    const { key } = await signerKey(file);
    if (expected.EXPECTEDVERIFY) {
      const verified = await verifyQrText(file.PREFIX!, { keys: trusting(key), at });
      expect(verified).toMatchObject({ format: 'eu-dcc', alg: 'ES256', issuer: name.slice(0, 2) });
      expect(verified.kid).toBe(toHex(decodeCoseSign1(fromHex(file.COSE!)).kid!));
    } else {
      expect(await failure(verifyQrText(file.PREFIX!, { keys: trusting(key), at }))).toBe('bad_signature');
    }
  });

  it.runIf(expected.EXPECTEDEXPIRATIONCHECK !== undefined)('EXPECTEDEXPIRATIONCHECK: not expired at the validation clock, expired after exp', async () => {
    const { key } = await signerKey(file);
    const verified = await verifyQrText(file.PREFIX!, { keys: trusting(key), at });
    expect(verified.expiresAt!.getTime() >= at.getTime()).toBe(expected.EXPECTEDEXPIRATIONCHECK);
    const afterExpiry = new Date(verified.expiresAt!.getTime() + 1000);
    expect(await failure(verifyQrText(file.PREFIX!, { keys: trusting(key), at: afterExpiry }))).toBe('expired');
  });

  // B1 sets the flag but publishes no image: nothing to decode there.
  it.runIf(expected.EXPECTEDPICTUREDECODE !== undefined && file['2DCODE'] !== undefined)(
    'EXPECTEDPICTUREDECODE: the published QR image reads back as the prefixed text',
    () => {
      const png = PNG.sync.read(Buffer.from(file['2DCODE']!, 'base64'));
      const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
      expect(code?.data === file.PREFIX).toBe(expected.EXPECTEDPICTUREDECODE);
    },
  );
});

/** Wraps bare CBOR as the payload of an unsigned COSE_Sign1, to decode it with the same path. */
function cborAsSign1(payload: Uint8Array): Uint8Array {
  // [h'', {}, payload, h''] as bytes: 84 40 a0 <bstr payload> 40
  const header = payload.length < 24 ? [0x40 + payload.length] : payload.length < 256 ? [0x58, payload.length] : [0x59, payload.length >> 8, payload.length & 0xff];
  const bytes = new Uint8Array([0x84, 0x40, 0xa0, ...header, ...payload, 0x40]);
  return bytes;
}

describe('EU DCC signer certificates', () => {
  it('AT/1 and DE/1 fail key_expired outside their signer certificate validity when it is checked at verification time', async () => {
    for (const name of ['AT/1.json', 'DE/1.json']) {
      const file = interop(`eu-dcc/${name}`) as DccTestFile;
      const { key, certificate } = await signerKey(file);
      const keys: KeyResolver = async () => ({
        key,
        validFrom: new Date(certificate.validFrom),
        validTo: new Date(certificate.validTo),
        validityAppliesTo: 'verification',
        label: certificate.subject,
      });
      const at = new Date(file.TESTCTX.VALIDATIONCLOCK);
      await expect(verifyQrText(file.PREFIX!, { keys, at })).resolves.toMatchObject({ format: 'eu-dcc' });
      const beforeCertificate = new Date(new Date(certificate.validFrom).getTime() - 1000);
      // The payload has no nbf, so before the DSC's validity only the key check fails.
      expect(await failure(verifyQrText(file.PREFIX!, { keys, at: beforeCertificate }))).toBe('key_expired');
    }
  });

  it("a key of another type than the payload's algorithm fails bad_signature", async () => {
    const file = interop('eu-dcc/AT/1.json') as DccTestFile;
    const other = await importEd25519PublicKey(new Uint8Array(32).fill(7));
    expect(await failure(verifyQrText(file.PREFIX!, { keys: trusting(other), at: new Date(file.TESTCTX.VALIDATIONCLOCK) }))).toBe('bad_signature');
  });

  it('DE/1 signed with a key in the unprotected header, AT/1 in the protected one: both kids are read', () => {
    const at1 = decodeCoseSign1(unwrapQrText((interop('eu-dcc/AT/1.json') as DccTestFile).PREFIX!));
    const de1 = decodeCoseSign1(unwrapQrText((interop('eu-dcc/DE/1.json') as DccTestFile).PREFIX!));
    expect(at1.protectedHeader.get(4)).toBeDefined();
    expect(de1.unprotectedHeader.get(4)).toBeDefined();
    expect(toHex(at1.kid!)).toBe('d919375fc1e7b6b2');
    expect(toHex(de1.kid!)).toBe('0c4b15512be91401');
  });
});

// --- MOSIP Claim 169 ----------------------------------------------------------------------------

interface Claim169Vector {
  qr_data: string;
  signing_key?: { algorithm: string; public_key_hex: string; private_key_hex?: string };
  expected_claim169?: Record<string, unknown>;
  expected_cwt_meta?: { issuer?: string; subject?: string; expiresAt?: number; notBefore?: number; issuedAt?: number };
  expected_error?: string;
}

/** Claim 169 keys (MOSIP "169 – QR Code Specifications" §3.1) to the vectors' camelCase names. */
const claim169Names: Record<string, string> = {
  1: 'id',
  2: 'version',
  3: 'language',
  4: 'fullName',
  5: 'firstName',
  6: 'middleName',
  7: 'lastName',
  8: 'dateOfBirth',
  9: 'gender',
  10: 'address',
  11: 'email',
  12: 'phone',
  13: 'nationality',
  14: 'maritalStatus',
  15: 'guardian',
  16: 'photo',
  17: 'photoFormat',
  18: 'bestQualityFingers',
  19: 'secondaryFullName',
  20: 'secondaryLanguage',
  21: 'locationCode',
  22: 'legalStatus',
  23: 'countryOfIssuance',
  62: 'face',
};

/** The decoded claim 169 map in the vectors' own names; a biometric entry keeps its format and sub-format. */
function claim169Named(claims: unknown): Record<string, unknown> {
  const raw = (claims as Record<string, Record<string, unknown>>)[String(cwtClaims.claim169)]!;
  const named: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = claim169Names[key];
    if (!name) throw new Error(`claim 169 key ${key} is not in the test's table`);
    named[name] =
      name === 'face'
        ? (value as Record<string, unknown>[]).map((entry) => ({ format: entry['1'], subFormat: entry['2'] }))
        : value;
  }
  return named;
}

function expectMeta(credential: { issuer?: string; issuedAt?: Date; expiresAt?: Date; notBefore?: Date; claims: unknown }, meta: Claim169Vector['expected_cwt_meta']) {
  const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);
  expect(credential.issuer).toBe(meta?.issuer);
  expect(seconds(credential.issuedAt)).toBe(meta?.issuedAt);
  expect(seconds(credential.expiresAt)).toBe(meta?.expiresAt);
  expect(seconds(credential.notBefore)).toBe(meta?.notBefore);
  expect((credential.claims as Record<string, unknown>)['2']).toBe(meta?.subject);
}

/** A fixed instant inside the signed vectors' validity (iat 1700000000, exp 1800000000). */
const mosipAt = new Date(1_750_000_000_000);

describe('MOSIP Claim 169 vectors', () => {
  it.each([
    ['valid/ed25519-signed.json', 'EdDSA', importEd25519PublicKey],
    ['valid/ecdsa-p256-signed.json', 'ES256', importP256PublicKey],
  ] as const)('%s verifies with its public_key_hex', async (name, alg, importKey) => {
    const vector = interop(`mosip-claim169/${name}`) as Claim169Vector;
    const key = await importKey(fromHex(vector.signing_key!.public_key_hex));
    const verified = await verifyQrText(vector.qr_data, { keys: trusting(key), at: mosipAt });
    expect(verified.format).toBe('claim169');
    expect(verified.alg).toBe(alg);
    expect(claim169Named(verified.claims)).toEqual(vector.expected_claim169);
    expectMeta(verified, vector.expected_cwt_meta);
  });

  it.each(['valid/ed25519-signed.json', 'valid/ecdsa-p256-signed.json'])('%s verifies wrapped in the CWT tag 61 and untagged', async (name) => {
    const vector = interop(`mosip-claim169/${name}`) as Claim169Vector;
    const importKey = vector.signing_key!.algorithm === 'EdDSA' ? importEd25519PublicKey : importP256PublicKey;
    const key = await importKey(fromHex(vector.signing_key!.public_key_hex));
    const cose = unwrapQrText(vector.qr_data);
    expect(toHex(cose.subarray(0, 2))).toBe('d284'); // tag 18, array of 4: no tag 61 as published
    const tagged61 = new Uint8Array([0xd8, 0x3d, ...cose]);
    const untagged = cose.subarray(1);
    for (const bytes of [tagged61, untagged]) {
      // Both through zlib and as uncompressed Base45 (no zlib header: taken as CBOR).
      for (const text of [wrapQrText(bytes), encodeBase45(bytes)]) {
        await expect(verifyQrText(text, { keys: trusting(key), at: mosipAt })).resolves.toMatchObject({ format: 'claim169' });
      }
    }
    // Tag 61 around anything but a COSE_Sign1 is refused.
    const wrongTag = new Uint8Array([0xd8, 0x3d, 0xd1, ...untagged]);
    expect(failureOf(() => decodeCoseSign1(wrongTag))).toBe('bad_cose');
  });

  it("the ed25519 vector's published private key reproduces its signature byte for byte (Sig_structure as RFC 9052 builds it)", async () => {
    const vector = interop('mosip-claim169/valid/ed25519-signed.json') as Claim169Vector;
    const cose = decodeCoseSign1(unwrapQrText(vector.qr_data));
    const privateKey = await importEd25519Seed(vector.signing_key!.private_key_hex!);
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, sigStructure(cose.protectedBytes, cose.payload)));
    expect(toHex(signature)).toBe(toHex(cose.signature));
    expect(await verifyCoseSign1(cose, await importEd25519PublicKey(fromHex(vector.signing_key!.public_key_hex)))).toBe(true);
  });

  it.each(['valid/claim169-example.json', 'valid/demographics-full.json'])('%s (published without a key) decodes to its expected claims', (name) => {
    const vector = interop(`mosip-claim169/${name}`) as Claim169Vector;
    const decoded = decodeQrText(vector.qr_data);
    expect(decoded.format).toBe('claim169');
    expect(decoded.alg).toBe('EdDSA');
    expect(claim169Named(decoded.claims)).toEqual(vector.expected_claim169);
    expectMeta(decoded, vector.expected_cwt_meta);
  });

  it('claim169-example carries its WEBP face image as a byte string', () => {
    const decoded = decodeQrText((interop('mosip-claim169/valid/claim169-example.json') as Claim169Vector).qr_data);
    const face = (decoded.claims as Record<string, Record<string, Record<string, string>[]>>)['169']!['62']![0]!['0']!;
    expect(Buffer.from(face, 'base64url').subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('edge/expired fails expired (decoded, and re-signed with the RFC 8032 key so the signature holds)', async () => {
    const vector = interop('mosip-claim169/edge/expired.json') as Claim169Vector;
    expect(decodeQrText(vector.qr_data).expiresAt!.getTime() / 1000).toBe(vector.expected_cwt_meta!.expiresAt);
    expect(failureOf(() => decodeQrText(vector.qr_data, { at: mosipAt }))).toBe('expired');
    // The published vector has an empty signature: as published it can only fail the signature.
    const signing = interop('mosip-claim169/valid/ed25519-signed.json') as Claim169Vector;
    const publicKey = await importEd25519PublicKey(fromHex(signing.signing_key!.public_key_hex));
    expect(await failure(verifyQrText(vector.qr_data, { keys: trusting(publicKey), at: mosipAt }))).toBe('bad_signature');
    // Its payload, signed properly, verifies up to the expiry check and fails there.
    const payload = decodeCoseSign1(unwrapQrText(vector.qr_data)).payload;
    const privateKey = await importEd25519Seed(signing.signing_key!.private_key_hex!);
    const resigned = wrapQrText(await signCoseSign1(payload, new Uint8Array(8), privateKey));
    expect(await failure(verifyQrText(resigned, { keys: trusting(publicKey), at: mosipAt }))).toBe('expired');
    const beforeExpiry = new Date((vector.expected_cwt_meta!.expiresAt! - 1) * 1000);
    await expect(verifyQrText(resigned, { keys: trusting(publicKey), at: beforeExpiry })).resolves.toMatchObject({ format: 'claim169' });
  });

  it('invalid/bad-base45 fails bad_base45', async () => {
    const vector = interop('mosip-claim169/invalid/bad-base45.json') as Claim169Vector;
    expect(vector.expected_error).toBe('Base45Decode');
    expect(failureOf(() => decodeQrText(vector.qr_data))).toBe('bad_base45');
    const key = await importEd25519PublicKey(new Uint8Array(32));
    expect(await failure(verifyQrText(vector.qr_data, { keys: trusting(key), at: mosipAt }))).toBe('bad_base45');
  });
});

/** An Ed25519 private key from its 32-byte seed (hex): PKCS#8 is the form WebCrypto imports. */
async function importEd25519Seed(seedHex: string): Promise<WebCryptoKey> {
  const pkcs8 = fromHex(`302e020100300506032b657004220420${seedHex}`);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}
