import { readBirthWithReferrals } from '../../births/protection-screening.ts';
import { Type } from 'typebox';
import { Declaration } from '../../births/declaration.ts';
import {
  approveCorrection,
  approveRegistration,
  archiveBirth,
  assignBirth,
  type BirthDeps,
  declareBirth,
  recordEvidenceSeen,
  registerBirth,
  rejectCorrection,
  releaseBirth,
  requestBirthUpdate,
  requestCorrection,
  revokeBirth,
  validateBirth,
} from '../../births/workflow.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { BirthView, Id, idempotencyKey, tags, Version, view } from './births-common.ts';

const Reason = Type.Optional(Type.String({ maxLength: 1000 }));
const Change = Type.Object({ version: Version, reason: Reason });
const Confirm = Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20, description: 'fields of unverified parent facts the registrar has checked, e.g. mother.iin' }));

/** Declaring, the workflow actions on a birth record, and corrections. */
export function registerBirthWorkflowRoutes(app: App, deps: BirthDeps): void {
  app.get(
    '/api/v1/births/:id',
    {
      config: { scope: 'record.read' },
      schema: { tags, summary: 'A birth record, with the actions you may take on it now (every read is audited)', params: Id, response: { 200: BirthView } },
    },
    async (request) => {
      const { record, referrals } = await readBirthWithReferrals(deps, request.params.id, request.actor, requestContext(request, deps));
      return { ...view(deps, request.actor, record), protection: referrals };
    },
  );

  app.post(
    '/api/v1/births',
    {
      config: { scope: 'birth.declare' },
      schema: { tags, summary: 'Declare a birth: the answer lists documents still missing for its legal path, and parent facts kept unverified', body: Declaration, response: { 201: BirthView } },
    },
    async (request, reply) => {
      const result = await declareBirth(deps, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send(view(deps, request.actor, result.record));
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
        querystring: Type.Object({ version: Version }),
        body: Declaration,
        response: { 200: BirthView },
      },
    },
    async (request) => {
      const w = { actor: request.actor, idempotencyKey: idempotencyKey(request), recordId: request.params.id, expectedVersion: request.query.version };
      return view(deps, request.actor, (await declareBirth(deps, request.body, w)).record);
    },
  );

  const actions = [
    ['validate', 'birth.validate', 'Validate a declaration: every document its path needs is uploaded or seen', validateBirth],
    ['request-update', 'birth.validate', 'Send a declaration back for update, saying why', requestBirthUpdate],
    ['archive', 'birth.validate', 'Archive an abandoned declaration or notification, saying why', archiveBirth],
    ['approve-registration', 'birth.register', 'Approve a late or delayed registration, saying why (needed before registering it)', approveRegistration],
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
        view(deps, request.actor, await useCase(deps, request.params.id, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: request.body.version, reason: request.body.reason })),
    );
  }

  app.post(
    '/api/v1/births/:id/register',
    {
      config: { scope: 'birth.register' },
      schema: {
        tags,
        summary: 'Register: allocates the act number and the IIN, records timeliness and citizenship at birth',
        description: 'Every unverified parent fact (see `warnings`) must be confirmed by listing its field in `confirm`; a late or delayed registration needs approve-registration first.',
        params: Id,
        body: Type.Object({
          version: Version,
          confirm: Confirm,
        }),
        response: { 200: BirthView },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      view(deps, request.actor, await registerBirth(deps, request.params.id, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: request.body.version, confirm: request.body.confirm })),
  );

  app.post(
    '/api/v1/births/:id/corrections/approve',
    {
      config: { scope: 'correction.approve' },
      schema: {
        tags,
        summary: 'Approve the pending correction (citizenship at birth is worked out again)',
        description: 'Every unverified parent fact of the corrected declaration (see `warnings`) must be confirmed by listing its field in `confirm`.',
        params: Id,
        body: Type.Object({ version: Version, reason: Reason, confirm: Confirm }),
        response: { 200: BirthView },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { version, reason, confirm } = request.body;
      return view(deps, request.actor, await approveCorrection(deps, request.params.id, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: version, reason, confirm }));
    },
  );

  app.post(
    '/api/v1/births/:id/evidence',
    {
      config: { scope: 'birth.validate' },
      schema: {
        tags,
        summary: 'Record that you saw an original document (no upload): it counts towards the path’s evidence, with who and when',
        params: Id,
        body: Type.Object({
          type: Type.String({ maxLength: 60, description: 'a document type of the pack, e.g. medical_birth_certificate' }),
          reference: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'its number or other reference' })),
          version: Version,
          reason: Reason,
        }),
        response: { 200: BirthView },
      },
    },
    async (request) => {
      const { type, reference, version, reason } = request.body;
      return view(deps, request.actor, await recordEvidenceSeen(deps, request.params.id, { type, reference }, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: version, reason }));
    },
  );

  app.post(
    '/api/v1/births/:id/corrections',
    {
      config: { scope: 'birth.declare' },
      schema: {
        tags,
        summary: 'Ask for a correction of a registered birth: the full corrected declaration and why',
        params: Id,
        body: Type.Object({ declaration: Declaration, reason: Type.String({ minLength: 1, maxLength: 1000 }), version: Version }),
        response: { 200: BirthView },
      },
    },
    async (request) => {
      const w = { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: request.body.version, reason: request.body.reason };
      return view(deps, request.actor, await requestCorrection(deps, request.params.id, request.body.declaration, w));
    },
  );
}
