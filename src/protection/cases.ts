import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, actorId, authorize } from '../access/policy.ts';
import { actorNames, findUser } from '../access/users.ts';
import type { Json } from '../core/action-log/hashing.ts';
import { assertAllowed, checkPayload, type StoredAction } from '../core/action-log/record-definition.ts';
import { appendAction, createRecord, findIdempotentAction, findRecord, listActions } from '../core/action-log/record-store.ts';
import { addDays, localDate } from '../core/dates.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import { appendEvent } from '../core/jobs/events.ts';
import { enqueue } from '../core/jobs/outbox.ts';
import type { JobHandler } from '../core/jobs/worker.ts';
import { isWithin, significantPrefix } from '../places/hierarchy.ts';
import { type CaseAccess, caseAccess, atLeast, allowedCaseActions, caseActionNeeds, isPersonAction, mayTake } from './case-access.ts';
import { type CaseRow, indexCasePeople, peopleKey, syncCaseIndex } from './case-index.ts';
import type { CaseActionInput, OpenCaseInput } from './case-inputs.ts';
import { type CasePayload, type CaseState, caseRecord, checkCaseAction, type ModuleCasePayload, moduleActions, pendingTransfer } from './case-record.ts';
import { activeConsent } from './consent.ts';
import type { ProtectionDeps } from './deps.ts';
import { acknowledgeReferrals, findReferral, recordFirstContact, type Referral, takeReferral } from './referrals.ts';
import { deadlineOf } from './screening.ts';

export type { CaseRow } from './case-index.ts';
export { caseAccess } from './case-access.ts';
export { caseRecord, type CaseState } from './case-record.ts';

/**
 * Child protection case management: each use case is one transaction (permission, need to know,
 * the stage's transition table, the rules, the action, the lookups and side effects). Every read
 * of a case is audited, and every refused attempt on an existing one is audited as access_denied
 * and answered 404, byte for byte as for a case that does not exist.
 */
export interface CaseWrite {
  actor: Actor | undefined;
  idempotencyKey?: string;
  expectedVersion?: number;
  reason?: string;
}

export const agencyReferralJob = 'protection.agency_referral';

function officeOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.officeId : null;
}


async function findCase(db: Queryable, id: string, lock = false): Promise<CaseRow | undefined> {
  return isUuid(id) ? findRecord<CaseState & Json>(db, id, { type: caseRecord.type, lock }) : undefined;
}

/**
 * A case the actor may reach with at least `need` access, locked for the rest of the caller's
 * transaction; 404 otherwise (also for one that does not exist). For the BID and tracing use cases.
 */
export async function lockCase(tx: Tx, id: string, actor: Actor | undefined, need: CaseAccess): Promise<CaseRow> {
  authorize(actor, 'protection.case.read');
  const row = await findCase(tx, id, true);
  if (!row || !atLeast(caseAccess(actor, row.data), need) || need === 'none') throw notFound();
  return row;
}

/** What a case changes besides itself: the lookups, the people index, the event. Skipped for a replayed retry. */
async function afterWrite(tx: Tx, deps: ProtectionDeps, before: CaseRow | undefined, row: CaseRow, type: string): Promise<void> {
  await syncCaseIndex(tx, row);
  if (!before || peopleKey(before.data, before.jurisdiction) !== peopleKey(row.data, row.jurisdiction)) {
    await indexCasePeople(tx, row, localDate(deps.clock.now(), deps.timeZone));
  }
  await appendEvent(tx, { kind: 'protection.case_action', payload: { caseId: row.id, type, version: row.version, stage: row.status } }, deps.clock);
}

function childWithDefaults(child: Partial<CaseState['child']> | undefined): CaseState['child'] {
  return { languages: [], identityAsStated: false, ...child } as CaseState['child'];
}

/**
 * Opens a case: from an open referral of the worker's jurisdiction (the case takes its jurisdiction,
 * risk and deadline, and acknowledges it), or for an unaccompanied or separated child with no
 * referral. The opener owns it; first contact is a task due at the referral's deadline (or now +
 * the pack's deadline for the risk).
 */
