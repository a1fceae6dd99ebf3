import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { certificateDepsFor, findCertificate, issueCertificate, revokeCertificate, verifyLink } from '../../src/certificates/issuance.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { registerVerify } from '../../src/cli/commands/verify.ts';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps, helperRegistrar, makeBirth } from '../support/births.ts';
import { readTemplate } from '../support/template.ts';

/**
 * `tirkeu verify` on the registry's own machine: the signature against the database's key set,
 * then the certificate's status in that database; a revoked certificate exits 1 saying so.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-verify-status-'));
const dataDir = path.join(dir, 'data');
const passphrase = 'the verify status test passphrase';
let link = '';
let serial = '';

async function withTestDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openPglite({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  const db = await openPglite({ dataDir, loadDataDir: readTemplate() });
  await db.close();
  vi.stubEnv('TIRKEU_DATA_DIR', dataDir);
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('TIRKEU_SIGNING_KEY_PASSPHRASE', passphrase);
  await withTestDb(async (db) => {
    await loadPackIntoDb(db, loadPack('kz'));
    await generateSigningKey(db, systemClock, { passphrase, validFrom: new Date('2026-01-01T00:00:00Z') });
    // Registered today, so the test birth's date must be recent: the helper's fixed date is in March 2026.
    const clock = { now: () => new Date('2026-03-02T06:00:00Z') };
    const births = birthDeps(db, clock);
    const id = await makeBirth(births, 'kz-hf-71-001', 'registered');
    const deps = certificateDepsFor(births, loadConfig());
    const { issuance } = await issueCertificate(deps, id, { kind: 'birth_certificate', delivery: 'electronic' }, { actor: helperRegistrar(['certificate.issue']) });
    serial = issuance.serial;
    link = verifyLink(deps, (await findCertificate(db, serial))!.qrPayload);
  });
}, 120_000);
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

async function verify(...args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('tirkeu').exitOverride();
  registerVerify(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tirkeu', 'verify', ...args]);
  } finally {
    write.mockRestore();
  }
  return { out, code: Number(process.exitCode ?? 0) };
}

describe('tirkeu verify against the local register', () => {
  it('says valid with the status from the database, then revoked (exit 1) once the certificate is revoked', async () => {
    const valid = await verify(link, '--at', '2026-03-02T07:00:00Z');
    expect(valid.code).toBe(0);
    expect(valid.out).toContain('status: valid');
    await withTestDb(async (db) => {
      const deps = certificateDepsFor(birthDeps(db, { now: () => new Date('2026-03-03T06:00:00Z') }), loadConfig());
      await revokeCertificate(deps, serial, { actor: helperRegistrar(['certificate.issue']), reason: 'reported stolen' });
    });
    const revoked = await verify(link, '--at', '2026-03-03T07:00:00Z', '--json');
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out)).toMatchObject({ valid: false, status: { state: 'revoked', since: '2026-03-03' } });
  });
});
