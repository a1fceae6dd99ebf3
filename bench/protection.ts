import fs from 'node:fs';
import type { RequestContext } from '../src/access/audit.ts';
import type { Actor } from '../src/access/policy.ts';
import { loadRoles } from '../src/access/roles.ts';
import type { Scope } from '../src/access/scopes.ts';
import { createUser } from '../src/access/users.ts';
import type { Declaration } from '../src/births/declaration.ts';
import { birthDepsFor, declareBirth, recordEvidenceSeen, registerBirth, validateBirth } from '../src/births/workflow.ts';
import type { Json } from '../src/core/action-log/hashing.ts';
import { type BulkRecord, createRecordsInBulk, type NewAction } from '../src/core/action-log/record-store.ts';
import { fixedClock, systemClock } from '../src/core/clock.ts';
import type { Db, Queryable } from '../src/core/db/types.ts';
import { uuidv7 } from '../src/core/ids.ts';
import { nameForms } from '../src/linkage/names.ts';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import { casePeople, indexCasePeople, syncCaseIndex, type CaseRow } from '../src/protection/case-index.ts';
import { caseRecord, type CaseState, openTasks, pendingTransfer } from '../src/protection/case-record.ts';
import { actOnCase, listCases, openCase } from '../src/protection/cases.ts';
import { localDate } from '../src/core/dates.ts';
import { type ProtectionDeps, protectionDepsFor } from '../src/protection/deps.ts';
import { listReferrals, referBirth } from '../src/protection/referrals.ts';
import { deadlineOf, type Flag, highestRisk, screen, type ScreeningFacts, type ScreeningStage } from '../src/protection/screening.ts';
import type { RiskLevel } from '../src/protection/settings.ts';
import { listTasks } from '../src/protection/tasks.ts';
import { inputOf, population } from './linkage.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';

/**
 * Child protection's performance targets (issue 12): screening adds under 1 ms to a registration
 * (p95), and the referral inbox and the case lists answer p95 under 50 ms with 100,000 cases.
 *
 * 1. screen() alone over 100,000 varied facts (pure), and registerBirth of a citizen family (screened,
 *    nothing raised) against an undocumented mother's child (screened, a statelessness referral
 *    written with its flags, event and deadline job in the registration's transaction).
 * 2. listReferrals, listCases and listTasks with PROTECTION_BENCH_CASES cases (100,000 by default)
 *    spread over the pack's districts and 2,000 workers. The cases are written in bulk the way the
 *    use cases leave them: the record and its history by createRecordsInBulk (OPEN from a referral,
 *    then CONTACT, ASSIGN, ADD_TASK, ASSESS for shares of them), the 0019 lookups, the people index,
 *    the acknowledged referral and its flags (plus 10% open referrals in the inbox). A case made
 *    through openCase/actOnCase and one made by this path are compared column by column first.
 *    Not written in bulk: the events, outbox jobs and audit lines, which no list reads.
 *
 * On PostgreSQL when a server answers, then PGlite at PROTECTION_BENCH_PGLITE_CASES (20,000).
 * PROTECTION_BENCH_SMALL=1 is a quick run (5,000 cases, 50 registrations, 200 calls).
 */
const pack = loadPack('kz');
const small = process.env.PROTECTION_BENCH_SMALL === '1';
const size = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const calls = 200;
const officeId = 'kz-rgo-71-01';

// ---------------------------------------------------------------------------------------------
// Places and people