export async function openCase(deps: ProtectionDeps, input: OpenCaseInput, w: CaseWrite): Promise<CaseRow> {
  return deps.db.transaction(async (tx) => {
    authorize(w.actor, 'protection.case.write');
    const actor = w.actor;
    const me = actorId(actor);
    const options = { clock: deps.clock, idempotencyKey: w.idempotencyKey };
    const request = input as unknown as Json;
    // A retry: answered from its key before the referral (acknowledged by then) is looked at again.
    if (await findIdempotentAction(tx, me, w.idempotencyKey)) {
      return (await createRecord(tx, caseRecord, { type: 'OPEN', actor: me, officeId: officeOf(actor), payload: {}, request }, options)).record;
    }
    const now = deps.clock.now();
    let referral: Referral | undefined;
    let payload: Extract<CasePayload, { type: 'OPEN' }>;
    if ('referralId' in input) {
      referral = await takeReferral(tx, actor, input.referralId);
      payload = {
        type: 'OPEN',
        kind: 'birth_referral',
        jurisdiction: referral.jurisdiction,
        officeId: officeOf(actor),
        risk: referral.risk,
        child: childWithDefaults(input.child),
        separation: null,
        referralIds: [referral.id],
        birthRecordId: referral.recordId,
        firstContact: { taskId: uuidv7(now.getTime()), dueAt: referral.dueAt.toISOString() },
      };
    } else {
      const jurisdiction = input.jurisdiction ?? (actor.kind === 'user' ? actor.jurisdiction : null);
      if (!jurisdiction) throw new AppError('validation_failed', 'say where the case belongs: your account covers the whole country', { field: 'jurisdiction', hint: 'a KATO code' });
      authorize(actor, 'protection.case.write', { jurisdiction });
      if (input.birthRecordId && !(await findRecord(tx, input.birthRecordId, { type: 'birth' }))) throw notFound('birthRecordId');
      payload = {
        type: 'OPEN',
        kind: input.kind,
        jurisdiction,
        officeId: officeOf(actor),
        risk: input.risk,
        child: input.child,
        separation: input.separation ?? null,
        referralIds: [],
        birthRecordId: input.birthRecordId ?? null,
        firstContact: { taskId: uuidv7(now.getTime()), dueAt: deadlineOf(now, input.risk, deps.settings).toISOString() },
      };
    }
    const result = await createRecord(tx, caseRecord, { type: 'OPEN', actor: me, officeId: officeOf(actor), payload: payload as unknown as Json, request }, options);
    if (result.replayed) return result.record;
    if (referral) await acknowledgeReferrals(tx, [referral.id], result.record.id, me, now);
    await afterWrite(tx, deps, undefined, result.record, 'OPEN');
    return result.record;
  });
}

export interface CaseView {
  row: CaseRow;
  access: CaseAccess;
  allowedActions: string[];
  referrals: Referral[];
}

/** Audits a refused attempt on an existing case (in a transaction that commits). */
async function denied(tx: Queryable, ctx: RequestContext, actor: Actor | undefined, row: CaseRow, scope: string, details: Record<string, Json> = {}): Promise<void> {
  await audit(tx, ctx, { actor: actor ?? { kind: 'anonymous', id: null }, event: 'access_denied', outcome: 'denied', targetType: caseRecord.type, targetId: row.id, details: { scope, ...details } });
}

