import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../access/audit.ts';
import { authorize } from '../../access/policy.ts';
import { findRecord, listActions } from '../../core/action-log/record-store.ts';
import { AppError } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
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
  officeId: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  hash: Type.String(),
});

const tags = ['records'];

/**
 * Any civil record with its full history. A record outside the reader's jurisdiction answers 404,
 * exactly like one that does not exist; every read of a full record is audited.
 */
export function registerRecordRoutes(app: App, deps: RouteDeps): void {
  async function readable(request: FastifyRequest & { params: { id: string } }) {
    const record = isUuid(request.params.id) ? await findRecord(deps.db, request.params.id) : undefined;
    authorize(request.actor, 'record.read', record ? { jurisdiction: record.jurisdiction } : undefined, { existing: true });
    if (!record) throw new AppError('not_found', 'no such record', { field: 'id' });
    await audit(deps.db, requestContext(request, deps), {
      actor: request.actor,
      event: 'record_read',
      outcome: 'success',
      targetType: record.type,
      targetId: record.id,
    });
    return record;
  }

  app.get(
    '/api/v1/records/:id',
    { config: { scope: 'record.read' }, schema: { tags, summary: 'A civil record, its current state', params: Params, response: { 200: RecordView } } },
    async (request) => {
      const record = await readable(request);
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
      const record = await readable(request);
      const actions = await listActions(deps.db, record.id);
      return { items: actions.map((a) => ({ ...a, at: a.at.toISOString() })) };
    },
  );
}
