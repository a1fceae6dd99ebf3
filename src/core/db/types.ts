/**
 * The one database interface. Two drivers implement it (embedded PGlite and node-postgres) and
 * every SQL statement in tirkeu is plain PostgreSQL that runs unchanged on both.
 *
 * Value conventions, the same on both drivers: int8 comes back as a JS number (an unsafe value
 * throws; money is read as text and turned into bigint by its module), date as 'YYYY-MM-DD',
 * timestamptz as Date, json/jsonb parsed. Pass jsonb parameters as JSON.stringify(value): node-postgres
 * would turn a JS array into a PostgreSQL array literal.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Bulk insert through COPY … FROM (CSV); returns the number of rows written. */
  copyFrom(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number>;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: Isolation;
  readOnly?: boolean;
}

export type Tx = Queryable;

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs fn in one transaction: commit when it resolves, roll back when it throws. On the server
   * driver a serialization failure or deadlock is retried (fn must not have effects outside the
   * transaction).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
