import { localDate } from '../core/dates.ts';
import { type Static, type TProperties, type TSchema, Type } from 'typebox';
import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, actorId, authorize, can } from '../access/policy.ts';
import { actorNames, findUser } from '../access/users.ts';
import type { Json } from '../core/action-log/hashing.ts';
import { appendAction, createRecord, findRecord, listActions, type RecordRow, type WriteResult } from '../core/action-log/record-store.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import { isWithin, significantPrefix } from '../places/hierarchy.ts';
import { type BidActionType, type BidPayload, bidPayloads, bidRecord, type BidState, ChildViews } from './bid-record.ts';
import { actorProblem, bidActionsFor, type BidRole, bidViewFor, type BidView, checkDecision, panelProblem, type Problem, seesBid, seesDeliberations } from './bid-rules.ts';
import { caseAccess } from './case-access.ts';
import { type CaseState, caseRecord } from './case-record.ts';
import { appendCaseAction, lockCase } from './cases.ts';
import type { ProtectionDeps } from './deps.ts';

/**
 * The best-interests determination's use cases, each one transaction: convene a panel for a case,
 * act on a determination (the panel's undertakings, the child's and the parents' views, the options
 * and their evidence, deliberation, votes, the decision, review and appeal), read one (audited), and
 * list those a reader sits on or supervises. The case hears of the convening, the decision and every
 * reopening through its own actions (BID_CONVENED, BID_DECIDED, BID_REOPENED), in the same transaction.
 */
export type BidRow = RecordRow<BidState & Json>;

export interface BidWrite {
  actor: Actor | undefined;
  idempotencyKey?: string;
  /** The version the caller last saw; a different current version is a 409 version_conflict. */
  expectedVersion?: number;
}

/** A determination as the reader may see it, with the actions they may take on it now. */
export interface BidResult {
  id: string;
  version: number;
  status: string;
  jurisdiction: string;
  bid: BidView;
  role: { member: boolean; signed: boolean; supervisor: boolean; caseWorker: boolean };
  allowedActions: BidActionType[];
}

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const UserRef = Type.String({ pattern: '^(user:)?[0-9a-fA-F-]{36}$', description: "a user's id, or their actor id user:<id>" });

export const ConveneBidInput = Type.Object(
  {
    question: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: "one of the pack's BID questions (durable_solution, separation_from_parents, alternative_care) or other" }),
    panel: Type.Array(Type.Object({ userId: UserRef, profession: Code }, { additionalProperties: false }), { minItems: 1, maxItems: 15 }),
  },
  { additionalProperties: false },
);
export type ConveneBidInput = Static<typeof ConveneBidInput>;

const expectedVersion = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you last saw; 409 version_conflict if it changed since' }));
const input = <T extends string, P extends TProperties = Record<never, never>>(type: T, properties?: P) => Type.Object({ type: Type.Literal(type), expectedVersion, ...(properties as P) }, { additionalProperties: false });

/** What a person sends to act on a determination (what the server works out, the dissent and the tally, is not among it). */
export const bidActionInputs = {
  SIGN_UNDERTAKING: input('SIGN_UNDERTAKING'),
  CHILD_VIEWS: input('CHILD_VIEWS', { childViews: ChildViews }),
  PARENT_VIEWS: input('PARENT_VIEWS', { who: Text(200), views: Text(4000) }),
  ADD_OPTION: input('ADD_OPTION', { option: Code, evidence: Text(4000) }),
  DELIBERATE: input('DELIBERATE', { note: Text(4000) }),
  VOTE: input('VOTE', { option: Code, reasons: Text(4000) }),
  DECIDE: input('DECIDE', { option: Code, reasons: Text(4000), reviewOn: bidPayloads.DECIDE.properties.reviewOn }),
  REVIEW: input('REVIEW', { outcome: bidPayloads.REVIEW.properties.outcome, reason: Text(4000), nextReviewOn: bidPayloads.REVIEW.properties.nextReviewOn }),
  APPEAL: input('APPEAL', { by: bidPayloads.APPEAL.properties.by, grounds: Text(4000) }),
  APPEAL_DECIDED: input('APPEAL_DECIDED', { outcome: bidPayloads.APPEAL_DECIDED.properties.outcome, reason: Text(4000) }),
} satisfies Record<string, TSchema>;
const i = bidActionInputs;
export const BidActionInput = Type.Union([i.SIGN_UNDERTAKING, i.CHILD_VIEWS, i.PARENT_VIEWS, i.ADD_OPTION, i.DELIBERATE, i.VOTE, i.DECIDE, i.REVIEW, i.APPEAL, i.APPEAL_DECIDED]);
export type BidActionInput = { [K in keyof typeof bidActionInputs]: Static<(typeof bidActionInputs)[K]> }[keyof typeof bidActionInputs];

