import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { issueToken } from '../../access/clients.ts';
import { revokeSession, revokeUserSessions, type Session } from '../../access/sessions.ts';
import {
  type AccessDeps,
  beginEnrolment,
  changeOwnPassword,
  completeSecondFactor,
  confirmEnrolment,
  signIn,
} from '../../access/sign-in.ts';
import { AppError } from '../../core/errors.ts';
import type { App, RouteDeps } from '../types.ts';
import { checkCsrf, requestContext, sessionCookie, setSessionCookie } from '../authenticate.ts';

const Stage = Type.Union([
  Type.Literal('pending_password'),
  Type.Literal('pending_totp'),
  Type.Literal('pending_enrolment'),
  Type.Literal('active'),
]);

/** The half-finished sign-in behind the cookie; these steps are state changes, so CSRF applies. */
function pendingSession(request: FastifyRequest): Session {
  if (!request.session) throw new AppError('unauthenticated', 'sign in first', { hint: 'POST /api/v1/auth/sign-in' });
  checkCsrf(request, request.session);
  return request.session;
}

const tags = ['sign-in'];

export function registerAuthRoutes(app: App, deps: RouteDeps): void {
  const access: AccessDeps = { db: deps.db, roles: deps.roles, secretKey: deps.secretKey, demoMode: deps.config.demo };

  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Sign in with username and password; the answer says which step comes next',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: Type.Object({ stage: Stage, csrfToken: Type.String() }) },
      },
    },
    async (request, reply) => {
      const created = await signIn(access, request.body, requestContext(request, deps));
      setSessionCookie(reply, request, created.token);
      return { stage: created.session.stage, csrfToken: created.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/second-factor',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Give the TOTP code (or a recovery code) to finish signing in',
        body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 32 }) }),
        response: { 200: Type.Object({ stage: Stage }) },
      },
    },
    async (request) => ({
      stage: await completeSecondFactor(access, pendingSession(request), request.body.code, requestContext(request, deps)),
    }),
  );

  app.post(
    '/api/v1/auth/totp/enrol',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Start TOTP enrolment: a new secret as text, otpauth URI and QR code (SVG)',
        response: { 200: Type.Object({ secret: Type.String(), uri: Type.String(), qrSvg: Type.String() }) },
      },
    },
    async (request) => beginEnrolment(access, pendingSession(request), requestContext(request, deps)),
  );

  app.post(
    '/api/v1/auth/totp/confirm',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment with a first code; returns recovery codes, shown once',
        body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 6 }) }),
        response: { 200: Type.Object({ stage: Stage, recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const recoveryCodes = await confirmEnrolment(access, pendingSession(request), request.body.code, requestContext(request, deps));
      return { stage: 'active' as const, recoveryCodes };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Change your own password (required after an administrator set it)',
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
          newPassword: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: Type.Object({ stage: Stage }) },
      },
    },
    async (request) => ({
      stage: await changeOwnPassword(access, pendingSession(request), request.body, requestContext(request, deps)),
    }),
  );

  app.post(
    '/api/v1/auth/sign-out',
    { config: { scope: 'public' }, schema: { tags, summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (request.session) {
        checkCsrf(request, request.session);
        await revokeSession(deps.db, request.session.tokenHash, deps.clock.now());
      }
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/sign-out-everywhere',
    {
      config: { scope: 'signed-in' },
      schema: { tags, summary: 'End every session of your account', response: { 200: Type.Object({ revoked: Type.Integer() }) } },
    },
    async (request, reply) => {
      const actor = request.actor!;
      if (actor.kind !== 'user') throw new AppError('forbidden', 'only people have sessions');
      const revoked = await revokeUserSessions(deps.db, actor.id, deps.clock.now());
      reply.clearCookie(sessionCookie, { path: '/' });
      return { revoked };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { scope: 'signed-in' },
      schema: {
        tags,
        summary: 'Who you are, where, and what you may do',
        response: {
          200: Type.Object({
            kind: Type.String(),
            id: Type.String(),
            username: Type.Optional(Type.String()),
            roles: Type.Array(Type.String()),
            scopes: Type.Array(Type.String()),
            jurisdiction: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      if (actor.kind === 'system') throw new AppError('forbidden', 'not for the system actor');
      return {
        kind: actor.kind,
        id: actor.id,
        username: actor.kind === 'user' ? actor.username : undefined,
        roles: actor.kind === 'user' ? [...actor.roles] : [],
        scopes: [...actor.scopes].sort(),
        jurisdiction: actor.jurisdiction,
      };
    },
  );

  app.post(
    '/api/v1/oauth/token',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'OAuth 2.0 client credentials: exchange a client id and secret for a bearer token',
        body: Type.Object({
          grant_type: Type.Literal('client_credentials'),
          client_id: Type.Optional(Type.String({ maxLength: 64 })),
          client_secret: Type.Optional(Type.String({ maxLength: 128 })),
        }),
        response: {
          200: Type.Object({
            access_token: Type.String(),
            token_type: Type.Literal('Bearer'),
            expires_in: Type.Integer(),
            scope: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      let { client_id: clientId, client_secret: clientSecret } = request.body;
      const basic = request.headers.authorization?.match(/^Basic (.+)$/);
      if (basic?.[1]) {
        const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret ?? '');
      }
      if (!clientId || !clientSecret) {
        throw new AppError('validation_failed', 'client_id and client_secret are required', {
          field: clientId ? 'client_secret' : 'client_id',
          hint: 'send them in the form body or as HTTP Basic credentials',
        });
      }
      const token = await issueToken(deps.db, { clientId, clientSecret }, requestContext(request, deps));
      reply.header('cache-control', 'no-store');
      return { access_token: token.accessToken, token_type: 'Bearer' as const, expires_in: token.expiresIn, scope: token.scope };
    },
  );
}
