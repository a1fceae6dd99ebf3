import { randomBytes } from 'node:crypto';
import { fixedClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import type { Db } from '../../src/core/db/types.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { openTestDb } from './db.ts';

export interface TestApp {
  app: App;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

/** The signing keys' passphrase in tests (TIRKEU_SIGNING_KEY_PASSPHRASE of testConfig). */
export const testSigningPassphrase = 'tirkeu test signing passphrase';

/** A configuration for tests: nothing read from the real environment, a throwaway secret key, a fixed signing passphrase. */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    TIRKEU_DATA_DIR: '/nonexistent',
    TIRKEU_WEB_DIR: '/nonexistent-web',
    TIRKEU_SECRET_KEY: randomBytes(32).toString('base64'),
    TIRKEU_SIGNING_KEY_PASSPHRASE: testSigningPassphrase,
    ...env,
  });
}

/** The real app on a fresh test database, driven with app.inject(). */
export async function openTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDb();
  const clock = fixedClock('2026-03-02T06:00:00Z');
  const config = testConfig(env);
  const app = await buildApp({ db, config, clock, logger: false });
  return {
    app,
    db,
    clock,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
