import { Type } from 'typebox';
import { addUser, changeRoles, deactivate, getAccount, listAccounts, resetPassword } from '../../access/administration.ts';
import { describeRoles } from '../../access/roles.ts';
import type { User } from '../../access/users.ts';
import type { App, RouteDeps } from '../types.ts';
import { requestContext } from '../authenticate.ts';
import { IdParams, Jurisdiction, tags } from './administration-schemas.ts';

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

const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });

const RoleView = Type.Object({
  id: Type.String(),
  name: Names,
  sensitive: Type.Boolean({ description: 'holders must sign in with a TOTP second factor' }),
  jurisdiction: Type.Union([Type.Literal('national'), Type.Literal('region'), Type.Literal('district')], { description: 'the level a holder is usually placed at' }),
  grantable: Type.Boolean({ description: 'whether you may give this role to, or take it from, someone else' }),
});

const RoleList = Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 });

function view(user: User) {
  return { ...user, createdAt: user.createdAt.toISOString() };
}

/**
 * Administration: user accounts here, API clients in clients.ts (registered from here, so the app
 * keeps one entry point for administration). Every decision is in src/access/administration.ts.
 */
export function registerUserRoutes(app: App, deps: RouteDeps): void {
  // Reference data, like places: the names let any screen show a role, and a reader who may
  // grant nothing learns only what the pack's roles.json already publishes.
  app.get(
    '/api/v1/roles',
    {
      config: { scope: 'signed-in' },
      schema: {
        tags,
        summary: "The pack's roles, named in each language, marked with whether you may grant them; and the scopes an API client may hold",
        response: { 200: Type.Object({ roles: Type.Array(RoleView), clientScopes: Type.Array(Type.String()) }) },
      },
    },
    async (request) => describeRoles(deps.roles, request.actor!),
  );

  app.get(
    '/api/v1/users',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: 'List the user accounts inside your jurisdiction (cursor: the last username of the previous page)',
        querystring: Type.Object({
          after: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          active: Type.Optional(Type.Boolean()),
          prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only usernames starting with this' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(UserView), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const page = await listAccounts(deps.db, request.actor, request.query);
      return { items: page.items.map(view), next: page.next };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: 'Create a user with roles you may grant; the initial password must be changed at first sign-in',
        body: Type.Object({
          username: Type.String({ maxLength: 64 }),
          displayName: Type.String({ minLength: 1, maxLength: 200 }),
          officeId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          jurisdiction: Jurisdiction,
          roles: RoleList,
          password: Type.String({ maxLength: 256 }),
        }),
        response: { 201: UserView },
      },
    },
    async (request, reply) => {
      const user = await addUser(deps.db, deps.roles, request.body, requestContext(request, deps), request.actor);
      return reply.status(201).send(view(user));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { scope: 'user.manage' }, schema: { tags, summary: 'One user account', params: IdParams, response: { 200: UserView } } },
    async (request) => view(await getAccount(deps.db, request.actor, request.params.id)),
  );

  app.put(
    '/api/v1/users/:id/roles',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: "Replace another user's roles (only roles you may grant; never your own)",
        params: IdParams,
        body: Type.Object({ roles: RoleList }),
        response: { 200: UserView },
      },
    },
    async (request) => view(await changeRoles(deps.db, deps.roles, request.params.id, request.body.roles, requestContext(request, deps), request.actor)),
  );

  app.post(
    '/api/v1/users/:id/deactivate',
    {
      config: { scope: 'user.manage' },
      schema: { tags, summary: 'Deactivate another user: signs them out everywhere; their history stays', params: IdParams, response: { 200: UserView } },
    },
    async (request) => view(await deactivate(deps.db, deps.roles, request.params.id, requestContext(request, deps), request.actor)),
  );

  app.post(
    '/api/v1/users/:id/password',
    {
      config: { scope: 'user.manage' },
      schema: {
        tags,
        summary: "Set another user's temporary password: they must change it at next sign-in; ends their sessions",
        params: IdParams,
        body: Type.Object({ password: Type.String({ maxLength: 256 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await resetPassword(deps.db, deps.roles, request.params.id, request.body.password, requestContext(request, deps), request.actor);
      return reply.status(204).send(null);
    },
  );

}
