import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerKeys } from '../../src/cli/commands/keys.ts';
import { registerLog } from '../../src/cli/commands/log.ts';
import { parseKeySet } from '../../src/certificates/codec/key-set.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { systemClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { AppError } from '../../src/core/errors.ts';
import { noteRecord } from '../support/note-record.ts';
import { readTemplate } from '../support/template.ts';

/**
 * `tirkeu keys`, `tirkeu checkpoint` and `tirkeu verify-log` run in this process against an
 * embedded database in a temporary directory, as the command line runs them (one process per
 * command would spend most of the test starting Node); one spawn checks the command is registered.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-keys-cli-'));
const dataDir = path.join(dir, 'data');
const passphrase = 'the keys command test passphrase';

beforeAll(async () => {
  const db = await openPglite({ dataDir, loadDataDir: readTemplate() });
  await db.close();
  vi.stubEnv('TIRKEU_DATA_DIR', dataDir);
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('TIRKEU_DEMO', '');
  vi.stubEnv('TIRKEU_SIGNING_KEY_PASSPHRASE', passphrase);
});
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

/** Runs one `tirkeu …` command line in this process; what it printed on standard output. */
async function tirkeu(...args: string[]): Promise<string> {
  const program = new Command('tirkeu').exitOverride();
  registerKeys(program);
  registerLog(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'tirkeu', ...args]);
  } finally {
    write.mockRestore();
    stderr.mockRestore();
  }
  return out;
}

async function addNote(text: string): Promise<void> {
  const db = await openPglite({ dataDir });
  try {
    await db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text } }, { clock: systemClock }));
  } finally {
    await db.close();
  }
}

const kidIn = (line: string) => /signing key ([0-9a-f]{16})/.exec(line)![1]!;

describe('tirkeu keys', () => {
  it('is a command of tirkeu', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../../src/cli/main.ts'), 'keys', '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    for (const command of ['generate', 'list', 'retire', 'rotate', 'export-public']) expect(help.stdout).toContain(command);
  });

  it('refuses to generate a key without the passphrase in the environment, saying what to set', async () => {
    vi.stubEnv('TIRKEU_SIGNING_KEY_PASSPHRASE', '');
    try {
      await expect(tirkeu('keys', 'generate')).rejects.toMatchObject({ code: 'unavailable', details: { field: 'TIRKEU_SIGNING_KEY_PASSPHRASE' } });
    } finally {
      vi.stubEnv('TIRKEU_SIGNING_KEY_PASSPHRASE', passphrase);
    }
    expect(await tirkeu('keys', 'list')).toBe('no signing keys (tirkeu keys generate makes one)\n');
  });

  it('generates, lists, signs checkpoints, exports, rotates and retires; verify-log checks the signatures against the database or a kept copy', async () => {
    const first = kidIn(await tirkeu('keys', 'generate', '--valid-days', '400'));
    expect(await tirkeu('keys', 'list')).toMatch(new RegExp(`^${first}  EdDSA  valid \\d{4}-\\d\\d-\\d\\d \\.\\. \\d{4}-\\d\\d-\\d\\d  signing\\n$`));

    await addNote('first');
    expect(await tirkeu('checkpoint')).toMatch(new RegExp(`^checkpoint 1: actions 1\\.\\.1 \\(1\\) root [0-9a-f]{64} signed by key ${first}\\n$`));
    const kept = path.join(dir, 'keys-before-rotation.json');
    await tirkeu('keys', 'export-public', '--out', kept);
    expect(parseKeySet(JSON.parse(fs.readFileSync(kept, 'utf8'))).keys.map((k) => k.kid)).toEqual([first]);

    const rotated = await tirkeu('keys', 'rotate');
    const second = kidIn(rotated);
    expect(rotated).toContain(`retired signing key ${first}`);
    const listed = JSON.parse(await tirkeu('keys', 'list', '--json')) as { kid: string; retiredAt: string | null; privateKeyPem?: string }[];
    expect(listed.map((k) => [k.kid, k.retiredAt === null])).toEqual([
      [second, true],
      [first, false],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/PRIVATE/);

    await addNote('second');
    expect(await tirkeu('checkpoint')).toContain(`signed by key ${second}`);
    expect(await tirkeu('verify-log', '--require-signed')).toMatch(/log intact: .* 2 checkpoints \(2 signed and verified, 0 unsigned;/);

    // The copy kept before the rotation does not hold the new key: its signatures are refused.
    expect(await tirkeu('verify-log', '--keys', kept)).toMatch(new RegExp(`BROKEN \\(checkpoint_signature\\): checkpoint is signed by key ${second}, which the key set does not hold`));
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    const published = JSON.parse(await tirkeu('keys', 'export-public')) as unknown;
    fs.writeFileSync(kept, JSON.stringify(published));
    expect(await tirkeu('verify-log', '--keys', kept)).toContain('log intact');

    expect(await tirkeu('keys', 'retire', second)).toContain(`retired signing key ${second}`);
    await addNote('third');
    expect(await tirkeu('checkpoint')).toMatch(/actions 3\.\.3 \(1\) root [0-9a-f]{64} unsigned\n$/);
    await expect(tirkeu('keys', 'retire', 'ffffffffffffffff')).rejects.toBeInstanceOf(AppError);
    await expect(tirkeu('verify-log', '--keys', path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'not_found', details: { field: 'keys' } });

    // Every change of key is in the access audit, with the key id and nothing else.
    const db = await openPglite({ dataDir });
    try {
      const { rows } = await db.query<{ event: string; target: string }>("SELECT event, target_id AS target FROM access_audit WHERE target_type = 'signing_key' ORDER BY seq");
      expect(rows).toEqual([
        { event: 'signing_key_generated', target: first },
        { event: 'signing_key_generated', target: second },
        { event: 'signing_key_retired', target: first },
        { event: 'signing_key_retired', target: second },
      ]);
    } finally {
      await db.close();
    }
  });
});
