import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { checkIin, parseIinRules } from '../../births/iin.ts';
import { checkpointSignerSource, signingKeyPassphrase, signingKeysInstalled } from '../../certificates/keys.ts';
import { importBirths, type ImportReport, type LegacyRow, legacyColumns, type RejectedRow, unknownLegacyColumns } from '../../births/legacy-import.ts';
import { birthDepsFor } from '../../births/workflow.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { type Config, loadConfig } from '../../core/config.ts';
import { csvLine } from '../../core/db/csv.ts';
import type { Db } from '../../core/db/types.ts';
import { AppError } from '../../core/errors.ts';
import { readCsv } from '../../places/csv-reader.ts';
import { loadPack } from '../../places/pack.ts';
import { countPlaces, loadPackIntoDb } from '../../places/store.ts';
import { withDb } from '../context.ts';
import { auditRegister, describeClusters } from './linkage.ts';
import { progressBar } from '../progress.ts';

type Unreadable = { line: number; error: string; field: string };

/**
 * The physical lines of a file, read as a stream (memory holds one line, whatever the file's size),
 * with their line numbers.
 */
async function* numberedLines(input: NodeJS.ReadableStream): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    yield { line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
  }
}

/** The longest CSV record taken: a legacy row of a few dozen columns never comes near it. */
const maxRecordChars = 65_536;

/**
 * CSV records keyed by the header. A quoted field may hold line breaks: lines are joined while a
 * record's quotes are unbalanced (counted line by line, so a long record costs linear time), then
 * the record is split by the pack's CSV reader. A quote left open is reported once the record
 * passes maxRecordChars, so memory stays bounded. A header with a column the import does not know
 * refuses the file: a misspelt column would lose its data.
 */
async function* csvRows(input: NodeJS.ReadableStream): AsyncGenerator<LegacyRow | Unreadable> {
  let header: string[] | undefined;
  let pending: { line: number; parts: string[]; chars: number; open: boolean } | undefined;
  for await (const { line, text } of numberedLines(input)) {
    if (!pending && !text.trim()) continue;
    const quotes = text.split('"').length - 1;
    const record = pending ?? { line, parts: [], chars: 0, open: false };
    record.parts.push(text);
    record.chars += text.length + 1;
    record.open = record.open !== (quotes % 2 === 1);
    if (record.open) {
      pending = record.chars > maxRecordChars ? undefined : record;
      if (!pending) yield { line: record.line, field: 'line', error: `a quoted field is not closed within ${maxRecordChars} characters: check the quotes of this row` };
      continue;
    }
    pending = undefined;
    // The reader's first row is this one record's cells.
    const cells = readCsv(record.parts.join('\n')).header;
    if (!header) {
      header = cells.map((c) => c.trim());
      const unknown = unknownLegacyColumns(header);
      if (unknown.length) {
        throw new AppError('validation_failed', `unknown column ${unknown.join(', ')} in the header`, { field: unknown[0], hint: 'see tirkeu import --help for the column names' });
      }
      continue;
    }
    if (cells.length !== header.length) {
      yield { line: record.line, field: 'line', error: `has ${cells.length} fields, the header has ${header.length}` };
      continue;
    }
    yield { line: record.line, values: Object.fromEntries(header.map((h, i) => [h, cells[i]])) };
  }
  if (pending) yield { line: pending.line, field: 'line', error: 'a quoted field is not closed before the end of the file' };
}

/** JSON Lines rows, flat objects with the CSV's column names. */
async function* jsonRows(input: NodeJS.ReadableStream): AsyncGenerator<LegacyRow | Unreadable> {
  for await (const { line, text } of numberedLines(input)) {
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, field: 'line', error: 'not a JSON object' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, field: 'line', error: 'not a JSON object' };
      continue;
    }
    const unknown = unknownLegacyColumns(Object.keys(value));
    if (unknown.length) {
      yield { line, field: unknown[0]!, error: `unknown column ${unknown.join(', ')}` };
      continue;
    }
    const values = Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? undefined : typeof v === 'object' ? undefined : String(v)] as const);
    const nested = Object.entries(value).find(([, v]) => typeof v === 'object' && v !== null);
    if (nested) {
      yield { line, field: nested[0], error: `${nested[0]} must be a string or a number` };
      continue;
    }
    yield { line, values: Object.fromEntries(values) };
  }
}

export interface ImportFileOptions {
  format?: string;
  batchSize: number;
  /** Where the rejected rows go (line, field, problem), written as they are found; FILE.rejected.csv by default. */
  rejectedFile?: string;
  clock?: Clock;
  /** Progress and results for the person running the import. */
  say?: (text: string) => void;
}

/**
 * `tirkeu import births FILE`: loads the country pack first when the database has none (as the
 * server does at start), then streams the file through the import. Returns the counts and where
 * the rejected rows were written.
 */