interface Place {
  district: string;
  region: string;
}
function districts(): Place[] {
  const lines = fs.readFileSync(new URL('../config/kz/places.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((l) => l.split(','))
    .filter((c) => c[2] === 'district')
    .map((c) => ({ district: c[0]!, region: c[1]! }));
}

function user(id: string, scopes: Scope[], jurisdiction: string, roles: string[]): Actor {
  return { kind: 'user', id, username: id, roles, scopes: new Set(scopes), jurisdiction, officeId, sessionId: `bench-${id}` };
}
const workerUuid = (w: number) => `00000000-0000-7000-8000-${w.toString(16).padStart(12, '0')}`;
const workerActor = (w: number, district: string) => user(workerUuid(w), ['protection.case.read', 'protection.case.write', 'record.read'], district, ['case_worker']);
const supervisorActor = (region: string) =>
  user(`10000000-0000-7000-8000-${region.slice(0, 12).padStart(12, '0')}`, ['protection.case.read', 'protection.case.write', 'protection.case.supervise', 'protection.bid.decide', 'record.read'], region, ['protection_supervisor']);

/** A small deterministic generator (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const times = (xs: number[]) => xs.sort((a, b) => a - b);

// ---------------------------------------------------------------------------------------------
// 1. Screening

const statuses = ['citizen', 'permanent_resident', 'temporary_resident', 'refugee_or_asylum_seeker', 'stateless', 'undocumented', 'unknown'];
const stages: ScreeningStage[] = ['notification', 'declaration', 'registration', 'correction', 'overdue'];
const paths = ['facility_birth', 'home_birth', 'foundling', 'mother_without_documents', 'surrogacy'];

function variedFacts(count: number): ScreeningFacts[] {
  const r = prng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const today = Date.parse('2026-11-20T00:00:00Z');
  const out: ScreeningFacts[] = [];
  for (let i = 0; i < count; i++) {
    const born = isoDate(today - Math.floor(r() * 900) * 86_400_000);
    const parent = () => ({
      legalStatus: r() < 0.7 ? 'citizen' : pick(statuses),
      hasDocument: r() < 0.9,
      identityDeclared: r() < 0.1,
      ...(r() < 0.6 ? { dateOfBirth: isoDate(Date.parse(born) - Math.floor((14 + r() * 30) * 365.25) * 86_400_000) } : { age: 14 + Math.floor(r() * 30) }),
    });
    out.push({
      recordId: uuidv7(today + i),
      jurisdiction: '711300000',
      stage: pick(stages),
      on: isoDate(today),
      child: { dateOfBirth: born },
      ...(r() < 0.8 && { path: pick(paths) }),
      ...(r() < 0.5 && { citizenship: pick(['citizen', 'citizen', 'citizen', 'not_citizen', 'undetermined'] as const) }),
      ...(r() < 0.95 && { mother: parent() }),
      ...(r() < 0.7 && { father: parent() }),
      ...(r() < 0.3 && { parentage: pick(['marriage', 'acknowledged', 'not_established']) }),
    });
  }
  return out;
}

function benchScreenPure(): void {
  const settings = protectionDepsFor({} as Db, systemClock, 'kz').settings;
  const facts = variedFacts(100_000);
  let flagged = 0;
  for (const f of facts.slice(0, 10_000)) screen(f, settings);
  const each: number[] = [];
  const t0 = performance.now();
  for (const f of facts) {
    const s = performance.now();
    if (screen(f, settings).length) flagged++;
    each.push((performance.now() - s) * 1000);
  }
  const total = performance.now() - t0;
  times(each);
  report('protection_screen_facts', facts.length);
  report('protection_screen_flagged_share', round(flagged / facts.length, 3));
  report('protection_screen_p50_us', round(percentile(each, 50), 2));
  report('protection_screen_p95_us', round(percentile(each, 95), 2));
  report('protection_screen_p99_us', round(percentile(each, 99), 2));
  report('protection_screen_mean_us', round((total * 1000) / facts.length, 2));
}

/** A registrar who takes births through the desk (as test/support/births.ts's helper). */
const registrar: Actor = {
  kind: 'user',
  id: 'bench-registrar',
  username: 'bench.registrar',
  roles: ['national_registrar'],
  scopes: new Set<Scope>(['birth.declare', 'birth.validate', 'birth.register', 'birth.notify', 'record.read']),
  jurisdiction: null,
  officeId,
  sessionId: 'bench',
};

function declarationOf(row: Readonly<Record<string, string>>, referred: boolean, today: string): Declaration {
  const born = isoDate(Date.parse(`${today}T00:00:00Z`) - 86_400_000);
  const child = { givenName: row.child_given_name || 'Айгерім', surname: row.child_surname || 'Сейтқали', sex: (row.child_sex?.toLowerCase().startsWith('m') ? 'male' : 'female') as 'male' | 'female', dateOfBirth: born, placeOfBirth: { type: 'facility' as const, facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 };
  const mother = { givenName: row.mother_given_name || 'Динара', surname: row.mother_surname || child.surname };
  if (!referred) {
    return {
      path: 'facility_birth',
      child,
      mother: { ...mother, dateOfBirth: '1995-04-04', citizenship: 'KZ', legalStatus: 'citizen' },
      father: { givenName: row.father_given_name || 'Ерлан', surname: row.father_surname || child.surname, age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
      maritalStatus: 'married',
      parentage: 'marriage',
      informant: { relation: 'mother' },
      documents: [{ type: 'medical_birth_certificate' }],
    } as Declaration;
  }
  // No document, no father: the law gives no nationality (statelessness risk, referred at registration).
  return {
    path: 'mother_without_documents',
    child,
    mother: { ...mother, age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
    maritalStatus: 'unknown',
    parentage: 'not_established',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
  } as Declaration;
}

/** registerBirth timed alone (declared, originals seen and validated beforehand), the two kinds interleaved. */
async function benchRegistration(db: Db, driver: string, count: number): Promise<void> {
  const deps = birthDepsFor(db, systemClock, 'kz');
  const today = localDate(new Date(), deps.timeZone);
  const lat: Record<'citizen' | 'referred', number[]> = { citizen: [], referred: [] };
  let skipped = 0;
  let referrals = 0;
  let n = 0;
  for (const b of population(count * 2 + 40, 0, 21)) {
    const referred = n % 2 === 1;
    const warm = n < 40;
    n++;
    const d = declarationOf(b.row, referred, today);
    try {
      const { record } = await declareBirth(deps, d, { actor: registrar });
      if (record.status !== 'DECLARED') {
        skipped++;
        continue;
      }
      for (const doc of d.documents) await recordEvidenceSeen(deps, record.id, { type: doc.type }, { actor: registrar });
      await validateBirth(deps, record.id, { actor: registrar });
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM protection_referrals WHERE record_id = $1', [record.id])).rows[0]!.n;
      const t0 = performance.now();
      const registered = await registerBirth(deps, record.id, { actor: registrar });
      const ms = performance.now() - t0;
      if (registered.status !== 'REGISTERED') throw new Error(`not registered: ${registered.status}`);
      const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM protection_referrals WHERE record_id = $1', [record.id])).rows[0]!.n;
      if (referred !== after > before) throw new Error(`registration of ${referred ? 'an undocumented mother’s child raised no' : 'a citizen family raised a'} referral`);
      if (referred) referrals++;
      if (!warm) lat[referred ? 'referred' : 'citizen'].push(ms);
    } catch (e) {
      if ((e as { code?: string }).code === 'duplicate_suspected') skipped++;
      else throw e;
    }
  }
  const c = times(lat.citizen);
  const r = times(lat.referred);
  report(`protection_register_${driver}_citizen_n`, c.length);
  report(`protection_register_${driver}_citizen_p50_ms`, round(percentile(c, 50)));
  report(`protection_register_${driver}_citizen_p95_ms`, round(percentile(c, 95)));
  report(`protection_register_${driver}_referred_n`, r.length);
  report(`protection_register_${driver}_referred_p50_ms`, round(percentile(r, 50)));
  report(`protection_register_${driver}_referred_p95_ms`, round(percentile(r, 95)));
  report(`protection_register_${driver}_referral_added_p50_ms`, round(percentile(r, 50) - percentile(c, 50)));
  report(`protection_register_${driver}_referral_added_p95_ms`, round(percentile(r, 95) - percentile(c, 95)));
  report(`protection_register_${driver}_skipped_duplicates`, skipped);
  // The referral's own cost in the registration's transaction: referBirth alone (screen, look up the
  // record's flags, write the referral, its flags, the event and the deadline job), timed inside it.
  const settings = protectionDepsFor(db, systemClock, 'kz').settings;
  const refer: number[] = [];
  const pass: number[] = [];
  for (let i = 0; i < count + 20; i++) {
    const at = new Date();
    const birthId = uuidv7(at.getTime());
    await db.copyFrom('records', birthColumns, [[birthId, 'birth', 'REGISTERED', 1, '711300000', officeId, null, '{}', 'bench', at, at]]);
    const facts: ScreeningFacts = { recordId: birthId, jurisdiction: '711300000', stage: 'registration', on: today, child: { dateOfBirth: today }, mother: { legalStatus: 'citizen', hasDocument: true, age: 30 } };
    for (const [flagged, into] of [[false, pass], [true, refer]] as const) {
      await db.transaction(async (tx) => {
        const t0 = performance.now();
        const referral = await referBirth(tx, systemClock, settings, { ...facts, ...(flagged && { citizenship: 'undetermined' }) });
        if (i >= 20) into.push(performance.now() - t0);
        if (flagged !== (referral !== undefined)) throw new Error('screening raised the wrong referral');
      });
    }
  }
  times(refer);
  times(pass);
  report(`protection_referbirth_${driver}_nothing_raised_p95_ms`, round(percentile(pass, 95), 3));
  report(`protection_referbirth_${driver}_referral_written_p50_ms`, round(percentile(refer, 50)));
  report(`protection_referbirth_${driver}_referral_written_p95_ms`, round(percentile(refer, 95)));
  report(`protection_register_${driver}_referrals_written`, referrals);
}

// ---------------------------------------------------------------------------------------------
// 2. Cases in bulk

/** What one case is made of: who, where, and which of the actions it has had. */
interface CaseSpec {
  caseId: string;
  referralId: string;
  birthId: string;
  district: string;
  owner: string;
  assign?: string;
  risk: RiskLevel;
  flags: Flag[];
  referredAt: Date;
  child: CaseState['child'];
  contact: boolean;
  task?: { taskId: string; dueOn: string };
  assess?: { assessmentId: string; risk: RiskLevel };
}

/** The history the use cases would write for the spec: openCase from the referral, then actOnCase's payloads. */
function historyOf(spec: CaseSpec, at: Date, dueAt: Date): NewAction[] {
  const actions: NewAction[] = [];
  const me = spec.owner;
  const add = (payload: Record<string, unknown>) => actions.push({ type: payload.type as string, actor: me, officeId, reason: null, payload: payload as Json });
  const open = {
    type: 'OPEN',
    kind: 'birth_referral',
    jurisdiction: spec.district,
    officeId,
    risk: spec.risk,
    child: spec.child,
    separation: null,
    referralIds: [spec.referralId],
    birthRecordId: spec.birthId,
    firstContact: { taskId: uuidv7(at.getTime()), dueAt: dueAt.toISOString() },
  };
  actions.push({ type: 'OPEN', actor: me, officeId, reason: null, payload: open as unknown as Json, request: { referralId: spec.referralId, child: spec.child } as unknown as Json });
  if (spec.contact) add({ type: 'CONTACT', at: at.toISOString() });
  if (spec.assign) add({ type: 'ASSIGN', userId: spec.assign });
  if (spec.task) add({ type: 'ADD_TASK', title: 'home visit', dueOn: spec.task.dueOn, taskId: spec.task.taskId, kind: 'follow_up', assignee: me });
  if (spec.assess) add({ type: 'ASSESS', kind: 'initial', findings: 'the mother and child live with relatives; no documents', needs: ['documents', 'legal aid'], risk: spec.assess.risk, assessmentId: spec.assess.assessmentId });
  return actions;
}

interface SideRows {
  cases: unknown[][];
  members: unknown[][];
  tasks: unknown[][];
  people: unknown[][];
  names: unknown[][];
}
const emptySide = (): SideRows => ({ cases: [], members: [], tasks: [], people: [], names: [] });

/** The 0019 lookups and the people index of a case row, as syncCaseIndex and indexPeople write them. */
function sideRowsOf(row: CaseRow, today: string, into: SideRows): void {
  const s = row.data;
  const transfer = pendingTransfer(s);
  into.cases.push([row.id, row.jurisdiction, row.status, s.risk, s.kind, transfer?.to.jurisdiction ?? null, row.createdAt, row.updatedAt]);
  const members = new Set<string>();
  for (const [actor, role] of [[s.owner, 'owner'], ...s.workers.map((w) => [w, 'worker'])] as [string, string][]) {
    if (members.has(`${actor}|${role}`)) continue;
    members.add(`${actor}|${role}`);
    into.members.push([row.id, actor, role]);
  }
  for (const task of row.status === 'CLOSED' ? [] : openTasks(s)) into.tasks.push([row.id, task.id, task.kind, task.assignee, task.dueOn, task.dueAt, row.jurisdiction, task.dueAt ?? (task.dueOn ? new Date(`${task.dueOn}T00:00:00Z`) : null), task.title]);
  casePeople(s, today).forEach((facts, person) => {
    into.people.push([row.id, person, 'case', facts.role, row.jurisdiction, s.tracingConsent, facts.sex ?? null, facts.bornFrom ?? facts.dateOfBirth ?? null, facts.bornTo ?? facts.dateOfBirth ?? null, JSON.stringify(facts)]);
    const keys = new Map<string, string>();
    for (const written of [facts.surname, facts.givenName, facts.patronymic]) {
      const forms = nameForms(written);
      if (forms) for (const key of forms.phonetic) keys.set(`${key}\u0000${forms.match}`, forms.match);
    }
    for (const [pair, match] of keys) into.names.push([pair.split('\u0000')[0], match, row.id, person]);
  });
}

async function copySide(db: Queryable & { copyFrom: Db['copyFrom'] }, side: SideRows): Promise<void> {
  await db.copyFrom('protection_cases', ['id', 'jurisdiction', 'stage', 'risk', 'kind', 'transfer_to', 'opened_at', 'updated_at'], side.cases);
  await db.copyFrom('protection_case_members', ['case_id', 'actor', 'role'], side.members);
  await db.copyFrom('protection_case_tasks', ['case_id', 'task_id', 'kind', 'assignee', 'due_on', 'due_at', 'jurisdiction', 'due', 'title'], side.tasks);
  await db.copyFrom('protection_people', ['subject_id', 'person', 'kind', 'role', 'jurisdiction', 'consent', 'sex', 'born_from', 'born_to', 'facts'], side.people);
  await db.copyFrom('protection_person_names', ['key', 'match', 'subject_id', 'person'], side.names);
}

const birthColumns = ['id', 'type', 'status', 'version', 'jurisdiction', 'office_id', 'ref', 'data', 'head_hash', 'created_at', 'updated_at'];
const referralColumns = ['id', 'record_id', 'jurisdiction', 'flags', 'risk', 'stage', 'status', 'created_at', 'due_at', 'escalated_at', 'case_id', 'acknowledged_at', 'acknowledged_by', 'first_contact_at', 'child_dob', 'child_sex'];
const statelessFlags: Flag[] = [{ code: 'statelessness_risk', risk: 'high' }];
const undocumentedFlags: Flag[] = [
  { code: 'mother_undocumented', risk: 'medium' },
  { code: 'foreign_parents_no_residence', risk: 'medium' },
];
const youngMotherFlags: Flag[] = [{ code: 'young_mother', risk: 'medium' }];
const lateFlags: Flag[] = [{ code: 'delayed_registration', risk: 'low' }];
const flagSets = [statelessFlags, undocumentedFlags, youngMotherFlags, lateFlags];

/**
 * Writes one batch of cases (opened at `at`, as of one clock instant): the birth each referral is
 * about (a minimal record row, as bench/linkage.ts seeds births), the referral acknowledged by the
 * case, the case's record and history by createRecordsInBulk, its lookups and people.
 */
async function writeCases(db: Db, specs: CaseSpec[], at: Date, today: string, settings: ProtectionDeps['settings']): Promise<CaseRow[]> {
  const births: unknown[][] = [];
  const referrals: unknown[][] = [];
  const flags: unknown[][] = [];
  const items: BulkRecord[] = [];
  for (const spec of specs) {
    const dueAt = deadlineOf(spec.referredAt, spec.risk, settings);
    births.push([spec.birthId, 'birth', 'REGISTERED', 1, spec.district, officeId, null, '{}', 'bench', spec.referredAt, spec.referredAt]);
    referrals.push([spec.referralId, spec.birthId, spec.district, JSON.stringify(spec.flags), spec.risk, 'registration', 'acknowledged', spec.referredAt, dueAt, dueAt < at ? dueAt : null, spec.caseId, at, spec.owner, spec.contact ? at : null, spec.child.dateOfBirth ?? '2026-01-01', spec.child.sex ?? null]);
    for (const f of spec.flags) flags.push([spec.birthId, f.code, spec.referralId]);
    items.push({ recordId: spec.caseId, actions: historyOf(spec, at, dueAt) });
  }
  return db.transaction(async (tx) => {
    await tx.copyFrom('records', birthColumns, births);
    const rows = (await createRecordsInBulk(tx, caseRecord, items, fixedClock(at.toISOString()))) as CaseRow[];
    await tx.copyFrom('protection_referrals', referralColumns, referrals);
    await tx.copyFrom('protection_flags', ['record_id', 'code', 'referral_id'], flags);
    const side = emptySide();
    for (const row of rows) sideRowsOf(row, today, side);
    await copySide(tx, side);
    return rows;
  });
}

interface Seeded {
  places: Place[];
  workerDistrict: string[];
  regions: string[];
}

export async function seedCases(db: Db, count: number, deps: ProtectionDeps): Promise<Seeded> {
  const places = districts();
  const workers = 2_000;
  const r = prng(7);
  const workerDistrict = Array.from({ length: workers }, (_, w) => places[w % places.length]!.district);
  // Some workers carry more cases than others: a weight each, drawn once.
  const weight = Array.from({ length: workers }, () => 0.3 + 1.4 * r());
  const cumulative: number[] = [];
  weight.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative.at(-1)!;
  const pickWorker = () => {
    const x = r() * total;
    let lo = 0;
    let hi = workers - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sameDistrict = (w: number) => {
    const d = w % places.length;
    const k = Math.floor(r() * Math.floor(workers / places.length));
    return (d + k * places.length) % workers;
  };
  const now = Date.now();
  const batch = 2_000;
  const span = 365 * 86_400_000;
  const names = population(count, 0, 31);
  let done = 0;
  while (done < count) {
    const n = Math.min(batch, count - done);
    const at = new Date(now - span + Math.floor((span * (done + n)) / count) - 3_600_000);
    const specs: CaseSpec[] = [];
    for (let j = 0; j < n; j++) {
      const w = pickWorker();
      const flagsOf = flagSets[Math.floor(r() * flagSets.length)]!;
      const input = inputOf('x', names.next().value!.row);
      const id = (k: number) => uuidv7(at.getTime() - 1000 + k);
      const caseId = uuidv7(at.getTime());
      const assign = r() < 0.3 ? sameDistrict(w) : undefined;
      specs.push({
        caseId,
        referralId: id(1),
        birthId: id(0),
        district: workerDistrict[w]!,
        owner: `user:${workerUuid(w)}`,
        ...(assign !== undefined && assign !== w && { assign: `user:${workerUuid(assign)}` }),
        risk: highestRisk(flagsOf.map((f) => f.risk)),
        flags: flagsOf,
        referredAt: new Date(at.getTime() - Math.floor(r() * 48 * 3_600_000)),
        child: { surname: input.child.surname, givenName: input.child.givenName, sex: input.child.sex, dateOfBirth: input.child.dateOfBirth, languages: [], identityAsStated: false },
        contact: r() < 0.7,
        ...(r() < 0.4 && { task: { taskId: uuidv7(at.getTime()), dueOn: isoDate(at.getTime() + (7 + Math.floor(r() * 60)) * 86_400_000) } }),
        ...(r() < 0.5 && { assess: { assessmentId: uuidv7(at.getTime()), risk: (['low', 'medium', 'high'] as const)[Math.floor(r() * 3)]! } }),
      });
    }
    await writeCases(db, specs, at, localDate(at, deps.timeZone), deps.settings);
    done += n;
    process.stderr.write(`protection: cases ${done}/${count}\r`);
  }
  process.stderr.write('\n');
  // The inbox: one open referral for every ten cases, due from three days ago to three days ahead.
  const births: unknown[][] = [];
  const open: unknown[][] = [];
  const flags: unknown[][] = [];
  for (let i = 0; i < Math.ceil(count / 10); i++) {
    const district = places[Math.floor(r() * places.length)]!.district;
    const flagsOf = flagSets[Math.floor(r() * flagSets.length)]!;
    const risk = highestRisk(flagsOf.map((f) => f.risk));
    const created = new Date(now - Math.floor(r() * 7 * 86_400_000));
    const dueAt = deadlineOf(created, risk, deps.settings);
    const birthId = uuidv7(created.getTime());
    const id = uuidv7(created.getTime());
    births.push([birthId, 'birth', 'REGISTERED', 1, district, officeId, null, '{}', 'bench', created, created]);
    open.push([id, birthId, district, JSON.stringify(flagsOf), risk, 'registration', 'open', created, dueAt, dueAt.getTime() < now ? dueAt : null, null, null, null, null, isoDate(created.getTime() - 40 * 86_400_000), r() < 0.5 ? 'male' : 'female']);
    for (const f of flagsOf) flags.push([birthId, f.code, id]);
  }
  await db.copyFrom('records', birthColumns, births);
  await db.copyFrom('protection_referrals', referralColumns, open);
  await db.copyFrom('protection_flags', ['record_id', 'code', 'referral_id'], flags);
  // As autovacuum would after a bulk load.
  for (const t of ['records', 'record_actions', 'protection_referrals', 'protection_flags', 'protection_cases', 'protection_case_members', 'protection_case_tasks', 'protection_people', 'protection_person_names']) await db.exec(`VACUUM ANALYZE ${t}`);
  return { places, workerDistrict, regions: [...new Set(places.map((p) => p.region))] };
}

// ---------------------------------------------------------------------------------------------
// The check: a case made by the use cases and one made in bulk look alike, row for row

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Rows as text, every uuid replaced by its order of first appearance, times by a token. */
function normalised(value: unknown): string {
  const seen = new Map<string, string>();
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Date ? 'T' : typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? 'T' : v));
  return text.replace(uuidPattern, (u) => {
    if (!seen.has(u)) seen.set(u, `#${seen.size}`);
    return seen.get(u)!;
  });
}

async function rowsOf(db: Queryable, caseId: string, birthId: string): Promise<Record<string, unknown>> {
  const q = async (sql: string) => (await db.query(sql, [caseId])).rows;
  return {
    record: await q('SELECT type, status, version, jurisdiction, office_id, ref, number, subject_id, data FROM records WHERE id = $1'),
    actions: await q('SELECT record_seq, type, actor, office_id, reason, payload FROM record_actions WHERE record_id = $1 ORDER BY record_seq'),
    case: await q('SELECT jurisdiction, stage, risk, kind, transfer_to FROM protection_cases WHERE id = $1'),
    members: await q('SELECT actor, role FROM protection_case_members WHERE case_id = $1 ORDER BY role, actor'),
    tasks: await q('SELECT task_id, kind, assignee, due_on, due_at IS NOT NULL AS timed FROM protection_case_tasks WHERE case_id = $1 ORDER BY kind, task_id'),
    people: await q('SELECT person, kind, role, jurisdiction, consent, sex, born_from, born_to, facts FROM protection_people WHERE subject_id = $1 ORDER BY person'),
    names: await q('SELECT key, match, person FROM protection_person_names WHERE subject_id = $1 ORDER BY person, key, match'),
    referral: (await db.query("SELECT record_id = $2 AS same_birth, jurisdiction, flags, risk, stage, status, escalated_at IS NULL AS unescalated, acknowledged_by, first_contact_at IS NOT NULL AS contacted, acknowledged_at = created_at AS acked_at_open FROM protection_referrals WHERE case_id = $1", [caseId, birthId])).rows,
    flags: (await db.query('SELECT code FROM protection_flags WHERE record_id = $1 ORDER BY code', [birthId])).rows,
  };
}

async function checkBulkMatchesUseCases(db: Db, deps: ProtectionDeps): Promise<void> {
  const clock = fixedClock('2026-11-20T06:00:00Z');
  const at = clock.now();
  const d = { ...deps, clock };
  const district = '711300000';
  const owner = workerActor(1_999_999, district);
  const roles = loadRoles('kz');
  const ctx: RequestContext = { clock, clientAddress: null, requestId: 'bench' };
  const colleague = await db.transaction((tx) => createUser(tx, roles, { username: 'bench.colleague', displayName: 'colleague', jurisdiction: district, officeId, roles: ['case_worker'], password: 'bench password phrase' }, ctx));
  const child = { surname: 'Сейтқали', givenName: 'Айгерім', sex: 'female' as const, dateOfBirth: '2026-11-10', languages: [], identityAsStated: false };

  // The use cases: a birth raises a referral (referBirth), a worker opens a case for it and acts.
  const useBirth = uuidv7(at.getTime());
  await db.copyFrom('records', birthColumns, [[useBirth, 'birth', 'REGISTERED', 1, district, officeId, null, '{}', 'bench', at, at]]);
  const facts: ScreeningFacts = { recordId: useBirth, jurisdiction: district, stage: 'registration', on: '2026-11-20', child: { dateOfBirth: '2026-11-10' }, citizenship: 'undetermined', mother: { legalStatus: 'citizen', hasDocument: true, age: 30 } };
  const referral = await db.transaction((tx) => referBirth(tx, clock, deps.settings, facts));
  if (!referral) throw new Error('screening raised no referral for an undetermined citizenship');
  const opened = await openCase(d, { referralId: referral.id, child }, { actor: owner });
  await actOnCase(d, opened.id, { type: 'CONTACT' }, { actor: owner });
  await actOnCase(d, opened.id, { type: 'ASSIGN', userId: colleague.id }, { actor: owner });
  await actOnCase(d, opened.id, { type: 'ADD_TASK', title: 'home visit', dueOn: '2026-12-20', kind: 'follow_up' }, { actor: owner });
  await actOnCase(d, opened.id, { type: 'ASSESS', kind: 'initial', findings: 'the mother and child live with relatives; no documents', needs: ['documents', 'legal aid'], risk: 'medium' }, { actor: owner });
  const made = await rowsOf(db, opened.id, useBirth);

  // The bulk path, with the same facts.
  const spec: CaseSpec = {
    caseId: uuidv7(at.getTime()),
    referralId: uuidv7(at.getTime()),
    birthId: uuidv7(at.getTime()),
    district,
    owner: `user:${owner.id}`,
    assign: `user:${colleague.id}`,
    risk: 'high',
    flags: statelessFlags,
    referredAt: at,
    child,
    contact: true,
    task: { taskId: uuidv7(at.getTime()), dueOn: '2026-12-20' },
    assess: { assessmentId: uuidv7(at.getTime()), risk: 'medium' },
  };
  const [row] = await writeCases(db, [spec], at, '2026-11-20', deps.settings);
  const bulk = await rowsOf(db, spec.caseId, spec.birthId);
  for (const key of Object.keys(made)) {
    const a = normalised(made[key]);
    const b = normalised(bulk[key]);
    if (a !== b) throw new Error(`bulk-made ${key} differs from the use cases':\n  use case: ${a}\n  bulk:     ${b}`);
  }
  // And the lookups written by COPY are exactly what syncCaseIndex and indexPeople write for the row.
  await db.transaction(async (tx) => {
    await syncCaseIndex(tx, row!);
    await indexCasePeople(tx, row!, '2026-11-20');
  });
  const again = await rowsOf(db, spec.caseId, spec.birthId);
  if (normalised(again) !== normalised(bulk)) throw new Error('the copied lookups differ from what syncCaseIndex/indexPeople write');
  report('protection_bulk_matches_use_cases', 1);
}

// ---------------------------------------------------------------------------------------------
// The lists

async function timeCalls(label: string, n: number, call: (i: number) => Promise<number>): Promise<void> {
  for (let i = 0; i < 20; i++) await call(i);
  const lat: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    rows += await call(i);
    lat.push(performance.now() - t0);
  }
  times(lat);
  report(`${label}_p50_ms`, round(percentile(lat, 50)));
  report(`${label}_p95_ms`, round(percentile(lat, 95)));
  report(`${label}_mean_rows`, round(rows / n, 1));
}

export async function benchLists(db: Db, driver: string, count: number, deps: ProtectionDeps, seeded: Seeded): Promise<void> {
  const ctx: RequestContext = { clock: deps.clock, clientAddress: null, requestId: 'bench' };
  const label = `protection_${driver}_${count >= 1000 ? `${count / 1000}k` : count}`;
  const { rows: loads } = await db.query<{ actor: string; n: number }>(
    "SELECT actor, count(*)::int AS n FROM protection_case_members WHERE role IN ('owner', 'worker') GROUP BY actor",
  );
  // Workers with about 30 cases (the nearest 50 to 30 when the run is small).
  const byDistance = [...loads].sort((a, b) => Math.abs(a.n - 30) - Math.abs(b.n - 30)).slice(0, 50);
  report(`${label}_workers_measured_mean_cases`, round(byDistance.reduce((s, l) => s + l.n, 0) / byDistance.length, 1));
  report(`${label}_worker_max_cases`, Math.max(...loads.map((l) => l.n)));
  const workers = byDistance.map((l) => {
    const w = Number.parseInt(l.actor.slice(-12), 16);
    return workerActor(w, seeded.workerDistrict[w]!);
  });
  // Regions by how many cases they hold: the measured supervisors are of the largest ones.
  const { rows: regionLoad } = await db.query<{ region: string; n: number }>('SELECT substr(jurisdiction, 1, 2) AS region, count(*)::int AS n FROM protection_cases GROUP BY 1 ORDER BY 2 DESC');
  const supervisors = regionLoad.slice(0, 5).map((r) => supervisorActor(seeded.regions.find((x) => x.startsWith(r.region)) ?? `${r.region}0000000`));
  report(`${label}_supervised_region_mean_cases`, round(regionLoad.slice(0, 5).reduce((s, r) => s + r.n, 0) / Math.min(5, regionLoad.length), 0));
  const districtWorkers = seeded.places.map((p, i) => workerActor(i, p.district));

  const pageOf = async (actor: Actor, pages: number, q: (cursor?: string) => Promise<{ nextCursor: string | null }>) => {
    let cursor: string | undefined;
    for (let p = 1; p < pages; p++) cursor = (await q(cursor)).nextCursor ?? undefined;
    return cursor;
  };

  await timeCalls(`${label}_referrals_worker_first`, calls, async (i) => (await listReferrals(db, districtWorkers[i % districtWorkers.length], { limit: 50 }, ctx)).items.length);
  await timeCalls(`${label}_referrals_supervisor_first`, calls, async (i) => (await listReferrals(db, supervisors[i % supervisors.length], { limit: 50 }, ctx)).items.length);
  const supCursors = await Promise.all(supervisors.map((s) => pageOf(s, 3, (cursor) => listReferrals(db, s, { limit: 50, cursor }, ctx))));
  await timeCalls(`${label}_referrals_supervisor_page3`, calls, async (i) => (await listReferrals(db, supervisors[i % supervisors.length], { limit: 50, cursor: supCursors[i % supervisors.length] }, ctx)).items.length);
  const wkCursors = await Promise.all(districtWorkers.map((s) => pageOf(s, 2, (cursor) => listReferrals(db, s, { limit: 50, cursor, status: 'all' }, ctx))));
  await timeCalls(`${label}_referrals_worker_all_page2`, calls, async (i) => (await listReferrals(db, districtWorkers[i % districtWorkers.length], { limit: 50, status: 'all', cursor: wkCursors[i % districtWorkers.length] }, ctx)).items.length);
  await timeCalls(`${label}_referrals_supervisor_overdue`, calls, async (i) => (await listReferrals(db, supervisors[i % supervisors.length], { limit: 50, overdue: true }, ctx)).items.length);

  await timeCalls(`${label}_cases_worker`, calls, async (i) => (await listCases(deps, workers[i % workers.length], { limit: 50 }, ctx)).items.length);
  await timeCalls(`${label}_cases_supervisor_first`, calls, async (i) => (await listCases(deps, supervisors[i % supervisors.length], { limit: 50 }, ctx)).items.length);
  const caseCursors = await Promise.all(supervisors.map((s) => pageOf(s, 3, (cursor) => listCases(deps, s, { limit: 50, cursor }, ctx))));
  await timeCalls(`${label}_cases_supervisor_page3`, calls, async (i) => (await listCases(deps, supervisors[i % supervisors.length], { limit: 50, cursor: caseCursors[i % supervisors.length] }, ctx)).items.length);
  await timeCalls(`${label}_cases_supervisor_stage_risk`, calls, async (i) => (await listCases(deps, supervisors[i % supervisors.length], { limit: 50, stage: 'REGISTERED', risk: 'high' }, ctx)).items.length);

  await timeCalls(`${label}_tasks_worker_overdue`, calls, async (i) => (await listTasks(deps, workers[i % workers.length], { overdue: true, limit: 100 }, ctx)).length);
  await timeCalls(`${label}_tasks_supervisor_overdue`, calls, async (i) => (await listTasks(deps, supervisors[i % supervisors.length], { overdue: true, limit: 100 }, ctx)).length);
  await timeCalls(`${label}_tasks_supervisor_all`, calls, async (i) => (await listTasks(deps, supervisors[i % supervisors.length], { limit: 100 }, ctx)).length);
}

async function onDriver(driver: 'postgres' | 'pglite', cases: number, registrations: number): Promise<void> {
  process.stdout.write(`# protection on ${driver}: ${cases} cases, ${registrations} registrations of each kind\n`);
  const scratch = await scratchDb(driver);
  try {
    const db = scratch.db;
    await loadPackIntoDb(db, pack);
    const deps = protectionDepsFor(db, systemClock, 'kz');
    await checkBulkMatchesUseCases(db, deps);
    await benchRegistration(db, driver, registrations);
    const t0 = performance.now();
    const seeded = await seedCases(db, cases, deps);
    report(`protection_${driver}_seed_cases_s`, round((performance.now() - t0) / 1000, 1));
    await benchLists(db, driver, cases, deps, seeded);
  } finally {
    await scratch.drop();
  }
}

export async function benchProtection(): Promise<void> {
  benchScreenPure();
  const registrations = size('PROTECTION_BENCH_REGISTRATIONS', small ? 50 : 300);
  if (await serverAvailable()) await onDriver('postgres', size('PROTECTION_BENCH_CASES', small ? 5_000 : 100_000), registrations);
  await onDriver('pglite', size('PROTECTION_BENCH_PGLITE_CASES', small ? 5_000 : 20_000), Math.min(registrations, 150));
}
