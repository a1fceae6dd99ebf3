import { systemClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import { buildApp } from '../src/http/app.ts';
import { certificateDepsFor, issueCertificate } from '../src/certificates/issuance.ts';
import { generateSigningKey } from '../src/certificates/keys.ts';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import { birthDeps, helperRegistrar, makeBirth } from '../test/support/births.ts';
import { percentile, report, round, runFor, scratchDb, serverAvailable } from './support.ts';

/**
 * Certificates over the API: issuances per second (serial, signature, the action, in one
 * transaction), the QR payload's size in characters, and verifications per second through
 * POST /api/v1/certificates/verify (signature, then status), from many addresses as a country's
 * verifiers would be (one address is rate-limited).
 */
export async function benchCertificateVerify(): Promise<void> {
  const drivers: ('pglite' | 'postgres')[] = (await serverAvailable()) ? ['pglite', 'postgres'] : ['pglite'];
  for (const driver of drivers) {
    const scratch = await scratchDb(driver);
    try {
      const passphrase = 'a benchmark key passphrase';
      const config = loadConfig({ TIRKEU_DATA_DIR: '/nonexistent', TIRKEU_WEB_DIR: '/nonexistent-web', TIRKEU_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), TIRKEU_SIGNING_KEY_PASSPHRASE: passphrase });
      await loadPackIntoDb(scratch.db, loadPack('kz'));
      await generateSigningKey(scratch.db, systemClock, { passphrase });
      const births = birthDeps(scratch.db, systemClock);
      const deps = certificateDepsFor(births, config);
      const actor = helperRegistrar(['certificate.issue']);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push(await makeBirth(births, 'kz-hf-71-001', 'registered'));
      const issueMs: number[] = [];
      const serials: string[] = [];
      for (const id of ids) {
        const t0 = performance.now();
        const { issuance } = await issueCertificate(deps, id, { kind: 'birth_certificate', delivery: 'electronic' }, { actor });
        issueMs.push(performance.now() - t0);
        serials.push(issuance.serial);
      }
      issueMs.sort((a, b) => a - b);
      report(`certificates.issue.${driver}.p50_ms`, round(percentile(issueMs, 50), 1));
      const { rows } = await scratch.db.query<{ qr: string }>('SELECT qr_payload AS qr FROM certificates');
      const sizes = rows.map((r) => r.qr.length).sort((a, b) => a - b);
      report(`certificates.qr_payload.chars.p50`, percentile(sizes, 50));
      report(`certificates.qr_payload.chars.max`, sizes.at(-1)!);

      const app = await buildApp({ db: scratch.db, config, clock: systemClock, logger: false });
      let n = 0;
      const seconds = 10;
      const latencies = await runFor(seconds * 1000, 8, async () => {
        const i = n++;
        const res = await app.inject({ method: 'POST', url: '/api/v1/certificates/verify', remoteAddress: `10.0.${(i >> 8) & 255}.${i & 255}`, payload: { payload: rows[i % rows.length]!.qr } });
        if (res.statusCode !== 200 || res.json().verdict !== 'valid') throw new Error(`verify answered ${res.statusCode} ${res.body.slice(0, 200)}`);
      });
      latencies.sort((a, b) => a - b);
      report(`certificates.verify.${driver}.per_s`, round(latencies.length / seconds, 1));
      report(`certificates.verify.${driver}.p50_ms`, round(percentile(latencies, 50), 2));
      await app.close();
    } finally {
      await scratch.drop();
    }
  }
}
