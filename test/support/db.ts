import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/core/db/migrations.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { readTemplate } from './template.ts';

/** Set to a PostgreSQL server URL to run the storage and workflow suites there instead of on PGlite. */
export const serverUrl = process.env.TIRKEU_TEST_DATABASE_URL || undefined;

/** Runs one statement on the test server as its administrator (CREATE/DROP/ALTER DATABASE). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the test server (restore and kill tests use it too). */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('TIRKEU_TEST_DATABASE_URL is not set');
  const name = `tirkeu_t_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or, when TIRKEU_TEST_DATABASE_URL
 * is set, a new database on that server that is dropped again on close.
 */
export type TestDb = Db & { url?: string };

export async function openTestDb(): Promise<TestDb> {
  if (!serverUrl) return openPglite({ loadDataDir: readTemplate() });
  const server = await createServerDatabase();
  const db = await openPostgres(server.url, 20);
  await migrate(db);
  return {
    ...db,
    url: server.url,
    async close() {
      await db.close();
      await server.drop();
    },
  };
}
