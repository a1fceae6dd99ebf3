import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { migrate, readMigrations } from './db/migrations.ts';
import type { Db, Queryable } from './db/types.ts';
import { AppError } from './errors.ts';

/**
 * A backup is a logical dump: gzip-compressed JSON Lines, a header then one line per row, every
 * value as PostgreSQL prints it (text), so it restores exactly into either driver: a PGlite
 * office can move to a PostgreSQL server and back.
 */
export const backupFormat = 'tirkeu-backup/1';

interface TableInfo {
  name: string;
  columns: string[];
  /** Columns filled from a sequence, whose sequence must continue after the restored rows. */
  serial: { column: string; sequence: string }[];
}

interface Header {
  format: string;
  createdAt: string;
  migrations: { id: string; checksum: string }[];
  tables: { name: string; columns: string[]; rows: number }[];
}

export interface BackupProgress {
  table: string;
  done: number;
  total: number;
}

/** Every table of the register, parents before children so foreign keys hold during restore. */
async function tablesInOrder(db: Queryable): Promise<TableInfo[]> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY c.relname`,
  );
  const { rows: fks } = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
     JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const { rows: columns } = await db.query<{ table: string; column: string; serial: string | null }>(
    `SELECT table_name AS table, column_name AS column, pg_get_serial_sequence(quote_ident(table_name), column_name) AS serial
     FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const visit = (name: string, trail: Set<string>) => {
    if (placed.has(name) || trail.has(name)) return;
    trail.add(name);
    for (const fk of fks) if (fk.child === name && fk.parent !== name) visit(fk.parent, trail);
    placed.add(name);
    const own = columns.filter((c) => c.table === name);
    ordered.push({
      name,
      columns: own.map((c) => c.column),
      serial: own.filter((c) => c.serial).map((c) => ({ column: c.column, sequence: c.serial! })),
    });
  };
  for (const t of tables) visit(t.name, new Set());
  return ordered;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Rows a backup reads, or a restore writes, at a time at most… */
const maxBatchRows = 5000;
/** …and characters of text at most (a document of the upload limit is about 10 million as hex). */
const batchChars = 16 * 1024 * 1024;

