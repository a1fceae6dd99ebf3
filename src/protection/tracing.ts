import { localDate } from '../core/dates.ts';
import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, actorId, authorize, can } from '../access/policy.ts';
import type { Json } from '../core/action-log/hashing.ts';
import { allowedActions } from '../core/action-log/record-definition.ts';
import { appendAction, createRecord, findRecord, type RecordRow } from '../core/action-log/record-store.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { findBirthsByPersonNames, type PersonNameQuery } from '../linkage/people.ts';
import { queryTokens } from '../linkage/names.ts';
import { modelFromSettings } from '../linkage/scoring.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { appendCaseAction, lockCase } from './cases.ts';
import type { CaseAccess } from './case-access.ts';
import type { ProtectionDeps } from './deps.ts';
import { indexPeople, type PersonFacts, type PersonRole } from './people-index.ts';
import { birthRange, type Candidate, type CandidatePerson, rankCandidates, tracedOf, type TracingMatch, type TracingQuery } from './tracing-match.ts';
import { type Requester, type Sought, tracingConsentHolds, type TracingPayload, tracingRecord, type TracingState } from './tracing-record.ts';

/**
 * Family tracing use cases: a tracing request (with the family's tracing consent), its matches
 * against protection cases and other requests whose families consented, and against birth records
 * through record linkage; the case worker's review and the steps to reunification. Each is one
 * transaction; every read of a request is audited; a request is seen only by whoever needs to know:
 * the worker who recorded it, the workers assigned to it, and the protection supervisors whose
 * jurisdiction covers it. Everyone else gets the same 404 as for a request that does not exist.
 */
export type TracingRow = RecordRow<TracingState & Json>;

export interface TracingWrite {
  actor: Actor | undefined;
  idempotencyKey?: string;
  expectedVersion?: number;
}

export type TracingAccess = 'none' | 'work' | 'supervise';

/** Who needs to know (pure): the recorder and assigned workers work on it; a supervisor of its jurisdiction supervises. */
export function tracingAccess(actor: Actor | undefined, state: Pick<TracingState, 'createdBy' | 'workers' | 'jurisdiction'>): TracingAccess {
  if (!actor || !can(actor, 'protection.case.read').allowed) return 'none';
  if (actor.kind === 'system') return 'supervise';
  const me = actorId(actor);
  if (state.createdBy === me || state.workers.includes(me)) return 'work';
  return can(actor, 'protection.case.supervise', { jurisdiction: state.jurisdiction }).allowed ? 'supervise' : 'none';
}

/** The actions this reader may take now: the status allows them and the reader works on or supervises the request with protection.case.write. */
export function tracingActionsFor(actor: Actor | undefined, row: TracingRow): string[] {
  if (tracingAccess(actor, row.data) === 'none' || !can(actor, 'protection.case.write').allowed) return [];
  return allowedActions(tracingRecord, row.status).filter((a) => a !== 'REQUEST');
}

/** Today where the service is (the pack's time zone), YYYY-MM-DD. */
function today(deps: ProtectionDeps): string {
  return localDate(deps.clock.now(), deps.timeZone);
}

const officeOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.officeId : null);

/** The people a request names, as the people index keeps them (the sought's range worked out at the request). */
function peopleOf(state: Pick<TracingState, 'requester' | 'sought' | 'soughtRange'>): PersonFacts[] {
  const r = state.requester;
  const s = state.sought;
  const requester: PersonFacts = { role: 'requester', ...names(r) };
  const sought: PersonFacts = { role: 'sought', ...names(s) };
  if (s.sex) sought.sex = s.sex;
  if (s.dateOfBirth) sought.dateOfBirth = s.dateOfBirth;
  else if (state.soughtRange) Object.assign(sought, state.soughtRange);
  if (s.lastSeen?.place) sought.lastSeenPlace = s.lastSeen.place;
  return [requester, sought];
}

function names(p: { surname?: string; givenName?: string; patronymic?: string }): Pick<PersonFacts, 'surname' | 'givenName' | 'patronymic'> {
  return { ...(p.surname && { surname: p.surname }), ...(p.givenName && { givenName: p.givenName }), ...(p.patronymic && { patronymic: p.patronymic }) };
}

