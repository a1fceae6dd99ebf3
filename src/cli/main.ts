import { Command } from 'commander';
import { registerAccess } from './commands/access.ts';
import { registerBackup } from './commands/backup.ts';
import { registerBirths } from './commands/births.ts';
import { registerDb } from './commands/db.ts';
import { registerKeys } from './commands/keys.ts';
import { registerLinkage } from './commands/linkage.ts';
import { registerLog } from './commands/log.ts';
import { registerPack } from './commands/pack.ts';
import { registerSeed } from './commands/seed.ts';
import { registerServe } from './commands/serve.ts';
import { registerSynth } from './commands/synth.ts';
import { registerVerify } from './commands/verify.ts';
import { registerWeb } from './commands/web.ts';
import { reportFailure } from './context.ts';

const program = new Command('tirkeu')
  .description(
    "tirkeu civil registration: every child registered, whatever the parents' status.\n" +
      'Uses the embedded database in ./data (TIRKEU_DATA_DIR) unless DATABASE_URL names a PostgreSQL server.',
  )
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true });

registerServe(program);
registerDb(program);
registerLog(program);
registerKeys(program);
registerPack(program);
registerBackup(program);
registerSeed(program);
registerAccess(program);
registerBirths(program);
registerLinkage(program);
registerWeb(program);
registerVerify(program);
registerSynth(program);

program.parseAsync(process.argv).catch(reportFailure);
