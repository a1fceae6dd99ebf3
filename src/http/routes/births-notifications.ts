import { Type } from 'typebox';
import { Notification } from '../../births/declaration.ts';
import { isFhirBundle } from '../../births/fhir-notification.ts';
import { listNotifications } from '../../births/notification-list.ts';
import { type BirthDeps, notifyBirth, notifyBirthFromFhir } from '../../births/workflow.ts';
import type { App } from '../types.ts';
import { BirthView, idempotencyKey, tags, view } from './births-common.ts';

/** POST /births/notifications: a facility's JSON notification or the FHIR Bundle it already sends; GET lists them. */
export function registerBirthNotificationRoutes(app: App, deps: BirthDeps): void {
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
          'The body is this JSON object, or a FHIR R4 Bundle as sent to OpenCRVS (birth-notification document) or an HL7 BFDR live-birth document or submission message (at most 200 entries). For a Bundle, an API client of a facility notifies for that facility; others may name it in ?facilityId=. Implausible facts about the mother (a mistyped IIN, an unlikely age) are kept and listed in `warnings`.',
        querystring: Type.Object({ facilityId: Type.Optional(Type.String({ maxLength: 64 })) }),
        body: Notification,
        response: { 201: BirthView },
      },
    },
    async (request, reply) => {
      const w = { actor: request.actor, idempotencyKey: idempotencyKey(request) };
      if (isFhirBundle(request.body)) return reply.status(201).send(view(deps, request.actor, await notifyBirthFromFhir(deps, request.body, { facilityId: request.query.facilityId }, w)));
      if (request.validationError) throw request.validationError;
      return reply.status(201).send(view(deps, request.actor, await notifyBirth(deps, request.body, w)));
    },
  );

  app.get(
    '/api/v1/births/notifications',
    {
      config: { scope: 'birth.notify' },
      schema: {
        tags,
        summary: 'The births notified inside your jurisdiction (a facility’s client: its own), newest first, with what became of each; cursor-paginated',
        description: 'No parent’s name is listed: a notification is found by the child’s date and time of birth and the medical certificate number.',
        querystring: Type.Object({
          facilityId: Type.Optional(Type.String({ maxLength: 64, description: 'only this health facility’s notifications' })),
          after: Type.Optional(Type.String({ maxLength: 200, description: 'the `next` of the previous page' })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                status: Type.String(),
                facilityId: Type.String(),
                notifiedAt: Type.String(),
                child: Notification.properties.child,
                medicalCertificateNumber: Type.Union([Type.String(), Type.Null()]),
                overdue: Type.Boolean({ description: 'still undeclared past the legal declaration period' }),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => listNotifications(deps, request.actor, request.query),
  );
}
