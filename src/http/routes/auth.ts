import { Type } from 'typebox';
import { revokeSession, revokeUserSessions } from '../../access/sessions.ts';
import { completeSecondFactor, signIn } from '../../access/sign-in.ts';
import { setLanguage, getUser } from '../../access/users.ts';
import { AppError } from '../../core/errors.ts';
import { loadPack } from '../../places/pack.ts';
import type { App, RouteDeps } from '../types.ts';
import { checkCsrf, requestContext, sessionCookie, setSessionCookie } from '../authenticate.ts';
import { accessDeps, pendingSession, Stage } from './auth-session.ts';

const tags = ['sign-in'];

/** Signing in and out: the password step, the second-factor step, sessions, who you are. */
export function registerAuthRoutes(app: App, deps: RouteDeps): void {
  const access = accessDeps(deps);

  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { scope: 'public' },
      // A cross-site page can post a form without asking first, and so sign a victim's browser into
      // the attacker's account (login CSRF): only the web app's JSON, which needs a preflight, signs in.
      preValidation: async (request) => {
        if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
          throw new AppError('unsupported_media_type', 'sign in with a JSON body', { field: 'content-type', hint: 'send Content-Type: application/json' });
        }
      },
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
    async (request, reply) => {
      const { stage, token } = await completeSecondFactor(access, pendingSession(request), request.body.code, requestContext(request, deps));
      setSessionCookie(reply, request, token);
      return { stage };
    },
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
            officeId: Type.Union([Type.String(), Type.Null()]),
            displayName: Type.Optional(Type.String()),
            language: Type.Union([Type.String(), Type.Null()]),
            /** Your roles' names in each language, for the account screen (the ids in roles are the pack's). */
            roleNames: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() }) }))),
            /** Whether a TOTP second factor is enrolled: changing how you sign in then asks for a code too. */
            totpEnabled: Type.Optional(Type.Boolean()),
            /** The web app's CSRF token again, for a page that reloaded (only the page holding the cookie can read it). */
            csrfToken: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      if (actor.kind === 'system') throw new AppError('forbidden', 'not for the system actor');
      const user = actor.kind === 'user' ? await getUser(deps.db, actor.id) : undefined;
      return {
        officeId: actor.kind === 'user' ? actor.officeId : null,
        displayName: user?.displayName,
        language: user?.language ?? null,
        roleNames: user?.roles.flatMap((id) => {
          const role = deps.roles.get(id);
          return role ? [{ id, name: role.name }] : [];
        }),
        totpEnabled: user?.totpEnabled,
        csrfToken: request.session?.csrfToken ?? undefined,
        kind: actor.kind,
        id: actor.id,
        username: actor.kind === 'user' ? actor.username : undefined,
        roles: actor.kind === 'user' ? [...actor.roles] : [],
        scopes: [...actor.scopes].sort(),
        jurisdiction: actor.jurisdiction,
      };
    },
  );

  app.put(
    '/api/v1/auth/language',
    {
      config: { scope: 'signed-in' },
      schema: {
        tags,
        summary: 'Remember the language you chose, on every device you sign in on',
        body: Type.Object({ language: Type.String({ pattern: '^[a-z]{2,3}$' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      if (actor.kind !== 'user') throw new AppError('forbidden', 'only people choose a language', { hint: 'sign in as a person' });
      await setLanguage(deps.db, loadPack(deps.config.pack).settings.languages, actor.id, request.body.language);
      return reply.status(204).send(null);
    },
  );
}
