import { Type } from 'typebox';
import { birthQueueNames, countBirthQueues, listBirthQueue } from '../../births/queues.ts';
import { type BirthDeps, lookupBirth } from '../../births/workflow.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { Area, BirthView, tags, view } from './births-common.ts';

const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });
const Queue = Type.Union(birthQueueNames.map((name) => Type.Literal(name)));

/** The work queues of an office, and finding one birth by IIN, act number or reference. */
export function registerBirthQueueRoutes(app: App, deps: BirthDeps): void {
  app.get(
    '/api/v1/births/queues',
    {
      config: { scope: 'record.read' },
      schema: {
        tags,
        summary: 'How many births wait in each work queue, inside your jurisdiction',
        querystring: Type.Object(Area),
        response: { 200: Type.Object({ queues: Type.Record(Queue, Type.Integer()) }) },
      },
    },
    async (request) => ({ queues: await countBirthQueues(deps, request.actor, request.query) }),
  );

  app.get(
    '/api/v1/births/queues/:queue',
    {
      config: { scope: 'record.read' },
      schema: {
        tags,
        summary: 'One work queue, oldest first (recently_registered: newest first), cursor-paginated',
        description: 'late_registrations: validated births past the legal period whose registration needs a registrar’s approval (approve-registration) first; they are not in ready_to_register.',
        params: Type.Object({ queue: Queue }),
        querystring: Type.Object({
          ...Area,
          after: Type.Optional(Type.String({ maxLength: 200, description: 'the `next` of the previous page' })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                status: Type.String(),
                version: Type.Integer(),
                jurisdiction: Type.String(),
                childName: Type.Union([Type.String(), Type.Null()]),
                dateOfBirth: Type.Union([Type.String(), Type.Null()]),
                ageDays: Type.Union([Type.Integer(), Type.Null()], { description: 'the child’s age in days' }),
                receivedAt: Type.String({ description: 'when the record came in: notified, or declared' }),
                waitingDays: Type.Integer({ description: 'whole days since it came in' }),
                late: Type.Boolean({ description: 'past the legal period for a current registration (overdue)' }),
                facilityId: Type.Union([Type.String(), Type.Null()]),
                place: Type.Union([Names, Type.Null()], { description: 'the facility or place of birth, named in the pack’s languages' }),
                assignedTo: Type.Union([Type.String(), Type.Null()], { description: 'the actor id of whoever holds the record' }),
                assignee: Type.Union([Type.String(), Type.Null()], { description: 'their name' }),
                updatedAt: Type.String(),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => listBirthQueue(deps, request.actor, request.params.queue, request.query),
  );

  app.get(
    '/api/v1/births/lookup',
    {
      config: { scope: 'record.read' },
      schema: {
        tags,
        summary: 'Find a birth by the child’s IIN, its act number or its reference (one of them; audited)',
        querystring: Type.Object({
          iin: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
          number: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          ref: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        response: { 200: BirthView },
      },
    },
    async (request) => view(deps, request.actor, await lookupBirth(deps, request.query, request.actor, requestContext(request, deps))),
  );
}