/** Whether tracing may match this request's people: consent holds and the family is not found or the request closed. */
const matchable = (state: TracingState): boolean => tracingConsentHolds(state) && state.status !== 'REUNIFIED' && state.status !== 'CLOSED';

async function reindex(tx: Tx, row: TracingRow): Promise<void> {
  await indexPeople(tx, { id: row.id, kind: 'tracing', jurisdiction: row.jurisdiction, tracingConsent: matchable(row.data), people: peopleOf(row.data) });
}

export interface NewTracingRequest {
  requester: Requester;
  sought: Sought;
  /** The family's tracing consent: required; without it nothing is recorded. */
  consent?: { givenBy: { name: string; relation: string } };
  /** The protection case of the child this request is about, if there is one. */
  caseId?: string;
  /** Where the request is handled (a KATO code); by default the recording worker's jurisdiction. */
  jurisdiction?: string;
}

const hasName = (p: { surname?: string; givenName?: string }) => queryTokens(`${p.surname ?? ''} ${p.givenName ?? ''}`).length > 0;

/** Records a tracing request: refused without the family's tracing consent or without a name of the one sought. */
export async function createTracingRequest(deps: ProtectionDeps, input: NewTracingRequest, w: TracingWrite): Promise<TracingRow> {
  authorize(w.actor, 'protection.case.write');
  const actor = w.actor;
  if (!input.consent) {
    throw new AppError('validation_failed', 'tracing needs the family’s consent to tracing', { field: 'consent', hint: 'record who gave consent to tracing (consent.givenBy {name, relation}); without it nothing is traced' });
  }
  if (!hasName(input.sought)) throw new AppError('validation_failed', 'give a name of the person sought', { field: 'sought.givenName', hint: 'a surname or a given name, in any script' });
  if (input.sought.dateOfBirth && input.sought.approximateAge) {
    throw new AppError('validation_failed', 'give the date of birth or an approximate age, not both', { field: 'sought.approximateAge' });
  }
  const jurisdiction = input.jurisdiction ?? (actor.kind === 'system' ? null : actor.jurisdiction);
  if (!jurisdiction) throw new AppError('validation_failed', 'say where the request is handled', { field: 'jurisdiction', hint: 'a KATO code of your jurisdiction' });
  authorize(actor, 'protection.case.write', { jurisdiction });
  const age = input.sought.approximateAge;
  const soughtRange = age ? birthRange(age.years, today(deps), age.margin ?? 1) : null;
  return deps.db.transaction(async (tx) => {
    if (input.caseId !== undefined) await linkedCase(tx, input.caseId, actor, 'read');
    const payload: TracingPayload = { type: 'REQUEST', jurisdiction, requester: input.requester, sought: input.sought, soughtRange, consent: input.consent!, caseId: input.caseId ?? null };
    const result = await createRecord(tx, tracingRecord, { type: 'REQUEST', actor: actorId(actor), officeId: officeOf(actor), payload: payload as unknown as Json }, { clock: deps.clock, idempotencyKey: w.idempotencyKey });
    if (!result.replayed) await reindex(tx, result.record);
    return result.record;
  });
}

async function deny(db: Queryable, ctx: RequestContext, actor: Actor, row: TracingRow): Promise<never> {
  await audit(db, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: 'tracing_request', targetId: row.id, details: { scope: 'protection.case.read' } });
  throw notFound();
}

