import type { Command } from 'commander';
import { birthDocumentsVerifier } from '../../births/document-integrity.ts';
import { birthIinsVerifier } from '../../births/iin-integrity.ts';
// verify-log replays every record type in the register: each module's record definition must be
// loaded (a record of a type with no loaded definition is reported, not skipped).
import '../../births/record.ts';
import { sealCheckpoints } from '../../core/action-log/checkpoint.ts';
import { type LogVerifier, type VerifyReport, verifyLog } from '../../core/action-log/verify.ts';
import { systemClock } from '../../core/clock.ts';
import type { Db } from '../../core/db/types.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';

/** What the modules keep beside the action log and verify-log checks too. */
export const moduleVerifiers: readonly LogVerifier[] = [birthDocumentsVerifier, birthIinsVerifier];

/** verify-log with every module's verifiers, with a progress bar. */
export async function verifyWholeLog(db: Db): Promise<VerifyReport> {
  const bar = progressBar('verifying');
  try {
    return await verifyLog(db, { verifiers: moduleVerifiers, onProgress: (p) => bar.update(p.done, p.total, p.phase) });
  } finally {
    bar.stop();
  }
}

export function printReport(report: VerifyReport): void {
  if (report.broken) {
    const b = report.broken;
    process.stdout.write(`BROKEN (${b.kind}): ${b.message}\n`);
    for (const key of ['recordId', 'recordSeq', 'seq', 'checkpointId', 'column', 'documentId'] as const) {
      if (b[key] !== undefined) process.stdout.write(`  ${key}: ${b[key]}\n`);
    }
  } else {
    const modules = Object.entries(report.checkedByModules).map(([name, n]) => `, ${n} ${name}`).join('');
    process.stdout.write(
      `log intact: ${report.records} records, ${report.actions} actions, ${report.projectionsChecked} projections replayed, ` +
        `${report.checkpoints} checkpoints (${report.sealedActions} actions sealed, ${report.unsealedActions} not yet sealed)${modules}\n`,
    );
  }
  for (const warning of report.warnings) process.stdout.write(`warning: ${warning}\n`);
}

export function registerLog(program: Command): void {
  program
    .command('verify-log')
    .description(
      'recompute every record hash chain, every projection column, every checkpoint Merkle root and every document hash; exit 0 and print counts (and warnings, such as actions not yet sealed), or print the first broken link and exit 1',
    )
    .option('--json', 'print the report as JSON')
    .action((options: { json?: boolean }) =>
      withDb(async (db) => {
        const report = await verifyWholeLog(db);
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report);
        if (report.broken) process.exitCode = 1;
      }),
    );
  program
    .command('checkpoint')
    .description(
      'seal every settled action since the last checkpoint now (the server also does this on a timer, and imports seal their own)',
    )
    .action(() =>
      withDb(async (db) => {
        const sealed = await sealCheckpoints(db, systemClock);
        if (sealed.length === 0) process.stdout.write('nothing to seal\n');
        for (const c of sealed) {
          process.stdout.write(
            `checkpoint ${c.id}: actions ${c.fromSeq + 1}..${c.toSeq} (${c.actionCount}) root ${c.merkleRoot}\n`,
          );
        }
      }),
    );
}
