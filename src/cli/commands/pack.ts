import type { Command } from 'commander';
import { loadRoles } from '../../access/roles.ts';
import { parseBirthRules } from '../../births/rules.ts';
import { loadConfig } from '../../core/config.ts';
import { loadPack } from '../../places/pack.ts';
import { loadPackIntoDb } from '../../places/store.ts';
import { withDb } from '../context.ts';
import { progressBar } from '../progress.ts';

export function registerPack(program: Command): void {
  const pack = program
    .command('pack')
    .description('the country pack (config/<code>/): places, offices, facilities, rules');
  pack
    .command('check')
    .description('validate the pack named by TIRKEU_PACK (or --pack) and say where any mistake is')
    .option('--pack <code>', 'pack folder under config/', undefined)
    .action((options: { pack?: string }) => {
      const code = options.pack ?? loadConfig().pack;
      const parsed = loadPack(code);
      // The rules other modules read from the pack are checked here too, so a mistake shows before a server starts.
      const roles = loadRoles(code);
      const births = parseBirthRules(parsed.settings);
      const counts = new Map<string, number>();
      for (const p of parsed.places) counts.set(p.level, (counts.get(p.level) ?? 0) + 1);
      const levels = [...counts].map(([level, n]) => `${n} ${level}`);
      process.stdout.write(
        `pack ${code} is valid: ${levels.join(', ')}; ${parsed.offices.length} offices; ${parsed.facilities.length} facilities; ${roles.size} roles; ` +
          `${births.citizenship.rules.length} citizenship rules; time zone ${parsed.settings.timeZone}\n`,
      );
    });
  pack
    .command('load')
    .description(
      'load (or reload) the pack into the database; places are updated in place, records stay valid',
    )
    .action(() =>
      withDb(
        async (db, config) => {
          const parsed = loadPack(config.pack);
          const bar = progressBar('loading places');
          await loadPackIntoDb(db, parsed, (done, total) => bar.update(done, total));
          bar.stop();
          process.stdout.write(
            `loaded pack ${config.pack}: ${parsed.places.length} places, ${parsed.offices.length} offices, ${parsed.facilities.length} facilities\n`,
          );
        },
        { migrate: true },
      ),
    );
}
