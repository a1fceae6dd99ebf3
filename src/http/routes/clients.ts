import { Type } from 'typebox';
import { addClient, deactivateApiClient, listApiClients, rotateClientSecret } from '../../access/administration.ts';
import { scopes } from '../../access/scopes.ts';
import type { App, RouteDeps } from '../types.ts';
import { requestContext } from '../authenticate.ts';
import { IdParams, Jurisdiction, tags } from './administration-schemas.ts';

const ClientView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  facilityId: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});

/** API clients (hospital and other systems); every decision is in src/access/administration.ts. */
export function registerClientRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/api/v1/clients',
    { config: { scope: 'system.admin' }, schema: { tags, summary: 'The API clients inside your jurisdiction', response: { 200: Type.Object({ items: Type.Array(ClientView) }) } } },
    async (request) => ({ items: await listApiClients(deps.db, request.actor) }),
  );

  app.post(
    '/api/v1/clients',
    {
      config: { scope: 'system.admin' },
      schema: {
        tags,
        summary: 'Register an API client (a hospital system) with scopes the pack allows machines; the secret is shown only in this answer',
        body: Type.Object({
          id: Type.String({ maxLength: 64 }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          scopes: Type.Array(Type.Union(scopes.map((s) => Type.Literal(s))), { minItems: 1, maxItems: scopes.length }),
          jurisdiction: Jurisdiction,
          facilityId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
        }),
        response: { 201: Type.Object({ client: ClientView, secret: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await addClient(deps.db, deps.roles, request.body, requestContext(request, deps), request.actor)),
  );

  app.post(
    '/api/v1/clients/:id/secrets',
    {
      config: { scope: 'system.admin' },
      schema: {
        tags,
        summary: 'Rotate a client secret: the new one works now, the old ones for 24 more hours',
        params: IdParams,
        response: { 201: Type.Object({ secret: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send({ secret: await rotateClientSecret(deps.db, request.params.id, requestContext(request, deps), request.actor) }),
  );

  app.post(
    '/api/v1/clients/:id/deactivate',
    {
      config: { scope: 'system.admin' },
      schema: {
        tags,
        summary: 'Stop a client now (a leaked secret): its secrets and bearer tokens end at once, without the grace period of a rotation',
        params: IdParams,
        response: { 200: ClientView },
      },
    },
    async (request) => deactivateApiClient(deps.db, request.params.id, requestContext(request, deps), request.actor),
  );
}
