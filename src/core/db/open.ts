import type { Config } from '../config.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

/** The database the configuration names: a PostgreSQL server with DATABASE_URL, else PGlite in dataDir. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'poolSize' | 'dbConnectTimeoutMs'>): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.poolSize, { connectTimeoutMs: config.dbConnectTimeoutMs });
  return openPglite({ dataDir: config.dataDir });
}
