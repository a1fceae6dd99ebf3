import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from '../../../src/cli/commands/web.ts';
import { createLogger } from '../../../src/core/logger.ts';
import templateSetup from '../../support/global-setup.ts';

/** The browser tests use the app as `npm start` serves it: built from web/ when stale. */
export const webDir = path.resolve(fileURLToPath(new URL('../../../web/dist', import.meta.url)));

export default async function setup(): Promise<void> {
  await templateSetup();
  await ensureWebBuild(webDir, createLogger('warn'));
}
