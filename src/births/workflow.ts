import { type Actor, actorId, authorize } from '../access/policy.ts';
import type { RequestContext } from '../access/audit.ts';
import { readRecord } from '../access/records.ts';
import type { Scope } from '../access/scopes.ts';
import { appendAction, createRecord, findRecord, type RecordRow, type WriteResult } from '../core/action-log/record-store.ts';
import type { Json } from '../core/action-log/hashing.ts';
import type { Clock } from '../core/clock.ts';
import type { Db, Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { localDate } from '../core/dates.ts';
import { appendEvent } from '../core/jobs/events.ts';
import { findFacility, findPlace } from '../places/store.ts';
import { allocateActNumber, allocateIin } from './allocation.ts';
import { availableBirthActions } from './available-actions.ts';
import { allowedActions } from '../core/action-log/record-definition.ts';
import type { Declaration, Notification } from './declaration.ts';
import { notificationFromFhir } from './fhir-notification.ts';
import { type BirthPayload, type BirthState, birthRecord, heldDocuments, unconfirmedCorrectionFacts, unconfirmedFacts, type UnverifiedParentFact } from './record.ts';
import { loadPack } from '../places/pack.ts';
import { loadLinkageSettings, type LinkageSettings } from '../linkage/settings.ts';
import { loadProtectionSettings, type ProtectionSettings } from '../protection/settings.ts';
import { screenBirth } from './protection-screening.ts';
import { duplicateSuspected, flagSuspectedDuplicates, indexBirths } from './duplicates.ts';
import { type BirthRules, checkDeclaration, citizenshipAtBirth, missingDocuments, parseBirthRules, timelinessOf, unverifiedParentFacts } from './rules.ts';

/**
 * The birth registration use cases. Each is one transaction: permission (can, through authorize),
 * rules, allocation, the action, and the event (on the event stream) that tells the rest of the system.
 */
export interface BirthDeps {
  db: Db;
  clock: Clock;
  rules: BirthRules;
  timeZone: string;
  /** Record linkage's thresholds and blocking (the pack's linkage.json). */
  linkage: LinkageSettings;
  /** What screening flags for child protection (the pack's protection.json). */
  protection: ProtectionSettings;
}

export interface WriteContext {
  actor: Actor | undefined;
  idempotencyKey?: string;
  /** The version the caller last saw; a different current version is a 409. */
  expectedVersion?: number;
}

export type BirthRow = RecordRow<BirthState & Json>;

/** The births module's dependencies for a country pack. */
export function birthDepsFor(db: Db, clock: Clock, pack: string): BirthDeps {
  const settings = loadPack(pack).settings;
  return { db, clock, rules: parseBirthRules(settings), timeZone: settings.timeZone, linkage: loadLinkageSettings(pack), protection: loadProtectionSettings(pack) };
}

export { localDate };

export { actorId };

export function officeOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.officeId : null;
}

async function emit(tx: Tx, deps: BirthDeps, event: string, result: WriteResult<BirthState & Json>): Promise<void> {
  if (result.replayed) return;
  await appendEvent(tx, { kind: `birth.${event}`, payload: { recordId: result.record.id, status: result.record.status, version: result.record.version } }, deps.clock);
}

/** A birth record the actor may act on with `scope`, locked for the rest of the transaction; 404 otherwise. */
export async function lockBirth(tx: Tx, id: string, actor: Actor | undefined, scope: Scope, options: { anyHolder?: boolean } = {}): Promise<BirthRow> {
  const record = isUuid(id) ? await findRecord<BirthState & Json>(tx, id, { type: 'birth', lock: true }) : undefined;
  authorize(actor, scope, record ? { jurisdiction: record.jurisdiction, facilityId: record.data.facilityId } : undefined, { existing: true });
  if (!record) throw notFound();
  const holder = record.data.assignedTo;
  if (holder && holder !== actorId(actor) && !options.anyHolder) {
    throw new AppError('conflict', 'someone else is working on this record', {
      field: 'assignedTo',
      assignedTo: holder,
      hint: 'ask them to release it, or a registrar to take it over',
    });
  }
  return record;
}