export async function importBirthsFile(db: Db, config: Pick<Config, 'pack'> & Partial<Pick<Config, 'signingKeyPassphrase' | 'demo'>>, file: string, options: ImportFileOptions): Promise<ImportReport & { rejectedFile?: string }> {
  const say = options.say ?? (() => {});
  const format = options.format ?? (file.endsWith('.jsonl') || file.endsWith('.ndjson') ? 'jsonl' : 'csv');
  if (!['csv', 'jsonl'].includes(format)) throw new AppError('validation_failed', '--format must be csv or jsonl', { field: 'format' });
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10_000) throw new AppError('validation_failed', '--batch must be 1–10000', { field: 'batch' });
  if (!fs.existsSync(file)) throw new AppError('not_found', `no file ${file}`, { field: 'file' });
  if ((await countPlaces(db)) === 0) {
    const pack = loadPack(config.pack);
    await loadPackIntoDb(db, pack);
    say(`the database had no country pack: loaded pack ${config.pack} (${pack.places.length} places, ${pack.offices.length} offices)\n`);
  }
  const size = fs.statSync(file).size;
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const rejectedFile = options.rejectedFile ?? `${file}.rejected.csv`;
  let out: fs.WriteStream | undefined;
  let shown = 0;
  const onRejected = (r: RejectedRow) => {
    if (!out) {
      out = fs.createWriteStream(rejectedFile);
      out.write(csvLine(['line', 'field', 'problem']));
    }
    out.write(csvLine([r.line, r.field, r.message]));
    if (shown++ < 5) say(`  line ${r.line}: ${r.field}: ${r.message}\n`);
  };
  let unreadable = 0;
  async function* readable(): AsyncGenerator<LegacyRow> {
    for await (const row of format === 'csv' ? csvRows(input) : jsonRows(input)) {
      if ('error' in row) {
        unreadable++;
        onRejected({ line: row.line, field: row.field, message: row.error });
      } else yield row;
    }
  }
  const clock = options.clock ?? systemClock;
  // Each batch's checkpoint is signed, as the server signs its own, when a key opens.
  const passphrase = signingKeyPassphrase({ signingKeyPassphrase: config.signingKeyPassphrase, demo: config.demo ?? false });
  const checkpointSigner = (await signingKeysInstalled(db))
    ? await checkpointSignerSource(db, clock, passphrase, (state) => {
        if (state.unsigned) say(`checkpoints of this import are sealed unsigned: ${state.unsigned.message}\n`);
      })()
    : undefined;
  const bar = progressBar('importing births');
  try {
    const report = await importBirths(birthDepsFor(db, clock, config.pack), readable(), {
      source: path.basename(file),
      checkpointSigner,
      batchSize: options.batchSize,
      onRejected,
      onProgress: (r) => bar.update(input.bytesRead, size, `${r.imported} imported`),
    });
    return { ...report, rejected: report.rejected + unreadable, ...(out && { rejectedFile }) };
  } finally {
    bar.stop();
    input.destroy();
    if (out) await new Promise((resolve) => out!.end(resolve));
  }
}

const defaultsHelp = `
Registers that kept no act number, office or registration date are accepted with these defaults:
  office_id      the registry office of the place of birth (facility_id's place, or place_kato): the
                 registry office (not a service centre) in its region whose KATO code shares the
                 most leading digits with it
  registered_on  the child's date of birth
  act_number     the next number of that office's counter for the year registered (OFFICE/YEAR/NNNNNN)
Every row passes the checks of a declaration through the API: the Declaration schema (names at
most 100 characters, codes, ranges), real calendar dates (1900–2099), no birth or registration in the future,
the pack's rules. A header with an unknown column refuses the file.
On a database without the country pack, the pack (TIRKEU_PACK) is loaded first, as the server does.`;

export function registerBirths(program: Command): void {
  program
    .command('import')
    .description('load historical registrations from a legacy register (see the README for the columns)')
    .argument('<what>', 'births')
    .argument('<file>', 'a .csv or .jsonl file')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--batch <rows>', 'rows per transaction', '500')
    .option('--rejected <file>', 'where to write the rejected rows report (default: FILE.rejected.csv)')
    .addHelpText(
      'after',
      `\nColumns:\n${legacyColumns.map(([c, need, about]) => `  ${c.padEnd(22)} ${need.padEnd(28)} ${about}`).join('\n')}\n${defaultsHelp}\n\nThe file is read as a stream, so memory stays bounded whatever its size. Rows already imported\n(same legacy_ref) are skipped: run it again to resume. Exit code 1 when any row was rejected.`,
    )
    .action((what: string, file: string, o: { format?: string; batch: string; rejected?: string }) =>
      withDb(
        async (db, config) => {
          if (what !== 'births') throw new AppError('validation_failed', `cannot import ${what}; only births`, { field: 'what' });
          const say = (text: string) => process.stdout.write(text);
          const started = new Date();
          const report = await importBirthsFile(db, config, file, { format: o.format, batchSize: Number(o.batch), rejectedFile: o.rejected, say });
          say(`${report.imported} imported, ${report.skipped} already in the register (skipped), ${report.rejected} rejected\n`);
          // What came in is compared with the whole register, so a legacy file's repeats show at once.
          const audit = await auditRegister(db, config, { since: started, say });
          say(`duplicate check: ${audit.records} imported records compared with the register, ${audit.pairs} suspected pairs; ${audit.clusters.length} suspected clusters open (review them in the web app, or tirkeu linkage audit --out DIR for the report)\n`);
          for (const line of await describeClusters(db, audit.clusters, 20)) say(`${line}\n`);
          if (report.rejectedFile) {
            say(`rejected rows and why: ${report.rejectedFile}\n`);
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
