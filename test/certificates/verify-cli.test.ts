/**
 * `tirkeu verify` run as a person runs it (a spawned CLI), against the interop test data and our
 * own payloads: exit 0 only for a valid signature within validity, else 1 with the reason.
 */
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromHex, toBase64Url, unwrapQrText, wrapQrText } from '../../src/certificates/codec/index.ts';
import { registerVerify } from '../../src/cli/commands/verify.ts';
import { generateTestKey, keySetOf, sampleBirth, signBirth, type TestSigningKey } from './fixtures/codec/sample.ts';

const root = path.join(import.meta.dirname, '../..');
const main = path.join(root, 'src/cli/main.ts');
const interop = (file: string) => JSON.parse(fs.readFileSync(new URL(`../../../shared/interop/${file}`, import.meta.url), 'utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-verify-cli-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function verify(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', main, 'verify', ...args],
      { cwd: root, env: { ...process.env, TIRKEU_DATA_DIR: dir, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

const pem = (base64Der: string) => `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

const at1 = interop('eu-dcc/AT/1.json');
const de1 = interop('eu-dcc/DE/1.json');
const co5 = interop('eu-dcc/common/CO5.json');
const b1 = interop('eu-dcc/common/B1.json');

let key: TestSigningKey;
let server: http.Server;
let keySetUrl: string;

beforeAll(async () => {
  key = await generateTestKey();
  const body = JSON.stringify(keySetOf([key]));
  server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  keySetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/tirkeu-keys.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The command in this process (commander program with only `verify`), output captured: fast, for
 * the cases that need no separate process. Usage errors come back as the AppError main.ts reports.
 */
async function verifyInProcess(args: string[]): Promise<Run & { error?: unknown }> {
  const program = new Command('tirkeu').exitOverride();
  let stdout = '';
  let stderr = '';
  program.configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerVerify(program);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['verify', ...args], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode, stdout, stderr };
    return { code: 1, stdout, stderr, error };
  } finally {
    write.mockRestore();
    process.exitCode = previousExitCode;
  }
}

describe('tirkeu verify, as a spawned command', { timeout: 180_000 }, () => {
  it('verifies the EU DCC AT/1 QR image against its signer certificate at the validation clock', async () => {
    const run = await verify([write('at1.png', Buffer.from(at1['2DCODE'], 'base64')), '--trust', write('at1.pem', pem(at1.TESTCTX.CERTIFICATE)), '--at', at1.TESTCTX.VALIDATIONCLOCK]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid: EU Digital COVID Certificate, ES256 signature by the certificate CN=AT DSC 1');
  });

  it('CO5 fails bad_signature: exit 1 with the reason and a sentence', async () => {
    const run = await verify([co5.PREFIX, '--trust', write('co5.pem', pem(co5.TESTCTX.CERTIFICATE)), '--at', co5.TESTCTX.VALIDATIONCLOCK]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('invalid: bad_signature: The signature does not match the contents');
  });

  it("verifies a tirkeu birth certificate read from standard input against the key set at a registry's URL", async () => {
    const { text } = await signBirth(key);
    const run = await verify(['-', '--keys', keySetUrl, '--at', '2026-06-01T00:00:00Z'], `${text}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`valid: tirkeu birth certificate, EdDSA signature by KZ key ${key.kidHex}`);
    expect(run.stdout).toContain(`child: Жұмабекова Әсемгүл Нұрланқызы, IIN ${sampleBirth.iin}, born 2026-03-14`);
  });

  it('without a key source it says what to pass, and exits 1', async () => {
    const run = await verify([at1.PREFIX]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--keys');
    expect(run.stderr).toContain('--trust');
  });
});

