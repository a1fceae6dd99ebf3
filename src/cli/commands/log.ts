import type { Command } from 'commander';
import { sealCheckpoints } from '../../core/action-log/checkpoint.ts';
import { verifyLog } from '../../core/action-log/verify.ts';
import { systemClock } from '../../core/clock.ts';
// verify-log replays every record type it knows: each module's record definition must be loaded.
import '../../births/record.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';

export function registerLog(program: Command): void {
  program
    .command('verify-log')
    .description(
      'recompute every record hash chain, every projection and every checkpoint Merkle root; exit 0 and print counts, or print the first broken link and exit 1',
    )
    .option('--json', 'print the report as JSON')
    .action((options: { json?: boolean }) =>
      withDb(async (db) => {
        const bar = progressBar('verifying');
        const report = await verifyLog(db, (p) => bar.update(p.done, p.total, p.phase));
        bar.stop();
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else if (report.broken) {
          const b = report.broken;
          process.stdout.write(`BROKEN (${b.kind}): ${b.message}\n`);
          for (const key of ['recordId', 'recordSeq', 'seq', 'checkpointId'] as const) {
            if (b[key] !== undefined) process.stdout.write(`  ${key}: ${b[key]}\n`);
          }
        } else {
          process.stdout.write(
            `log intact: ${report.records} records, ${report.actions} actions, ${report.projectionsChecked} projections replayed, ` +
              `${report.checkpoints} checkpoints (${report.sealedActions} actions sealed, ${report.unsealedActions} not yet sealed)\n`,
          );
        }
        if (report.broken) process.exitCode = 1;
      }),
    );
  program
    .command('checkpoint')
    .description(
      'seal every settled action since the last checkpoint now (the server also does this on a timer)',
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
