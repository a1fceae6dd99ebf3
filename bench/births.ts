import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRoles } from '../src/access/roles.ts';
import { createSession } from '../src/access/sessions.ts';
import { createUser } from '../src/access/users.ts';
import type { Declaration } from '../src/births/declaration.ts';
import { composeIin, iinPrefix } from '../src/births/iin.ts';
import { birthDepsFor } from '../src/births/workflow.ts';
import { sealCheckpoints } from '../src/core/action-log/checkpoint.ts';
import { genesisHash } from '../src/core/action-log/hashing.ts';
import { systemClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import type { Db } from '../src/core/db/types.ts';
import { uuidv7 } from '../src/core/ids.ts';
import { importBirthsFile } from '../src/cli/commands/births.ts';
import { buildApp } from '../src/http/app.ts';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';

/**
 * Birth registration end to end over real HTTP (declare, originals seen, validate, late approval, register; 16 concurrent
 * clients), the latency of register with a national-size register already in place (seeded in
 * bulk), and legacy import throughput.
 */
const office = 'kz-rgo-71-01';

function declaration(i: number): Declaration {
  // Spread over dates and both sexes, as real births are: one date and sex share one IIN serial row.
  const day = new Date(Date.now() - (7 + (i % 58)) * 86_400_000).toISOString().slice(0, 10);
  return {
    path: 'facility_birth',
    child: { givenName: `Бала ${i}`, surname: 'Сейтқали', sex: i % 2 ? 'male' : 'female', dateOfBirth: day, placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1, weightGrams: 3000 + (i % 900) },
    mother: { givenName: 'Ана', surname: 'Сейтқали', dateOfBirth: '1996-03-03', citizenship: 'KZ', legalStatus: 'citizen' },
    father: { givenName: 'Әке', surname: 'Сейтқали', age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    attendant: 'physician',
    // Every date is past the 3-day period: the late statement and the approval make them registrable.
    documents: [{ type: 'medical_birth_certificate', reference: `MBC-${i}` }, { type: 'late_registration_statement' }],
  };
}

/**
 * A million registered births by COPY, the way a migrated national register would arrive: one
 * record row (a realistic registered state), one action and one IIN each. This is bench data: the
 * history is not the three-action history an import writes, so verify-log is not run on it.
 */
async function seedRegistered(db: Db, count: number): Promise<void> {
  const rules = birthDepsFor(db, systemClock, 'kz').rules.iin;
  const chunk = 50_000;
  const at = new Date('2025-12-31T12:00:00Z');
  const nextSerial = new Map<string, number>();
  for (let start = 0; start < count; start += chunk) {
    const records: unknown[][] = [];
    const actions: unknown[][] = [];
    const iins: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const id = uuidv7(at.getTime() - i);
      const d = declaration(i);
      d.child.dateOfBirth = new Date(Date.UTC(2006, 0, 1) + (i % 7300) * 86_400_000).toISOString().slice(0, 10);
      // Seeded births are born 2006–2025; the benchmark registers births of the last 58 days, so serials never meet.
      const prefix = iinPrefix(d.child.dateOfBirth, d.child.sex, rules);
      let serial = nextSerial.get(prefix) ?? 1;
      let iin = composeIin(prefix, serial++, rules);
      while (!iin) iin = composeIin(prefix, serial++, rules);
      nextSerial.set(prefix, serial);
      const number = `seed-${office}/${i}`;
      const state = {
        status: 'REGISTERED',
        jurisdiction: '711300000',
        officeId: office,
        facilityId: 'kz-hf-71-001',
        notification: null,
        notifiedAt: null,
        overdueSince: null,
        declaration: d,
        missingDocuments: [],
        registration: { number, iin, officeId: office, registeredOn: d.child.dateOfBirth, timeliness: 'current', citizenship: { result: 'citizen', reason: { kk: '', ru: '', en: 'both parents are citizens' }, atRiskOfStatelessness: false } },
        assignedTo: null,
        legacyRef: null,
        lastReason: null,
        corrections: [],
      };
      const hash = `${i.toString(16).padStart(64, '0')}`;
      records.push([id, 'birth', 'REGISTERED', 1, '711300000', office, null, number, iin, JSON.stringify(state), hash, at, at]);
      actions.push([id, 1, 'REGISTER', 'bench-seed', office, at, null, JSON.stringify({ type: 'REGISTER' }), genesisHash, hash]);
      iins.push([iin, id, at]);
    }
    await db.copyFrom('records', ['id', 'type', 'status', 'version', 'jurisdiction', 'office_id', 'ref', 'number', 'subject_id', 'data', 'head_hash', 'created_at', 'updated_at'], records);
    await db.copyFrom('record_actions', ['record_id', 'record_seq', 'type', 'actor', 'office_id', 'at', 'reason', 'payload', 'prev_hash', 'hash'], actions);
    await db.copyFrom('iins', ['iin', 'record_id', 'issued_at'], iins);
    process.stderr.write(`births: seeded ${Math.min(count, start + chunk)}/${count}\r`);
  }
  process.stderr.write('\n');
  // Sealed as every bulk write is now, so the first import batch measured does not seal a million seeded actions.
  await sealCheckpoints(db, systemClock);
  await db.exec('ANALYZE records; ANALYZE record_actions; ANALYZE iins');
}

/**
 * What the desk does between declaring and registering: record that the originals were seen, validate,
 * and for a late birth the registrar's approval. Every benchmarked flow carries the same steps.
 */
async function prepare(base: string, id: string, agent: Record<string, string>, registrar: Record<string, string>, i: number): Promise<void> {
  for (const document of declaration(i).documents) await post(base, `/api/v1/births/${id}/evidence`, agent, { type: document.type, ...(document.reference ? { reference: document.reference } : {}) });
  await post(base, `/api/v1/births/${id}/validate`, agent, {});
  await post(base, `/api/v1/births/${id}/approve-registration`, registrar, { reason: 'late statement seen; the mother was in hospital' });
}

async function post(base: string, path: string, headers: Record<string, string>, body: unknown): Promise<{ id: string; version: number }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; version: number };
}

