import { once } from 'node:events';
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import type { AppError } from '../errors.ts';
import { copySql, csvLine } from './csv.ts';
import { connectionError, guarded, sqlStateOfSafe } from './errors.ts';
import { identity, oids, parseInt8 } from './parsers.ts';
import type { Db, Queryable, QueryResult, TransactionOptions } from './types.ts';

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === oids.int8) return parseInt8;
    if (oid === oids.date || oid === oids.numeric) return identity;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

type PgHandle = pg.Pool | pg.PoolClient;

const ignore = () => {};

async function copyRows(
  client: pg.PoolClient,
  sql: string,
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  const stream = client.query(copyFromStream(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let count = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += csvLine(row);
    count++;
    if (chunk.length > 1 << 16) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
  return count;
}

/** A connection from the pool; failing to get one is the database being unavailable (503). */
async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw connectionError(error);
  }
}

function wrap(handle: PgHandle): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      let result: pg.QueryResult;
      if (handle instanceof pg.Pool) {
        const client = await connect(handle);
        client.on('error', ignore);
        let broken = false;
        try {
          result = await guarded(() => client.query(sql, params as unknown[]));
        } catch (error) {
          broken = (error as AppError).code === 'unavailable';
          throw error;
        } finally {
          client.off('error', ignore);
          client.release(broken);
        }
      } else {
        result = await guarded(() => handle.query(sql, params as unknown[]));
      }
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await guarded(() => handle.query(sql));
    },
    async copyFrom(table, columns, rows) {
      const sql = copySql(table, columns, 'STDIN');
      if (handle instanceof pg.Pool) {
        const client = await connect(handle);
        client.on('error', ignore);
        try {
          return await guarded(() => copyRows(client, sql, rows));
        } finally {
          client.off('error', ignore);
          client.release();
        }
      }
      return guarded(() => copyRows(handle, sql, rows));
    },
  };
}

/** Serialization failures and deadlocks are safe to retry: the transaction left nothing behind. */
const retryable = new Set(['40001', '40P01']);

export interface PostgresOptions {
  /** How long a query waits for a connection (a free one in the pool, or a new one) before the database counts as unavailable. */
  connectTimeoutMs?: number;
}

export async function openPostgres(url: string, poolSize = 10, options: PostgresOptions = {}): Promise<Db & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000, types });
  // An idle client that loses its server connection emits here; without a listener it would crash the process.
  pool.on('error', ignore);
  const db = wrap(pool);
  await db.query('select 1');
  return {
    driver: 'postgres',
    pool,
    ...db,
    async transaction(fn, options: TransactionOptions = {}) {
      const mode = [
        options.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '',
        options.readOnly ? 'READ ONLY' : '',
      ]
        .filter(Boolean)
        .join(' ');
      for (let attempt = 1; ; attempt++) {
        const client = await connect(pool);
        // A connection that dies while checked out emits 'error'; unheard, it would end the process.
        // The failed query already tells fn.
        client.on('error', ignore);
        const tx = wrap(client);
        let broken = false;
        try {
          await tx.query(`BEGIN ${mode}`);
          const result = await fn(tx);
          await tx.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          const code = sqlStateOfSafe(error);
          if (code && retryable.has(code) && attempt < 5) {
            await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
            continue;
          }
          throw error;
        } finally {
          client.off('error', ignore);
          client.release(broken);
        }
      }
    },
    async close() {
      await pool.end();
    },
  };
}
