import { AppError } from '../errors.ts';

/**
 * What a database driver throws, made safe to log and to answer with. PostgreSQL's errors quote
 * what was sent: `detail` ("Key (surname)=(Ахметова) already exists"), `where` (an excerpt of the
 * submitted JSON), messages of data errors ('invalid input syntax for type uuid: "…"'), and PGlite
 * adds the statement's parameters. The error that leaves src/core/db keeps only facts that hold no
 * value (SQLSTATE, constraint, table, column) and has no `cause`: a log serialiser follows causes.
 *
 * A server that cannot be reached, a connection that died and a pool that gave no connection in
 * time become `unavailable` (503 with Retry-After): the caller may try again shortly.
 */

/** How long a caller should wait before retrying when the database is unavailable. */
export const retryAfterSeconds = 5;

/**
 * SQLSTATE classes whose messages PostgreSQL composes only from the statement's text and object
 * names (tables, columns, constraints), or from a migration's own RAISE text — never from a value.
 * Data exceptions (class 22) and everything else quote values and are replaced by their code.
 * A RAISE in a migration must therefore not interpolate a row's values into its message.
 */
const safeMessageClasses = new Set(['08', '0A', '21', '23', '25', '40', '42', '53', '55', '57', 'P0']);

const classNames: Record<string, string> = {
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '2F': 'SQL routine exception',
  '38': 'external routine exception',
  '39': 'external routine invocation exception',
  XX: 'internal error',
};

/** Socket errors of a server that is down or unreachable. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/** SQLSTATEs of a server that is shutting down, starting or full (class 08 is every connection exception). */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres, pg-pool and PGlite say "no connection" in these words, without a code. */
const unavailableMessages =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|timeout expired|Cannot use a pool after calling end|Query read timeout|PGlite is closed)/;

interface DriverError {
  message?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  errors?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value.length <= 200 ? value : undefined);

function isUnavailable(error: DriverError, sqlState: string | undefined): boolean {
  if (sqlState) return sqlState.startsWith('08') || unavailableStates.has(sqlState);
  if (typeof error.code === 'string' && networkCodes.has(error.code)) return true;
  // Node reports a refused connection to a name with several addresses (localhost) as an AggregateError.
  if (Array.isArray(error.errors) && error.errors.some((e) => isUnavailable(e as DriverError, undefined))) return true;
  return typeof error.message === 'string' && unavailableMessages.test(error.message);
}

/** The SQLSTATE of a driver error (five characters), if it has one. */
function sqlStateOf(error: DriverError): string | undefined {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
}

function unavailableError(sqlState: string | undefined, why = ''): AppError {
  return new AppError('unavailable', `the database is unavailable${why}`, {
    ...(sqlState && { sqlState }),
    retryAfterSeconds,
    hint: `try again in ${retryAfterSeconds} seconds; if it lasts, check that the database server (DATABASE_URL) is running and reachable`,
  });
}

/**
 * An error while getting a connection, whatever it is (the server down, the database refusing
 * connections during maintenance or a restore, dropped or renamed, the password changed), means
 * the database is unavailable, not that the request was wrong.
 */
export function connectionError(error: unknown): unknown {
  if (error instanceof AppError || typeof error !== 'object' || error === null) return error;
  const sqlState = sqlStateOf(error as DriverError);
  return unavailableError(sqlState, sqlState ? ` (SQLSTATE ${sqlState} when connecting)` : '');
}

/** A driver's error as one that is safe to log; an AppError (thrown by the caller's own code) passes unchanged. */
export function safeDatabaseError(error: unknown): unknown {
  if (error instanceof AppError || typeof error !== 'object' || error === null) return error;
  const raw = error as DriverError;
  const sqlState = sqlStateOf(raw);
  if (isUnavailable(raw, sqlState)) return unavailableError(sqlState);
  const facts = { sqlState, constraint: text(raw.constraint), table: text(raw.table), column: text(raw.column) };
  const named = [
    facts.constraint && `constraint ${facts.constraint}`,
    facts.table && `table ${facts.table}`,
    facts.column && `column ${facts.column}`,
  ].filter(Boolean);
  const kept = sqlState && safeMessageClasses.has(sqlState.slice(0, 2)) && typeof raw.message === 'string' ? raw.message : undefined;
  const kind = sqlState ? classNames[sqlState.slice(0, 2)] : (error as Error).constructor?.name;
  const message = kept ?? `database error ${sqlState ?? 'without SQLSTATE'}${kind ? ` (${kind})` : ''}`;
  const details = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));
  return new AppError('internal', named.length ? `${message} [${named.join(', ')}]` : message, details);
}

/** The SQLSTATE kept on an error that safeDatabaseError made. */
export function sqlStateOfSafe(error: unknown): string | undefined {
  return error instanceof AppError && typeof error.details.sqlState === 'string' ? error.details.sqlState : undefined;
}

/** Runs one driver call and rethrows whatever it throws as a safe error. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw safeDatabaseError(error);
  }
}