/** Where a birth belongs: the facility's place, or the stated place, which must exist. */
async function placeOfBirth(db: Queryable, declaration: Declaration): Promise<{ kato: string; facilityId: string | null }> {
  const place = declaration.child.placeOfBirth;
  if (place.type === 'facility') {
    const facility = await findFacility(db, place.facilityId!);
    if (!facility) throw new AppError('validation_failed', `no health facility ${place.facilityId}`, { field: 'child.placeOfBirth.facilityId', hint: 'see GET /api/v1/facilities' });
    return { kato: facility.kato, facilityId: facility.id };
  }
  if (!place.kato) throw new AppError('validation_failed', 'a birth abroad is registered at the office of the parents’ residence: give its place code', { field: 'child.placeOfBirth.kato' });
  if (!(await findPlace(db, place.kato))) throw new AppError('validation_failed', `no place with KATO code ${place.kato}`, { field: 'child.placeOfBirth.kato', hint: 'search places with GET /api/v1/places?q=' });
  return { kato: place.kato, facilityId: null };
}

/** The actions `actor` may take on the birth now, as its buttons (see available-actions.ts). */
export function birthActionsFor(deps: BirthDeps, record: BirthRow, actor: Actor | undefined): string[] {
  const me = actor && actor.kind !== 'system' ? actorId(actor) : undefined;
  return availableBirthActions(record, actor, { me, today: localDate(deps.clock.now(), deps.timeZone), rules: deps.rules });
}