const fail = (p: Problem): never => {
  throw new AppError(p.code, p.message, { field: p.field, ...(p.hint && { hint: p.hint }) });
};

const memberId = (ref: string) => (ref.startsWith('user:') ? ref : `user:${ref}`).toLowerCase();

/** Today where the registry is (the pack's time zone), as YYYY-MM-DD. */
function today(deps: ProtectionDeps): string {
  return localDate(deps.clock.now(), deps.timeZone);
}

async function findCase(db: Queryable, caseId: string): Promise<RecordRow<CaseState & Json> | undefined> {
  return findRecord<CaseState & Json>(db, caseId, { type: caseRecord.type });
}

/**
 * Who the actor is to the determination: a seat on its panel (while they hold a panel's scope over
 * its jurisdiction), and their access to its case (supervisor, worker, reader).
 */
async function roleOf(db: Queryable, actor: Actor | undefined, bid: BidRow): Promise<BidRole> {
  const me = actor && actor.kind === 'user' ? actorId(actor) : null;
  const seat = me ? (bid.data.panel.find((m) => m.member === me) ?? null) : null;
  const target = { jurisdiction: bid.jurisdiction };
  const sits = seat !== null && (can(actor, 'protection.bid.decide', target).allowed || can(actor, 'protection.case.read', target).allowed);
  const found = await findCase(db, bid.data.caseId);
  const access = found ? caseAccess(actor, found.data) : 'none';
  return { member: sits ? seat : null, supervise: access === 'supervise', work: access === 'work', read: access === 'read' };
}

function resultOf(bid: BidRow, role: BidRole): BidResult {
  return {
    id: bid.id,
    version: bid.version,
    status: bid.status,
    jurisdiction: bid.jurisdiction,
    bid: bidViewFor(bid.data, role),
    role: { member: role.member !== null, signed: role.member?.signedAt != null, supervisor: role.supervise, caseWorker: role.work },
    allowedActions: bidActionsFor(bid.data.status, role),
  };
}

/**
 * Convenes a panel for a case (its owner or its supervisor): at least minPanel members of distinct
 * professions, each an active user whose jurisdiction covers the case's. The case records
 * BID_CONVENED in the same transaction.
 */
export async function conveneBid(deps: ProtectionDeps, caseId: string, body: ConveneBidInput, w: BidWrite): Promise<BidResult> {
  return deps.db.transaction(async (tx) => {
    const found = await lockCase(tx, caseId, w.actor, 'work');
    authorize(w.actor, 'protection.case.write');
    const access = caseAccess(w.actor, found.data);
    if (access !== 'supervise' && found.data.owner !== actorId(w.actor)) {
      throw new AppError('forbidden', "only the case's owner or its supervisor convenes a best-interests determination", { field: 'caseId' });
    }
    const { questions } = deps.settings.bid.mandatoryFor;
    if (body.question !== 'other' && !questions.includes(body.question)) {
      throw new AppError('validation_failed', `${body.question} is not a question a determination decides`, { field: 'question', hint: `one of ${[...questions, 'other'].join(', ')}` });
    }
    const panel = body.panel.map((s) => ({ member: memberId(s.userId), profession: s.profession }));
    const problem = panelProblem(panel, deps.settings.bid);
    if (problem) fail(problem);
    for (const [i, seat] of panel.entries()) {
      const user = await findUser(tx, seat.member.slice('user:'.length));
      if (!user || !user.active || (user.jurisdiction !== null && !isWithin(user.jurisdiction, found.jurisdiction))) {
        throw new AppError('validation_failed', 'no active user of the case’s jurisdiction with this id', { field: `panel[${i}].userId`, hint: 'name a user who works within the jurisdiction of the case' });
      }
    }
    const bidId = uuidv7(deps.clock.now().getTime());
    const payload: BidPayload = { type: 'CONVENE', caseId: found.id, jurisdiction: found.jurisdiction, question: body.question, panel };
    const actor = w.actor!;
    const result = await createRecord(tx, bidRecord, { type: 'CONVENE', recordId: bidId, actor: actorId(actor), officeId: officeOf(actor), payload: payload as unknown as Json, request: { caseId: found.id, ...body } as unknown as Json }, { clock: deps.clock, idempotencyKey: w.idempotencyKey });
    if (!result.replayed) await appendCaseAction(tx, deps, found.id, { type: 'BID_CONVENED', bidId: result.record.id, question: body.question }, actor);
    return resultOf(result.record, await roleOf(tx, w.actor, result.record));
  });
}

function officeOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.officeId : null;
}

/** The payload an input makes, after the rules that need the record (options, votes, the decision). */
function payloadFor(deps: ProtectionDeps, state: BidState, body: BidActionInput): BidPayload {
  switch (body.type) {
    case 'ADD_OPTION':
      if (!deps.settings.bid.options.includes(body.option)) {
        throw new AppError('validation_failed', `${body.option} is not an option a determination considers`, { field: 'option', hint: `one of ${deps.settings.bid.options.join(', ')}` });
      }
      if (state.options.some((o) => o.option === body.option)) throw new AppError('conflict', `${body.option} is among the options already`, { field: 'option' });
      return { type: 'ADD_OPTION', option: body.option, evidence: body.evidence };
    case 'VOTE':
      if (!state.options.some((o) => o.option === body.option)) {
        throw new AppError('conflict', `${body.option} is not among the options considered`, { field: 'option', hint: `vote for one of ${state.options.map((o) => o.option).join(', ') || '(none yet: add the options with their evidence first)'}` });
      }
      return { type: 'VOTE', option: body.option, reasons: body.reasons };
    case 'DECIDE': {
      if (body.reviewOn <= today(deps)) throw new AppError('validation_failed', 'the review date is not in the future', { field: 'reviewOn', hint: 'set the date the decision is to be reviewed' });
      const check = checkDecision(state, body.option, deps.settings.bid.minPanel);
      if (!check.ok) return fail(check.problem);
      return { type: 'DECIDE', option: body.option, reasons: body.reasons, reviewOn: body.reviewOn, dissent: check.dissent, tally: check.tally };
    }
    case 'REVIEW':
      if (body.nextReviewOn !== undefined && body.outcome === 'reopened') throw new AppError('validation_failed', 'a reopened determination has no next review date', { field: 'nextReviewOn' });
      return { type: 'REVIEW', outcome: body.outcome, reason: body.reason, ...(body.nextReviewOn !== undefined && { nextReviewOn: body.nextReviewOn }) };
    default: {
      const { expectedVersion: _, ...payload } = body;
      return payload as BidPayload;
    }
  }
}

/** A determination the actor may see, locked for the rest of the transaction; 404 otherwise. */
async function lockBid(tx: Tx, id: string, actor: Actor | undefined): Promise<{ bid: BidRow; role: BidRole }> {
  authorize(actor, 'protection.case.read');
  const bid = isUuid(id) ? await findRecord<BidState & Json>(tx, id, { type: bidRecord.type, lock: true }) : undefined;
  if (!bid) throw notFound();
  const role = await roleOf(tx, actor, bid);
  if (!seesBid(role)) throw notFound();
  return { bid, role };
}

/** One step of the procedure: who may take it, the status table, the rules, and the case's action when it decides or reopens. */
export async function actOnBid(deps: ProtectionDeps, id: string, body: BidActionInput, w: BidWrite): Promise<BidResult> {
  return deps.db.transaction(async (tx) => {
    const { bid, role } = await lockBid(tx, id, w.actor);
    const actor = w.actor!;
    const problem = actorProblem(body.type, role);
    if (problem) fail(problem);
    const payload = payloadFor(deps, bid.data, body);
    const { expectedVersion: _, ...request } = body;
    const result: WriteResult<BidState & Json> = await appendAction(
      tx,
      bidRecord,
      bid.id,
      { type: body.type, actor: actorId(actor), officeId: officeOf(actor), payload: payload as unknown as Json, request: request as unknown as Json },
      { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion: w.expectedVersion },
    );
    if (!result.replayed) {
      const caseId = bid.data.caseId;
      if (payload.type === 'DECIDE') await appendCaseAction(tx, deps, caseId, { type: 'BID_DECIDED', bidId: bid.id, option: payload.option }, actor);
      const reopened = (payload.type === 'REVIEW' && payload.outcome === 'reopened') || (payload.type === 'APPEAL_DECIDED' && payload.outcome === 'overturned');
      if (reopened) await appendCaseAction(tx, deps, caseId, { type: 'BID_REOPENED', bidId: bid.id }, actor);
    }
    return resultOf(result.record, await roleOf(tx, w.actor, result.record));
  });
}

