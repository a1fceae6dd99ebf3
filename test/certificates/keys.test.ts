import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, verify, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkpointSignatureCheck,
  checkpointSigner,
  checkpointSignerSource,
  currentSigner,
  findCurrentSigningKey,
  generateSigningKey,
  keyIdOf,
  listSigningKeys,
  publishedKeySet,
  retireSigningKey,
  rotateSigningKey,
  signingKeyPassphrase,
  demoSigningKeyPassphrase,
} from '../../src/certificates/keys.ts';
import { parseKeySet } from '../../src/certificates/codec/key-set.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { AppError } from '../../src/core/errors.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const passphrase = 'a passphrase for the test keys';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db.close());

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const pemOf = async (kid: string) =>
  (await db.query<{ pem: string }>('SELECT private_key_pem AS pem FROM signing_keys WHERE kid = $1', [kid])).rows[0]!.pem;

describe('signing keys', () => {
  it('refuses to sign while there is no key, saying to generate one', async () => {
    const error = await refusal(currentSigner(db, clock, passphrase));
    expect(error.code).toBe('unavailable');
    expect(error.details.hint).toContain('tirkeu keys generate');
    expect(await findCurrentSigningKey(db, clock)).toBeUndefined();
  });

  it('generates an Ed25519 key whose id is the first 8 bytes of SHA-256 of its public key, valid five years, its private half encrypted', async () => {
    const key = await generateSigningKey(db, clock, { passphrase });
    expect(key.kid).toMatch(/^[0-9a-f]{16}$/);
    const raw = Buffer.from(key.publicKey, 'base64url');
    expect(raw).toHaveLength(32);
    expect(key.kid).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(key).toMatchObject({ alg: 'EdDSA', validFrom: clock.now(), validTo: new Date('2031-03-02T06:00:00Z'), retiredAt: null });
    // Nothing but the signer hands out a private half.
    expect(Object.keys(key).sort()).toEqual(['alg', 'createdAt', 'kid', 'publicKey', 'retiredAt', 'validFrom', 'validTo']);
    expect(Object.keys((await listSigningKeys(db))[0]!).sort()).toEqual(Object.keys(key).sort());

    const pem = await pemOf(key.kid);
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(() => createPrivateKey({ key: pem, format: 'pem', passphrase: 'not the passphrase at all' })).toThrow();
    const opened = createPrivateKey({ key: pem, format: 'pem', passphrase });
    expect(createPublicKey(opened).export({ format: 'jwk' }).x).toBe(key.publicKey);
  });

  it.runIf(hasOpenssl)('stores the private half so that openssl opens a backed-up row with the passphrase', async () => {
    const [key] = await listSigningKeys(db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-pem-'));
    try {
      const file = path.join(dir, 'key.pem');
      fs.writeFileSync(file, await pemOf(key!.kid));
      const opened = spawnSync('openssl', ['pkey', '-in', file, '-passin', `pass:${passphrase}`, '-pubout', '-outform', 'DER']);
      expect(opened.status, opened.stderr.toString()).toBe(0);
      // The DER SubjectPublicKeyInfo of Ed25519 ends with the raw 32-byte key.
      expect(opened.stdout.subarray(-32).toString('base64url')).toBe(key!.publicKey);
      expect(spawnSync('openssl', ['pkey', '-in', file, '-passin', 'pass:wrong passphrase here']).status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs with the current key, in WebCrypto and in Node, and keeps the opened key', async () => {
    const [key] = await listSigningKeys(db);
    const signer = await currentSigner(db, clock, passphrase);
    expect(signer.kid).toBe(key!.kid);
    expect(Buffer.from(signer.kidBytes).toString('hex')).toBe(key!.kid);
    const data = new TextEncoder().encode('Қазақстан Республикасы');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key!.publicKey }, format: 'jwk' });
    const signature = await signer.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify(null, data, publicKey, signature)).toBe(true);
    const webSignature = new Uint8Array(await webcrypto.subtle.sign({ name: 'Ed25519' }, signer.privateKey, data));
    expect(verify(null, data, publicKey, webSignature)).toBe(true);
    expect(signer.privateKey.algorithm.name).toBe('Ed25519');
    expect(signer.keyObject.asymmetricKeyType).toBe('ed25519');
    expect(await currentSigner(db, clock, passphrase)).toBe(signer);
  });

  it('refuses to sign without the passphrase or with a wrong one, naming the variable, even after the key was opened once', async () => {
    for (const given of [undefined, '', 'a wrong passphrase for the keys']) {
      const error = await refusal(currentSigner(db, clock, given));
      expect(error.code).toBe('unavailable');
      expect(error.details.field).toBe('TIRKEU_SIGNING_KEY_PASSPHRASE');
    }
    await expect(generateSigningKey(db, clock, { passphrase: '' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('rotates: the new key signs, the old one is retired and stays published, and what it signed still verifies', async () => {
    const old = await currentSigner(db, clock, passphrase);
    const oldSignature = await checkpointSigner(old).sign('a checkpoint hash');
    clock.advance(86_400_000);
    const { generated, retired } = await db.transaction((tx) => rotateSigningKey(tx, clock, { passphrase, validDays: 30 }));
    expect(retired).toMatchObject({ kid: old.kid, retiredAt: clock.now() });
    expect(generated.validTo).toEqual(new Date(clock.now().getTime() + 30 * 86_400_000));
    expect((await currentSigner(db, clock, passphrase)).kid).toBe(generated.kid);
    expect((await findCurrentSigningKey(db, clock))?.kid).toBe(generated.kid);

    const set = await publishedKeySet(db);
    expect(set.issuer).toBe('KZ');
    expect(set.keys.map((k) => k.kid)).toEqual([generated.kid, old.kid]);
    expect(set.keys[1]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: (await listSigningKeys(db))[1]!.publicKey,
      kid: old.kid,
      alg: 'EdDSA',
      use: 'sig',
      validFrom: '2026-03-02T06:00:00.000Z',
      // When it may sign: up to its retirement.
      validTo: '2026-03-03T06:00:00.000Z',
      retired: true,
    });
    expect(await checkpointSignatureCheck(set)({ keyId: old.kid, hash: 'a checkpoint hash', signature: oldSignature })).toBe('valid');
    expect(parseKeySet(JSON.parse(JSON.stringify(set)))).toEqual(set);
  });

  it('retires a key once, and says so for an unknown or malformed key id', async () => {
    const [current] = await listSigningKeys(db);
    await retireSigningKey(db, clock, current!.kid);
    const none = await refusal(currentSigner(db, clock, passphrase));
    expect(none.details.hint).toContain('tirkeu keys generate');
    expect((await refusal(retireSigningKey(db, clock, current!.kid))).code).toBe('conflict');
    expect((await refusal(retireSigningKey(db, clock, '0123456789abcdef'))).code).toBe('not_found');
    expect((await refusal(retireSigningKey(db, clock, 'KZ-1'))).code).toBe('validation_failed');
  });

  it('lets a key generated ahead of time sign only from its start, and lets an expired key sign no more', async () => {
    const start = new Date(clock.now().getTime() + 7 * 86_400_000);
    const ahead = await generateSigningKey(db, clock, { passphrase, validFrom: start, validDays: 10 });
    await expect(currentSigner(db, clock, passphrase)).rejects.toMatchObject({ code: 'unavailable' });
    clock.set(start);
    expect((await currentSigner(db, clock, passphrase)).kid).toBe(ahead.kid);
    clock.advance(10 * 86_400_000);
    await expect(currentSigner(db, clock, passphrase)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(generateSigningKey(db, clock, { passphrase, validDays: 0 })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'validDays' } });
  });

  it('keeps every key in the database: no removal, no change but retirement', async () => {
    const [key] = await listSigningKeys(db);
    await expect(db.query('DELETE FROM signing_keys WHERE kid = $1', [key!.kid])).rejects.toThrow(/refused/);
    await expect(db.query("UPDATE signing_keys SET public_key = 'x' WHERE kid = $1", [key!.kid])).rejects.toThrow(/refused/);
    await expect(db.query('UPDATE signing_keys SET retired_at = NULL WHERE retired_at IS NOT NULL')).rejects.toThrow(/refused/);
    await expect(db.query('TRUNCATE signing_keys')).rejects.toThrow(/refused/);
  });

  it('uses the published demo passphrase only in demo mode without a configured one', () => {
    expect(signingKeyPassphrase({ signingKeyPassphrase: 'configured passphrase', demo: true })).toBe('configured passphrase');
    expect(signingKeyPassphrase({ signingKeyPassphrase: undefined, demo: true })).toBe(demoSigningKeyPassphrase);
    expect(signingKeyPassphrase({ signingKeyPassphrase: undefined, demo: false })).toBeUndefined();
  });
});

describe('checkpoint signatures against a key set', () => {
  it('verify every hash signed, and refuse any other hash, any changed signature and any key not in the set', async () => {
    await generateSigningKey(db, clock, { passphrase });
    const signer = checkpointSigner(await currentSigner(db, clock, passphrase));
    const check = checkpointSignatureCheck(await publishedKeySet(db));
    const hex = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
    await fc.assert(
      fc.asyncProperty(hex, hex, fc.nat(), fc.integer({ min: 1, max: 255 }), async (hash, other, at, flip) => {
        const signature = await signer.sign(hash);
        expect(await check({ keyId: signer.keyId, hash, signature })).toBe('valid');
        if (other !== hash) expect(await check({ keyId: signer.keyId, hash: other, signature })).toBe('bad_signature');
        const bytes = Buffer.from(signature, 'base64url');
        bytes[at % bytes.length]! ^= flip;
        expect(await check({ keyId: signer.keyId, hash, signature: bytes.toString('base64url') })).toBe('bad_signature');
        expect(await check({ keyId: '0000000000000000', hash, signature })).toBe('unknown_key');
      }),
      { numRuns: 50 },
    );
    expect(await check({ keyId: signer.keyId, hash: 'h', signature: 'not base64url!' })).toBe('bad_signature');
  });

  it('trusts a key of a key set only when its kid is the one its public key gives', async () => {
    const set = await publishedKeySet(db);
    const forged = { ...set, keys: [{ ...set.keys[0]!, kid: 'ffffffffffffffff' }] };
    expect(parseKeySet(JSON.parse(JSON.stringify(set)))).toEqual(set);
    expect(keyIdOf(Buffer.from(set.keys[0]!.x, 'base64url'))).toBe(set.keys[0]!.kid);
    // A key set naming a kid that does not match is treated as not holding that key.
    const signer = checkpointSigner(await currentSigner(db, clock, passphrase));
    const signature = await signer.sign('h');
    expect(await checkpointSignatureCheck(forged)({ keyId: signer.keyId, hash: 'h', signature })).toBe('unknown_key');
  });
});

describe('the signer of a sealer on a timer', () => {
  it('gives the current key, or nothing while no key opens, telling each change once', async () => {
    const states: string[] = [];
    const later = fixedClock('2040-01-01T00:00:00Z');
    const source = (given: string | undefined) =>
      checkpointSignerSource(db, later, given, (state) => states.push(state.unsigned ? `unsigned: ${state.unsigned.message}` : `signed: ${state.keyId}`));
    const noKeyYet = source(undefined);
    expect(await noKeyYet()).toBeUndefined();
    expect(await noKeyYet()).toBeUndefined();
    const key = await generateSigningKey(db, later, { passphrase });
    expect(await noKeyYet()).toBeUndefined(); // no passphrase given to this one
    const opening = source(passphrase);
    expect((await opening())?.keyId).toBe(key.kid);
    expect((await opening())?.keyId).toBe(key.kid);
    await retireSigningKey(db, later, key.kid);
    expect(await opening()).toBeUndefined();
    expect(states).toEqual([
      'unsigned: there is no signing key valid now',
      'unsigned: TIRKEU_SIGNING_KEY_PASSPHRASE is not set: the signing keys cannot be opened',
      `signed: ${key.kid}`,
      'unsigned: there is no signing key valid now',
    ]);
  });
});