/** A birth record for a reader (audited, 404 outside the reader's jurisdiction or for another record type). */
export async function readBirth(deps: BirthDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<BirthRow> {
  const record = await readRecord(deps.db, actor, id, ctx);
  if (record.type !== birthRecord.type) throw notFound();
  return record as unknown as BirthRow;
}

/**
 * Finds a birth by the child's IIN, its act number or its reference (a legacy register's), for a
 * reader who may see it: one answer for missing and not yours, naming the field that was given.
 */
export async function lookupBirth(deps: BirthDeps, by: { iin?: string; number?: string; ref?: string }, actor: Actor | undefined, ctx: RequestContext): Promise<BirthRow> {
  authorize(actor, 'record.read');
  const given = (['iin', 'number', 'ref'] as const).filter((key) => by[key] !== undefined);
  if (given.length !== 1) {
    throw new AppError('validation_failed', 'give exactly one of iin, number or ref', { field: given[1] ?? 'iin', hint: 'e.g. ?iin=260228600015 or ?number=kz-rgo-71-01/2026/000123' });
  }
  const key = given[0]!;
  const column = { iin: 'subject_id', number: 'number', ref: 'ref' }[key];
  const { rows } = await deps.db.query<{ id: string }>(`SELECT id FROM records WHERE type = 'birth' AND ${column} = $1 ORDER BY created_at LIMIT 1`, [by[key]]);
  if (!rows[0]) throw notFound(key);
  try {
    return await readBirth(deps, rows[0].id, actor, ctx);
  } catch (error) {
    throw error instanceof AppError && error.code === 'not_found' ? notFound(key) : error;
  }
}

/** Unverified facts nobody has confirmed, as warnings: each names the field that was sent. */
export function warningsOf(record: BirthRow): string[] {
  return [...unconfirmedFacts(record.data), ...unconfirmedCorrectionFacts(record.data)].map((f) => `${f.field}: ${f.message}`);
}

/**
 * What a registrar must do before an act with unverified parent facts stands: confirm each, by
 * field (pure). Refuses a field with nothing to confirm, and answers 409 listing what is left.
 */
function requireConfirmed(unconfirmed: UnverifiedParentFact[], confirm: string[], act: string): void {
  const unknown = confirm.filter((field) => !unconfirmed.some((f) => f.field === field));
  if (unknown.length) throw new AppError('validation_failed', `nothing unverified to confirm at ${unknown.join(', ')}`, { field: 'confirm', unconfirmed, hint: 'list only the fields of unconfirmed facts' });
  const left = unconfirmed.filter((f) => !confirm.includes(f.field));
  if (left.length) {
    throw new AppError('conflict', `parent facts are unverified: confirm each before ${act}`, {
      field: 'confirm',
      unconfirmed: left,
      hint: `check each fact with the informant or the documents, then send again listing its field in confirm`,
    });
  }
}

/**
 * A FHIR birth Bundle from a facility. A facility's API client always notifies for its own
 * facility, whatever the Bundle names; others name it in `facilityId` or in the Bundle.
 */
export async function notifyBirthFromFhir(deps: BirthDeps, bundle: unknown, options: { facilityId?: string }, w: WriteContext): Promise<BirthRow> {
  const ownFacility = w.actor?.kind === 'client' ? w.actor.facilityId : null;
  return notifyBirth(deps, notificationFromFhir(bundle, { facilityId: ownFacility ?? options.facilityId }), w);
}

/**
 * A health facility (its API client or clerk) reports a birth: a NOTIFIED record to chase. A
 * mistyped or implausible fact about the mother is kept unverified, never refused.
 */
export async function notifyBirth(deps: BirthDeps, notification: Notification, w: WriteContext): Promise<BirthRow> {
  return deps.db.transaction(async (tx) => {
    const facility = await findFacility(tx, notification.facilityId);
    if (!facility) throw new AppError('validation_failed', `no health facility ${notification.facilityId}`, { field: 'facilityId', hint: 'see GET /api/v1/facilities' });
    authorize(w.actor, 'birth.notify', { jurisdiction: facility.kato, facilityId: facility.id });
    const today = localDate(deps.clock.now(), deps.timeZone);
    if (notification.child.dateOfBirth > today) throw new AppError('validation_failed', 'the date of birth is in the future', { field: 'child.dateOfBirth', hint: 'check the date' });
    if (notification.child.birthOrder > notification.child.plurality) {
      throw new AppError('validation_failed', 'birth order is more than the plurality', { field: 'child.birthOrder' });
    }
    const unverified = unverifiedParentFacts({ mother: notification.mother }, notification.child.dateOfBirth, deps.rules);
    const payload: BirthPayload = { type: 'NOTIFY', notification, jurisdiction: facility.kato, unverified };
    const result = await createRecord(tx, birthRecord, { type: 'NOTIFY', actor: actorId(w.actor), officeId: null, payload: payload as unknown as Json }, { clock: deps.clock, idempotencyKey: w.idempotencyKey });
    await emit(tx, deps, 'notified', result);
    if (!result.replayed) {
      await indexBirths(tx, [result.record], deps.clock.now());
      await screenBirth(tx, deps, result.record, 'notification');
    }
    return result.record;
  });
}

export interface DeclareResult {
  record: BirthRow;
  warnings: string[];
}

/** A declaration: a new record, or the full facts for a notified record or one sent back for update. */
export async function declareBirth(deps: BirthDeps, declaration: Declaration, w: WriteContext & { recordId?: string }): Promise<DeclareResult> {
  return deps.db.transaction(async (tx) => {
    const existing = w.recordId ? await lockBirth(tx, w.recordId, w.actor, 'birth.declare') : undefined;
    const today = localDate(deps.clock.now(), deps.timeZone);
    const unverified = checkDeclaration(declaration, today, deps.rules);
    const place = await placeOfBirth(tx, declaration);
    authorize(w.actor, 'birth.declare', { jurisdiction: place.kato });
    const timeliness = timelinessOf(declaration.child.dateOfBirth, today, deps.rules);
    const held = existing ? heldDocuments(existing.data) : [];
    const payload: BirthPayload = { type: 'DECLARE', declaration, jurisdiction: place.kato, missingDocuments: missingDocuments(declaration, timeliness, deps.rules, held), unverified };
    // What the server works out (missing documents, unverified facts) may change by a retry: the request is the declaration.
    const input = { type: 'DECLARE', actor: actorId(w.actor), officeId: officeOf(w.actor), payload: payload as unknown as Json, request: { type: 'DECLARE', declaration } as unknown as Json };
    const options = { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion: w.expectedVersion };
    const result = existing ? await appendAction(tx, birthRecord, existing.id, input, options) : await createRecord(tx, birthRecord, input, options);
    await emit(tx, deps, 'declared', result);
    if (result.replayed) return { record: result.record, warnings: warningsOf(result.record) };
    await indexBirths(tx, [result.record], deps.clock.now());
    await screenBirth(tx, deps, result.record, 'declaration');
    const record = await flagSuspectedDuplicates(tx, deps, result.record, { actor: w.actor }, 'declaration');
    return { record, warnings: warningsOf(record) };
  });
}

/** A simple state change with an optional or required reason (validate, send back, archive). */
async function change(deps: BirthDeps, id: string, type: 'VALIDATE' | 'REQUEST_UPDATE' | 'ARCHIVE', scope: Scope, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, scope);
    if (type !== 'VALIDATE') requireReason(w.reason);
    if (type === 'VALIDATE' && record.status === 'DECLARED' && record.data.missingDocuments.length) {
      throw new AppError('validation_failed', 'documents are still missing for this legal path', {
        field: 'declaration.documents',
        missing: record.data.missingDocuments,
        hint: 'upload one document of each listed kind, or record that you saw the original (POST …/evidence), then validate',
      });
    }
    return act(tx, deps, record, { type }, w, { VALIDATE: 'validated', REQUEST_UPDATE: 'update_requested', ARCHIVE: 'archived' }[type]);
  });
}

