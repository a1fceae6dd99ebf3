import { Type } from 'typebox';
import { readAudit } from '../../access/audit.ts';
import { Instant } from '../../core/dates.ts';
import { requestContext } from '../authenticate.ts';
import type { App, RouteDeps } from '../types.ts';

const AuditLineView = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  event: Type.String(),
  outcome: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  clientAddress: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
});

export function registerAuditRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/api/v1/audit',
    {
      config: { scope: 'audit.read' },
      schema: {
        tags: ['administration'],
        summary: 'The access audit, newest first, for a national reader (cursor: before = the last seq of the previous page)',
        querystring: Type.Object({
          actorId: Type.Optional(Type.String({ maxLength: 64 })),
          event: Type.Optional(Type.String({ maxLength: 64 })),
          outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
          targetId: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
          before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditLineView), next: Type.Union([Type.Integer(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await readAudit(deps.db, request.actor, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined }, requestContext(request, deps));
      return { items: page.items.map((l) => ({ ...l, at: l.at.toISOString() })), next: page.next };
    },
  );
}
