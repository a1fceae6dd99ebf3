import type { FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { Declaration, Notification } from '../../births/declaration.ts';
import { audit } from '../../access/audit.ts';
import { attachDocument, documentMediaTypes, readDocument } from '../../births/documents.ts';
import { isFhirBundle, notificationFromFhir } from '../../births/fhir-notification.ts';
import {
  approveCorrection,
  archiveBirth,
  assignBirth,
  type BirthDeps,
  type BirthRow,
  declareBirth,
  listGap,
  notifyBirth,
  registerBirth,
  rejectCorrection,
  releaseBirth,
  requestBirthUpdate,
  requestCorrection,
  revokeBirth,
  validateBirth,
} from '../../births/workflow.ts';
import { AppError } from '../../core/errors.ts';
import type { App } from '../types.ts';
import { requestContext } from '../authenticate.ts';

const tags = ['births'];
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Change = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you last saw; 409 if it changed since' })),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
const BirthView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  jurisdiction: Type.String(),
  number: Type.Union([Type.String(), Type.Null()]),
  iin: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  warnings: Type.Optional(Type.Array(Type.String())),
});

function view(record: BirthRow, warnings?: string[]) {
  return { id: record.id, status: record.status, version: record.version, jurisdiction: record.jurisdiction, number: record.number, iin: record.subjectId, data: record.data, warnings };
}

/** A value built by the server from a foreign format, checked against the schema it must meet. */
function checked<T extends TSchema>(schema: T, value: Static<T>): Static<T> {
  const first = [...Value.Errors(schema, value)][0];
  if (first) {
    const field = first.instancePath.slice(1).replaceAll('/', '.');
    throw new AppError('validation_failed', `${field} ${first.message}`, { field, hint: 'the value came from the FHIR Bundle: correct it there' });
  }
  return value;
}

/** The Idempotency-Key header: a client-made id of this submission, so a retry never writes twice. */
function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 8–100 letters, digits or ._:-', { field: 'Idempotency-Key', hint: 'send a UUID' });
  }
  return key;
}

