import { audit } from '../../access/audit.ts';
import type { Queryable } from '../../core/db/types.ts';
import fs from 'node:fs';
import type { Command } from 'commander';
import {
  generateSigningKey,
  listSigningKeys,
  publishedKeySet,
  retireSigningKey,
  rotateSigningKey,
  signingKeyPassphrase,
  type SigningKeyInfo,
} from '../../certificates/keys.ts';
import { systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { withDb } from '../context.ts';

/** The passphrase comes from the environment only, never from an argument (shell history, ps). */
function passphraseFrom(config: Config): string {
  const passphrase = signingKeyPassphrase(config);
  if (!passphrase) {
    throw new AppError('unavailable', 'TIRKEU_SIGNING_KEY_PASSPHRASE is not set: a new key could not be encrypted', {
      field: 'TIRKEU_SIGNING_KEY_PASSPHRASE',
      hint: 'export TIRKEU_SIGNING_KEY_PASSPHRASE (at least 12 characters) in the environment, the same one the server gets; keep a copy apart from the backups (docs/keys.md)',
    });
  }
  if (!config.signingKeyPassphrase) process.stderr.write('TIRKEU_DEMO is on: using the published demo passphrase (a demo key proves nothing)\n');
  return passphrase;
}

function validDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) {
    throw new AppError('validation_failed', '--valid-days must be a whole number of days', { field: '--valid-days', hint: 'leave it out for five years' });
  }
  return days;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function printKeys(keys: SigningKeyInfo[], now: Date): void {
  if (keys.length === 0) process.stdout.write('no signing keys (tirkeu keys generate makes one)\n');
  for (const k of keys) {
    const state = k.retiredAt
      ? `retired ${k.retiredAt.toISOString()}`
      : k.validFrom > now
        ? 'not yet valid'
        : k.validTo <= now
          ? 'expired'
          : 'signing';
    process.stdout.write(`${k.kid}  ${k.alg}  valid ${day(k.validFrom)} .. ${day(k.validTo)}  ${state}\n`);
  }
}

/** Who changed which key, in the access audit (an operator at the server's command line). */
function auditKey(tx: Queryable, event: 'signing_key_generated' | 'signing_key_retired', kid: string): Promise<void> {
  return audit(tx, { clock: systemClock, clientAddress: 'cli', requestId: null }, { actor: { kind: 'system', id: 'cli' }, event, outcome: 'success', targetType: 'signing_key', targetId: kid });
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      'signing keys of certificates and checkpoints (Ed25519): private halves encrypted with TIRKEU_SIGNING_KEY_PASSPHRASE, public halves published at /.well-known/tirkeu-keys.json (see docs/keys.md)',
    );

  keys
    .command('generate')
    .description('make a new signing key, valid from now; the newest valid key signs (TIRKEU_SIGNING_KEY_PASSPHRASE must be set)')
    .option('--valid-days <n>', 'how long the key may sign, in days (default: five years)', validDays)
    .action((o: { validDays?: number }) =>
      withDb(
        async (db, config) => {
          const passphrase = passphraseFrom(config);
          const key = await db.transaction(async (tx) => {
            const made = await generateSigningKey(tx, systemClock, { passphrase, validDays: o.validDays });
            await auditKey(tx, 'signing_key_generated', made.kid);
            return made;
          });
          process.stdout.write(`generated signing key ${key.kid}, signing ${day(key.validFrom)} .. ${day(key.validTo)}\n`);
        },
        { migrate: true },
      ),
    );

  keys
    .command('list')
    .description('every signing key, newest first: its id, validity and whether it signs, is retired or expired')
    .option('--json', 'print the keys as JSON (public halves only)')
    .action((o: { json?: boolean }) =>
      withDb(
        async (db) => {
          const all = await listSigningKeys(db);
          if (o.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          else printKeys(all, systemClock.now());
        },
        { migrate: true },
      ),
    );

  keys
    .command('retire')
    .description('stop a key signing now (after a leak, or once a newer key signs); its public half stays published so what it signed still verifies')
    .argument('<kid>', 'the key id, 16 hex characters (see tirkeu keys list)')
    .action((kid: string) =>
      withDb(
        async (db) => {
          const key = await db.transaction(async (tx) => {
            const retired = await retireSigningKey(tx, systemClock, kid);
            await auditKey(tx, 'signing_key_retired', retired.kid);
            return retired;
          });
          process.stdout.write(`retired signing key ${key.kid} at ${key.retiredAt!.toISOString()}\n`);
        },
        { migrate: true },
      ),
    );

  keys
    .command('rotate')
    .description('generate a new key and retire the one that signed until now, in one step')
    .option('--valid-days <n>', 'how long the new key may sign, in days (default: five years)', validDays)
    .action((o: { validDays?: number }) =>
      withDb(
        async (db, config) => {
          const passphrase = passphraseFrom(config);
          const { generated, retired } = await db.transaction(async (tx) => {
            const rotated = await rotateSigningKey(tx, systemClock, { passphrase, validDays: o.validDays });
            await auditKey(tx, 'signing_key_generated', rotated.generated.kid);
            if (rotated.retired) await auditKey(tx, 'signing_key_retired', rotated.retired.kid);
            return rotated;
          });
          process.stdout.write(`generated signing key ${generated.kid}, signing ${day(generated.validFrom)} .. ${day(generated.validTo)}\n`);
          process.stdout.write(retired ? `retired signing key ${retired.kid}\n` : 'no key was signing before\n');
        },
        { migrate: true },
      ),
    );

  keys
    .command('export-public')
    .description('print the published key set (JSON, public halves only), or write it to a file to keep apart or hand to verifiers')
    .option('--out <file>', 'write the key set to this file instead of standard output')
    .action((o: { out?: string }) =>
      withDb(
        async (db) => {
          const text = `${JSON.stringify(await publishedKeySet(db), null, 2)}\n`;
          if (o.out) {
            fs.writeFileSync(o.out, text);
            process.stderr.write(`key set written to ${o.out}\n`);
          } else process.stdout.write(text);
        },
        { migrate: true },
      ),
    );
}