export const validateBirth = (deps: BirthDeps, id: string, w: WriteContext) => change(deps, id, 'VALIDATE', 'birth.validate', w);
export const requestBirthUpdate = (deps: BirthDeps, id: string, w: WriteContext & { reason?: string }) => change(deps, id, 'REQUEST_UPDATE', 'birth.validate', w);
export const archiveBirth = (deps: BirthDeps, id: string, w: WriteContext & { reason?: string }) => change(deps, id, 'ARCHIVE', 'birth.validate', w);

/** The action an existing record gets: one place for the version check and the idempotency key. */
export async function act(tx: Tx, deps: BirthDeps, record: BirthRow, payload: BirthPayload, w: WriteContext & { reason?: string }, event?: string): Promise<BirthRow> {
  return (await appendBirthAction(tx, deps, record, payload, w, { event })).record;
}

/**
 * As act, with the whole write result (`replayed` says a retry was answered from its key). `request`
 * is what the caller asked for when the payload also carries what the server made (a new id), so
 * that a retry of the same request is recognised.
 */
export async function appendBirthAction(
  tx: Tx,
  deps: BirthDeps,
  record: BirthRow,
  payload: BirthPayload,
  w: WriteContext & { reason?: string },
  options: { event?: string; request?: Json } = {},
): Promise<WriteResult<BirthState & Json>> {
  const result = await appendAction(
    tx,
    birthRecord,
    record.id,
    { type: payload.type, actor: actorId(w.actor!), officeId: officeOf(w.actor!), reason: w.reason ?? null, payload: payload as unknown as Json, request: options.request },
    { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion: w.expectedVersion },
  );
  if (options.event) await emit(tx, deps, options.event, result);
  return result;
}

function requireReason(reason: string | undefined): void {
  if (!reason?.trim()) throw new AppError('validation_failed', 'say why', { field: 'reason' });
}

/**
 * A correction to a registered birth: the full corrected declaration and why. Nothing changes
 * until someone with correction.approve approves it; every proposal stays in the record.
 */
export async function requestCorrection(deps: BirthDeps, id: string, proposed: Declaration, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  requireReason(w.reason);
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'birth.declare');
    const unverified = checkDeclaration(proposed, localDate(deps.clock.now(), deps.timeZone), deps.rules);
    const place = await placeOfBirth(tx, proposed);
    if (place.kato !== record.jurisdiction) {
      throw new AppError('validation_failed', 'a correction cannot move a birth to another place of registration', { field: 'child.placeOfBirth', hint: 'a wrong place of birth is corrected by a court decision' });
    }
    return act(tx, deps, record, { type: 'REQUEST_CORRECTION', proposed, unverified }, w, 'correction_requested');
  });
}

/**
 * Approves the pending correction; the citizenship at birth is worked out again from the corrected
 * facts, and each unverified parent fact of the correction must be confirmed, as at registration.
 */
export async function approveCorrection(deps: BirthDeps, id: string, w: WriteContext & { reason?: string; confirm?: string[] }): Promise<BirthRow> {
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'correction.approve');
    const pending = record.data.corrections.at(-1);
    const confirm = [...new Set(w.confirm ?? [])].sort();
    if (pending?.outcome === 'pending') requireConfirmed(unconfirmedCorrectionFacts(record.data), confirm, 'approving the correction');
    const citizenship = pending && pending.outcome === 'pending' ? citizenshipAtBirth(pending.proposed, deps.rules.citizenship) : citizenshipAtBirth(record.data.declaration!, deps.rules.citizenship);
    const corrected = await act(tx, deps, record, { type: 'APPROVE_CORRECTION', citizenship, ...(confirm.length && { confirmed: confirm }) }, w, 'corrected');
    await indexBirths(tx, [corrected], deps.clock.now());
    await screenBirth(tx, deps, corrected, 'correction');
    return corrected;
  });
}

