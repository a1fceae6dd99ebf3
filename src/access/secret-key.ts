import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { openSecret, parseSecretKey } from './secret-box.ts';

/**
 * The key that seals TOTP secrets. Deployments give it in TIRKEU_SECRET_KEY (every process of a
 * server deployment must share it). A single office on the embedded database may run without
 * one: a key is then made once and kept beside the database, readable only by its owner.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.secretKey) return parseSecretKey(config.secretKey);
  if (config.databaseUrl) {
    throw new AppError('validation_failed', 'TIRKEU_SECRET_KEY is required with DATABASE_URL', {
      field: 'TIRKEU_SECRET_KEY',
      hint: 'generate one with: openssl rand -base64 32 — and give every process the same value',
    });
  }
  const file = secretKeyFile(config.dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return parseSecretKey(fs.readFileSync(file, 'utf8').trim());
}

const secretKeyFile = (dataDir: string) => path.join(dataDir, 'secret.key');

/**
 * A name for a key that reveals nothing of it: an HMAC of a fixed text under the key. Safe to log
 * and to store; two keys have the same fingerprint only by a 2^-64 accident.
 */
export function keyFingerprint(key: Buffer): string {
  const hex = createHmac('sha256', key).update('tirkeu secret key fingerprint').digest('hex').slice(0, 16);
  return hex.match(/.{4}/g)!.join('-');
}

function opens(sealed: string, key: Buffer): boolean {
  try {
    openSecret(sealed, key);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a key that cannot open the TOTP secrets sealed in the database, before anyone signs in
 * (otherwise every second-factor step would fail with a 500), naming the fingerprint of the key
 * that sealed them. A key that opens them all is recorded as the database's key.
 */
export async function checkSecretKey(db: Db, key: Buffer, config: Pick<Config, 'secretKey' | 'dataDir'>): Promise<void> {
  const mine = keyFingerprint(key);
  await db.transaction(async (tx) => {
    const recorded = (await tx.query<{ fingerprint: string }>('SELECT fingerprint FROM secret_key_fingerprint FOR UPDATE')).rows[0]?.fingerprint;
    const { rows } = await tx.query<{ sealed: string }>(
      `SELECT totp_secret AS sealed FROM users WHERE totp_secret IS NOT NULL
       UNION ALL SELECT totp_pending_secret FROM users WHERE totp_pending_secret IS NOT NULL`,
    );
    const unopened = rows.filter((r) => !opens(r.sealed, key)).length;
    if (unopened) {
      const needed = recorded && recorded !== mine ? `the key whose fingerprint is ${recorded}` : 'the key they were sealed with';
      const source = config.secretKey ? 'TIRKEU_SECRET_KEY' : `TIRKEU_SECRET_KEY (unset, so ${secretKeyFile(config.dataDir)} was used)`;
      throw new AppError(
        'validation_failed',
        `${source} cannot open ${unopened} of the ${rows.length} TOTP secrets sealed in this database: start with ${needed}; the key given has fingerprint ${mine}`,
        {
          field: 'TIRKEU_SECRET_KEY',
          hint: 'set TIRKEU_SECRET_KEY to the key of the installation the database (or its backup) came from; the server logs its key fingerprint at start',
        },
      );
    }
    if (recorded !== mine) {
      await tx.query(
        `INSERT INTO secret_key_fingerprint (fingerprint, recorded_at) VALUES ($1, now())
         ON CONFLICT (only_row) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at`,
        [mine],
      );
    }
  });
}

/** The configured key, once it is known to open the secrets already sealed in the database. */
export async function checkedSecretKey(db: Db, config: Pick<Config, 'secretKey' | 'databaseUrl' | 'dataDir'>): Promise<Buffer> {
  const key = resolveSecretKey(config);
  await checkSecretKey(db, key, config);
  return key;
}
