import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBirths } from '../../src/cli/commands/births.ts';
import { registerSynth } from '../../src/cli/commands/synth.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { readCsv } from '../../src/places/csv-reader.ts';
import { readTemplate } from '../support/template.ts';

/**
 * `tirkeu synth` then `tirkeu import births` on what it wrote, in this process against an embedded
 * database in a temporary directory, as the command line runs them; one spawn checks that the
 * command is registered in the `tirkeu` program.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-synth-cli-'));
const dataDir = path.join(dir, 'data');
const file = path.join(dir, 'births.csv');

beforeAll(async () => {
  const db = await openPglite({ dataDir, loadDataDir: readTemplate() });
  await db.close();
  vi.stubEnv('TIRKEU_DATA_DIR', dataDir);
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('TIRKEU_PACK', 'kz');
});
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

/** Runs one `tirkeu …` command line in this process; what it printed on standard output and error. */
async function tirkeu(...args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('tirkeu').exitOverride();
  registerSynth(program);
  registerBirths(program);
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tirkeu', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { out, err };
}

const records = (text: string) => readCsv(text).records.map((r) => r.values);

describe('tirkeu synth', () => {
  it('is a command of tirkeu, with help', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../../src/cli/main.ts'), 'synth', '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    for (const option of ['--births', '--dup-rate', '--seed', '--out', '--today', 'truth.csv', 'no_patronymic']) expect(help.stdout).toContain(option);
  });

  it('writes rows the import takes, every one of them, and a truth file that agrees with them', async () => {
    // Yesterday in UTC is not in the future for the import, whatever the pack's time zone.
    const today = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const synth = await tirkeu('synth', '--births', '300', '--dup-rate', '0.1', '--seed', '11', '--today', today, '--out', file);
    expect(synth.out).toMatch(/^300 rows: \d+ births and \d+ duplicates/);
    expect(synth.out).toMatch(/rows\/s/);
    expect(synth.err).toMatch(/synthesising births/);
    const rows = records(fs.readFileSync(file, 'utf8'));
    const truth = records(fs.readFileSync(path.join(dir, 'births.truth.csv'), 'utf8'));
    expect(rows).toHaveLength(300);
    expect(truth.map((t) => t.legacy_ref)).toEqual(rows.map((r) => r.legacy_ref));
    const duplicates = truth.filter((t) => t.duplicate_of);
    expect(duplicates.length).toBeGreaterThan(10);
    const clusterOf = new Map(truth.map((t) => [t.legacy_ref, t.cluster]));
    for (const d of duplicates) {
      expect(clusterOf.get(d.duplicate_of!)).toBe(d.cluster);
      expect(d.errors!.split(';').length).toBeGreaterThanOrEqual(1);
    }
    expect(rows.every((r) => r.child_date_of_birth! <= today)).toBe(true);

    // The same seed writes the same file.
    const again = path.join(dir, 'again.csv');
    await tirkeu('synth', '--births', '300', '--dup-rate', '0.1', '--seed', '11', '--today', today, '--out', again);
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));

    const imported = await tirkeu('import', 'births', file);
    expect(imported.out).toContain('300 imported, 0 already in the register (skipped), 0 rejected');
    expect(process.exitCode).toBeUndefined();
    expect(fs.existsSync(`${file}.rejected.csv`)).toBe(false);

    const db = await openPglite({ dataDir });
    try {
      const { rows: held } = await db.query<{ ref: string; iin: string }>("SELECT ref, subject_id AS iin FROM records WHERE type = 'birth'");
      expect(held).toHaveLength(300);
      // Each duplicate registration got an IIN of its own: the problem record linkage is there to find.
      const iins = new Map(held.map((h) => [h.ref, h.iin]));
      for (const d of duplicates) expect(iins.get(d.legacy_ref!)).not.toBe(iins.get(d.duplicate_of!));
      expect(new Set(held.map((h) => h.iin)).size).toBe(300);
    } finally {
      await db.close();
    }
  });

  it('refuses bad options, naming them', async () => {
    await expect(tirkeu('synth', '--births', 'many', '--out', file)).rejects.toThrow(/--births must be a whole number/);
    await expect(tirkeu('synth', '--dup-rate', '1.5', '--out', file)).rejects.toThrow(/--dup-rate/);
    await expect(tirkeu('synth', '--today', '2026-02-30', '--out', file)).rejects.toThrow(/today/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