export async function rejectCorrection(deps: BirthDeps, id: string, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  requireReason(w.reason);
  return deps.db.transaction(async (tx) => act(tx, deps, await lockBirth(tx, id, w.actor, 'correction.approve'), { type: 'REJECT_CORRECTION' }, w, 'correction_rejected'));
}

/** A registration made in error is revoked with a reason, never deleted; its IIN is never reissued. */
export async function revokeBirth(deps: BirthDeps, id: string, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  requireReason(w.reason);
  return deps.db.transaction(async (tx) => act(tx, deps, await lockBirth(tx, id, w.actor, 'correction.approve'), { type: 'REVOKE' }, w, 'revoked'));
}

/**
 * Takes a record to work on, or gives it up. A record someone else holds can be taken over or
 * released only by a registrar (birth.register); either is an action in the history like any other.
 */
async function changeHolder(deps: BirthDeps, id: string, type: 'ASSIGN' | 'UNASSIGN', w: WriteContext): Promise<BirthRow> {
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'birth.declare', { anyHolder: true });
    const me = actorId(w.actor!);
    const holder = record.data.assignedTo;
    if (holder && holder !== me) authorize(w.actor, 'birth.register', { jurisdiction: record.jurisdiction });
    const reason = holder && holder !== me ? `${type === 'ASSIGN' ? 'taken over' : 'released'} from ${holder}` : undefined;
    return act(tx, deps, record, type === 'ASSIGN' ? { type, userId: me } : { type }, { ...w, reason });
  });
}

export const assignBirth = (deps: BirthDeps, id: string, w: WriteContext) => changeHolder(deps, id, 'ASSIGN', w);
export const releaseBirth = (deps: BirthDeps, id: string, w: WriteContext) => changeHolder(deps, id, 'UNASSIGN', w);

/**
 * Registration: in one transaction, the act number of the registrar's office, the child's IIN,
 * the timeliness category and the citizenship at birth. A concurrent second registration waits for
 * the record lock and then finds the record registered (409); a retry with the same key replays.
 * A late or delayed registration needs a recorded approval first (when the pack says so), and
 * every unverified parent fact must be confirmed by naming its field in `confirm`.
 */
export async function registerBirth(deps: BirthDeps, id: string, w: WriteContext & { confirm?: string[] }): Promise<BirthRow> {
  const record = await deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'birth.register');
    // Waiting for a registrar's decision on a suspected duplicate (a retry of the registration that raised it answers the same).
    if (record.status === 'DUPLICATE_SUSPECTED') throw duplicateSuspected(record);
    const actor = w.actor!;
    const confirm = [...new Set(w.confirm ?? [])].sort();
    const input = { type: 'REGISTER', actor: actorId(actor), officeId: officeOf(actor), request: { type: 'REGISTER', confirm } };
    const options = { clock: deps.clock, idempotencyKey: w.idempotencyKey, expectedVersion: w.expectedVersion };
    if (record.status !== 'VALIDATED' || !record.data.declaration) {
      // Nothing to allocate: this is a retry (replayed from its key) or an action not allowed now (409).
      const result = await appendAction(tx, birthRecord, record.id, { ...input, payload: { type: 'REGISTER' } }, options);
      return result.record;
    }
    const declaration = record.data.declaration;
    const now = deps.clock.now();
    const today = localDate(now, deps.timeZone);
    checkDeclaration(declaration, today, deps.rules);
    const timeliness = timelinessOf(declaration.child.dateOfBirth, today, deps.rules);
    const missing = missingDocuments(declaration, timeliness, deps.rules, heldDocuments(record.data));
    if (missing.length) {
      throw new AppError('validation_failed', `a ${timeliness} registration needs more documents`, {
        field: 'declaration.documents',
        missing,
        hint: 'upload them or record that you saw the originals (POST …/evidence), or send the declaration back for update',
      });
    }
    if (timeliness !== 'current' && deps.rules.approvalNeeded.includes(timeliness) && record.data.approval?.timeliness !== timeliness) {
      const allowed = allowedActions(birthRecord, record.status).filter((a) => a !== 'REGISTER');
      throw new AppError('action_not_allowed', `a ${timeliness} registration needs a registrar's recorded approval first`, {
        currentStatus: record.status,
        action: 'REGISTER',
        allowed,
        needs: 'APPROVE_REGISTRATION',
        hint: 'record the approval and why (POST …/approve-registration with a reason), then register',
      });
    }
    requireConfirmed(unconfirmedFacts(record.data), confirm, 'registering');
    // Another office may have registered the same child since the declaration: look again, and stop if so.
    const flagged = await flagSuspectedDuplicates(tx, deps, record, { actor, expectedVersion: w.expectedVersion }, 'registration');
    if (flagged.status === 'DUPLICATE_SUSPECTED') return flagged;
    const officeId = officeOf(actor) ?? record.officeId;
    if (!officeId) throw new AppError('validation_failed', 'registration needs a registry office: your account has none', { field: 'officeId', hint: 'ask an administrator to set your office' });
    const registration = {
      number: await allocateActNumber(tx, officeId, Number(today.slice(0, 4))),
      iin: await allocateIin(tx, { dateOfBirth: declaration.child.dateOfBirth, sex: declaration.child.sex, recordId: record.id, at: now }, deps.rules.iin),
      officeId,
      registeredOn: today,
      timeliness,
      citizenship: citizenshipAtBirth(declaration, deps.rules.citizenship),
    };
    const payload: BirthPayload = { type: 'REGISTER', registration, ...(confirm.length && { confirmed: confirm }) };
    const result = await appendAction(tx, birthRecord, record.id, { ...input, payload: payload as unknown as Json }, options);
    await emit(tx, deps, 'registered', result);
    if (!result.replayed) {
      await indexBirths(tx, [result.record], now);
      await screenBirth(tx, deps, result.record, 'registration');
    }
    return result.record;
  });
  // Committed: the flag stands in the history, and the registrar is told why nothing was registered.
  if (record.status === 'DUPLICATE_SUSPECTED') throw duplicateSuspected(record);
  return record;
}

