import type { Command } from 'commander';
import { loadPack } from '../../places/pack.ts';
import { loadPackIntoDb } from '../../places/store.ts';
import { withDb } from '../context.ts';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('load the country pack, and with --demo a small living registry to explore')
    .option('--demo', 'also create demo data')
    .action((options: { demo?: boolean }) =>
      withDb(
        async (db, config) => {
          const pack = loadPack(config.pack);
          await loadPackIntoDb(db, pack);
          process.stdout.write(
            `country pack ${config.pack}: ${pack.places.length} places, ${pack.offices.length} offices, ${pack.facilities.length} facilities\n`,
          );
          if (options.demo) {
            process.stdout.write(
              'demo records and demo users arrive with the birth registration and access modules (issues 3 and 4); the pack is loaded\n',
            );
          }
        },
        { migrate: true },
      ),
    );
}
