import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { ensureWebBuild } from './web.ts';
import { startServer, stopOnSignals } from '../../server.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the registry: migrate the database if needed, then serve the API and the web app on PORT (8080); builds the web app first when it is missing or stale')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      if (config.webBuild === 'auto') await ensureWebBuild(config.webDir, logger);
      const server = await startServer(config, logger);
      stopOnSignals(server, logger, config.shutdownTimeoutMs);
    });
}
