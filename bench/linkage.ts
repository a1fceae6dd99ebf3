import { systemClock } from '../src/core/clock.ts';
import type { Db } from '../src/core/db/types.ts';
import { uuidv7 } from '../src/core/ids.ts';
import { runAudit } from '../src/linkage/audit.ts';
import { estimateFromRegister } from '../src/linkage/estimation.ts';
import { blockingKeys } from '../src/linkage/blocking.ts';
import { suspectsOf } from '../src/linkage/matching.ts';
import { subjectOf } from '../src/linkage/names.ts';
import { searchBirths } from '../src/linkage/search.ts';
import { loadLinkageSettings } from '../src/linkage/settings.ts';
import type { LinkageInput, PersonForms } from '../src/linkage/subject.ts';
import { injectedErrors, loadSyntheticNames, type SyntheticBirth, syntheticBirths } from '../src/births/synthetic.ts';
import { syntheticPlaces } from '../src/cli/commands/synth.ts';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';

/**
 * Record linkage with the synthetic population generator: the quality of duplicate detection
 * (precision, recall, F1 at the pack's thresholds, recall per injected error type) and the batch
 * audit's throughput on 100,000 births with 5% duplicates; candidate lookup + scoring per new
 * declaration with 1M (and 10M, on the server) births in the register; search by name with 1M.
 * The register is seeded in bulk (record rows and linkage's rows by COPY), as a migrated register
 * would arrive; `tirkeu import births` on the generator's file gives the same linkage rows, slower.
 */
const settings = loadLinkageSettings('kz');
const pack = loadPack('kz');
const names = loadSyntheticNames('kz');
const places = syntheticPlaces(pack);
const facilityKato = new Map(pack.facilities.map((f) => [f.id, f.kato]));
const today = '2026-11-20';

const text = (v: string | undefined) => (v ? v : undefined);

/** The generator's legacy row as linkage sees it (what births/duplicates.ts makes of the imported record). */
export function inputOf(recordId: string, row: Readonly<Record<string, string>>): LinkageInput {
  const person = (p: string) =>
    row[`${p}_surname`] || row[`${p}_given_name`] || row[`${p}_iin`]
      ? { surname: text(row[`${p}_surname`]), givenName: text(row[`${p}_given_name`]), dateOfBirth: text(row[`${p}_date_of_birth`]), iin: text(row[`${p}_iin`]) }
      : undefined;
  const sex = row.child_sex?.toLowerCase().startsWith('m') ? 'male' : 'female';
  return {
    recordId,
    child: { surname: text(row.child_surname), givenName: text(row.child_given_name), patronymic: text(row.child_patronymic), sex, dateOfBirth: row.child_date_of_birth!, birthOrder: Number(row.birth_order || 1) },
    mother: person('mother'),
    father: person('father'),
    facilityId: text(row.facility_id),
    placeKato: row.place_kato || facilityKato.get(row.facility_id ?? '') || '711300000',
  };
}

/** Seeds births in bulk: a minimal record row each (linkage reads status, jurisdiction, ref) and linkage's rows. */
export async function seed(db: Db, births: Iterable<{ id: string; ref: string; input: LinkageInput }>, options: { names: boolean; total: number; label: string }): Promise<void> {
  const at = new Date('2026-11-20T12:00:00Z');
  let records: unknown[][] = [];
  let subjects: unknown[][] = [];
  let nameRows: unknown[][] = [];
  let done = 0;
  const flush = async () => {
    await db.copyFrom('records', ['id', 'type', 'status', 'version', 'jurisdiction', 'office_id', 'ref', 'data', 'head_hash', 'created_at', 'updated_at'], records);
    await db.copyFrom('linkage_subjects', ['record_id', 'facts', 'child_dob', 'child_sex', 'child_iin', 'mother_iin', 'father_iin', 'facility_id', 'child_key', 'child_given_key', 'mother_key', 'indexed_at'], subjects);
    if (options.names) await db.copyFrom('linkage_names', ['key', 'record_id', 'role', 'match', 'jurisdiction'], nameRows);
    records = [];
    subjects = [];
    nameRows = [];
    process.stderr.write(`linkage: ${options.label} ${done}/${options.total}\r`);
  };
  for (const { id, ref, input } of births) {
    const subject = subjectOf(input);
    const keys = blockingKeys(subject);
    const { recordId: _, ...facts } = input;
    records.push([id, 'birth', 'REGISTERED', 1, input.placeKato, 'kz-rgo-71-01', ref, '{}', 'bench', at, at]);
    subjects.push([id, JSON.stringify(facts), input.child.dateOfBirth, input.child.sex ?? null, keys.childIin, keys.motherIin, keys.fatherIin, keys.facilityId, keys.childKey, keys.childGivenKey, keys.motherKey, at]);
    if (options.names) {
      const seen = new Set<string>();
      const add = (p: PersonForms | undefined, role: number) => {
        for (const n of [p?.surname, p?.givenName, p?.patronymic]) {
          for (const key of n?.phonetic ?? []) {
            const k = `${key}|${role}|${n!.match}`;
            if (seen.has(k)) continue;
            seen.add(k);
            nameRows.push([key, id, role, n!.match, input.placeKato]);
          }
        }
      };
      add(subject.child, 1);
      add(subject.mother, 2);
      add(subject.father, 3);
    }
    if (++done % 20_000 === 0) await flush();
  }
  await flush();
  process.stderr.write('\n');
  // As autovacuum would after a bulk load: index-only scans need the visibility map.
  for (const table of ['records', 'linkage_subjects', 'linkage_names']) await db.exec(`VACUUM ANALYZE ${table}`);
}

