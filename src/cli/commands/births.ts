import fs from 'node:fs';
import type { Command } from 'commander';
import { checkIin, parseIinRules } from '../../births/iin.ts';
import { importBirths, legacyColumns } from '../../births/legacy-import.ts';
import { birthDepsFor } from '../../births/workflow.ts';
import { systemClock } from '../../core/clock.ts';
import { loadConfig } from '../../core/config.ts';
import { csvLine } from '../../core/db/csv.ts';
import { AppError } from '../../core/errors.ts';
import { readCsv } from '../../places/csv-reader.ts';
import { loadPack } from '../../places/pack.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';

type Row = { line: number; values: Record<string, string | undefined> };

/** JSON Lines rows, flat objects with the CSV's column names; a line that is not an object is yielded as an error row. */
function* jsonLines(text: string): Generator<Row | { line: number; error: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw) continue;
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      yield { line: i + 1, values: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)])) };
    } catch (error) {
      yield { line: i + 1, error: `not a JSON object: ${(error as Error).message}` };
    }
  }
}

export function registerBirths(program: Command): void {
  program
    .command('import')
    .description('load historical registrations from a legacy register (see the README for the columns)')
    .argument('<what>', 'births')
    .argument('<file>', 'a .csv or .jsonl file')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--batch <rows>', 'rows per transaction', '500')
    .option('--rejected <file>', 'where to write the rejected rows report (default: FILE.rejected.csv)')
    .addHelpText('after', `\nColumns:\n${legacyColumns.map(([c, need, about]) => `  ${c.padEnd(22)} ${need.padEnd(28)} ${about}`).join('\n')}\n\nRows already imported (same legacy_ref) are skipped: run it again to resume.\nExit code 1 when any row was rejected.`)
    .action((what: string, file: string, o: { format?: string; batch: string; rejected?: string }) =>
      withDb(
        async (db, config) => {
          if (what !== 'births') throw new AppError('validation_failed', `cannot import ${what}; only births`, { field: 'what' });
          const format = o.format ?? (file.endsWith('.jsonl') || file.endsWith('.ndjson') ? 'jsonl' : 'csv');
          if (!['csv', 'jsonl'].includes(format)) throw new AppError('validation_failed', '--format must be csv or jsonl', { field: 'format' });
          const batchSize = Number(o.batch);
          if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new AppError('validation_failed', '--batch must be 1–10000', { field: 'batch' });
          const text = fs.readFileSync(file, 'utf8');
          const unreadable: { line: number; field: string; message: string }[] = [];
          const rows: Row[] = [];
          if (format === 'csv') rows.push(...readCsv(text).records);
          else {
            for (const r of jsonLines(text)) {
              if ('error' in r) unreadable.push({ line: r.line, field: 'line', message: r.error });
              else rows.push(r);
            }
          }
          const bar = progressBar('importing births');
          const report = await importBirths(birthDepsFor(db, systemClock, config.pack), rows, {
            source: file.split('/').at(-1)!,
            batchSize,
            onProgress: (r) => bar.update(r.imported + r.skipped + r.rejected.length, rows.length, `${r.imported} imported`),
          });
          bar.stop();
          const rejected = [...unreadable, ...report.rejected].sort((a, b) => a.line - b.line);
          process.stdout.write(`${report.imported} imported, ${report.skipped} already in the register (skipped), ${rejected.length} rejected\n`);
          if (rejected.length) {
            const out = o.rejected ?? `${file}.rejected.csv`;
            fs.writeFileSync(out, [csvLine(['line', 'field', 'problem']), ...rejected.map((r) => csvLine([r.line, r.field, r.message]))].join(''));
            process.stdout.write(`rejected rows and why: ${out}\n`);
            for (const r of rejected.slice(0, 5)) process.stdout.write(`  line ${r.line}: ${r.field}: ${r.message}\n`);
            process.exitCode = 1;
          }
        },
        { migrate: true },
      ),
    );

  const iin = program.command('iin').description('individual identification numbers (IIN)');
  iin
    .command('check')
    .description('say for each number whether it is a valid IIN and why not; warn where date or sex look wrong; exit 1 if any is invalid')
    .argument('<numbers...>', 'one or more 12-digit numbers')
    .option('--json', 'print one JSON object a line')
    .action((numbers: string[], o: { json?: boolean }) => {
      const rules = parseIinRules(loadPack(loadConfig().pack).settings.identityNumber);
      let invalid = 0;
      for (const number of numbers) {
        const result = checkIin(number.trim(), rules);
        if (!result.valid) invalid++;
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ number, ...result })}\n`);
          continue;
        }
        const says = result.dateOfBirth || result.sex ? ` (digits say: ${[result.dateOfBirth, result.sex].filter(Boolean).join(', ')})` : '';
        process.stdout.write(`${number}: ${result.valid ? 'valid' : 'INVALID'}${says}\n`);
        for (const p of result.problems) process.stdout.write(`  error: ${p.message}\n`);
        for (const w of result.warnings) process.stdout.write(`  warning: ${w.message}\n`);
      }
      if (invalid) process.exitCode = 1;
    });
}
