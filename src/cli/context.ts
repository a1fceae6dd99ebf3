import { type Config, loadConfig } from '../core/config.ts';
import { migrate } from '../core/db/migrations.ts';
import { openDb } from '../core/db/open.ts';
import type { Db } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';

/** Opens the configured database for one command and always closes it. */
export async function withDb<T>(
  fn: (db: Db, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    if (options.migrate) await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** How a failed command ends: the message and what to do on stderr, and a non-zero exit code. */
export function reportFailure(error: unknown): never {
  if (error instanceof AppError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.details.field) process.stderr.write(`  field: ${error.details.field}\n`);
    if (error.details.hint) process.stderr.write(`  what to do: ${error.details.hint}\n`);
    process.exit(1);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
