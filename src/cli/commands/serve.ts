import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { startServer, stopOnSignals } from '../../server.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the registry: migrate the database if needed, then serve the API on PORT (8080)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const server = await startServer(config, logger);
      stopOnSignals(server, logger, config.shutdownTimeoutMs);
    });
}
