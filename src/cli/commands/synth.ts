import fs from 'node:fs';
import type { Command } from 'commander';
import { parseIinRules } from '../../births/iin.ts';
import { localDate } from '../../births/workflow.ts';
import { loadConfig } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import {
  injectedErrors,
  legacyCsvHeader,
  legacyCsvLine,
  loadSyntheticNames,
  type SyntheticKind,
  type SyntheticPlace,
  syntheticBirths,
  truthCsvHeader,
  truthCsvLine,
} from '../../births/synthetic.ts';
import { type CountryPack, loadPack } from '../../places/pack.ts';
import { progressBar } from '../progress.ts';

/**
 * The places births happen at, weighted by their region's births a year (population × crude birth
 * rate, regions.csv) shared among the region's places in the pack, each with its health facilities.
 */
export function syntheticPlaces(pack: CountryPack): SyntheticPlace[] {
  const regions = new Map(pack.places.filter((p) => p.level === 'region').map((r) => [r.kato.slice(0, 2), ((r.population ?? 0) * (r.crudeBirthRate ?? 0)) / 1000 || 1]));
  const places = pack.places.filter((p) => p.level !== 'region');
  const inRegion = new Map<string, number>();
  for (const p of places) inRegion.set(p.kato.slice(0, 2), (inRegion.get(p.kato.slice(0, 2)) ?? 0) + 1);
  return places.map((p) => ({
    kato: p.kato,
    facilityIds: pack.facilities.filter((f) => f.kato === p.kato).map((f) => f.id),
    weight: (regions.get(p.kato.slice(0, 2)) ?? 1) / inRegion.get(p.kato.slice(0, 2))!,
  }));
}

export interface SynthReport {
  rows: number;
  kinds: Record<SyntheticKind, number>;
  clusters: number;
  file: string;
  truthFile: string;
  seconds: number;
}

/** Where the truth goes: births.csv → births.truth.csv (any other name gets .truth.csv added). */
export const truthFileOf = (file: string) => (file.endsWith('.csv') ? `${file.slice(0, -4)}.truth.csv` : `${file}.truth.csv`);

/**
 * Streams the rows into FILE and their truth into FILE.truth.csv, through a buffer written in
 * large pieces (memory holds one piece, whatever the number of rows). Each file is written under a
 * temporary name and renamed when complete, so an interrupted run leaves no half file behind.
 */
export function writeSyntheticFiles(
  pack: string,
  o: { births: number; dupRate: number; seed: number; today: string; from?: string; out: string },
  onProgress?: (done: number, total: number) => void,
): SynthReport {
  const packData = loadPack(pack);
  const names = loadSyntheticNames(pack);
  const truthFile = truthFileOf(o.out);
  const started = performance.now();
  const kinds: Record<SyntheticKind, number> = { original: 0, twin: 0, sibling: 0, namesake: 0, duplicate: 0 };
  const outputs = [o.out, truthFile].map((file) => ({ file, temp: `${file}.${process.pid}.tmp`, buffer: '', fd: -1 }));
  const flush = (out: (typeof outputs)[number]) => {
    fs.writeSync(out.fd, out.buffer);
    out.buffer = '';
  };
  let rows = 0;
  let clusters = 0;
  try {
    for (const out of outputs) out.fd = fs.openSync(out.temp, 'w');
    const [data, truth] = outputs as [(typeof outputs)[number], (typeof outputs)[number]];
    data.buffer = legacyCsvHeader();
    truth.buffer = truthCsvHeader();
    const stream = syntheticBirths(
      { births: o.births, dupRate: o.dupRate, seed: o.seed, today: o.today, from: o.from, places: syntheticPlaces(packData), iinRules: parseIinRules(packData.settings.identityNumber) },
      names,
    );
    for (const birth of stream) {
      data.buffer += legacyCsvLine(birth);
      truth.buffer += truthCsvLine(birth);
      kinds[birth.kind]++;
      if (birth.cluster > clusters) clusters = birth.cluster;
      if (++rows % 2048 === 0) {
        flush(data);
        flush(truth);
        onProgress?.(rows, o.births);
      }
    }
    flush(data);
    flush(truth);
    onProgress?.(rows, o.births);
    for (const out of outputs) {
      fs.closeSync(out.fd);
      out.fd = -1;
      fs.renameSync(out.temp, out.file);
    }
  } finally {
    for (const out of outputs) {
      if (out.fd >= 0) fs.closeSync(out.fd);
      fs.rmSync(out.temp, { force: true });
    }
  }
  return { rows, kinds, clusters, file: o.out, truthFile, seconds: (performance.now() - started) / 1000 };
}

