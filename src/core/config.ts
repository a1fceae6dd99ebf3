import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from './errors.ts';

/**
 * Everything the process reads from its environment, read once and checked here. Secrets come
 * only from the environment; nothing here is ever logged whole (see describeConfig).
 */
export interface Config {
  port: number;
  host: string;
  /** postgres://… when a PostgreSQL server holds the register; undefined means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Directory of the embedded database (PGlite) and of local files (outbox adapters, uploads). */
  dataDir: string;
  /** Country pack folder name under config/ (kz by default). */
  pack: string;
  logLevel: string;
  bodyLimitBytes: number;
  /** Run the background worker (outbox, checkpoints) in this process. */
  runJobs: boolean;
  checkpointIntervalMs: number;
  shutdownTimeoutMs: number;
  poolSize: number;
  /** How long a request waits for a database connection before it is answered 503 (TIRKEU_DB_CONNECT_TIMEOUT_MS). */
  dbConnectTimeoutMs: number;
  /** Base64 of 32 bytes that seal TOTP secrets at rest (TIRKEU_SECRET_KEY). */
  secretKey: string | undefined;
  /**
   * Opens the encrypted private halves of the signing keys (TIRKEU_SIGNING_KEY_PASSPHRASE): certificates
   * and checkpoints are signed only when it is set. Never logged.
   */
  signingKeyPassphrase?: string;
  /** The built web app (index.html and hashed assets) served at /. */
  webDir: string;
  /** Build the web app at start when its build is missing or older than its sources (auto), or never. */
  webBuild: 'auto' | 'never';
  /** Largest supporting document (scan, photo) accepted, in bytes. */
  uploadLimitBytes: number;
  /** How often overdue birth notifications are looked for (and mothers reminded). */
  reminderSweepMs: number;
  /** Proxies whose X-Forwarded-For/-Proto are believed (TIRKEU_TRUST_PROXY): addresses or CIDRs. */
  trustProxy: false | string[];
  /** Days a finished job is kept before it is deleted (TIRKEU_JOB_RETENTION_DAYS). */
  jobRetentionDays: number;
  /**
   * Where the public reaches this registry (TIRKEU_PUBLIC_URL): certificates' QR codes link to its
   * verification page, and verifiable credentials name it as issuer. No trailing slash.
   */
  publicUrl: string;
  /** Demo mode (TIRKEU_DEMO): demo users may keep their documented passwords. Never in production. */
  demo: boolean;
}

type Env = Record<string, string | undefined>;

/** The signing keys' passphrase guards every certificate's signature: a short one is refused at start. */
const minPassphraseLength = 12;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppError('validation_failed', `${name} must be an integer between ${min} and ${max}`, {
      field: name,
      hint: `unset ${name} to use ${fallback}`,
    });
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new AppError('validation_failed', `${name} must be true or false`, { field: name });
}

function trustedProxies(env: Env): false | string[] {
  const raw = env.TIRKEU_TRUST_PROXY?.trim();
  if (!raw || ['false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  if (!entries.every((entry) => /^[0-9a-fA-F.:]+(\/[0-9]{1,3})?$/.test(entry))) {
    throw new AppError('validation_failed', 'TIRKEU_TRUST_PROXY must be a comma-separated list of addresses or CIDRs', {
      field: 'TIRKEU_TRUST_PROXY',
      hint: 'e.g. TIRKEU_TRUST_PROXY=10.0.0.0/8 for the load balancers of your network; never trust every address',
    });
  }
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('validation_failed', 'DATABASE_URL must start with postgres:// or postgresql://', {
      field: 'DATABASE_URL',
      hint: 'unset DATABASE_URL to use the embedded database in ./data',
    });
  }
  const pack = env.TIRKEU_PACK || 'kz';
  if (!/^[a-z]{2,3}$/.test(pack)) {
    throw new AppError('validation_failed', 'TIRKEU_PACK must be a country pack folder name like kz', {
      field: 'TIRKEU_PACK',
    });
  }
  const signingKeyPassphrase = env.TIRKEU_SIGNING_KEY_PASSPHRASE || undefined;
  if (signingKeyPassphrase !== undefined && signingKeyPassphrase.length < minPassphraseLength) {
    throw new AppError('validation_failed', `TIRKEU_SIGNING_KEY_PASSPHRASE must be at least ${minPassphraseLength} characters`, {
      field: 'TIRKEU_SIGNING_KEY_PASSPHRASE',
      hint: 'use a long passphrase (several words) and keep a copy apart from the database backups; see docs/keys.md',
    });
  }
  const webBuild = env.TIRKEU_WEB_BUILD || 'auto';
  if (webBuild !== 'auto' && webBuild !== 'never') {
    throw new AppError('validation_failed', 'TIRKEU_WEB_BUILD must be auto or never', { field: 'TIRKEU_WEB_BUILD' });
  }
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const publicUrl = (env.TIRKEU_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/#?]+(\/[^\s#?]*)?$/.test(publicUrl)) {
    throw new AppError('validation_failed', 'TIRKEU_PUBLIC_URL must be an http(s) address without query or fragment', {
      field: 'TIRKEU_PUBLIC_URL',
      hint: 'e.g. TIRKEU_PUBLIC_URL=https://tirkeu.example.kz',
    });
  }
  return {
    port,
    publicUrl,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(env.TIRKEU_DATA_DIR || 'data'),
    pack,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: integer(env, 'TIRKEU_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    runJobs: flag(env, 'TIRKEU_JOBS', true),
    checkpointIntervalMs: integer(env, 'TIRKEU_CHECKPOINT_INTERVAL_MS', 10_000, 100, 86_400_000),
    shutdownTimeoutMs: integer(env, 'TIRKEU_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    poolSize: integer(env, 'TIRKEU_DB_POOL', 10, 1, 500),
    dbConnectTimeoutMs: integer(env, 'TIRKEU_DB_CONNECT_TIMEOUT_MS', 10_000, 100, 600_000),
    secretKey: env.TIRKEU_SECRET_KEY || undefined,
    signingKeyPassphrase,
    demo: flag(env, 'TIRKEU_DEMO', false),
    trustProxy: trustedProxies(env),
    webDir: path.resolve(env.TIRKEU_WEB_DIR || fileURLToPath(new URL('../../web/dist', import.meta.url))),
    webBuild,
    uploadLimitBytes: integer(env, 'TIRKEU_UPLOAD_LIMIT', 5 * 1_048_576, 1024, 100 * 1_048_576),
    reminderSweepMs: integer(env, 'TIRKEU_REMINDER_SWEEP_MS', 3_600_000, 1_000, 86_400_000),
    jobRetentionDays: integer(env, 'TIRKEU_JOB_RETENTION_DAYS', 30, 1, 3650),
  };
}

/** A description of the configuration that is safe to log: the database password and the secrets are masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl?.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'),
    secretKey: config.secretKey ? '***' : undefined,
    signingKeyPassphrase: config.signingKeyPassphrase ? '***' : undefined,
  };
}