/** A tracing request for one who needs to know (audited); 404 and an access_denied line for anyone else. */
export async function readTracing(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<{ row: TracingRow; access: Exclude<TracingAccess, 'none'> }> {
  authorize(actor, 'protection.case.read');
  // Not in a transaction: the refusal's audit line must stay when the 404 is thrown.
  const row = isUuid(id) ? await findRecord<TracingState & Json>(deps.db, id, { type: tracingRecord.type }) : undefined;
  if (!row) throw notFound();
  const access = tracingAccess(actor, row.data);
  if (access === 'none') return deny(deps.db, ctx, actor, row);
  await audit(deps.db, ctx, { actor, event: 'protection_tracing_read', outcome: 'success', targetType: 'tracing_request', targetId: row.id });
  return { row, access };
}

export interface TracingListQuery {
  status?: string;
  limit: number;
  cursor?: string;
}

export interface TracingListItem {
  id: string;
  status: string;
  jurisdiction: string;
  createdAt: string;
  createdBy: string;
  /** The sought person's and the requester's names: only for those who work on the request (null for a supervisor's view). */
  sought: { surname: string | null; givenName: string | null } | null;
  requester: { surname: string | null; givenName: string | null; relation: string } | null;
  confirmedMatches: number;
}

/**
 * The requests a reader works on (recorded or assigned), and for a supervisor all of the
 * jurisdiction; newest first, cursor-paginated. Names only for those who work on a request.
 */
export async function listTracing(deps: ProtectionDeps, actor: Actor | undefined, query: TracingListQuery, ctx: RequestContext): Promise<{ items: TracingListItem[]; nextCursor: string | null }> {
  authorize(actor, 'protection.case.read');
  const me = actor.kind === 'system' ? '' : actorId(actor);
  const supervises = can(actor, 'protection.case.supervise').allowed;
  const within = actor.kind === 'system' || actor.jurisdiction === null ? '' : significantPrefix(actor.jurisdiction);
  if (query.cursor !== undefined && !isUuid(query.cursor)) {
    throw new AppError('validation_failed', 'the cursor is not one this list gave', { field: 'cursor', hint: 'start again without a cursor' });
  }
  const { rows } = await deps.db.query<{ id: string; status: string; jurisdiction: string; data: TracingState }>(
    `SELECT id, status, jurisdiction, data FROM records
      WHERE type = 'tracing_request'
        AND (data->>'createdBy' = $1 OR data->'workers' ? $1 OR ($2::boolean AND jurisdiction LIKE $3 || '%'))
        AND ($4::text IS NULL OR status = $4) AND ($5::uuid IS NULL OR id < $5::uuid)
      ORDER BY id DESC LIMIT $6`,
    [me, supervises, within, query.status ?? null, query.cursor ?? null, query.limit],
  );
  const items = rows.map((r): TracingListItem => {
    const works = r.data.createdBy === me || r.data.workers.includes(me) || actor.kind === 'system';
    return {
      id: r.id,
      status: r.status,
      jurisdiction: r.jurisdiction,
      createdAt: r.data.createdAt,
      createdBy: r.data.createdBy,
      sought: works ? { surname: r.data.sought.surname ?? null, givenName: r.data.sought.givenName ?? null } : null,
      requester: works ? { surname: r.data.requester.surname ?? null, givenName: r.data.requester.givenName ?? null, relation: r.data.requester.relation } : null,
      confirmedMatches: r.data.matches.filter((m) => m.status === 'confirmed').length,
    };
  });
  await audit(deps.db, ctx, { actor, event: 'protection_tracing_listed', outcome: 'success', details: { count: items.length } });
  return { items, nextCursor: rows.length === query.limit ? rows.at(-1)!.id : null };
}

// ---------------------------------------------------------------------------------------------
// Matching.

/** The request as tracing-match compares it. */
export function queryOf(state: Pick<TracingState, 'requester' | 'sought' | 'soughtRange'>): TracingQuery {
  const [requester, sought] = peopleOf(state);
  return { requester: { ...tracedOf(requester!), relation: state.requester.relation }, sought: tracedOf(sought!) };
}

/** Candidates per source at most: enough for a common name, bounded for the 200 ms a match may take. */
const perSource = 200;

interface PeopleRow {
  subject_id: string;
  person: number;
  kind: 'case' | 'tracing';
  role: PersonRole;
  jurisdiction: string;
  facts: PersonFacts;
}

/**
 * Protection people whose names include every word of the sought's names, or every word of the
 * requester's, in subjects whose family consented to tracing (protection_people.consent), other
 * than the request itself: each subject with all its consenting people.
 */
async function protectionCandidates(db: Queryable, selfId: string, q: TracingQuery): Promise<Candidate[]> {
  const word: number[] = [];
  const group: number[] = [];
  const key: string[] = [];
  const sizes: number[] = [];
  for (const person of [q.sought, q.requester]) {
    const g = sizes.length;
    const tokens = queryTokens([person.surname, person.givenName].filter(Boolean).join(' ')).slice(0, 3);
    sizes.push(tokens.length);
    tokens.forEach((t, i) => {
      for (const k of t.phonetic) {
        word.push(g * 10 + i);
        group.push(g);
        key.push(k);
      }
    });
  }
  if (!key.length) return [];
  const { rows } = await db.query<PeopleRow>(
    `WITH q AS (SELECT * FROM unnest($1::int[], $2::int[], $3::text[]) AS q(word, grp, key)),
     hits AS (SELECT n.subject_id, n.person, q.grp, count(DISTINCT q.word) AS words
                FROM q JOIN protection_person_names n ON n.key = q.key
               WHERE n.subject_id <> $5::uuid
               GROUP BY n.subject_id, n.person, q.grp),
     subjects AS (SELECT DISTINCT h.subject_id FROM hits h JOIN protection_people p ON p.subject_id = h.subject_id AND p.person = h.person
                   WHERE p.consent AND h.words = ($4::int[])[h.grp + 1] LIMIT $6)
     SELECT p.subject_id, p.person, p.kind, p.role, p.jurisdiction, p.facts
       FROM protection_people p JOIN subjects s ON s.subject_id = p.subject_id
      WHERE p.consent
      ORDER BY p.subject_id, p.person`,
    [word, group, key, sizes, selfId, perSource],
  );
  const bySubject = new Map<string, Candidate>();
  for (const r of rows) {
    let c = bySubject.get(r.subject_id);
    if (!c) bySubject.set(r.subject_id, (c = { kind: r.kind, subjectId: r.subject_id, jurisdiction: r.jurisdiction, people: [] }));
    c.people.push({ ...tracedOf(r.facts), person: r.person, role: r.role });
  }
  return [...bySubject.values()];
}

/** Days either side of an exact date of birth given by a relative that a birth record may be off by. */
const statedDateSlackDays = 366;

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The births the request may concern, through record linkage: the sought as a child (or a parent), the requester as the parent (or the child) the relation says. */
async function birthCandidates(db: Queryable, q: TracingQuery): Promise<Candidate[]> {
  const s = q.sought;
  const r = q.requester;
  const range = s.dateOfBirth ? { childBornFrom: shiftDate(s.dateOfBirth, -statedDateSlackDays), childBornTo: shiftDate(s.dateOfBirth, statedDateSlackDays) } : { childBornFrom: s.bornFrom, childBornTo: s.bornTo };
  const queries: PersonNameQuery[] = [];
  const soughtNames = [s.surname, s.givenName];
  const requesterNames = [r.surname, r.givenName];
  if (r.relation === 'child') {
    // Looking for a parent: the requester's own birth, with the sought as its mother or father.
    queries.push({ role: 'child', names: requesterNames, limit: perSource });
    if (s.sex !== 'male') queries.push({ role: 'mother', names: soughtNames, limit: perSource });
    if (s.sex !== 'female') queries.push({ role: 'father', names: soughtNames, limit: perSource });
  } else {
    queries.push({ role: 'child', names: soughtNames, ...range, limit: perSource });
    if (r.relation === 'mother' || r.relation === 'father') queries.push({ role: r.relation, names: requesterNames, ...range, limit: perSource });
  }
  const births = await findBirthsByPersonNames(db, queries);
  return births.map((b): Candidate => {
    const people: CandidatePerson[] = [];
    const c = b.facts.child;
    people.push({ person: 1, role: 'child', ...names(c), ...(c.sex && { sex: c.sex }), dateOfBirth: c.dateOfBirth, place: b.facts.placeKato });
    if (b.facts.mother) people.push({ person: 2, role: 'mother', ...names(b.facts.mother), ...(b.facts.mother.dateOfBirth && { dateOfBirth: b.facts.mother.dateOfBirth }) });
    if (b.facts.father) people.push({ person: 3, role: 'father', ...names(b.facts.father), ...(b.facts.father.dateOfBirth && { dateOfBirth: b.facts.father.dateOfBirth }) });
    return { kind: 'birth', subjectId: b.recordId, jurisdiction: b.jurisdiction, people };
  });
}

/** Scores a request against every source (pure scoring, two indexed look-ups): no permission check, for the use cases and the benchmark. */
export async function matchRequest(deps: Pick<ProtectionDeps, 'linkage'>, db: Queryable, selfId: string, q: TracingQuery): Promise<TracingMatch[]> {
  // One after the other: inside a transaction both would queue on one connection anyway.
  const protection = await protectionCandidates(db, selfId, q);
  const births = await birthCandidates(db, q);
  return rankCandidates(q, [...protection, ...births], modelFromSettings(deps.linkage), deps.linkage.dateToleranceDays);
}

export interface MatchView extends TracingMatch {
  /** What a case worker decided about this match, if anything. */
  decision: 'confirmed' | 'rejected' | null;
}

/**
 * The request's matches, best first, each explained field by field (audited). Only while the
 * family's consent holds: a withdrawn consent stops matching at once (409). The other side's
 * consent is checked in the same query: a case or request whose consent was withdrawn is not there.
 */
export async function findMatches(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<MatchView[]> {
  const { row } = await readTracing(deps, id, actor, ctx);
  if (!tracingConsentHolds(row.data)) {
    throw new AppError('conflict', 'the family withdrew its consent to tracing: nothing is matched', { field: 'consent', hint: 'record a new tracing request if the family consents again' });
  }
  const matches = await matchRequest(deps, deps.db, row.id, queryOf(row.data));
  await audit(deps.db, ctx, { actor: actor!, event: 'protection_tracing_matched', outcome: 'success', targetType: 'tracing_request', targetId: row.id, details: { matches: matches.length } });
  return matches.map((m) => ({ ...m, decision: row.data.matches.find((d) => d.kind === m.kind && d.subjectId === m.subjectId)?.status ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Actions.

export type TracingAction =
  | { type: 'ASSIGN' | 'UNASSIGN'; userId: string }
  | { type: 'CONFIRM_MATCH'; kind: 'case' | 'tracing' | 'birth'; subjectId: string }
  | { type: 'REJECT_MATCH'; kind: 'case' | 'tracing' | 'birth'; subjectId: string; reason: string }
  | { type: 'CONTACT'; note: string }
  | { type: 'VERIFY_RELATIONSHIP'; method: string; outcome: string; note: string }
  | { type: 'ASSESS_FAMILY'; outcome: string; note: string }
  | { type: 'REUNIFY'; caseId?: string; on: string; note: string }
  | { type: 'NOT_REUNIFIED'; reason: string }
  | { type: 'WITHDRAW_CONSENT'; reason?: string }
  | { type: 'CLOSE'; reason: string };

/** A request the actor works on or supervises, with protection.case.write, locked; 404 for anyone else. */
async function lockTracing(tx: Tx, id: string, actor: Actor | undefined): Promise<TracingRow> {
  authorize(actor, 'protection.case.write');
  const row = isUuid(id) ? await findRecord<TracingState & Json>(tx, id, { type: tracingRecord.type, lock: true }) : undefined;
  if (!row || tracingAccess(actor, row.data) === 'none') throw notFound();
  return row;
}

/**
 * One action on a request, in one transaction. CONFIRM_MATCH takes only a current match (scored
 * again now: both families' consent must still hold) and records its score; WITHDRAW_CONSENT and
 * the ends (REUNIFY, CLOSE) take the request's people out of every other request's matches at once.
 */
export async function actOnTracing(deps: ProtectionDeps, id: string, action: TracingAction, w: TracingWrite): Promise<TracingRow> {
  return deps.db.transaction(async (tx) => {
    const row = await lockTracing(tx, id, w.actor);
    const actor = w.actor!;
    let payload: TracingPayload;
    let reason: string | null = null;
    switch (action.type) {
      case 'ASSIGN':
      case 'UNASSIGN':
        payload = { type: action.type, userId: action.userId };
        break;
      case 'CONFIRM_MATCH': {
        const current = row.status === 'OPEN' || row.status === 'MATCHED' || row.status === 'VERIFIED' || row.status === 'ASSESSED' ? await matchRequest(deps, tx, row.id, queryOf(row.data)) : [];
        const match = current.find((m) => m.kind === action.kind && m.subjectId === action.subjectId);
        if (!match && allowedActions(tracingRecord, row.status).includes('CONFIRM_MATCH')) {
          throw new AppError('conflict', 'that is not a current match of this request', { field: 'subjectId', hint: 'list the matches again: the other family may have withdrawn consent, or its names changed' });
        }
        payload = { type: 'CONFIRM_MATCH', kind: action.kind, subjectId: action.subjectId, ...(match && { person: match.sought.person }), score: match?.score ?? 0 };
        break;
      }
      case 'REJECT_MATCH':
        reason = requireText(action.reason, 'reason');
        payload = { type: 'REJECT_MATCH', kind: action.kind, subjectId: action.subjectId };
        break;
      case 'CONTACT':
        payload = { type: 'CONTACT', note: action.note };
        break;
      case 'VERIFY_RELATIONSHIP':
        payload = { type: 'VERIFY_RELATIONSHIP', method: action.method, outcome: action.outcome, note: action.note } as TracingPayload;
        break;
      case 'ASSESS_FAMILY':
        payload = { type: 'ASSESS_FAMILY', outcome: action.outcome, note: action.note } as TracingPayload;
        break;
      case 'REUNIFY': {
        const caseId = action.caseId ?? row.data.caseId;
        // The case the reunification is recorded on too: one the actor works on (404 otherwise).
        if (caseId !== null) await linkedCase(tx, caseId, actor, 'work');
        payload = { type: 'REUNIFY', caseId, on: action.on, note: action.note };
        if (action.on > today(deps)) throw new AppError('validation_failed', 'the reunification date is in the future', { field: 'on', hint: 'record the reunification once it has happened' });
        break;
      }
      case 'NOT_REUNIFIED':
        payload = { type: 'NOT_REUNIFIED', reason: action.reason };
        break;
      case 'WITHDRAW_CONSENT':
        reason = action.reason ?? null;
        payload = { type: 'WITHDRAW_CONSENT' };
        break;
      case 'CLOSE':
        payload = { type: 'CLOSE', reason: action.reason };
        break;
      default:
        throw new AppError('validation_failed', 'unknown action type', { field: 'type' });
    }
    const result = await appendAction(tx, tracingRecord, row.id, { type: payload.type, actor: actorId(actor), officeId: officeOf(actor), reason, payload: payload as unknown as Json }, { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion: w.expectedVersion });
    if (result.replayed) return result.record;
    if (matchable(row.data) !== matchable(result.record.data)) await reindex(tx, result.record);
    if (payload.type === 'REUNIFY' && payload.caseId !== null) {
      // The case records it too, in this transaction (cases.ts checks the case's own rules).
      await appendCaseAction(tx, deps, payload.caseId, { type: 'REUNIFIED', tracingId: row.id, on: payload.on, relation: row.data.requester.relation }, actor, {
        ...(w.idempotencyKey && { idempotencyKey: `${w.idempotencyKey}:case` }),
      });
    }
    return result.record;
  });
}

/** A protection case the actor reaches with at least `need` access (the cases module's need to know); 404 naming caseId otherwise. */
async function linkedCase(tx: Tx, caseId: string, actor: Actor, need: CaseAccess): Promise<void> {
  try {
    if (!isUuid(caseId)) throw notFound();
    await lockCase(tx, caseId, actor, need);
  } catch (error) {
    throw error instanceof AppError && error.code === 'not_found' ? notFound('caseId') : error;
  }
}

function requireText(text: string | undefined, field: string): string {
  if (!text?.trim()) throw new AppError('validation_failed', `say why (${field})`, { field, hint: 'a short reason the next reader will understand' });
  return text;
}