/** A case, for someone who needs to know (404 otherwise); audited either way. */
export async function readCase(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<CaseView> {
  authorize(actor, 'protection.case.read');
  const view = await deps.db.transaction(async (tx) => {
    const row = await findCase(tx, id);
    if (!row) return undefined;
    const access = caseAccess(actor, row.data);
    if (access === 'none') {
      await denied(tx, ctx, actor, row, 'protection.case.read');
      return undefined;
    }
    await audit(tx, ctx, { actor, event: 'protection_case_read', outcome: 'success', targetType: caseRecord.type, targetId: row.id, details: { access } });
    const referrals = (await Promise.all(row.data.referralIds.map((r) => findReferral(tx, r)))).filter((r): r is Referral => r !== undefined);
    return { row, access, allowedActions: allowedCaseActions(actor, row.data), referrals };
  });
  if (!view) throw notFound();
  return view;
}

export interface TimelineEntry extends StoredAction {
  actorName: string | null;
}

/** A case's history, each action with the name of who took it; audited like a read. */
export async function caseTimeline(deps: ProtectionDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<TimelineEntry[]> {
  authorize(actor, 'protection.case.read');
  const actions = await deps.db.transaction(async (tx) => {
    const row = await findCase(tx, id);
    if (!row) return undefined;
    if (caseAccess(actor, row.data) === 'none') {
      await denied(tx, ctx, actor, row, 'protection.case.read', { view: 'history' });
      return undefined;
    }
    await audit(tx, ctx, { actor, event: 'protection_case_read', outcome: 'success', targetType: caseRecord.type, targetId: row.id, details: { view: 'history' } });
    return listActions(tx, row.id);
  });
  if (!actions) throw notFound();
  const names = await actorNames(deps.db, actions.map((a) => a.actor));
  return actions.map((a) => ({ ...a, actorName: names.get(a.actor) ?? null }));
}

const asActorRef = (user: string) => (user.startsWith('user:') ? user : `user:${user}`);

/** A person the case is assigned or transferred to: an active account whose jurisdiction covers the case's (or the target's). */
async function checkColleague(tx: Tx, ref: string, jurisdiction: string, field: string): Promise<void> {
  const user = await findUser(tx, ref.slice('user:'.length));
  if (!user || !user.active) throw new AppError('validation_failed', 'no active user with this id', { field });
  if (user.jurisdiction !== null && !isWithin(user.jurisdiction, jurisdiction)) {
    throw new AppError('validation_failed', 'that user works outside the case’s jurisdiction', { field, hint: 'transfer the case to their office instead' });
  }
}

/** The stored payload for what a person sent: the ids the server makes, the defaults, and the checks that need the pack or the database. */
async function payloadOf(tx: Tx, deps: ProtectionDeps, row: CaseRow, input: CaseActionInput, actor: Actor): Promise<CasePayload> {
  const { expectedVersion: _v, reason: _r, ...fields } = input;
  const now = deps.clock.now();
  const id = () => uuidv7(now.getTime());
  const agencies = deps.settings.agencies.map((a) => a.id);
  const knownAgency = (agency: string, field: string) => {
    if (!agencies.includes(agency)) throw new AppError('validation_failed', `the pack knows no agency ${agency}`, { field, hint: `one of: ${agencies.join(', ')}` });
  };
  const s = row.data;
  switch (fields.type) {
    case 'CONTACT':
      return { ...fields, at: fields.at ?? now.toISOString() };
    case 'ASSIGN':
    case 'UNASSIGN': {
      const userId = asActorRef(fields.userId);
      if (fields.type === 'ASSIGN') await checkColleague(tx, userId, row.jurisdiction, 'userId');
      return { type: fields.type, userId };
    }
    case 'ASSESS':
      return { ...fields, assessmentId: id() };
    case 'PLAN':
      fields.services.forEach((svc, i) => knownAgency(svc.agency, `services[${i}].agency`));
      return { ...fields, services: fields.services.map((svc) => ({ ...svc, id: id() })), reviewOn: fields.reviewOn ?? addDays(localDate(now, deps.timeZone), deps.settings.planReviewDays) };
    case 'APPROVE_PLAN':
      return { type: 'APPROVE_PLAN', reviewTaskId: id() };
    case 'REFER_SERVICE':
      knownAgency(fields.agency, 'agency');
      return { ...fields, serviceId: id(), consentId: activeConsent(s.consents, 'sharing', fields.agency)?.id ?? 'none' };
    case 'ADD_TASK': {
      const assignee = asActorRef(fields.assignee ?? actorId(actor));
      if (assignee !== s.owner && !s.workers.includes(assignee)) throw new AppError('validation_failed', 'a task goes to someone who works on the case', { field: 'assignee', hint: 'assign them to the case first' });
      return { ...fields, taskId: id(), kind: fields.kind ?? 'other', assignee };
    }
    case 'NOTE':
      return { ...fields, noteId: id() };
    case 'DOCUMENT':
      return { ...fields, documentId: id() };
    case 'GIVE_CONSENT':
      if (!deps.settings.consentPurposes.includes(fields.purpose)) {
        throw new AppError('validation_failed', `the pack knows no consent purpose ${fields.purpose}`, { field: 'purpose', hint: `one of: ${deps.settings.consentPurposes.join(', ')}` });
      }
      if (fields.purpose === 'sharing' && !fields.agency) throw new AppError('validation_failed', 'consent to share names the agency', { field: 'agency' });
      if (fields.agency) knownAgency(fields.agency, 'agency');
      return { ...fields, consentId: id(), agency: fields.agency ?? null };
    case 'TRANSFER': {
      const to = fields.to as { userId?: string; jurisdiction?: string; agency?: string };
      if (to.userId) {
        const userId = asActorRef(to.userId);
        await checkColleague(tx, userId, row.jurisdiction, 'to.userId');
        return { type: 'TRANSFER', transferId: id(), to: { userId } };
      }
      if (to.agency) knownAgency(to.agency, 'to.agency');
      return { type: 'TRANSFER', transferId: id(), to: fields.to };
    }
    case 'ACCEPT_TRANSFER':
      return { type: 'ACCEPT_TRANSFER', transferId: fields.transferId ?? pendingTransfer(s)?.id ?? uuidv7(0), officeId: pendingTransfer(s)?.to.agency ? s.officeId : officeOf(actor) };
    case 'REFUSE_TRANSFER':
      return { type: 'REFUSE_TRANSFER', transferId: fields.transferId ?? pendingTransfer(s)?.id ?? uuidv7(0) };
    case 'FOLLOW_UP':
      return { ...fields, taskId: id(), nextOn: fields.nextOn ?? addDays(localDate(now, deps.timeZone), deps.settings.followUpDays[s.risk]) };
    case 'LINK_BIRTH':
      if (!(await findRecord(tx, fields.birthRecordId, { type: 'birth' }))) throw notFound('birthRecordId');
      return fields;
    default:
      return fields as CasePayload;
  }
}

function versionConflict(expected: number, current: number): AppError {
  return new AppError('version_conflict', `the case changed since version ${expected}`, {
    field: 'expectedVersion',
    currentVersion: current,
    hint: 'reload the case, see what changed, and resolve it: nothing is overwritten',
  });
}

/** The side effects of an action, in its transaction. */
async function effects(tx: Tx, deps: ProtectionDeps, before: CaseRow, row: CaseRow, payload: CasePayload): Promise<void> {
  if (payload.type === 'CONTACT' && before.data.contactedAt === null) await recordFirstContact(tx, row.id, new Date(payload.at));
  if (payload.type === 'REFER_SERVICE') {
    await enqueue(tx, { kind: agencyReferralJob, payload: { caseId: row.id, serviceId: payload.serviceId, agency: payload.agency }, dedupeKey: `${agencyReferralJob}:${payload.serviceId}` }, deps.clock);
  }
}

/**
 * Acts on a case: need to know, the stage's transition table, the action's rules (checkCaseAction),
 * the version the caller last saw (never last-write-wins), then the action and what follows from it.
 */
export async function actOnCase(deps: ProtectionDeps, id: string, input: CaseActionInput, w: CaseWrite & { ctx?: RequestContext }): Promise<CaseRow> {
  authorize(w.actor, 'protection.case.write');
  const actor = w.actor;
  const ctx = w.ctx ?? { clock: deps.clock, clientAddress: null, requestId: null };
  if (!isPersonAction(input.type)) {
    throw new AppError('validation_failed', `${input.type} is recorded by its own procedure, not by hand`, { field: 'type', hint: 'use the BID or tracing endpoints' });
  }
  const reason = input.reason ?? w.reason ?? null;
  const expectedVersion = input.expectedVersion ?? w.expectedVersion;
  const result = await deps.db.transaction(async (tx) => {
    const row = await findCase(tx, id, true);
    if (!row) return undefined;
    if (caseAccess(actor, row.data) === 'none') {
      await denied(tx, ctx, actor, row, 'protection.case.write', { action: input.type });
      return undefined;
    }
    const me = actorId(actor);
    const { expectedVersion: _v, reason: _r, ...request } = input;
    const base = { type: input.type, actor: me, officeId: officeOf(actor), reason, request: request as unknown as Json };
    const options = { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion };
    // A retry is answered from its key, whatever has happened to the case since.
    if (await findIdempotentAction(tx, me, w.idempotencyKey)) return (await appendAction(tx, caseRecord, row.id, { ...base, payload: {} }, options)).record;
    if (expectedVersion !== undefined && expectedVersion !== row.version) throw versionConflict(expectedVersion, row.version);
    assertAllowed(caseRecord, row.status, input.type);
    if (!mayTake(actor, row.data, input.type)) {
      const need = caseActionNeeds[input.type];
      throw new AppError('forbidden', need === 'supervise' ? `${input.type} is the supervisor’s` : `${input.type} is not yours to take on this case`, {
        field: 'type',
        allowed: allowedCaseActions(actor, row.data),
        hint: need === 'supervise' ? 'ask a protection supervisor of the case’s jurisdiction' : 'ask the case’s owner to assign you',
      });
    }
    const payload = await payloadOf(tx, deps, row, input, actor);
    checkPayload(caseRecord, payload.type, payload as unknown as Json);
    checkCaseAction(row.data, payload, me, reason, { bidMandatoryKinds: deps.settings.bid.mandatoryFor.caseKinds });
    const written = await appendAction(tx, caseRecord, row.id, { ...base, payload: payload as unknown as Json }, options);
    if (written.replayed) return written.record;
    await effects(tx, deps, row, written.record, payload);
    await afterWrite(tx, deps, row, written.record, payload.type);
    return written.record;
  });
  if (!result) throw notFound();
  return result;
}

/**
 * For the BID and tracing use cases: appends BID_CONVENED, BID_DECIDED, BID_REOPENED or REUNIFIED
 * to a case in the caller's transaction. The caller has decided who may (its own rules); the
 * case's stage and the action's rules are checked here.
 */
export async function appendCaseAction(tx: Tx, deps: ProtectionDeps, caseId: string, payload: ModuleCasePayload, actor: Actor, options: { idempotencyKey?: string; reason?: string } = {}): Promise<CaseRow> {
  if (!(moduleActions as readonly string[]).includes(payload.type)) throw new AppError('internal', `${payload.type} is not appended by another module`);
  const row = await findCase(tx, caseId, true);
  if (!row) throw notFound('caseId');
  const me = actorId(actor);
  assertAllowed(caseRecord, row.status, payload.type);
  checkPayload(caseRecord, payload.type, payload as unknown as Json);
  checkCaseAction(row.data, payload, me, options.reason ?? null, { bidMandatoryKinds: deps.settings.bid.mandatoryFor.caseKinds });
  const written = await appendAction(tx, caseRecord, row.id, { type: payload.type, actor: me, officeId: officeOf(actor), reason: options.reason ?? null, payload: payload as unknown as Json }, { clock: deps.clock, idempotencyKey: options.idempotencyKey });
  if (!written.replayed) await afterWrite(tx, deps, row, written.record, payload.type);
  return written.record;
}

/**
 * The job a referral to an agency puts in the outbox: at delivery the consent is checked again,
 * so a consent withdrawn in between stops the sharing. What goes to the agency is an event on the
 * stream naming ids only (the agency's connector reads the case through its own channel).
 */
export function agencyReferralHandler(deps: Pick<ProtectionDeps, 'db' | 'clock'>): JobHandler {
  return async (payload) => {
    const { caseId, serviceId, agency } = payload as { caseId: string; serviceId: string; agency: string };
    await deps.db.transaction(async (tx) => {
      const row = await findCase(tx, caseId);
      const service = row?.data.services.find((s) => s.id === serviceId);
      if (!row || !service) return;
      const consent = activeConsent(row.data.consents, 'sharing', agency);
      const shared = consent !== undefined && service.status === 'referred' && row.status !== 'CLOSED';
      await appendEvent(tx, { kind: shared ? 'protection.agency_referral_sent' : 'protection.agency_referral_withheld', payload: { caseId, serviceId, agency, ...(!shared && { why: consent ? 'service_not_pending' : 'consent_withdrawn' }) } }, deps.clock);
    });
  };
}

export interface CaseQuery {
  stage?: string;
  risk?: string;
  /** Cases with a pending transfer to the reader (or the reader's office) only. */
  incoming?: boolean;
  limit: number;
  cursor?: string;
}

export interface CaseListItem {
  id: string;
  stage: string;
  risk: string;
  kind: string;
  jurisdiction: string;
  version: number;
  openedAt: Date;
  updatedAt: Date;
  /** Whether the reader works on it; the child's names only then. */
  works: boolean;
  child: { surname: string | null; givenName: string | null } | null;
  openTasks: number;
  overdueTasks: number;
}

/**
 * Cases for a reader: those they own or work on; for a supervisor, every case of their
 * jurisdiction (names only on the cases they work on themselves); newest first, by cursor.
 */
export async function listCases(deps: ProtectionDeps, actor: Actor | undefined, query: CaseQuery, ctx: RequestContext): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
  authorize(actor, 'protection.case.read');
  if (query.cursor !== undefined && !isUuid(query.cursor)) throw new AppError('validation_failed', 'the cursor is not one this list gave', { field: 'cursor', hint: 'start again without a cursor' });
  const me = actorId(actor);
  const user = actor.kind === 'user' ? actor : undefined;
  const supervises = actor.kind === 'system' || (user !== undefined && user.scopes.has('protection.case.supervise'));
  const within = user?.jurisdiction ? significantPrefix(user.jurisdiction) : '';
  const now = deps.clock.now();
  const today = localDate(now, deps.timeZone);
  const params: unknown[] = [me, query.stage ?? null, query.risk ?? null, query.cursor ?? null, query.limit, now, today, within];
  let scope: string;
  if (query.incoming) scope = `(EXISTS (SELECT 1 FROM protection_case_members m WHERE m.case_id = c.id AND m.actor = $1::text AND m.role = 'recipient') OR (c.transfer_to LIKE $8::text || '%' AND ${user?.scopes.has('protection.case.write') ? 'true' : 'false'}))`;
  else if (supervises) scope = `c.jurisdiction LIKE $8::text || '%'`;
  else scope = `c.id IN (SELECT m.case_id FROM protection_case_members m WHERE m.actor = $1 AND m.role IN ('owner', 'worker'))`;
  const { rows } = await deps.db.query<CaseListItem & { names: { surname?: string; givenName?: string } | null }>(
    `SELECT c.id, c.stage, c.risk, c.kind, c.jurisdiction, r.version, c.opened_at AS "openedAt", c.updated_at AS "updatedAt",
            EXISTS (SELECT 1 FROM protection_case_members m WHERE m.case_id = c.id AND m.actor = $1 AND m.role IN ('owner', 'worker')) AS works,
            jsonb_build_object('surname', r.data->'child'->>'surname', 'givenName', r.data->'child'->>'givenName') AS names,
            (SELECT count(*)::int FROM protection_case_tasks t WHERE t.case_id = c.id) AS "openTasks",
            (SELECT count(*)::int FROM protection_case_tasks t WHERE t.case_id = c.id AND (t.due_at < $6::timestamptz OR t.due_on < $7::date)) AS "overdueTasks"
     FROM protection_cases c JOIN records r ON r.id = c.id
     WHERE ${scope} AND ($2::text IS NULL OR c.stage = $2) AND ($3::text IS NULL OR c.risk = $3) AND ($4::uuid IS NULL OR c.id < $4::uuid) AND $8::text IS NOT NULL
     ORDER BY c.id DESC LIMIT $5`,
    params,
  );
  // A supervisor's row of someone else's case, or an incoming transfer, shows no names.
  const items = rows.map(({ names, ...item }) => ({ ...item, child: item.works && names ? { surname: names.surname ?? null, givenName: names.givenName ?? null } : null }));
  await audit(deps.db, ctx, { actor, event: 'protection_cases_listed', outcome: 'success', details: { count: items.length } });
  return { items, nextCursor: items.length === query.limit ? items.at(-1)!.id : null };
}

/**
 * A case as its reader sees it right after acting on it: the state, the buttons and the referrals;
 * nothing but the id and version when the action took the reader off the case (a refused transfer).
 */
export async function caseAfterAction(db: Queryable, row: CaseRow, actor: Actor | undefined): Promise<CaseView | { row: CaseRow; access: 'none' }> {
  const access = caseAccess(actor, row.data);
  if (access === 'none') return { row, access };
  const referrals = (await Promise.all(row.data.referralIds.map((r) => findReferral(db, r)))).filter((r): r is Referral => r !== undefined);
  return { row, access, allowedActions: allowedCaseActions(actor, row.data), referrals };
}