export async function benchBirths(options: { seconds?: number; seeded?: number; importRows?: number } = {}): Promise<void> {
  const seconds = options.seconds ?? 15;
  const seeded = options.seeded ?? Number(process.env.BENCH_BIRTHS ?? 1_000_000);
  const importRows = options.importRows ?? 20_000;
  const drivers: ('pglite' | 'postgres')[] = ['pglite'];
  if (await serverAvailable()) drivers.push('postgres');
  for (const driver of drivers) {
    const scratch = await scratchDb(driver, 20);
    try {
      const db = scratch.db;
      await loadPackIntoDb(db, loadPack('kz'));
      const t0 = performance.now();
      await seedRegistered(db, seeded);
      report(`births.seed_${seeded}.${driver}.s`, round((performance.now() - t0) / 1000, 1));

      // Sixteen clients are sixteen offices, each an agent and a registrar: the act number counter
      // is per office, so one office's registrations take their turn, as they would at its desk.
      const ctx = { clock: systemClock, clientAddress: null, requestId: null };
      const roles = loadRoles('kz');
      const offices = (await db.query<{ id: string }>('SELECT id FROM offices ORDER BY id LIMIT 16')).rows.map((r) => r.id);
      const desks: { agent: Record<string, string>; registrar: Record<string, string> }[] = [];
      for (const officeId of offices) {
        const desk: Record<string, Record<string, string>> = {};
        for (const [name, role] of [['agent', 'registration_agent'], ['registrar', 'national_registrar']] as const) {
          const user = await db.transaction((tx) => createUser(tx, roles, { username: `bench.${name}.${officeId}`, displayName: name, jurisdiction: null, officeId, roles: [role], password: 'bench password phrase' }, ctx));
          const session = await db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
          desk[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
        }
        desks.push({ agent: desk.agent!, registrar: desk.registrar! });
      }
      const app = await buildApp({ db, config: loadConfig({ TIRKEU_DATA_DIR: '/nonexistent', TIRKEU_SECRET_KEY: Buffer.alloc(32, 2).toString('base64') }), clock: systemClock, logger: false });
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      let n = 0;
      const registerTimes: number[] = [];
      const flow = async (desk: (typeof desks)[number]) => {
        const { agent, registrar } = desk;
        const i = n++;
        const declared = await post(base, '/api/v1/births', { ...agent, 'idempotency-key': `bench-d-${i}-${driver}` }, declaration(i));
        await prepare(base, declared.id, agent, registrar, i);
        const r0 = performance.now();
        await post(base, `/api/v1/births/${declared.id}/register`, registrar, {});
        registerTimes.push(performance.now() - r0);
      };
      for (let i = 0; i < 20; i++) await flow(desks[i % desks.length]!);
      registerTimes.length = 0;
      // Each of the 16 clients keeps to its own desk.
      const flows: number[] = [];
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        desks.map(async (desk) => {
          while (performance.now() < end) {
            const f0 = performance.now();
            await flow(desk);
            flows.push(performance.now() - f0);
          }
        }),
      );
      flows.sort((a, b) => a - b);
      registerTimes.sort((a, b) => a - b);
      report(`births.http_declare_evidence_validate_approve_register.${driver}.c16.per_s`, round(flows.length / seconds, 1));
      report(`births.http_flow.${driver}.c16.p50_ms`, round(percentile(flows, 50), 1));
      for (const p of [50, 95, 99]) report(`births.http_register.${driver}.c16.p${p}_ms`, round(percentile(registerTimes, p), 1));

      // Register alone, one client at a time: the cost of the allocation and the write without queueing.
      const ids: string[] = [];
      const [{ agent, registrar }] = desks as [(typeof desks)[number]];
      for (let i = 0; i < 300; i++) {
        const declared = await post(base, '/api/v1/births', agent, declaration(n));
        await prepare(base, declared.id, agent, registrar, n++);
        ids.push(declared.id);
      }
      const single: number[] = [];
      for (const id of ids) {
        const r0 = performance.now();
        await post(base, `/api/v1/births/${id}/register`, registrar, {});
        single.push(performance.now() - r0);
      }
      single.sort((a, b) => a - b);
      for (const p of [50, 95, 99]) report(`births.http_register.${driver}.c1.p${p}_ms`, round(percentile(single, p), 1));
      await app.close();

      await benchImport(db, driver, importRows);
    } finally {
      await scratch.drop();
    }
  }
}