export function registerBirthRoutes(app: App, deps: BirthDeps, limits: { uploadLimitBytes: number }): void {
  app.post(
    '/api/v1/births/notifications',
    {
      config: { scope: 'birth.notify' },
      // A FHIR Bundle is not this schema: validation is attached and decided in the handler.
      attachValidation: true,
      schema: {
        tags,
        summary: 'A health facility notifies a birth (its own facility only)',
        description:
          'The body is this JSON object, or a FHIR R4 Bundle as sent to OpenCRVS (birth-notification document) or an HL7 BFDR live-birth document or submission message. For a Bundle, an API client of a facility notifies for that facility; others may name it in ?facilityId=.',
        querystring: Type.Object({ facilityId: Type.Optional(Type.String({ maxLength: 64 })) }),
        body: Notification,
        response: { 201: BirthView },
      },
    },
    async (request, reply) => {
      let notification: Notification;
      if (isFhirBundle(request.body)) {
        const actor = request.actor;
        const facilityId = (actor?.kind === 'client' ? actor.facilityId : null) ?? request.query.facilityId;
        notification = checked(Notification, notificationFromFhir(request.body, { facilityId }));
      } else if (request.validationError) {
        throw request.validationError;
      } else {
        notification = request.body;
      }
      return reply.status(201).send(view(await notifyBirth(deps, notification, { actor: request.actor, idempotencyKey: idempotencyKey(request) })));
    },
  );

  app.post(
    '/api/v1/births',
    {
      config: { scope: 'birth.declare' },
      schema: { tags, summary: 'Declare a birth: the answer lists documents still missing for its legal path', body: Declaration, response: { 201: BirthView } },
    },
    async (request, reply) => {
      const result = await declareBirth(deps, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send(view(result.record, result.warnings));
    },
  );

  app.put(
    '/api/v1/births/:id/declaration',
    {
      config: { scope: 'birth.declare' },
      schema: {
        tags,
        summary: 'Declare a notified birth, or correct a declaration sent back for update',
        params: Id,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        body: Declaration,
        response: { 200: BirthView },
      },
    },
    async (request) => {
      const result = await declareBirth(deps, request.body, {
        actor: request.actor,
        idempotencyKey: idempotencyKey(request),
        recordId: request.params.id,
        expectedVersion: request.query.version,
      });
      return view(result.record, result.warnings);
    },
  );

  const actions = [
    ['validate', 'birth.validate', 'Validate a declaration: every document its path needs is there', validateBirth],
    ['request-update', 'birth.validate', 'Send a declaration back for update, saying why', requestBirthUpdate],
    ['archive', 'birth.validate', 'Archive an abandoned declaration or notification, saying why', archiveBirth],
    ['register', 'birth.register', 'Register: allocates the act number and the IIN, records timeliness and citizenship at birth', registerBirth],
    ['corrections/approve', 'correction.approve', 'Approve the pending correction (citizenship at birth is worked out again)', approveCorrection],
    ['corrections/reject', 'correction.approve', 'Reject the pending correction, saying why', rejectCorrection],
    ['revoke', 'correction.approve', 'Revoke a registration made in error, saying why; nothing is deleted', revokeBirth],
    ['assign', 'birth.declare', 'Take the record to work on (a registrar may take it over from someone else)', assignBirth],
    ['release', 'birth.declare', 'Give the record up (a registrar may release it for someone else)', releaseBirth],
  ] as const;
  for (const [path, scope, summary, useCase] of actions) {
    app.post(
      `/api/v1/births/:id/${path}`,
      {
        config: { scope },
        schema: { tags, summary, params: Id, body: Change, response: { 200: BirthView } },
        // The body is optional: an empty POST means "no version check, no reason".
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) =>
        view(
          await useCase(deps, request.params.id, {
            actor: request.actor,
            idempotencyKey: idempotencyKey(request),
            expectedVersion: request.body.version,
            reason: request.body.reason,
          }),
        ),
    );
  }

  app.post(
    '/api/v1/births/:id/corrections',
    {
      config: { scope: 'birth.declare' },
      schema: {
        tags,
        summary: 'Ask for a correction of a registered birth: the full corrected declaration and why',
        params: Id,
        body: Type.Object({ declaration: Declaration, reason: Type.String({ minLength: 1, maxLength: 1000 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: BirthView },
      },
    },
    async (request) =>
      view(
        await requestCorrection(deps, request.params.id, request.body.declaration, {
          actor: request.actor,
          idempotencyKey: idempotencyKey(request),
          expectedVersion: request.body.version,
          reason: request.body.reason,
        }),
      ),
  );

  // Scans and photos arrive as they are; checkDocument looks at the bytes, not only the label.
  app.addContentTypeParser(Object.keys(documentMediaTypes), { parseAs: 'buffer', bodyLimit: limits.uploadLimitBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/births/:id/documents',
    {
      config: { scope: 'birth.declare' },
      bodyLimit: limits.uploadLimitBytes,
      schema: {
        tags,
        summary: 'Attach a supporting document (PDF, JPEG or PNG, as the request body) of the given type',
        params: Id,
        querystring: Type.Object({ type: Type.String({ maxLength: 60, description: 'e.g. medical_birth_certificate' }) }),
        response: {
          201: Type.Object({
            document: Type.Object({ id: Type.String(), type: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String() }),
            record: BirthView,
          }),
        },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError('validation_failed', 'send the document itself as the body', { field: 'content-type', hint: `one of: ${Object.keys(documentMediaTypes).join(', ')}` });
      }
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const result = await attachDocument(deps, request.params.id, { type: request.query.type, mediaType, content: request.body }, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send({ document: result.document, record: view(result.record) });
    },
  );

  app.get(
    '/api/v1/births/:id/documents/:documentId',
    {
      config: { scope: 'record.read' },
      schema: { tags, summary: 'A supporting document, as uploaded (every read is audited)', params: Type.Object({ id: Type.String({ maxLength: 64 }), documentId: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const document = await readDocument(deps, request.params.id, request.params.documentId, request.actor);
      await audit(deps.db, requestContext(request, deps), { actor: request.actor!, event: 'document_read', outcome: 'success', targetType: 'document', targetId: document.id });
      return reply.type(document.mediaType).header('x-content-sha256', document.sha256).header('content-disposition', 'inline').send(document.content);
    },
  );

  app.get(
    '/api/v1/births/gap',
    {
      config: { scope: 'record.read' },
      schema: {
        tags,
        summary: 'Births notified by facilities and not yet registered, oldest first, with the child’s age in days',
        querystring: Type.Object({
          within: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
          office: Type.Optional(Type.String({ maxLength: 64, description: 'the area of this registry office' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                status: Type.String(),
                facilityId: Type.Union([Type.String(), Type.Null()]),
                jurisdiction: Type.String(),
                dateOfBirth: Type.String(),
                ageDays: Type.Integer(),
                notifiedAt: Type.String(),
                overdue: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listGap(deps, request.actor, request.query) }),
  );
}
