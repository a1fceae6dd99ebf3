import { Type } from 'typebox';
import { listGap } from '../../births/queues.ts';
import type { BirthDeps } from '../../births/workflow.ts';
import type { App } from '../types.ts';
import { Area, tags } from './births-common.ts';

/** GET /births/gap: notified births not yet registered. */
export function registerBirthGapRoutes(app: App, deps: BirthDeps): void {
  app.get(
    '/api/v1/births/gap',
    {
      config: { scope: 'record.read' },
      schema: {
        tags,
        summary: 'Births notified by facilities and not yet registered, oldest first, with the child’s age in days',
        querystring: Type.Object({
          ...Area,
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
                ageDays: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the stored date of birth cannot be read' }),
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
