import { Type } from 'typebox';
import { isMigrated } from '../../core/db/migrations.ts';
import type { App, AppDeps } from '../types.ts';

export function registerHealthRoutes(app: App, deps: AppDeps): void {
  // Liveness: the process answers. No database call, so a slow database does not get it restarted.
  app.get(
    '/healthz',
    {
      config: { scope: 'public' },
      schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  // Readiness: the database answers and its schema is the one this code expects.
  app.get(
    '/readyz',
    {
      config: { scope: 'public' },
      schema: {
        hide: true,
        response: {
          200: Type.Object({ status: Type.Literal('ready'), driver: Type.String() }),
          503: Type.Object({ status: Type.Literal('not_ready'), reason: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        if (!(await isMigrated(deps.db))) {
          return reply.status(503).send({ status: 'not_ready' as const, reason: 'migrations pending' });
        }
        return { status: 'ready' as const, driver: deps.db.driver };
      } catch {
        return reply.status(503).send({ status: 'not_ready' as const, reason: 'database unavailable' });
      }
    },
  );
}
