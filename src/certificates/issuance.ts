import type { RequestContext } from '../access/audit.ts';
import { type Actor, authorize } from '../access/policy.ts';
import { actorNames } from '../access/users.ts';
import { type CertificateCollector, type CertificateKind, type BirthPayload, type BirthState, birthRecord, type IssuedCertificate } from '../births/record.ts';
import { actorId, appendBirthAction, type BirthDeps, type BirthRow, localDate, lockBirth, readBirth, type WriteContext } from '../births/workflow.ts';
import type { Json } from '../core/action-log/hashing.ts';
import { fold } from '../core/action-log/record-definition.ts';
import { findIdempotentAction, listActions } from '../core/action-log/record-store.ts';
import type { Config } from '../core/config.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { findOffice, findPlace } from '../places/store.ts';
import { loadPack, type Names } from '../places/pack.ts';
import { encodeBirthCwt } from './codec/claims.ts';
import { signCoseSign1 } from './codec/cose.ts';
import { wrapQrText } from './codec/qr-text.ts';
import { type CertificateFacts, certificateClaims, certificateFields } from './fields.ts';
import { currentSigner, signingKeyPassphrase } from './keys.ts';
import { renderCertificatePdf } from './pdf.ts';
import { certificateStatus, type CertificateStatus } from './status.ts';
import { loadCertificateTemplates } from './templates.ts';

/**
 * Issuing certificates: each issuance (a first certificate, a reprint, a certified copy, an extract)
 * is an ISSUE_CERTIFICATE action on the birth with its own printed-form serial, signed QR code and
 * status-list position, all in the one transaction of the action.
 */
export interface CertificateDeps {
  births: BirthDeps;
  pack: string;
  /** Where the public verification page is: the QR code links to it. */
  publicUrl: string;
  /** Opens the signing key (TIRKEU_SIGNING_KEY_PASSPHRASE). */
  passphrase: string | undefined;
  country: { code: string; name: Names };
}

export function certificateDepsFor(births: BirthDeps, config: Pick<Config, 'pack' | 'publicUrl' | 'signingKeyPassphrase' | 'demo'>): CertificateDeps {
  const settings = loadPack(config.pack).settings;
  const code = typeof settings.citizenshipAtBirth?.country === 'string' ? settings.citizenshipAtBirth.country : settings.code.toUpperCase();
  return { births, pack: config.pack, publicUrl: config.publicUrl, passphrase: signingKeyPassphrase(config), country: { code, name: settings.name } };
}

export interface IssueInput {
  kind: CertificateKind;
  delivery: 'in_person' | 'electronic';
  collector?: { name: string; relationship?: string | null; documentType: string; documentNumber: string } | null;
}

