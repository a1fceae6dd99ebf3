import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AppError } from '../errors.ts';
import { copySql, csvLine } from './csv.ts';
import { guarded, safeDatabaseError } from './errors.ts';
import { identity, oids, parseInt8 } from './parsers.ts';
import type { Db, Queryable, QueryResult, TransactionOptions } from './types.ts';

type PgliteHandle = PGlite | Transaction;

function wrap(handle: PgliteHandle): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await guarded(() => handle.query<R>(sql, params as unknown[]));
      // PGlite reports affectedRows = 0 for a SELECT; node-postgres counts the rows returned.
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(sql: string) {
      await guarded(() => handle.exec(sql));
    },
    async copyFrom(table, columns, rows) {
      let text = '';
      let count = 0;
      for (const row of rows) {
        text += csvLine(row);
        count++;
      }
      if (count === 0) return 0;
      await guarded(() => handle.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) }));
      return count;
    },
  };
}

/**
 * One embedded database may be opened by one process only: a second PGlite on the same directory
 * would corrupt it. A lock file holding the owner's pid refuses the second opener with a clear message.
 */
function takeLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'tirkeu.lock');
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(fs.readFileSync(lockPath, 'utf8'));
    let alive = false;
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid) {
      try {
        process.kill(owner, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) {
      throw new AppError('unavailable', `the embedded database in ${dataDir} is in use by process ${owner}`, {
        hint: 'stop that process (e.g. the running server) or point TIRKEU_DATA_DIR elsewhere',
      });
    }
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => fs.rmSync(lockPath, { force: true });
}

export interface PgliteOptions {
  /** Directory for the database files; undefined keeps the database in memory (tests). */
  dataDir?: string;
  /** A data directory dumped with dumpDataDir(), to start from without running initdb. */
  loadDataDir?: Blob;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db & { raw: PGlite }> {
  const pgDir = options.dataDir ? path.join(options.dataDir, 'pg') : undefined;
  const release = options.dataDir ? takeLock(options.dataDir) : () => {};
  let pg: PGlite;
  try {
    pg = new PGlite({
      dataDir: pgDir,
      loadDataDir: options.loadDataDir,
      parsers: { [oids.int8]: parseInt8, [oids.date]: identity, [oids.numeric]: identity },
    });
    await pg.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  return {
    driver: 'pglite',
    raw: pg,
    ...wrap(pg),
    async transaction(fn, txOptions: TransactionOptions = {}) {
      // What fn throws is the caller's own error and passes unchanged; BEGIN, COMMIT and a closed
      // database are the driver's and are made safe.
      let own: { error: unknown } | undefined;
      try {
        return await pg.transaction(async (tx) => {
          const handle = wrap(tx);
          if (txOptions.isolation || txOptions.readOnly) {
            const mode = [
              txOptions.isolation ? `ISOLATION LEVEL ${txOptions.isolation.toUpperCase()}` : '',
              txOptions.readOnly ? 'READ ONLY' : '',
            ].filter(Boolean);
            await handle.exec(`SET TRANSACTION ${mode.join(' ')}`);
          }
          try {
            return await fn(handle);
          } catch (error) {
            own = { error };
            throw error;
          }
        });
      } catch (error) {
        if (own && own.error === error) throw error;
        throw safeDatabaseError(error);
      }
    },
    async close() {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
