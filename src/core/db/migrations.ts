import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import type { Db } from './types.ts';

export const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates. */
const migrationLock = 7_302_201;

export interface MigrationFile {
  id: string;
  checksum: string;
  sql: string;
}

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

export interface MigrationStatus {
  id: string;
  state: MigrationState;
  appliedAt?: Date;
}

export function readMigrations(dir: string = migrationsDir): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return {
        id: name.replace(/\.sql$/, ''),
        checksum: createHash('sha256').update(sql).digest('hex'),
        sql,
      };
    });
}

async function ensureTable(db: Db): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

async function applied(db: Pick<Db, 'query'>): Promise<Map<string, { checksum: string; appliedAt: Date }>> {
  const { rows } = await db.query<{ id: string; checksum: string; applied_at: Date }>(
    'SELECT id, checksum, applied_at FROM schema_migrations ORDER BY id',
  );
  return new Map(rows.map((r) => [r.id, { checksum: r.checksum, appliedAt: r.applied_at }]));
}

/** Reads the state without changing the database (a fresh database has every file pending). */
export async function migrationStatus(db: Db, dir?: string): Promise<MigrationStatus[]> {
  const files = readMigrations(dir);
  const { rows } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  const done = rows[0]?.exists ? await applied(db) : new Map<string, { checksum: string; appliedAt: Date }>();
  const status: MigrationStatus[] = files.map((file) => {
    const row = done.get(file.id);
    if (!row) return { id: file.id, state: 'pending' };
    return {
      id: file.id,
      state: row.checksum === file.checksum ? 'applied' : 'changed',
      appliedAt: row.appliedAt,
    };
  });
  for (const [id, row] of done) {
    if (!files.some((f) => f.id === id)) status.push({ id, state: 'missing', appliedAt: row.appliedAt });
  }
  return status.sort((a, b) => a.id.localeCompare(b.id));
}

function refuseDrift(status: MigrationStatus[]): void {
  const drift = status.filter((s) => s.state === 'changed' || s.state === 'missing');
  if (drift.length > 0) {
    const first = drift[0]!;
    throw new AppError(
      'migration_changed',
      first.state === 'changed'
        ? `migration ${first.id} was changed after it was applied`
        : `migration ${first.id} was applied but its file is gone`,
      {
        migrations: drift.map((d) => `${d.id} (${d.state})`),
        hint: 'restore the original file and put the change in a new numbered migration',
      },
    );
  }
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so that
 * two processes starting at once do not both apply the same file. Refuses to run when an applied
 * file was edited or removed: the schema would no longer be what the files say.
 */
export async function migrate(db: Db, dir?: string): Promise<string[]> {
  await ensureTable(db);
  refuseDrift(await migrationStatus(db, dir));
  const appliedNow: string[] = [];
  for (const file of readMigrations(dir)) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [file.id]);
      if (rows.length > 0) return false;
      await tx.exec(file.sql);
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [
        file.id,
        file.checksum,
      ]);
      return true;
    });
    if (didApply) appliedNow.push(file.id);
  }
  return appliedNow;
}

/** True when every migration file is applied unchanged (used by /readyz). */
export async function isMigrated(db: Db, dir?: string): Promise<boolean> {
  const status = await migrationStatus(db, dir);
  return status.every((s) => s.state === 'applied');
}