function number(value: string, field: string, pattern: RegExp, what: string): number {
  if (!pattern.test(value)) throw new AppError('validation_failed', `--${field} must be ${what}, not "${value.slice(0, 20)}"`, { field });
  return Number(value);
}

const helpText = `
Writes FILE in the columns of \`tirkeu import births\` (see its --help) and FILE.truth.csv beside it
(births.csv → births.truth.csv), one line per row:
  legacy_ref    the row
  cluster       rows with the same number are one birth
  duplicate_of  the original's legacy_ref when the row is a duplicate, else empty
  errors        what a duplicate carries, ;-separated: ${injectedErrors.join(', ')}
                (typo: a letter substituted, deleted or transposed in one name; script: names in
                Latin, Kazakh 2021, passport or everyday spelling; fold: Kazakh letters typed as
                their Russian look-alikes; swap: given and family name exchanged; no_patronymic;
                dob_shift: date of birth 1–3 days off; no_iin: the mother's IIN left out)
  kind          original, duplicate, or a birth that looks like another without being it: twin,
                sibling (same mother, another child), namesake (same names, other parents)
  like          for twin, sibling and namesake rows: the legacy_ref of the row it resembles
The same options and seed give the same files. Names come from config/<pack>/synthetic-names.json,
places and facilities from the pack; the child's IIN is left empty for the import to allocate.
Rows are made and written as a stream: memory stays small whatever --births.`;

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('write a synthetic population of legacy birth registrations with known duplicates, and its ground truth (for testing record linkage)')
    .requiredOption('--out <file>', 'the CSV to write; the truth goes to FILE.truth.csv')
    .option('--births <n>', 'rows in all, duplicates included', '10000')
    .option('--dup-rate <r>', 'share of the rows that duplicate an earlier row (0 ≤ R < 1)', '0.05')
    .option('--seed <s>', 'seed of the generator (a whole number)', '1')
    .option('--today <date>', "no birth or registration after this date (default: today in the pack's time zone)")
    .option('--from <date>', 'first date of birth (default: five years before --today)')
    .addHelpText('after', helpText)
    .action((o: { out: string; births: string; dupRate: string; seed: string; today?: string; from?: string }) => {
      const config = loadConfig();
      const births = number(o.births, 'births', /^\d{1,9}$/, 'a whole number');
      const dupRate = number(o.dupRate, 'dup-rate', /^(0(\.\d+)?|\.\d+)$/, 'a number from 0 to below 1');
      const seed = number(o.seed, 'seed', /^\d{1,15}$/, 'a whole number');
      const today = o.today ?? localDate(new Date(), loadPack(config.pack).settings.timeZone);
      const bar = progressBar('synthesising births');
      let report: SynthReport;
      try {
        report = writeSyntheticFiles(config.pack, { births, dupRate, seed, today, from: o.from, out: o.out }, (done, total) => bar.update(done, total));
      } finally {
        bar.stop();
      }
      const k = report.kinds;
      const rate = Math.round(report.rows / Math.max(report.seconds, 1e-3));
      process.stdout.write(
        `${report.rows} rows: ${report.clusters} births and ${k.duplicate} duplicates of them ` +
          `(among the births ${k.twin} twins, ${k.sibling} siblings, ${k.namesake} namesakes of earlier rows)\n` +
          `written to ${report.file}, truth in ${report.truthFile}, in ${report.seconds.toFixed(1)} s (${rate.toLocaleString('en')} rows/s)\n`,
      );
    });
}
