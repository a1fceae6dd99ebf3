import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { indexMissingBirths } from '../../births/duplicates.ts';
import { birthDepsFor } from '../../births/workflow.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config.ts';
import { csvLine } from '../../core/db/csv.ts';
import type { Db } from '../../core/db/types.ts';
import { AppError } from '../../core/errors.ts';
import { openPairsReport, reportCsvHeader, reportCsvRow, runAudit, type AuditSummary } from '../../linkage/audit.ts';
import { clustersOf } from '../../linkage/clusters.ts';
import { fieldNames } from '../../linkage/comparison.ts';
import { estimateFromRegister } from '../../linkage/estimation.ts';
import { saveModel } from '../../linkage/matching.ts';
import { modelFromSettings } from '../../linkage/scoring.ts';
import { loadLinkageSettings } from '../../linkage/settings.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';

/**
 * The batch audit as a command: index what linkage has not seen, compare the register with itself,
 * and write the open suspected pairs to DIR/pairs.csv and DIR/pairs.json. Also run after every
 * `tirkeu import births`, on what the import brought (`since`).
 */
export async function auditRegister(db: Db, config: Config, options: { since?: Date; resume?: boolean; out?: string; clock?: Clock; say: (text: string) => void }): Promise<AuditSummary & { clusters: string[][] }> {
  const deps = birthDepsFor(db, options.clock ?? systemClock, config.pack);
  const indexing = progressBar('indexing names');
  try {
    const indexed = await indexMissingBirths(deps, (done, total) => indexing.update(done, total));
    if (indexed) options.say(`${indexed} births indexed for matching\n`);
  } finally {
    indexing.stop();
  }
  const bar = progressBar('comparing records');
  let summary: AuditSummary;
  try {
    summary = await runAudit(db, deps.linkage, deps.clock, { since: options.since, resume: options.resume, onProgress: (done, total) => bar.update(done, total) });
  } finally {
    bar.stop();
  }
  const { rows } = await db.query<{ recordA: string; recordB: string }>(`SELECT record_a AS "recordA", record_b AS "recordB" FROM linkage_pairs WHERE status = 'open'`);
  const clusters = clustersOf(rows);
  if (options.out) await writeReport(db, options.out, deps.linkage);
  return { ...summary, clusters };
}

async function writeReport(db: Db, dir: string, settings: ReturnType<typeof birthDepsFor>['linkage']): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const csv = fs.createWriteStream(path.join(dir, 'pairs.csv'));
  const json = fs.createWriteStream(path.join(dir, 'pairs.json'));
  csv.write(csvLine(reportCsvHeader(fieldNames)));
  json.write('[\n');
  let first = true;
  for await (const pair of openPairsReport(db, settings)) {
    csv.write(csvLine(reportCsvRow(pair, fieldNames)));
    const entry = {
      record_a: pair.recordA,
      record_b: pair.recordB,
      number_a: pair.numberA,
      number_b: pair.numberB,
      legacy_ref_a: pair.legacyRefA,
      legacy_ref_b: pair.legacyRefB,
      score: Math.round(pair.score * 100) / 100,
      band: pair.band,
      source: pair.source,
      cluster: pair.cluster,
      fields: pair.comparison.fields,
    };
    json.write(`${first ? '' : ',\n'}${JSON.stringify(entry)}`);
    first = false;
  }
  json.write('\n]\n');
  await Promise.all([new Promise((resolve) => csv.end(resolve)), new Promise((resolve) => json.end(resolve))]);
}

/** A line per cluster (up to `max`): its records' legacy references or ids. */
export async function describeClusters(db: Db, clusters: string[][], max: number): Promise<string[]> {
  const shown = clusters.slice(0, max);
  const ids = shown.flat();
  const { rows } = await db.query<{ id: string; ref: string | null; number: string | null }>('SELECT id, ref, number FROM records WHERE id = ANY($1::uuid[])', [ids]);
  const label = new Map(rows.map((r) => [r.id, r.ref ?? r.number ?? r.id]));
  return shown.map((members, i) => `  cluster ${i + 1}: ${members.map((id) => label.get(id) ?? id).join(', ')}`);
}

