import { Type } from 'typebox';
import { audit } from '../../access/audit.ts';
import { createClient, listClients, rotateSecret } from '../../access/clients.ts';
import { type Actor, authorize, can } from '../../access/policy.ts';
import { scopes } from '../../access/scopes.ts';
import { createUser, deactivateUser, findUser, listUsers, setPassword, setRoles, type User } from '../../access/users.ts';
import { AppError } from '../../core/errors.ts';
import type { App, RouteDeps } from '../app.ts';
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
      const ctx = requestContext(request, deps);
      const user = await deps.db.transaction(async (tx) => {
        const created = await createUser(tx, deps.roles, request.body, ctx);
        await audit(tx, ctx, { actor: request.actor!, event: 'user_created', outcome: 'success', targetType: 'user', targetId: created.id, details: { roles: created.roles } });
        return created;
      });
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
      const ctx = requestContext(request, deps);
      return view(
        await deps.db.transaction(async (tx) => {
          const user = await setRoles(tx, deps.roles, before.id, request.body.roles, ctx);
          await audit(tx, ctx, { actor: request.actor!, event: 'roles_changed', outcome: 'success', targetType: 'user', targetId: user.id, details: { from: before.roles, to: user.roles } });
          return user;
        }),
      );
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
      const ctx = requestContext(request, deps);
      return view(
        await deps.db.transaction(async (tx) => {
          const user = await deactivateUser(tx, target.id, ctx);
          await audit(tx, ctx, { actor: request.actor!, event: 'user_deactivated', outcome: 'success', targetType: 'user', targetId: user.id });
          return user;
        }),
      );
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
      const ctx = requestContext(request, deps);
      await deps.db.transaction(async (tx) => {
        await setPassword(tx, target, request.body.password, { mustChange: true }, ctx);
        await audit(tx, ctx, { actor: request.actor!, event: 'password_reset', outcome: 'success', targetType: 'user', targetId: target.id });
      });
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
    async () => ({ items: await listClients(deps.db) }),
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
      const ctx = requestContext(request, deps);
      const created = await deps.db.transaction(async (tx) => {
        const result = await createClient(tx, request.body, ctx);
        await audit(tx, ctx, { actor: request.actor!, event: 'client_created', outcome: 'success', targetType: 'client', targetId: result.client.id });
        return result;
      });
      return reply.status(201).send(created);
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
      const ctx = requestContext(request, deps);
      const secret = await deps.db.transaction(async (tx) => {
        const s = await rotateSecret(tx, request.params.id, ctx);
        await audit(tx, ctx, { actor: request.actor!, event: 'client_secret_rotated', outcome: 'success', targetType: 'client', targetId: request.params.id });
        return s;
      });
      return reply.status(201).send({ secret });
    },
  );
}