export function* population(count: number, dupRate: number, seed: number): Generator<SyntheticBirth & { id: string }> {
  const base = Date.parse('2026-01-01T00:00:00Z');
  let i = 0;
  for (const birth of syntheticBirths({ births: count, dupRate, seed, places, today, from: count > 2_000_000 ? '2006-01-01' : '2016-01-01' }, names)) {
    yield { ...birth, id: uuidv7(base + i++) };
  }
}

async function quality(db: Db): Promise<void> {
  const births = 100_000;
  const truth = new Map<string, { cluster: number; errors: string[] }>();
  const idOf = new Map<string, string>();
  await seed(
    db,
    (function* () {
      for (const b of population(births, 0.05, 7)) {
        const ref = b.row.legacy_ref!;
        truth.set(ref, { cluster: b.cluster, errors: b.errors });
        idOf.set(ref, b.id);
        yield { id: b.id, ref, input: inputOf(b.id, b.row) };
      }
    })(),
    { names: false, total: births, label: 'quality register' },
  );
  // True pairs: every two rows of one cluster.
  const members = new Map<number, string[]>();
  for (const [ref, t] of truth) members.set(t.cluster, [...(members.get(t.cluster) ?? []), ref]);
  const truePairs = new Set<string>();
  const errorsOfPair = new Map<string, string[]>();
  const key = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);
  for (const refs of members.values()) {
    for (let i = 0; i < refs.length; i++)
      for (let j = i + 1; j < refs.length; j++) {
        const k = key(idOf.get(refs[i]!)!, idOf.get(refs[j]!)!);
        truePairs.add(k);
        errorsOfPair.set(k, [...truth.get(refs[i]!)!.errors, ...truth.get(refs[j]!)!.errors]);
      }
  }
  report('linkage_true_pairs', truePairs.size);
  const measure = async (model: 'pack' | 'em') => {
    await db.exec('DELETE FROM linkage_pairs; DELETE FROM linkage_audits');
    const t0 = performance.now();
    const summary = await runAudit(db, settings, systemClock);
    const seconds = (performance.now() - t0) / 1000;
    report(`linkage_audit_100k_${model}_records_per_s`, round(summary.records / seconds, 0));
    report(`linkage_audit_100k_${model}_candidate_pairs`, summary.compared);
    const { rows } = await db.query<{ a: string; b: string; band: string }>(`SELECT record_a AS a, record_b AS b, band FROM linkage_pairs`);
    for (const band of ['match', 'possible'] as const) {
      const found = rows.filter((r) => band === 'possible' || r.band === 'match').map((r) => key(r.a, r.b));
      const hits = found.filter((k) => truePairs.has(k)).length;
      const precision = found.length ? hits / found.length : 1;
      const recall = hits / truePairs.size;
      const label = `linkage_${model}_${band === 'match' ? 'autoflag' : 'possible'}`;
      report(`${label}_precision`, round(precision, 4));
      report(`${label}_recall`, round(recall, 4));
      report(`${label}_f1`, round((2 * precision * recall) / (precision + recall || 1), 4));
      if (band === 'match') {
        const foundSet = new Set(found);
        for (const error of injectedErrors) {
          const withError = [...truePairs].filter((k) => errorsOfPair.get(k)!.includes(error));
          if (withError.length) report(`${label}_recall_${error}`, round(withError.filter((k) => foundSet.has(k)).length / withError.length, 4));
        }
        const cross = [...truePairs].filter((k) => errorsOfPair.get(k)!.some((e) => e === 'script' || e === 'fold'));
        report(`${label}_recall_cross_script`, round(cross.filter((k) => foundSet.has(k)).length / Math.max(1, cross.length), 4));
      }
    }
  };
  await measure('pack');
  const t0 = performance.now();
  const estimated = await estimateFromRegister(db, settings, systemClock, { sample: 20_000 });
  report('linkage_em_seconds', round((performance.now() - t0) / 1000, 1));
  report('linkage_em_pairs', estimated.pairs);
  report('linkage_em_iterations', estimated.iterations);
  await measure('em');
}

