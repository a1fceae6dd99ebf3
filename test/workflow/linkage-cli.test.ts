import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBirths } from '../../src/cli/commands/births.ts';
import { registerLinkage } from '../../src/cli/commands/linkage.ts';
import { registerSynth } from '../../src/cli/commands/synth.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { readCsv } from '../../src/places/csv-reader.ts';
import { readTemplate } from '../support/template.ts';

/**
 * The Done-when of record linkage at the command line: a synthetic register with injected
 * duplicates is imported, the import lists the suspected clusters, and `tirkeu linkage audit --out`
 * writes a report in which the injected clusters are found, pair by pair, with the truth file.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-linkage-cli-'));
const dataDir = path.join(dir, 'data');
const file = path.join(dir, 'births.csv');
const out = path.join(dir, 'report');

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

async function tirkeu(...args: string[]): Promise<string> {
  const program = new Command('tirkeu').exitOverride();
  registerSynth(program);
  registerBirths(program);
  registerLinkage(program);
  let text = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'tirkeu', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return text;
}

const records = (text: string) => readCsv(text).records.map((r) => r.values);
const pairKey = (a: string, b: string) => [a, b].sort().join('|');

describe('tirkeu linkage audit', () => {
  it('finds the injected duplicate clusters of an imported register, and writes the report', async () => {
    const today = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await tirkeu('synth', '--births', '600', '--dup-rate', '0.1', '--seed', '23', '--today', today, '--out', file);
    const imported = await tirkeu('import', 'births', file);
    expect(imported).toMatch(/600 imported/);
    expect(imported).toMatch(/duplicate check: 600 imported records compared with the register, \d+ suspected pairs; \d+ suspected clusters/);
    expect(imported).toMatch(/cluster 1: SYN-23-\d+, SYN-23-\d+/);

    const audited = await tirkeu('linkage', 'audit', '--out', out);
    expect(audited).toMatch(/600 records compared/);
    const pairs = records(fs.readFileSync(path.join(out, 'pairs.csv'), 'utf8'));
    expect(Object.keys(pairs[0]!)).toEqual(expect.arrayContaining(['record_a', 'record_b', 'legacy_ref_a', 'legacy_ref_b', 'number_a', 'number_b', 'score', 'band', 'cluster', 'child_surname', 'mother_iin', 'place']));
    const json = JSON.parse(fs.readFileSync(path.join(out, 'pairs.json'), 'utf8')) as { record_a: string; fields: { field: string; level: string; weight: number }[] }[];
    expect(json).toHaveLength(pairs.length);
    expect(json[0]!.fields.map((f) => f.field)).toContain('child_date_of_birth');

    // Every pair of rows the truth says are one birth is in the report at the auto-flag band, and nearly nothing else is.
    const truth = records(fs.readFileSync(path.join(dir, 'births.truth.csv'), 'utf8'));
    const byCluster = new Map<string, string[]>();
    for (const t of truth) byCluster.set(t.cluster!, [...(byCluster.get(t.cluster!) ?? []), t.legacy_ref!]);
    const truePairs = new Set<string>();
    for (const refs of byCluster.values()) for (let i = 0; i < refs.length; i++) for (let j = i + 1; j < refs.length; j++) truePairs.add(pairKey(refs[i]!, refs[j]!));
    expect(truePairs.size).toBeGreaterThan(40);
    const flagged = new Set(pairs.filter((p) => p.band === 'match').map((p) => pairKey(p.legacy_ref_a!, p.legacy_ref_b!)));
    const found = [...truePairs].filter((k) => flagged.has(k)).length;
    expect(found / truePairs.size).toBeGreaterThanOrEqual(0.95);
    const wrong = [...flagged].filter((k) => !truePairs.has(k)).length;
    expect(wrong / flagged.size).toBeLessThanOrEqual(0.05);
  });

  it('a second audit stores no pair twice, and estimating the model from the register keeps it usable', async () => {
    const before = records(fs.readFileSync(path.join(out, 'pairs.csv'), 'utf8')).length;
    await tirkeu('linkage', 'audit', '--resume', '--out', out);
    expect(records(fs.readFileSync(path.join(out, 'pairs.csv'), 'utf8'))).toHaveLength(before);
    const estimated = await tirkeu('linkage', 'estimate', '--sample', '300');
    expect(estimated).toMatch(/estimated from \d+ candidate pairs in \d+ iterations/);
    expect(estimated).toMatch(/mother_iin +exact \+\d/);
    expect(await tirkeu('linkage', 'estimate', '--pack')).toMatch(/starting values again/);
  });
});
