import { Type } from 'typebox';
import { addClient, addUser, changeRoles, deactivate, resetPassword, rotateClientSecret } from '../../access/administration.ts';
import { findClient, listClients } from '../../access/clients.ts';
import { type Actor, authorize, can } from '../../access/policy.ts';
import { scopes } from '../../access/scopes.ts';
import { findUser, listUsers, type User } from '../../access/users.ts';
import { AppError } from '../../core/errors.ts';
import type { App, RouteDeps } from '../types.ts';
import { requestContext } from '../authenticate.ts';

const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  officeId: Type.Union([Type.String(), Type.Null()]),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  passwordMustChange: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

const Jurisdiction = Type.Union([Type.String({ pattern: '^[0-9]{9}$' }), Type.Null()], {
  description: '9-digit KATO code; null for the whole country',
});

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

function view(user: User) {
  return { ...user, createdAt: user.createdAt.toISOString() };
}

/** An administrator manages only accounts inside their own jurisdiction; others answer as missing. */
async function managed(deps: RouteDeps, actor: Actor | undefined, id: string): Promise<User> {
  const user = await findUser(deps.db, id);
  authorize(actor, 'user.manage', user ? { jurisdiction: user.jurisdiction } : undefined, { existing: true });
  if (!user) throw new AppError('not_found', 'no such user', { field: 'id' });
  return user;
}

const tags = ['administration'];

export function registerUserRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/api/v1/users',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: 'List user accounts (cursor: the last username of the previous page)',
        querystring: Type.Object({
          after: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          active: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Object({ items: Type.Array(UserView), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const users = await listUsers(deps.db, { after: q.after, limit: q.limit, active: q.active });
      const visible = users.filter((u) => can(request.actor, 'user.manage', { jurisdiction: u.jurisdiction }).allowed);
      return { items: visible.map(view), next: users.length === q.limit ? (users.at(-1)?.username ?? null) : null };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: 'Create a user; the initial password must be changed at first sign-in',
        body: Type.Object({
          username: Type.String({ maxLength: 64 }),
          displayName: Type.String({ minLength: 1, maxLength: 200 }),
          officeId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          jurisdiction: Jurisdiction,
          roles: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
          password: Type.String({ maxLength: 256 }),
        }),
        response: { 201: UserView },
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'user.manage', { jurisdiction: request.body.jurisdiction });
      const user = await addUser(deps.db, deps.roles, request.body, requestContext(request, deps), request.actor);
      return reply.status(201).send(view(user));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { scope: 'user.manage' }, schema: { tags, summary: 'One user account', params: IdParams, response: { 200: UserView } } },
    async (request) => view(await managed(deps, request.actor, request.params.id)),
  );

  app.put(
    '/api/v1/users/:id/roles',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: "Replace a user's roles",
        params: IdParams,
        body: Type.Object({ roles: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }) }),
        response: { 200: UserView },
      },
    },
    async (request) => {
      const before = await managed(deps, request.actor, request.params.id);
      return view(await changeRoles(deps.db, deps.roles, before, request.body.roles, requestContext(request, deps), request.actor!));
    },
  );

  app.post(
    '/api/v1/users/:id/deactivate',
    {
      config: { scope: 'user.manage' },
      schema: { tags, summary: 'Deactivate a user: signs them out everywhere; their history stays', params: IdParams, response: { 200: UserView } },
    },
    async (request) => {
      const target = await managed(deps, request.actor, request.params.id);
      return view(await deactivate(deps.db, target, requestContext(request, deps), request.actor!));
    },
  );

  app.post(
    '/api/v1/users/:id/password',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: 'Set a temporary password: the user must change it at next sign-in; ends their sessions',
        params: IdParams,
        body: Type.Object({ password: Type.String({ maxLength: 256 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const target = await managed(deps, request.actor, request.params.id);
      await resetPassword(deps.db, target, request.body.password, requestContext(request, deps), request.actor!);
      return reply.status(204).send(null);
    },
  );

  const ClientView = Type.Object({
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Type.String()),
    jurisdiction: Type.Union([Type.String(), Type.Null()]),
    facilityId: Type.Union([Type.String(), Type.Null()]),
    active: Type.Boolean(),
  });

  app.get(
    '/api/v1/clients',
    { config: { scope: 'system.admin' }, schema: { tags, summary: 'API clients', response: { 200: Type.Object({ items: Type.Array(ClientView) }) } } },
    async (request) => ({
      items: (await listClients(deps.db)).filter((c) => can(request.actor, 'system.admin', { jurisdiction: c.jurisdiction }).allowed),
    }),
  );

  app.post(
    '/api/v1/clients',
    {
      config: { scope: 'system.admin' },
      schema: {
        tags,
        summary: 'Register an API client (a hospital system); the secret is shown only in this answer',
        body: Type.Object({
          id: Type.String({ maxLength: 64 }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          scopes: Type.Array(Type.Union(scopes.map((s) => Type.Literal(s))), { minItems: 1 }),
          jurisdiction: Jurisdiction,
          facilityId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
        }),
        response: { 201: Type.Object({ client: ClientView, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'system.admin', { jurisdiction: request.body.jurisdiction });
      return reply.status(201).send(await addClient(deps.db, request.body, requestContext(request, deps), request.actor));
    },
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
    async (request, reply) => {
      const client = await findClient(deps.db, request.params.id);
      authorize(request.actor, 'system.admin', client ? { jurisdiction: client.jurisdiction } : undefined, { existing: true });
      if (!client) throw new AppError('not_found', 'no such client', { field: 'id' });
      const secret = await rotateClientSecret(deps.db, client.id, requestContext(request, deps), request.actor!);
      return reply.status(201).send({ secret });
    },
  );
}

