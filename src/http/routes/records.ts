import { Type } from 'typebox';
import { readRecord, readRecordHistory } from '../../access/records.ts';
import { actorNames } from '../../access/users.ts';
import type { App, RouteDeps } from '../types.ts';
import { requestContext } from '../authenticate.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

const RecordView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  jurisdiction: Type.String(),
  officeId: Type.Union([Type.String(), Type.Null()]),
  ref: Type.Union([Type.String(), Type.Null()]),
  number: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const ActionView = Type.Object({
  recordSeq: Type.Integer(),
  type: Type.String(),
  actor: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()], { description: 'the name of the person or system that acted' }),
  officeId: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  hash: Type.String(),
});

const tags = ['records'];

/**
 * Any civil record with its full history. A record outside the reader's jurisdiction answers 404,
 * exactly like one that does not exist; every read is audited (src/access/records.ts).
 */
export function registerRecordRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/api/v1/records/:id',
    { config: { scope: 'record.read' }, schema: { tags, summary: 'A civil record, its current state', params: Params, response: { 200: RecordView } } },
    async (request) => {
      const record = await readRecord(deps.db, request.actor, request.params.id, requestContext(request, deps));
      return { ...record, createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString() };
    },
  );

  app.get(
    '/api/v1/records/:id/actions',
    {
      config: { scope: 'record.read' },
      schema: { tags, summary: 'The full, hash-chained history of a record', params: Params, response: { 200: Type.Object({ items: Type.Array(ActionView) }) } },
    },
    async (request) => {
      const actions = await readRecordHistory(deps.db, request.actor, request.params.id, requestContext(request, deps));
      const names = await actorNames(deps.db, actions.map((a) => a.actor));
      return { items: actions.map((a) => ({ ...a, actorName: names.get(a.actor) ?? null, at: a.at.toISOString() })) };
    },
  );
}