/** Writes a consistent dump of the whole register: everything is read in one snapshot. */
export async function backup(
  db: Db,
  file: string,
  onProgress?: (p: BackupProgress) => void,
): Promise<Header> {
  return db.transaction(
    async (tx) => {
      const tables = await tablesInOrder(tx);
      const { rows: applied } = await tx.query<{ id: string; checksum: string }>(
        'SELECT id, checksum FROM schema_migrations ORDER BY id',
      );
      const header: Header = {
        format: backupFormat,
        createdAt: new Date().toISOString(),
        migrations: applied,
        tables: [],
      };
      for (const t of tables) {
        const { rows } = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${quote(t.name)}`);
        header.tables.push({ name: t.name, columns: t.columns, rows: rows[0]!.n });
      }
      const lines = async function* () {
        yield `${JSON.stringify(header)}\n`;
        for (const [i, t] of tables.entries()) {
          const total = header.tables[i]!.rows;
          const select = t.columns.map((c) => `${quote(c)}::text`).join(', ');
          await tx.exec(`DECLARE dump_cursor NO SCROLL CURSOR FOR SELECT ${select} FROM ${quote(t.name)}`);
          let done = 0;
          // Rows range from a few bytes to a document of megabytes: fetch few at first, then as
          // many as fit the budget, so no fetch (and no line batch) outgrows memory or a string.
          let fetch = 16;
          for (;;) {
            const { rows } = await tx.query<Record<string, string | null>>(`FETCH ${fetch} FROM dump_cursor`);
            if (rows.length === 0) break;
            let chunk = '';
            let chars = 0;
            for (const row of rows) {
              const line = `${JSON.stringify([t.name, t.columns.map((c) => row[c] ?? null)])}\n`;
              chars += line.length;
              if (chunk.length + line.length > batchChars) {
                if (chunk) yield chunk;
                chunk = '';
              }
              if (line.length > batchChars) yield line;
              else chunk += line;
            }
            if (chunk) yield chunk;
            done += rows.length;
            onProgress?.({ table: t.name, done, total });
            fetch = Math.max(1, Math.min(maxBatchRows, Math.floor((batchChars * rows.length) / chars)));
          }
          await tx.exec('CLOSE dump_cursor');
        }
      };
      const temp = `${file}.partial`;
      await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(temp));
      fs.renameSync(temp, file);
      return header;
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

function corrupt(message: string): AppError {
  return new AppError('validation_failed', `not a usable tirkeu backup: ${message}`, {
    field: 'file',
    hint: 'check the file is a complete backup made by tirkeu backup',
  });
}

/**
 * Restores a dump into an empty database, in one transaction: all of it or none of it. The target
 * is migrated first and must then have exactly the dump's migrations.
 */
export async function restore(
  db: Db,
  file: string,
  onProgress?: (p: BackupProgress) => void,
): Promise<Header> {
  if (!fs.existsSync(file)) throw new AppError('not_found', `no file ${file}`, { field: 'file' });
  await migrate(db);
  const tables = await tablesInOrder(db);
  for (const t of tables) {
    const { rows } = await db.query(`SELECT 1 FROM ${quote(t.name)} LIMIT 1`);
    if (rows.length) {
      throw new AppError('conflict', `the target database is not empty (table ${t.name} has rows)`, {
        hint: 'restore into a fresh data directory (TIRKEU_DATA_DIR) or a new, empty database',
      });
    }
  }
  const input = fs.createReadStream(file).pipe(createGunzip());
  const reader = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  let header: Header;
  try {
    const first = await lines.next();
    header = JSON.parse(first.value ?? '') as Header;
  } catch {
    throw corrupt('it does not start with a tirkeu backup header');
  }
  if (header.format !== backupFormat)
    throw corrupt(`format ${String(header.format)}, expected ${backupFormat}`);
  const ours = readMigrations().map((m) => `${m.id}:${m.checksum}`);
  const theirs = header.migrations.map((m) => `${m.id}:${m.checksum}`);
  if (ours.join() !== theirs.join()) {
    throw new AppError('conflict', 'the backup was made with a different database schema', {
      field: 'file',
      hint: 'restore it with the tirkeu version that made it, then upgrade (the new version migrates at start)',
    });
  }
  const known = new Map(tables.map((t) => [t.name, t]));
  const counts = new Map<string, number>();
  await db.transaction(async (tx) => {
    let table: string | undefined;
    let batch: (string | null)[][] = [];
    let batchLength = 0;
    const flush = async () => {
      if (!table || batch.length === 0) return;
      const described = header.tables.find((h) => h.name === table)!;
      await tx.copyFrom(table, described.columns, batch);
      counts.set(table, (counts.get(table) ?? 0) + batch.length);
      onProgress?.({ table, done: counts.get(table)!, total: described.rows });
      batch = [];
      batchLength = 0;
    };
    try {
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        const [name, values] = JSON.parse(next.value) as [string, (string | null)[]];
        if (!known.has(name) || !header.tables.some((h) => h.name === name))
          throw corrupt(`unknown table ${name}`);
        if (name !== table || batch.length >= maxBatchRows || batchLength + next.value.length > batchChars) {
          await flush();
          table = name;
        }
        batch.push(values);
        batchLength += next.value.length;
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw corrupt(
        error instanceof SyntaxError
          ? 'a line is damaged'
          : `the file is damaged (${(error as Error).message})`,
      );
    }
    await flush();
    for (const h of header.tables) {
      if ((counts.get(h.name) ?? 0) !== h.rows)
        throw corrupt(
          `table ${h.name} has ${counts.get(h.name) ?? 0} rows, the header says ${h.rows}: the file is truncated`,
        );
    }
    for (const t of tables) {
      for (const s of t.serial) {
        await tx.query(
          `SELECT setval($1, coalesce((SELECT max(${quote(s.column)}) FROM ${quote(t.name)}), 0) + 1, false)`,
          [s.sequence],
        );
      }
    }
  });
  return header;
}