async function lookups(db: Db, label: string): Promise<void> {
  // New declarations: a fresh population whose rows are compared with the register (a share repeat it in another spelling).
  const samples: LinkageInput[] = [];
  for (const b of population(4_000, 0.05, 99)) if (samples.length < 2_000) samples.push(inputOf(b.id, b.row));
  for (const s of samples.slice(0, 100)) await suspectsOf(db, s, settings);
  const times: number[] = [];
  for (const s of samples) {
    const t0 = performance.now();
    await suspectsOf(db, s, settings);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  report(`linkage_lookup_${label}_p50_ms`, round(percentile(times, 50)));
  report(`linkage_lookup_${label}_p95_ms`, round(percentile(times, 95)));
}

async function searches(db: Db, label: string): Promise<void> {
  const queries: string[] = [];
  for (const b of population(3_000, 0, 5)) {
    const r = b.row;
    const n = queries.length;
    // Surnames alone, given name + surname, and the mother's names: in the script they were written in.
    queries.push(n % 3 === 0 ? r.child_surname || r.mother_surname! : n % 3 === 1 ? `${r.child_given_name} ${r.child_surname}` : `${r.mother_given_name} ${r.mother_surname}`);
  }
  const ctx = { clock: systemClock, clientAddress: null, requestId: null };
  const actor = { kind: 'system' as const, id: 'bench' };
  for (const q of queries.slice(0, 100)) await searchBirths(db, settings, actor, { q, limit: 20 }, ctx);
  const times: number[] = [];
  for (const q of queries) {
    if (!q.trim()) continue;
    const t0 = performance.now();
    await searchBirths(db, settings, actor, { q, limit: 20 }, ctx);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  report(`linkage_search_${label}_p50_ms`, round(percentile(times, 50)));
  report(`linkage_search_${label}_p95_ms`, round(percentile(times, 95)));
}

async function register(driver: 'pglite' | 'postgres', persons: number, withNames: boolean): Promise<Db & { drop(): Promise<void> }> {
  const scratch = await scratchDb(driver);
  await loadPackIntoDb(scratch.db, pack);
  await seed(
    scratch.db,
    (function* () {
      for (const b of population(persons, 0.05, 3)) yield { id: b.id, ref: b.row.legacy_ref!, input: inputOf(b.id, b.row) };
    })(),
    { names: withNames, total: persons, label: `${persons} persons` },
  );
  return Object.assign(scratch.db, { drop: () => scratch.drop() });
}

export async function benchLinkage(): Promise<void> {
  const server = await serverAvailable();
  const driver = server ? 'postgres' : 'pglite';
  process.stdout.write(`# linkage on ${driver}\n`);
  {
    const scratch = await scratchDb(driver);
    await loadPackIntoDb(scratch.db, pack);
    try {
      await quality(scratch.db);
    } finally {
      await scratch.drop();
    }
  }
  const million = await register(driver, 1_000_000, true);
  try {
    await lookups(million, '1m');
    await searches(million, '1m');
  } finally {
    await million.drop();
  }
  if (server && process.env.LINKAGE_BENCH_10M !== '0') {
    const ten = await register('postgres', 10_000_000, false);
    try {
      await lookups(ten, '10m');
    } finally {
      await ten.drop();
    }
  }
}
