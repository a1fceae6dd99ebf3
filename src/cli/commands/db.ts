import type { Command } from 'commander';
import { migrate, migrationStatus } from '../../core/db/migrations.ts';
import { withDb } from '../context.ts';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database schema: apply and inspect migrations');
  db.command('migrate')
    .description('apply pending migrations in order; refuses if an applied migration file was changed')
    .action(() =>
      withDb(async (handle) => {
        const applied = await migrate(handle);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'nothing to apply: schema is current\n',
        );
      }),
    );
  db.command('status')
    .description('list every migration as applied, pending, changed (edited after applying) or missing')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withDb(async (handle, config) => {
        const status = await migrationStatus(handle);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `database: ${config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded, ${config.dataDir}`}\n`,
        );
        for (const m of status) {
          process.stdout.write(
            `${m.state.padEnd(8)} ${m.id}${m.appliedAt ? `  ${m.appliedAt.toISOString()}` : ''}\n`,
          );
        }
        if (status.some((m) => m.state === 'changed' || m.state === 'missing')) process.exitCode = 1;
      }),
    );
}
