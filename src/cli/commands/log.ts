import type { Command } from 'commander';
import { birthDocumentsVerifier } from '../../births/document-integrity.ts';
import { birthIinsVerifier } from '../../births/iin-integrity.ts';
import { certificatesVerifier } from '../../certificates/integrity.ts';
// verify-log replays every record type in the register: each module's record definition must be
// loaded (a record of a type with no loaded definition is reported, not skipped).
import '../../births/record.ts';
import '../../protection/case-record.ts';
import '../../protection/bid-record.ts';
import '../../protection/tracing-record.ts';
import type { KeySet } from '../../certificates/codec/key-set.ts';
import { checkpointSignatureCheck, checkpointSignerSource, publishedKeySet, signingKeyPassphrase, signingKeysInstalled } from '../../certificates/keys.ts';
import { sealCheckpoints } from '../../core/action-log/checkpoint.ts';
import { type LogVerifier, type VerifyReport, verifyLog } from '../../core/action-log/verify.ts';
import { systemClock } from '../../core/clock.ts';
import type { Db, Queryable } from '../../core/db/types.ts';
import { withDb } from '../context.ts';
import { readKeySet } from '../key-set-source.ts';
import { progressBar } from '../progress.ts';

/** What the modules keep beside the action log and verify-log checks too. */
export const moduleVerifiers: readonly LogVerifier[] = [birthDocumentsVerifier, birthIinsVerifier, certificatesVerifier];


/** The key set of this database; empty before it is migrated to signing keys. */
async function localKeySet(db: Queryable): Promise<KeySet> {
  return (await signingKeysInstalled(db)) ? publishedKeySet(db) : { issuer: 'KZ', keys: [] };
}

export interface WholeLogOptions {
  /** The key set checkpoint signatures are checked against; the database's own by default. */
  keySet?: KeySet;
  /** An unsigned checkpoint after a signed one breaks the log. */
  requireSignatures?: boolean;
}

/** verify-log with every module's verifiers and the checkpoint signatures, with a progress bar. */
export async function verifyWholeLog(db: Db, options: WholeLogOptions = {}): Promise<VerifyReport> {
  const keySet = options.keySet ?? (await localKeySet(db));
  const bar = progressBar('verifying');
  try {
    return await verifyLog(db, {
      verifiers: moduleVerifiers,
      checkpointSignatures: checkpointSignatureCheck(keySet),
      requireSignatures: options.requireSignatures,
      onProgress: (p) => bar.update(p.done, p.total, p.phase),
    });
  } finally {
    bar.stop();
  }
}

export function printReport(report: VerifyReport): void {
  if (report.broken) {
    const b = report.broken;
    process.stdout.write(`BROKEN (${b.kind}): ${b.message}\n`);
    for (const key of ['recordId', 'recordSeq', 'seq', 'checkpointId', 'column', 'documentId'] as const) {
      if (b[key] !== undefined) process.stdout.write(`  ${key}: ${b[key]}\n`);
    }
  } else {
    const modules = Object.entries(report.checkedByModules).map(([name, n]) => `, ${n} ${name}`).join('');
    process.stdout.write(
      `log intact: ${report.records} records, ${report.actions} actions, ${report.projectionsChecked} projections replayed, ` +
        `${report.checkpoints} checkpoints (${report.signedCheckpoints} signed and verified, ${report.unsignedCheckpoints} unsigned; ` +
        `${report.sealedActions} actions sealed, ${report.unsealedActions} not yet sealed)${modules}\n`,
    );
  }
  for (const warning of report.warnings) process.stdout.write(`warning: ${warning}\n`);
}

export function registerLog(program: Command): void {
  program
    .command('verify-log')
    .description(
      'recompute every record hash chain, every projection column, every checkpoint Merkle root and signature, and every document hash; exit 0 and print counts (and warnings, such as actions not yet sealed or checkpoints not signed), or print the first broken link and exit 1',
    )
    .option('--json', 'print the report as JSON')
    .option(
      '--keys <file|url>',
      "check checkpoint signatures against this published key set (a file from tirkeu keys export-public, or a URL of /.well-known/tirkeu-keys.json) instead of the database's own",
    )
    .option('--require-signed', 'fail on an unsigned checkpoint that follows a signed one (once a log is signed, it stays signed)')
    .action((options: { json?: boolean; keys?: string; requireSigned?: boolean }) =>
      withDb(async (db) => {
        const keySet = options.keys ? await readKeySet(options.keys) : undefined;
        const report = await verifyWholeLog(db, { keySet, requireSignatures: options.requireSigned });
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report);
        if (report.broken) process.exitCode = 1;
      }),
    );
  program
    .command('checkpoint')
    .description(
      'seal every settled action since the last checkpoint now, signed with the current signing key when TIRKEU_SIGNING_KEY_PASSPHRASE opens it (the server also does this on a timer, and imports seal their own)',
    )
    .action(() =>
      withDb(async (db, config) => {
        const signer = (await signingKeysInstalled(db))
          ? await checkpointSignerSource(db, systemClock, signingKeyPassphrase(config), (state) => {
              if (state.unsigned) process.stderr.write(`sealing unsigned: ${state.unsigned.message} (${state.unsigned.details.hint})\n`);
            })()
          : undefined;
        const sealed = await sealCheckpoints(db, systemClock, signer);
        if (sealed.length === 0) process.stdout.write('nothing to seal\n');
        for (const c of sealed) {
          process.stdout.write(
            `checkpoint ${c.id}: actions ${c.fromSeq + 1}..${c.toSeq} (${c.actionCount}) root ${c.merkleRoot}${c.keyId ? ` signed by key ${c.keyId}` : ' unsigned'}\n`,
          );
        }
      }),
    );
}
