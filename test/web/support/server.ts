import type { AddressInfo } from 'node:net';
import { seedDemo } from '../../../src/access/demo.ts';
import { loadRoles } from '../../../src/access/roles.ts';
import { resolveSecretKey } from '../../../src/access/secret-key.ts';
import { seedDemoBirths } from '../../../src/births/demo.ts';
import { birthDepsFor } from '../../../src/births/workflow.ts';
import { systemClock } from '../../../src/core/clock.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { type App, buildApp } from '../../../src/http/app.ts';
import { loadPack } from '../../../src/places/pack.ts';
import { loadPackIntoDb } from '../../../src/places/store.ts';
import { testConfig } from '../../support/app.ts';
import { openTestDb } from '../../support/db.ts';
import { webDir } from './build.ts';

export interface WebServer {
  url: string;
  app: App;
  db: Db;
  close(): Promise<void>;
}

/**
 * The real registry on a fresh test database, listening on a free port with the built web app: the
 * country pack, one demo user per role (password "steppe demo registry", the published TOTP secret
 * for roles that need a second factor) and the demo births in Astana. The clock is the real one,
 * because the browser's and the authenticator's are.
 */
export async function startWebServer(options: { births?: boolean } = {}): Promise<WebServer> {
  const db = await openTestDb();
  const config = testConfig({ TIRKEU_DEMO: '1', TIRKEU_WEB_DIR: webDir });
  await loadPackIntoDb(db, loadPack(config.pack));
  const ctx = { clock: systemClock, clientAddress: 'test', requestId: null };
  await seedDemo(db, loadRoles(config.pack), resolveSecretKey(config), ctx);
  if (options.births !== false) await seedDemoBirths(birthDepsFor(db, systemClock, config.pack));
  const app = await buildApp({ db, config, clock: systemClock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