describe('tirkeu verify', () => {
  it('verifies DE/1 from a text file with the certificate as base64 DER, and prints JSON', async () => {
    const run = await verifyInProcess([write('de1.txt', `${de1.PREFIX}\n`), '--trust', write('de1.b64', de1.TESTCTX.CERTIFICATE), '--at', de1.TESTCTX.VALIDATIONCLOCK, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ valid: true, credential: { format: 'eu-dcc', alg: 'ES256', issuer: 'DE', kid: '0c4b15512be91401' } });
    expect(result.credential.claims['-260']['1'].nam.fn).toBe('Mustermann');
  });

  it('B1 fails bad_base45; AT/1 before its signer certificate is valid fails key_expired; after its exp, expired', async () => {
    const b1Run = await verifyInProcess([b1.PREFIX, '--trust', write('b1.pem', pem(b1.TESTCTX.CERTIFICATE)), '--at', b1.TESTCTX.VALIDATIONCLOCK]);
    expect(b1Run).toMatchObject({ code: 1, stdout: expect.stringContaining('invalid: bad_base45') });
    const at1Pem = write('at1.pem', pem(at1.TESTCTX.CERTIFICATE));
    const early = await verifyInProcess([at1.PREFIX, '--trust', at1Pem, '--at', '2021-05-01T00:00:00Z']);
    expect(early).toMatchObject({ code: 1, stdout: expect.stringContaining('invalid: key_expired') });
    const late = await verifyInProcess([at1.PREFIX, '--trust', at1Pem, '--at', '2021-12-01T00:00:00Z']);
    expect(late).toMatchObject({ code: 1, stdout: expect.stringContaining('invalid: expired') });
  });

  it('verifies the MOSIP ECDSA vector with a PEM public key, and the Ed25519 one with a JWK', async () => {
    const at = '2025-06-15T00:00:00Z';
    const ecdsa = interop('mosip-claim169/valid/ecdsa-p256-signed.json');
    const sec1 = fromHex(ecdsa.signing_key.public_key_hex);
    const ecJwk = { kty: 'EC', crv: 'P-256', x: toBase64Url(sec1.subarray(1, 33)), y: toBase64Url(sec1.subarray(33)) };
    const ecPem = createPublicKey({ key: ecJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
    const ecRun = await verifyInProcess([ecdsa.qr_data, '--trust', write('mosip-ec.pem', ecPem), '--at', at]);
    expect(ecRun).toMatchObject({ code: 0, stdout: expect.stringContaining('valid: MOSIP Claim 169 identity credential, ES256') });

    const ed = interop('mosip-claim169/valid/ed25519-signed.json');
    const edJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(fromHex(ed.signing_key.public_key_hex)) };
    const edRun = await verifyInProcess([write('mosip-ed.txt', ed.qr_data), '--trust', write('mosip-ed.jwk', JSON.stringify(edJwk)), '--at', at]);
    expect(edRun).toMatchObject({ code: 0, stdout: expect.stringContaining('valid: MOSIP Claim 169 identity credential, EdDSA') });
  });

  it('a tampered tirkeu payload fails bad_signature against a key set file, as JSON', async () => {
    const { cose } = await signBirth(key);
    const tampered = unwrapQrText(wrapQrText(cose));
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    const run = await verifyInProcess([wrapQrText(tampered), '--keys', write('keys.json', JSON.stringify(keySetOf([key]))), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, reason: 'bad_signature', message: { kk: expect.any(String), ru: expect.any(String) } });
  });

  it('refuses unusable input with what to do: a missing file, a private key to trust, a bad --at, a key set given to --trust', async () => {
    const missing = await verifyInProcess(['certificate.png', '--keys', keySetUrl]);
    expect(missing.error).toMatchObject({ code: 'not_found', details: { field: 'payload' } });
    const privatePem = write('private.pem', '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n');
    expect((await verifyInProcess([at1.PREFIX, '--trust', privatePem])).error).toMatchObject({ code: 'validation_failed', details: { field: 'trust' } });
    expect((await verifyInProcess([at1.PREFIX, '--keys', keySetUrl, '--at', 'yesterday'])).error).toMatchObject({ details: { field: 'at' } });
    const keySetFile = write('set.json', JSON.stringify(keySetOf([key])));
    expect((await verifyInProcess([at1.PREFIX, '--trust', keySetFile])).error).toMatchObject({ details: { field: 'trust', hint: 'a key set goes to --keys' } });
  });

  it('--help names every option and the exit status', async () => {
    const run = await verifyInProcess(['--help']);
    expect(run.code).toBe(0);
    for (const text of ['--trust <file>', '--keys <url|file>', '--at <time>', '--json', 'Exit status: 0']) expect(run.stdout).toContain(text);
  });
});
