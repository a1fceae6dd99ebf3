import path from 'node:path';
import type { Command } from 'commander';
import { backup, restore } from '../../core/backup.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';
import { printReport, verifyWholeLog } from './log.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .argument('<file>', 'where to write the backup (gzip JSON Lines), e.g. register-2026-11-24.tirkeu.gz')
    .description(
      'write a consistent dump of the whole register (one snapshot; the server may keep running on PostgreSQL)',
    )
    .action((file: string) =>
      withDb(async (db) => {
        const bar = progressBar('backing up');
        const header = await backup(db, path.resolve(file), (p) => bar.update(p.done, p.total, p.table));
        bar.stop();
        const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
        process.stdout.write(`backup written to ${file}: ${header.tables.length} tables, ${rows} rows\n`);
      }),
    );
  program
    .command('restore')
    .argument('<file>', 'a file made by tirkeu backup')
    .description(
      'restore a backup into an empty database (a fresh TIRKEU_DATA_DIR or an empty DATABASE_URL), then verify the log',
    )
    .action((file: string) =>
      withDb(async (db) => {
        const bar = progressBar('restoring');
        await restore(db, path.resolve(file), (p) => bar.update(p.done, p.total, p.table));
        bar.stop();
        process.stdout.write('restored; verifying the log\n');
        const report = await verifyWholeLog(db);
        printReport(report);
        if (report.broken) process.exitCode = 1;
      }),
    );
}