/** Audits a refused read of an existing determination, then answers as for one that is not there (reads run outside a transaction, so the line stays). */
async function denied(db: Queryable, ctx: RequestContext, actor: Actor, id: string): Promise<never> {
  await audit(db, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: bidRecord.type, targetId: id, details: { scope: 'protection.case.read' } });
  throw notFound();
}

/** One determination for a reader who may see it (audited); 404, and an access_denied line, for anyone else. */
export async function readBid(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<BidResult> {
  const db = deps.db;
  authorize(actor, 'protection.case.read');
  const bid = isUuid(id) ? await findRecord<BidState & Json>(db, id, { type: bidRecord.type }) : undefined;
  if (!bid) throw notFound();
  const role = await roleOf(db, actor, bid);
  if (!seesBid(role)) return denied(db, ctx, actor, bid.id);
  await audit(db, ctx, { actor, event: 'protection_bid_read', outcome: 'success', targetType: bidRecord.type, targetId: bid.id, details: { view: seesDeliberations(role) ? 'full' : 'outcome' } });
  return resultOf(bid, role);
}

export interface BidStep {
  seq: number;
  type: string;
  actor: string;
  actorName: string | null;
  at: Date;
  payload: Json;
}

/** The history of a determination (audited); the case's workers get it without deliberations and votes. */
export async function bidHistory(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<BidStep[]> {
  const db = deps.db;
  authorize(actor, 'protection.case.read');
  const bid = isUuid(id) ? await findRecord<BidState & Json>(db, id, { type: bidRecord.type }) : undefined;
  if (!bid) throw notFound();
  const role = await roleOf(db, actor, bid);
  if (!seesBid(role)) return denied(db, ctx, actor, bid.id);
  const hidden = seesDeliberations(role) ? new Set<string>() : new Set(['DELIBERATE', 'VOTE']);
  const actions = (await listActions(db, bid.id)).filter((a) => !hidden.has(a.type));
  const names = await actorNames(db, actions.map((a) => a.actor));
  await audit(db, ctx, { actor, event: 'protection_bid_read', outcome: 'success', targetType: bidRecord.type, targetId: bid.id, details: { view: hidden.size ? 'history_outcome' : 'history' } });
  return actions.map((a) => ({ seq: a.recordSeq, type: a.type, actor: a.actor, actorName: names.get(a.actor) ?? null, at: a.at, payload: a.payload }));
}

/** The determinations of a case the reader may see (audited; 404 for a case they may not read). */
export async function bidsOfCase(deps: ProtectionDeps, caseId: string, actor: Actor | undefined, ctx: RequestContext): Promise<BidResult[]> {
  const db = deps.db;
  authorize(actor, 'protection.case.read');
  const found = isUuid(caseId) ? await findCase(db, caseId) : undefined;
  if (!found || caseAccess(actor, found.data) === 'none') {
    if (found) await audit(db, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: caseRecord.type, targetId: found.id, details: { scope: 'protection.case.read', view: 'bids' } });
    throw notFound();
  }
  const { rows } = await db.query<{ id: string }>('SELECT id FROM records WHERE type = $1 AND subject_id = $2 ORDER BY created_at, id', [bidRecord.type, found.id]);
  const results: BidResult[] = [];
  for (const { id } of rows) {
    const bid = (await findRecord<BidState & Json>(db, id, { type: bidRecord.type }))!;
    const role = await roleOf(db, actor, bid);
    if (seesBid(role)) results.push(resultOf(bid, role));
  }
  await audit(db, ctx, { actor, event: 'protection_case_bids_read', outcome: 'success', targetType: caseRecord.type, targetId: found.id, details: { count: results.length } });
  return results;
}

export interface BidSummary {
  id: string;
  caseId: string;
  jurisdiction: string;
  question: string;
  status: string;
  version: number;
  round: number;
  panelSize: number;
  signed: number;
  decision: string | null;
  reviewOn: string | null;
  /** Why the reader sees it: a seat on the panel, or supervision of the jurisdiction. */
  as: 'member' | 'supervisor';
  /** For a member: whether they signed the undertaking yet. */
  signedByMe: boolean | null;
  updatedAt: Date;
}

export interface BidQuery {
  status?: 'OPEN' | 'DECIDED' | 'APPEALED';
  limit: number;
  cursor?: string;
}

function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(date.getTime())) throw new AppError('validation_failed', 'the cursor is not one this list gave', { field: 'cursor', hint: 'start again without a cursor' });
  return { at: date, id };
}

