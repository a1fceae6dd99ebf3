import type { Db } from '../src/core/db/types.ts';
import { uuidv7 } from '../src/core/ids.ts';
import { latinOf, nameForms } from '../src/linkage/names.ts';
import { loadLinkageSettings } from '../src/linkage/settings.ts';
import type { LinkageInput } from '../src/linkage/subject.ts';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import type { PersonFacts } from '../src/protection/people-index.ts';
import { matchRequest } from '../src/protection/tracing.ts';
import { birthRange, type TracingQuery } from '../src/protection/tracing-match.ts';
import { inputOf, population, seed } from './linkage.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';

/**
 * Family tracing's match (the query behind GET /api/v1/protection/tracing/:id/matches): the births
 * of the register (linkage-indexed, seeded in bulk as bench/linkage.ts does) and the people of
 * protection cases (protection_people and their name keys, as indexPeople writes them; 90% with
 * tracing consent), both from the synthetic population generator. Each request looks for a child
 * of about the right age (an approximate age, so a range of birth dates) by the child's names and
 * the mother's, half of them typed in Latin against a register written in Cyrillic.
 * TRACING_BENCH_BIRTHS and TRACING_BENCH_CASES set the sizes (1,000,000 and 100,000 by default).
 */
const today = '2026-11-20';
const settings = loadLinkageSettings('kz');
const pack = loadPack('kz');

const size = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** A mother looking for her child: from a birth's facts, with the age in whole years (and the names in Latin for every other one). */
function requestFrom(input: LinkageInput, latin: boolean): TracingQuery | undefined {
  const { child, mother } = input;
  if (!child.givenName || !mother?.givenName) return undefined;
  const years = Math.max(0, Math.floor((Date.parse(today) - Date.parse(child.dateOfBirth)) / (365.25 * 86_400_000)));
  const write = (s: string | undefined) => (s && latin ? latinOf(s) : s);
  return {
    requester: { surname: write(mother.surname), givenName: write(mother.givenName), relation: 'mother' },
    sought: { surname: write(child.surname), givenName: write(child.givenName), ...(child.sex && { sex: child.sex }), ...birthRange(years, today) },
  };
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The people of `count` protection cases, by COPY: a record row each, their people and name keys. */
async function seedCases(db: Db, count: number, samples: LinkageInput[], every: number): Promise<void> {
  const at = new Date(`${today}T12:00:00Z`);
  let records: unknown[][] = [];
  let people: unknown[][] = [];
  let names: unknown[][] = [];
  let done = 0;
  const flush = async () => {
    await db.copyFrom('records', ['id', 'type', 'status', 'version', 'jurisdiction', 'office_id', 'ref', 'data', 'head_hash', 'created_at', 'updated_at'], records);
    await db.copyFrom('protection_people', ['subject_id', 'person', 'kind', 'role', 'jurisdiction', 'consent', 'sex', 'born_from', 'born_to', 'facts'], people);
    await db.copyFrom('protection_person_names', ['key', 'match', 'subject_id', 'person'], names);
    records = [];
    people = [];
    names = [];
    process.stderr.write(`tracing: cases ${done}/${count}\r`);
  };
  let i = 0;
  for (const b of population(count, 0, 11)) {
    const id = uuidv7(Date.parse('2026-06-01T00:00:00Z') + i);
    const input = inputOf(id, b.row);
    if (i % every === 0) samples.push(input);
    // One case in ten without tracing consent (never the sampled ones, whose families are looked for).
    const consent = i % 10 !== 5;
    const facts: PersonFacts[] = [
      // A child on the move: the age estimated, so a range of a year either side.
      { role: 'child', surname: input.child.surname, givenName: input.child.givenName, sex: input.child.sex, bornFrom: shift(input.child.dateOfBirth, -365), bornTo: shift(input.child.dateOfBirth, 365), lastSeenPlace: input.placeKato },
    ];
    if (input.mother) facts.push({ role: 'mother', surname: input.mother.surname, givenName: input.mother.givenName });
    if (input.father) facts.push({ role: 'father', surname: input.father.surname, givenName: input.father.givenName });
    records.push([id, 'protection_case', 'REGISTERED', 1, input.placeKato, 'kz-rgo-71-01', null, '{}', 'bench', at, at]);
    facts.forEach((f, person) => {
      people.push([id, person, 'case', f.role, input.placeKato, consent, f.sex ?? null, f.bornFrom ?? null, f.bornTo ?? null, JSON.stringify(f)]);
      const keys = new Set<string>();
      for (const written of [f.surname, f.givenName]) {
        const forms = nameForms(written);
        if (!forms) continue;
        for (const key of forms.phonetic) {
          if (keys.has(`${key}|${forms.match}`)) continue;
          keys.add(`${key}|${forms.match}`);
          names.push([key, forms.match, id, person]);
        }
      }
    });
    i++;
    if (++done % 20_000 === 0) await flush();
  }
  await flush();
  process.stderr.write('\n');
  for (const table of ['records', 'protection_people', 'protection_person_names']) await db.exec(`VACUUM ANALYZE ${table}`);
}

export async function benchProtectionTracing(): Promise<void> {
  const births = size('TRACING_BENCH_BIRTHS', 1_000_000);
  const cases = size('TRACING_BENCH_CASES', 100_000);
  const driver = (await serverAvailable()) ? 'postgres' : 'pglite';
  process.stdout.write(`# protection-tracing on ${driver}: ${births} births, ${cases} cases\n`);
  const scratch = await scratchDb(driver);
  try {
    const db = scratch.db;
    await loadPackIntoDb(db, pack);
    const samples: LinkageInput[] = [];
    const perSource = 250;
    const birthEvery = Math.max(1, Math.floor(births / perSource));
    let t0 = performance.now();
    await seed(
      db,
      (function* () {
        let n = 0;
        for (const b of population(births, 0.05, 3)) {
          const input = inputOf(b.id, b.row);
          if (n++ % birthEvery === 0) samples.push(input);
          yield { id: b.id, ref: b.row.legacy_ref!, input };
        }
      })(),
      { names: true, total: births, label: `${births} births` },
    );
    report('tracing_seed_births_s', round((performance.now() - t0) / 1000, 1));
    t0 = performance.now();
    await seedCases(db, cases, samples, Math.max(1, Math.floor(cases / perSource)));
    report('tracing_seed_cases_s', round((performance.now() - t0) / 1000, 1));

    const queries = samples.map((s, i) => requestFrom(s, i % 2 === 1)).filter((q): q is TracingQuery => q !== undefined);
    const deps = { linkage: settings };
    for (const q of queries.slice(0, 30)) await matchRequest(deps, db, uuidv7(), q);
    const times: number[] = [];
    let found = 0;
    let likely = 0;
    for (const q of queries) {
      const start = performance.now();
      const matches = await matchRequest(deps, db, uuidv7(), q);
      times.push(performance.now() - start);
      found += matches.length;
      if (matches[0]?.band === 'likely') likely++;
    }
    times.sort((a, b) => a - b);
    report('tracing_match_requests', queries.length);
    report('tracing_match_p50_ms', round(percentile(times, 50)));
    report('tracing_match_p95_ms', round(percentile(times, 95)));
    report('tracing_match_max_ms', round(times.at(-1) ?? NaN));
    report('tracing_match_mean_matches', round(found / Math.max(1, queries.length), 1));
    // Each request was made from a record in the register: the share whose best match is 'likely'.
    report('tracing_match_top_likely_share', round(likely / Math.max(1, queries.length), 3));
  } finally {
    await scratch.drop();
  }
}