/**
 * Legacy import as `tirkeu import births FILE` runs it: a CSV file of `rows` registrations streamed
 * from disk, batches of 1,000. Reports rows per second and the process's peak resident memory,
 * which stays bounded whatever the file's size.
 */
export async function benchImport(db: Db, driver: string, rows: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-bench-import-'));
  const file = path.join(dir, 'register.csv');
  try {
    const columns = ['legacy_ref', 'act_number', 'office_id', 'registered_on', 'child_given_name', 'child_sex', 'child_date_of_birth', 'facility_id', 'mother_given_name', 'mother_citizenship', 'mother_legal_status'];
    const out = fs.createWriteStream(file);
    out.write(`${columns.join(',')}\n`);
    for (let i = 0; i < rows; i++) {
      const d = declaration(i);
      // Every tenth register kept no act number: those are drawn from the office's counter.
      const number = i % 10 ? `legacy-71/${i}` : '';
      const line = `bench-${i},${number},${office},${d.child.dateOfBirth},"${d.child.givenName}",${d.child.sex},${d.child.dateOfBirth},kz-hf-71-001,Ана,KZ,citizen\n`;
      if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 50);
    const i0 = performance.now();
    const imported = await importBirthsFile(db, { pack: 'kz' }, file, { batchSize: 1000 });
    const seconds = (performance.now() - i0) / 1000;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage.rss());
    if (imported.imported !== rows) throw new Error(`import loaded ${imported.imported} of ${rows}; see ${imported.rejectedFile}`);
    report(`births.import_${rows}.${driver}.rows_per_s`, round(rows / seconds, 0));
    report(`births.import_${rows}.${driver}.file_mb`, round(fs.statSync(file).size / 2 ** 20, 1));
    report(`births.import_${rows}.${driver}.rss_before_mb`, round(rssBefore / 2 ** 20, 0));
    report(`births.import_${rows}.${driver}.peak_rss_mb`, round(peak / 2 ** 20, 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `tsx bench/births.ts import [ROWS]`: the import alone, on PGlite, into an empty register.
  if (process.argv[2] === 'import') {
    const scratch = await scratchDb('pglite');
    try {
      await loadPackIntoDb(scratch.db, loadPack('kz'));
      await benchImport(scratch.db, 'pglite', Number(process.argv[3] ?? 50_000));
    } finally {
      await scratch.drop();
    }
  } else await benchBirths();
}
