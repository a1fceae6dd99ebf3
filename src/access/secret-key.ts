import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { parseSecretKey } from './secret-box.ts';

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
  const file = path.join(config.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return parseSecretKey(fs.readFileSync(file, 'utf8').trim());
}