/**
 * The determinations the reader sits on (as a member), and, for a supervisor, every one of their
 * jurisdiction; the latest changed first. A list names no child. Audited.
 */
export async function listBids(deps: ProtectionDeps, actor: Actor | undefined, query: BidQuery, ctx: RequestContext): Promise<{ items: BidSummary[]; nextCursor: string | null }> {
  authorize(actor, 'protection.case.read');
  const me = actor.kind === 'user' ? actorId(actor) : null;
  const supervises = actor.kind === 'system' || actor.scopes.has('protection.case.supervise');
  const within = actor.kind === 'system' || actor.jurisdiction === null ? '' : significantPrefix(actor.jurisdiction);
  const after = parseCursor(query.cursor);
  const { rows } = await deps.db.query<{ id: string; version: number; status: string; jurisdiction: string; data: BidState; updatedAt: Date }>(
    `SELECT id, version, status, jurisdiction, data, updated_at AS "updatedAt" FROM records
     WHERE type = $1 AND ($2::text IS NULL OR status = $2)
       AND (($3::jsonb IS NOT NULL AND data->'panel' @> $3::jsonb) OR ($4::boolean AND jurisdiction LIKE $5 || '%'))
       AND ($6::timestamptz IS NULL OR (updated_at, id) < ($6, $7::uuid))
     ORDER BY updated_at DESC, id DESC LIMIT $8`,
    [bidRecord.type, query.status ?? null, me ? JSON.stringify([{ member: me }]) : null, supervises, within, after?.at ?? null, after?.id ?? null, query.limit],
  );
  const items = rows.map((r): BidSummary => {
    const seat = r.data.panel.find((m) => m.member === me);
    return {
      id: r.id,
      caseId: r.data.caseId,
      jurisdiction: r.jurisdiction,
      question: r.data.question,
      status: r.status,
      version: r.version,
      round: r.data.round,
      panelSize: r.data.panel.length,
      signed: r.data.panel.filter((m) => m.signedAt !== null).length,
      decision: r.data.decision?.option ?? null,
      reviewOn: r.data.reviewOn,
      as: seat ? 'member' : 'supervisor',
      signedByMe: seat ? seat.signedAt !== null : null,
      updatedAt: r.updatedAt,
    };
  });
  await audit(deps.db, ctx, { actor, event: 'protection_bids_listed', outcome: 'success', details: { count: items.length } });
  const last = items.at(-1);
  return { items, nextCursor: last && items.length === query.limit ? Buffer.from(`${last.updatedAt.toISOString()}|${last.id}`).toString('base64url') : null };
}

/**
 * For the supervisor's dashboard: how many determinations of a jurisdiction (a KATO prefix; '' for
 * the whole country) stand decided for each option (a decision under appeal still counts). An aggregate, no rows loaded.
 */
export async function bidOutcomeCounts(db: Queryable, within: string): Promise<{ option: string; count: number }[]> {
  const { rows } = await db.query<{ option: string; count: number }>(
    `SELECT data->'decision'->>'option' AS option, count(*)::int AS count FROM records
     WHERE type = $1 AND status IN ('DECIDED', 'APPEALED') AND jurisdiction LIKE $2::text || '%' AND data->'decision'->>'option' IS NOT NULL
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    [bidRecord.type, within],
  );
  return rows;
}