export function registerLinkage(program: Command): void {
  const linkage = program.command('linkage').description('record linkage: find births registered more than once');
  linkage
    .command('audit')
    .description('compare the whole register with itself and list suspected duplicate pairs (resumable)')
    .option('--out <dir>', 'write DIR/pairs.csv and DIR/pairs.json: every open suspected pair with both records, the score, the band and the field-by-field comparison')
    .option('--resume', 'carry on the last audit that did not finish, from the last chunk it committed')
    .option('--since <instant>', 'only records indexed at or after this moment (ISO 8601), each compared with the whole register')
    .addHelpText(
      'after',
      `\nPairs at or above the pack's possible-match threshold go to the review queue (the web app's\nsuspected duplicates, GET /api/v1/duplicates); a registrar decides each. A pair already decided is\nnever reopened. Columns of pairs.csv: record_a, record_b, number_a, number_b, legacy_ref_a,\nlegacy_ref_b, score (Σ log2 m/u), band (match | possible), source, cluster, then one column per\ncompared field: "level weight" (e.g. "transliteration +6.1").`,
    )
    .action((o: { out?: string; resume?: boolean; since?: string }) =>
      withDb(
        async (db, config) => {
          const since = o.since ? new Date(o.since) : undefined;
          if (since && Number.isNaN(since.getTime())) throw new AppError('validation_failed', '--since is not an instant', { field: '--since', hint: 'e.g. 2026-11-26T10:00:00Z' });
          const say = (text: string) => process.stdout.write(text);
          const t0 = performance.now();
          const result = await auditRegister(db, config, { since, resume: o.resume, out: o.out, say });
          const seconds = (performance.now() - t0) / 1000;
          say(`${result.records} records compared${result.resumed ? ' (resumed)' : ''}: ${result.compared} candidate pairs scored, ${result.pairs} suspected; ${result.clusters.length} clusters open in the register (${Math.round(result.records / Math.max(seconds, 0.001))} records/s)\n`);
          for (const line of await describeClusters(db, result.clusters, 10)) say(`${line}\n`);
          if (o.out) say(`report: ${path.join(o.out, 'pairs.csv')}, ${path.join(o.out, 'pairs.json')}\n`);
        },
        { migrate: true },
      ),
    );

  linkage
    .command('estimate')
    .description('estimate the matching model (m and u of every field level) from the register by EM, and use it from now on')
    .option('--sample <records>', 'records whose candidate pairs feed the estimate', '20000')
    .option('--pack', "go back to the pack's starting values (config/<pack>/linkage.json) instead of estimating")
    .addHelpText(
      'after',
      `\nUnsupervised: no labelled pairs are needed. The pack's starting values (config/<pack>/linkage.json)\nare where EM starts; the estimated model is stored in the database and used by declarations,\nregistrations, the audit and search. The thresholds stay the pack's, and they were chosen for its\nstarting values: on the synthetic register an estimated model kept precision but flagged fewer\nduplicates at auto-flag (see the README's performance table). Compare the review queue before and\nafter; --pack goes back.`,
    )
    .action((o: { sample: string; pack?: boolean }) =>
      withDb(
        async (db, config) => {
          if (o.pack) {
            await saveModel(db, modelFromSettings(loadLinkageSettings(config.pack)), 0, systemClock.now());
            process.stdout.write("matching uses the pack's starting values again\n");
            return;
          }
          const sample = Number(o.sample);
          if (!Number.isInteger(sample) || sample < 100) throw new AppError('validation_failed', '--sample must be a whole number of records, at least 100', { field: '--sample' });
          const deps = birthDepsFor(db, systemClock, config.pack);
          const indexed = await indexMissingBirths(deps);
          if (indexed) process.stdout.write(`${indexed} births indexed for matching\n`);
          const result = await estimateFromRegister(db, deps.linkage, systemClock, { sample });
          process.stdout.write(`estimated from ${result.pairs} candidate pairs in ${result.iterations} iterations${result.converged ? '' : ' (did not converge: the last iteration is kept)'}; λ = ${result.model.lambda.toFixed(4)}\n`);
          for (const field of fieldNames) {
            const levels = Object.entries(result.model.weights[field]).map(([level, { m, u }]) => `${level} ${(Math.log2(m / u) >= 0 ? '+' : '')}${Math.log2(m / u).toFixed(1)}`);
            process.stdout.write(`  ${field.padEnd(22)} ${levels.join('  ')}\n`);
          }
        },
        { migrate: true },
      ),
    );
}