/** An issuance as the record page lists it. */
export interface Issuance {
  serial: string;
  kind: CertificateKind;
  issuedAt: string;
  issuedBy: string;
  officeId: string | null;
  delivery: 'in_person' | 'electronic';
  collector: CertificateCollector | null;
  status: CertificateStatus['state'];
  supersededOn: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

/** Printed-form serials per year ("KZ-2026-0000123") and status-list positions, drawn in the issuing transaction. */
async function nextCounter(tx: Tx, name: string): Promise<number> {
  const { rows } = await tx.query<{ last: string }>(
    `INSERT INTO certificate_counters (name, last) VALUES ($1, 1)
     ON CONFLICT (name) DO UPDATE SET last = certificate_counters.last + 1 RETURNING last`,
    [name],
  );
  return Number(rows[0]!.last);
}

export function formatSerial(country: string, year: string, n: number): string {
  return `${country}-${year}-${String(n).padStart(7, '0')}`;
}

const registeredStatuses = ['REGISTERED', 'CORRECTION_REQUESTED'];

function requireRegistered(record: BirthRow): void {
  if (!registeredStatuses.includes(record.status) || !record.data.registration) {
    throw new AppError('action_not_allowed', `a certificate is issued only for a registered birth; this one is ${record.status}`, {
      currentStatus: record.status,
      action: 'ISSUE_CERTIFICATE',
      allowed: [],
      hint: 'register the birth first',
    });
  }
}

function placeName(place: Awaited<ReturnType<typeof findPlace>>): Partial<Names> {
  if (!place) return {};
  // From the region down to the place: "Алматы облысы, Еңбекшіқазақ ауданы, Есік қ."
  const parts = [...place.path.filter((p) => p.kato !== place.kato).map((p) => p.name), place.name];
  return { kk: parts.map((n) => n.kk).join(', '), ru: parts.map((n) => n.ru).join(', '), en: parts.map((n) => n.en).join(', ') };
}

/** The facts a certificate states, as the record stood when it was issued (`state`). */
async function factsOf(
  db: Queryable,
  deps: CertificateDeps,
  state: BirthState,
  issue: { serial: string; kind: CertificateKind; issuedOn: string; actor: string; officeId: string | null },
): Promise<CertificateFacts> {
  const declaration = state.declaration!;
  const registration = state.registration!;
  // One after another: `db` may be a transaction, whose one connection takes a query at a time.
  const place = await findPlace(db, state.jurisdiction);
  const registeredAt = await findOffice(db, registration.officeId);
  const issuedAt = issue.officeId ? await findOffice(db, issue.officeId) : undefined;
  const names = await actorNames(db, [issue.actor]);
  const citizenship = { citizen: deps.country.code, not_citizen: '', undetermined: 'undetermined' }[registration.citizenship.result];
  const parent = (p: typeof declaration.mother) => (p ? { surname: p.surname, givenName: p.givenName, patronymic: p.patronymic, iin: p.iin, citizenship: p.citizenship } : null);
  return {
    serial: issue.serial,
    kind: issue.kind,
    issuedOn: issue.issuedOn,
    child: { ...declaration.child, iin: registration.iin, citizenship },
    mother: parent(declaration.mother),
    father: declaration.parentage === 'not_established' ? null : parent(declaration.father),
    placeOfBirth: { kato: state.jurisdiction, name: placeName(place) },
    registration: { number: registration.number, date: registration.registeredOn, office: registeredAt?.name ?? {} },
    issuingOffice: (issuedAt ?? registeredAt)?.name ?? {},
    registrarName: names.get(issue.actor) ?? '',
    country: deps.country,
  };
}

/**
 * The QR code's text: the verification page with the payload as its fragment (never sent to a
 * server). Base45's spaces are written %20 (also Base45 characters, so the QR stays alphanumeric):
 * a phone's camera would cut a link at a space; the decoder tries the spaces back.
 */
export function verifyLink(deps: Pick<CertificateDeps, 'publicUrl'>, payload: string): string {
  return `${deps.publicUrl}/verify#${payload.replaceAll(' ', '%20')}`;
}

function checkIssueInput(input: IssueInput): CertificateCollector | null {
  if (input.delivery === 'electronic') {
    if (input.collector) throw new AppError('validation_failed', 'an electronic issuance has no collector', { field: 'collector', hint: 'leave collector out, or choose in_person' });
    return null;
  }
  const c = input.collector;
  if (!c) {
    throw new AppError('validation_failed', 'say who collected the certificate and which identity document they showed', {
      field: 'collector',
      hint: 'give collector.name, collector.documentType and collector.documentNumber',
    });
  }
  for (const field of ['name', 'documentType', 'documentNumber'] as const) {
    if (!c[field]?.trim()) throw new AppError('validation_failed', `collector.${field} is empty`, { field: `collector.${field}` });
  }
  return { name: c.name.trim(), relationship: c.relationship?.trim() || null, documentType: c.documentType.trim(), documentNumber: c.documentNumber.trim() };
}

interface CertificateRow {
  serial: string;
  recordId: string;
  kind: CertificateKind;
  recordVersion: number;
  statusIndex: number;
  keyId: string;
  qrPayload: string;
  issuedAt: Date;
  revokedAt: Date | null;
}

const certificateSelect = `serial, record_id AS "recordId", kind, record_version AS "recordVersion", status_index::int AS "statusIndex",
  key_id AS "keyId", qr_payload AS "qrPayload", issued_at AS "issuedAt", revoked_at AS "revokedAt"`;

export async function findCertificate(db: Queryable, serial: string): Promise<CertificateRow | undefined> {
  const { rows } = await db.query<CertificateRow>(`SELECT ${certificateSelect} FROM certificates WHERE serial = $1`, [serial]);
  return rows[0];
}

/** The issuances of a record, newest first, each with its status now. */
async function issuancesOf(db: Queryable, timeZone: string, record: BirthRow): Promise<Issuance[]> {
  const issued = record.data.certificates ?? [];
  if (!issued.length) return [];
  const history = await listActions(db, record.id);
  const names = await actorNames(db, issued.map((c) => c.issuedBy));
  return issued
    .map((c): Issuance => {
      const status = certificateStatus({ recordVersion: c.recordVersion, revokedAt: c.revokedAt ? new Date(c.revokedAt) : null }, history, timeZone);
      return {
        serial: c.serial,
        kind: c.kind,
        issuedAt: c.issuedAt,
        issuedBy: names.get(c.issuedBy) ?? c.issuedBy,
        officeId: c.officeId,
        delivery: c.delivery,
        collector: c.collector,
        status: status.state,
        supersededOn: status.state === 'superseded' ? status.since : null,
        revokedAt: c.revokedAt,
        revocationReason: c.revocationReason,
      };
    })
    .reverse();
}

export async function listIssuances(deps: CertificateDeps, recordId: string, actor: Actor | undefined, ctx: RequestContext): Promise<Issuance[]> {
  const record = await readBirth(deps.births, recordId, actor, ctx);
  return issuancesOf(deps.births.db, deps.births.timeZone, record);
}

/**
 * Issues a certificate (or a reprint, a certified copy, an extract) of a registered birth: a new
 * serial, a QR code signed with the current key, and the issuance in the record's history with who
 * collected it. A retry with the same Idempotency-Key answers the first issuance and draws nothing.
 */
export async function issueCertificate(deps: CertificateDeps, recordId: string, input: IssueInput, w: WriteContext): Promise<{ issuance: Issuance; record: BirthRow }> {
  const collector = checkIssueInput(input);
  const { db, clock } = deps.births;
  const templates = loadCertificateTemplates(deps.pack);
  if (!templates[input.kind]) throw new AppError('validation_failed', `the country pack has no ${input.kind} template`, { field: 'kind' });
  const request = { type: 'ISSUE_CERTIFICATE', kind: input.kind, delivery: input.delivery, collector } as unknown as Json;
  const record = await db.transaction(async (tx) => {
    const locked = await lockBirth(tx, recordId, w.actor, 'certificate.issue', { anyHolder: true });
    const earlier = await findIdempotentAction(tx, actorId(w.actor!), w.idempotencyKey);
    if (!earlier) requireRegistered(locked);
    const signer = await currentSigner(tx, clock, deps.passphrase);
    const now = clock.now();
    const issuedOn = localDate(now, deps.births.timeZone);
    const serial = earlier ? (earlier.payload as { certificate: { serial: string } }).certificate.serial : formatSerial(deps.country.code, issuedOn.slice(0, 4), await nextCounter(tx, `serial:${issuedOn.slice(0, 4)}`));
    const payload: BirthPayload = { type: 'ISSUE_CERTIFICATE', certificate: { serial, kind: input.kind, delivery: input.delivery, collector, keyId: signer.kid } };
    const result = await appendBirthAction(tx, deps.births, locked, payload, w, { event: 'certificate_issued', request });
    if (result.replayed) return result.record;
    const actor = actorId(w.actor!);
    const facts = await factsOf(tx, deps, locked.data, { serial, kind: input.kind, issuedOn, actor, officeId: result.action.officeId });
    const cose = await signCoseSign1(encodeBirthCwt(certificateClaims(facts), now), signer.kidBytes, signer.privateKey);
    const qrPayload = wrapQrText(cose);
    // A certificate that cannot be printed (a name in a script the fonts lack) is refused here, not at the printer.
    await renderCertificatePdf(templates[input.kind], certificateFields(facts), { qrText: verifyLink(deps, qrPayload), preview: false, createdAt: now });
    await tx.query(
      `INSERT INTO certificates (serial, record_id, kind, record_version, status_index, key_id, qr_payload, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [serial, locked.id, input.kind, result.record.version, (await nextCounter(tx, 'status')) - 1, signer.kid, qrPayload, now],
    );
    return result.record;
  });
  const issued = await issuancesOf(db, deps.births.timeZone, record);
  const serial = record.data.certificates!.at(-1)!.serial;
  return { issuance: issued.find((i) => i.serial === serial)!, record };
}

/** A certificate as issued, for someone who may print it: the record as it stood then. */
async function readIssued(deps: CertificateDeps, serial: string, actor: Actor | undefined, ctx: RequestContext) {
  authorize(actor, 'certificate.issue');
  const row = await findCertificate(deps.births.db, serial);
  if (!row) throw notFound('serial');
  let record: BirthRow;
  try {
    record = await readBirth(deps.births, row.recordId, actor, ctx);
  } catch (error) {
    throw error instanceof AppError && error.code === 'not_found' ? notFound('serial') : error;
  }
  authorize(actor, 'certificate.issue', { jurisdiction: record.jurisdiction }, { existing: true });
  const actions = await listActions(deps.births.db, record.id);
  const state = fold(birthRecord, actions.slice(0, row.recordVersion)) as BirthState;
  const issue = state.certificates!.find((c) => c.serial === serial)!;
  return { row, record, state, issue, actions };
}

function issueFacts(deps: CertificateDeps, db: Queryable, state: BirthState, issue: IssuedCertificate) {
  return factsOf(db, deps, state, { serial: issue.serial, kind: issue.kind, issuedOn: localDate(new Date(issue.issuedAt), deps.births.timeZone), actor: issue.issuedBy, officeId: issue.officeId });
}

/** The PDF of an issued certificate, the same paper each time (reading it is audited). */
export async function issuedCertificatePdf(deps: CertificateDeps, serial: string, actor: Actor | undefined, ctx: RequestContext): Promise<Uint8Array> {
  const { row, state, issue } = await readIssued(deps, serial, actor, ctx);
  const fields = certificateFields(await issueFacts(deps, deps.births.db, state, issue));
  return renderCertificatePdf(loadCertificateTemplates(deps.pack)[issue.kind], fields, { qrText: verifyLink(deps, row.qrPayload), preview: false, createdAt: row.issuedAt });
}

/** What a certificate of the birth would look like now, marked as a preview, with no serial and no QR code. */
export async function previewCertificate(deps: CertificateDeps, recordId: string, kind: CertificateKind, actor: Actor | undefined, ctx: RequestContext): Promise<Uint8Array> {
  const record = await readBirth(deps.births, recordId, actor, ctx);
  authorize(actor, 'certificate.issue', { jurisdiction: record.jurisdiction }, { existing: true });
  requireRegistered(record);
  const template = loadCertificateTemplates(deps.pack)[kind];
  if (!template) throw new AppError('validation_failed', `the country pack has no ${kind} template`, { field: 'kind' });
  const me = actor && actor.kind !== 'system' ? actorId(actor) : 'system';
  const officeId = actor?.kind === 'user' ? actor.officeId : null;
  const facts = await factsOf(deps.births.db, deps, record.data, { serial: '', kind, issuedOn: localDate(deps.births.clock.now(), deps.births.timeZone), actor: me, officeId });
  return renderCertificatePdf(template, certificateFields(facts), { qrText: null, preview: true });
}

/** The signed facts of an issued certificate, for the verifiable-credential export. */
export async function issuedCertificateFacts(deps: CertificateDeps, serial: string, actor: Actor | undefined, ctx: RequestContext) {
  const { row, state, issue } = await readIssued(deps, serial, actor, ctx);
  return { row, facts: await issueFacts(deps, deps.births.db, state, issue), issuedAt: new Date(issue.issuedAt) };
}

/**
 * Revokes one certificate (lost, stolen, issued in error), saying why. The record stays registered;
 * verifiers see the certificate as revoked from now, and the status list says so.
 */
export async function revokeCertificate(deps: CertificateDeps, serial: string, w: WriteContext & { reason?: string }): Promise<Issuance> {
  if (!w.reason?.trim()) throw new AppError('validation_failed', 'say why the certificate is revoked', { field: 'reason' });
  const { db } = deps.births;
  const record = await db.transaction(async (tx) => {
    authorize(w.actor, 'certificate.issue');
    const row = await findCertificate(tx, serial);
    if (!row) throw notFound('serial');
    let locked: BirthRow;
    try {
      locked = await lockBirth(tx, row.recordId, w.actor, 'certificate.issue', { anyHolder: true });
    } catch (error) {
      throw error instanceof AppError && error.code === 'not_found' ? notFound('serial') : error;
    }
    const earlier = await findIdempotentAction(tx, actorId(w.actor!), w.idempotencyKey);
    if (!earlier && row.revokedAt) throw new AppError('conflict', 'this certificate is already revoked', { field: 'serial' });
    const result = await appendBirthAction(tx, deps.births, locked, { type: 'REVOKE_CERTIFICATE', serial }, w, { event: 'certificate_revoked' });
    if (!result.replayed) await tx.query('UPDATE certificates SET revoked_at = $2 WHERE serial = $1 AND revoked_at IS NULL', [serial, result.action.at]);
    return result.record;
  });
  return (await issuancesOf(db, deps.births.timeZone, record)).find((i) => i.serial === serial)!;
}
