import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/core/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { buildApp } from '../src/http/app.ts';
import { type Actor, can } from '../src/access/policy.ts';
import { measureHashMs, scryptParams } from '../src/access/passwords.ts';
import { loadRoles, scopesOf } from '../src/access/roles.ts';
import { createUser } from '../src/access/users.ts';
import { percentile, report, round, runFor, scratchDb } from './support.ts';

/**
 * The cost of access control: can() per call (it runs at least twice a request: the route scope,
 * then the record's jurisdiction), the password hash cost, and sign-ins per second over HTTP.
 */
export async function benchAccess(): Promise<void> {
  const roles = loadRoles('kz');
  const actor: Actor = {
    kind: 'user',
    id: 'bench',
    username: 'bench',
    roles: ['regional_registrar'],
    scopes: scopesOf(roles, ['regional_registrar']),
    jurisdiction: '710000000',
    officeId: null,
    sessionId: 'x',
  };
  const targets = Array.from({ length: 1024 }, (_, i) => ({ jurisdiction: `${i % 2 ? 71 : 75}${String(1_000_000 + i * 37).slice(-7)}` }));
  const samples: number[] = [];
  let allowed = 0;
  for (let i = 0; i < 200_000; i++) {
    const t0 = process.hrtime.bigint();
    if (can(actor, 'birth.register', targets[i & 1023]).allowed) allowed++;
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (allowed !== 100_000) throw new Error(`can() allowed ${allowed} of 200000; expected half`);
  samples.sort((a, b) => a - b);
  report('access.can.p50_ms', round(percentile(samples, 50), 5));
  report('access.can.p99_ms', round(percentile(samples, 99), 5));

  const hashes: number[] = [];
  for (let i = 0; i < 20; i++) hashes.push(await measureHashMs());
  hashes.sort((a, b) => a - b);
  report(`access.password_hash_scrypt_N${scryptParams.N}_r${scryptParams.r}_p${scryptParams.p}.p50_ms`, round(percentile(hashes, 50), 1));

  const scratch = await scratchDb('pglite');
  try {
    const ctx = { clock: systemClock, clientAddress: null, requestId: null };
    const password = 'a benchmark password phrase';
    for (let i = 0; i < 8; i++) {
      await scratch.db.transaction((tx) => createUser(tx, roles, { username: `bench.${i}`, displayName: 'B', jurisdiction: null, roles: ['statistician'], password, mustChangePassword: false }, ctx));
    }
    const app = await buildApp({ db: scratch.db, config: loadConfig({ TIRKEU_DATA_DIR: '/nonexistent', TIRKEU_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') }), clock: systemClock, logger: false });
    let n = 0;
    const seconds = 10;
    const latencies = await runFor(seconds * 1000, 8, async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: `bench.${n++ % 8}`, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in answered ${res.statusCode}`);
    });
    latencies.sort((a, b) => a - b);
    report('access.sign_in.pglite.per_s', round(latencies.length / seconds, 1));
    report('access.sign_in.pglite.p50_ms', round(percentile(latencies, 50), 1));
    await app.close();
  } finally {
    await scratch.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchAccess();
