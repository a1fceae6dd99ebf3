import type { Command } from 'commander';
import { generate } from 'otplib';
import { demoPassword, demoTotpSecret, seedDemo } from '../../access/demo.ts';
import { loadRoles } from '../../access/roles.ts';
import { checkedSecretKey } from '../../access/secret-key.ts';
import { seedDemoBirths } from '../../births/demo.ts';
import { birthDepsFor } from '../../births/workflow.ts';
import { seedDemoCertificate } from '../../certificates/demo.ts';
import { certificateDepsFor } from '../../certificates/issuance.ts';
import { demoSigningKeyPassphrase, findCurrentSigningKey, generateSigningKey } from '../../certificates/keys.ts';
import { systemClock } from '../../core/clock.ts';
import { loadPack } from '../../places/pack.ts';
import { loadPackIntoDb } from '../../places/store.ts';
import { withDb } from '../context.ts';
import { seedDemoProtection } from '../../protection/demo.ts';
import { protectionDepsFor } from '../../protection/deps.ts';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('load the country pack, and with --demo one demo user per role, a demo hospital client and demo births')
    .option('--demo', 'also create demo data (see the README: demo passwords work as they are only with TIRKEU_DEMO=1)')
    .action((options: { demo?: boolean }) =>
      withDb(
        async (db, config) => {
          const pack = loadPack(config.pack);
          await loadPackIntoDb(db, pack);
          process.stdout.write(
            `country pack ${config.pack}: ${pack.places.length} places, ${pack.offices.length} offices, ${pack.facilities.length} facilities\n`,
          );
          if (!options.demo) return;
          const seed = await seedDemo(db, loadRoles(config.pack), await checkedSecretKey(db, config), { clock: systemClock, clientAddress: 'cli', requestId: null });
          process.stdout.write(`demo users (password "${demoPassword}"):\n`);
          for (const u of seed.users) {
            process.stdout.write(`  ${u.username.padEnd(30)} ${(u.jurisdiction ?? 'national').padEnd(10)}${u.secondFactor ? ' second factor: TOTP secret ' + demoTotpSecret : ''}\n`);
          }
          if (seed.client) process.stdout.write(`demo API client ${seed.client.id}, secret (shown once): ${seed.client.secret}\n`);
          // Like the demo passwords: made with a published secret, usable as it is only in demo mode
          // (or by giving that passphrase), so a demo signs certificates out of the box and proves nothing.
          if (!(await findCurrentSigningKey(db, systemClock))) {
            const passphrase = config.signingKeyPassphrase ?? demoSigningKeyPassphrase;
            const key = await generateSigningKey(db, systemClock, { passphrase });
            process.stdout.write(
              config.signingKeyPassphrase
                ? `signing key ${key.kid}, encrypted with TIRKEU_SIGNING_KEY_PASSPHRASE\n`
                : `demo signing key ${key.kid}, encrypted with the published demo passphrase "${demoSigningKeyPassphrase}" (opened as it is only with TIRKEU_DEMO=1)\n`,
            );
          }
          const birthDeps = birthDepsFor(db, systemClock, config.pack);
          const births = await seedDemoBirths(birthDeps);
          process.stdout.write(`${births.births} demo births in Astana: notified, declared, validated and registered (an undocumented mother and a foundling among them), the declared ones with a specimen PDF attached\n`);
          const protection = await seedDemoProtection(protectionDepsFor(db, systemClock, config.pack));
          process.stdout.write(
            `child protection: the demo births' flags are referrals in demo.case_worker's inbox; ${protection.cases} unaccompanied child's case and ${protection.tracing} tracing request from his mother, in Latin script, to match\n`,
          );
          const certificate = await seedDemoCertificate({ ...certificateDepsFor(birthDeps, config), passphrase: config.signingKeyPassphrase ?? demoSigningKeyPassphrase });
          if (certificate) process.stdout.write(`demo certificate ${certificate.serial}; open its QR link to try the verification page:\n  ${certificate.verifyLink}\n`);
          if (!config.demo) process.stdout.write('TIRKEU_DEMO is not set: each demo user must choose a new password at first sign-in\n');
        },
        { migrate: true },
      ),
    );
  program
    .command('demo-code')
    .description("print the current TOTP code of the demo users' published secret (demo users only)")
    .action(async () => {
      process.stdout.write(`${await generate({ secret: demoTotpSecret })}\n`);
    });
}