/**
 * A registrar approves a late or delayed registration, saying why: the approval the pack asks for
 * (registrarApproval), kept in the history with who and when, before the registration itself.
 */
export async function approveRegistration(deps: BirthDeps, id: string, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  requireReason(w.reason);
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'birth.register');
    const declaration = record.data.declaration;
    const timeliness = declaration ? timelinessOf(declaration.child.dateOfBirth, localDate(deps.clock.now(), deps.timeZone), deps.rules) : 'current';
    if (record.status === 'VALIDATED' && (timeliness === 'current' || !deps.rules.approvalNeeded.includes(timeliness))) {
      throw new AppError('conflict', `a ${timeliness} registration needs no approval`, { field: 'id', hint: 'register it' });
    }
    const payload: BirthPayload = { type: 'APPROVE_REGISTRATION', timeliness: timeliness === 'current' ? 'late' : timeliness };
    return (await appendBirthAction(tx, deps, record, payload, w, { event: 'registration_approved', request: { type: 'APPROVE_REGISTRATION' } })).record;
  });
}

/**
 * Someone checking the declaration records that they saw an original document (no upload): who
 * and when are the action's, the type is the pack's. It counts towards the path's evidence from now.
 */
export async function recordEvidenceSeen(deps: BirthDeps, id: string, document: { type: string; reference?: string }, w: WriteContext & { reason?: string }): Promise<BirthRow> {
  if (!deps.rules.documentTypes.includes(document.type)) {
    throw new AppError('validation_failed', `the pack knows no document type ${document.type}`, { field: 'type', hint: `one of: ${deps.rules.documentTypes.join(', ')}` });
  }
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, id, w.actor, 'birth.validate');
    const declaration = record.data.declaration;
    const held = [...heldDocuments(record.data), document.type];
    const missing = declaration
      ? missingDocuments(declaration, timelinessOf(declaration.child.dateOfBirth, localDate(deps.clock.now(), deps.timeZone), deps.rules), deps.rules, held)
      : record.data.missingDocuments;
    const seen = { type: document.type, reference: document.reference ?? null };
    // A retry is recognised by what was seen, not by what is missing now.
    const result = await appendBirthAction(tx, deps, record, { type: 'EVIDENCE_SEEN', document: seen, missingDocuments: missing }, w, { event: 'evidence_seen', request: { type: 'EVIDENCE_SEEN', document: seen } });
    return result.record;
  });
}
