import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { audit, type RequestContext } from '../access/audit.ts';
import { findTokenActor } from '../access/clients.ts';
import { type Actor, authorize } from '../access/policy.ts';
import { scopesOf } from '../access/roles.ts';
import type { RouteScope } from '../access/scopes.ts';
import { findSession, hashToken, type Session, sessionPolicy, touchSession } from '../access/sessions.ts';
import { getUser } from '../access/users.ts';
import { AppError } from '../core/errors.ts';
import type { App, RouteDeps } from './types.ts';

export const sessionCookie = 'tirkeu_session';
export const csrfHeader = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated actor, if any (an active session or a live bearer token). */
    actor: Actor | undefined;
    /** The session behind the cookie, including a half-finished sign-in. */
    session: Session | undefined;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestContext(request: FastifyRequest, deps: Pick<RouteDeps, 'clock'>): RequestContext {
  return { clock: deps.clock, clientAddress: request.ip ?? null, requestId: request.id };
}

/** Browsers send the session cookie on their own; a state change must also prove it came from our page. */
export function checkCsrf(request: FastifyRequest, session: Session): void {
  const given = request.headers[csrfHeader];
  const ok =
    typeof given === 'string' &&
    given.length > 0 &&
    timingSafeEqual(Buffer.from(hashToken(given), 'hex'), Buffer.from(session.csrfHash, 'hex'));
  if (!ok) {
    throw new AppError('forbidden', 'missing or wrong CSRF token', {
      field: csrfHeader,
      hint: `send the csrfToken from sign-in in the ${csrfHeader} header`,
    });
  }
}

export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string): void {
  reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: sessionPolicy.absoluteMs / 1000,
  });
}

async function resolve(request: FastifyRequest, deps: RouteDeps): Promise<void> {
  const now = deps.clock.now();
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    request.actor = await findTokenActor(deps.db, authorization.slice(7).trim(), now);
    return;
  }
  const token = request.cookies[sessionCookie];
  if (!token || token.length > 200) return;
  const session = await findSession(deps.db, token, now);
  if (!session) return;
  request.session = session;
  if (session.stage !== 'active') return;
  const user = await getUser(deps.db, session.userId);
  if (!user.active) return;
  await touchSession(deps.db, session, now);
  request.actor = {
    kind: 'user',
    id: user.id,
    username: user.username,
    roles: user.roles,
    scopes: scopesOf(deps.roles, user.roles),
    jurisdiction: user.jurisdiction,
    officeId: user.officeId,
    sessionId: session.tokenHash,
  };
}

/**
 * Authentication and the route-level permission, for every route, before anything else is read:
 * who is calling (session cookie or bearer token), then can(actor, route scope), then CSRF for
 * cookie-borne state changes. It runs in onRequest, so an anonymous caller gets 401 whatever it
 * sent and no body (an upload) is buffered for a stranger. Record-level checks (jurisdiction,
 * facility) happen in the use cases, where the record is known, with the same can().
 */
export async function registerAuthentication(app: App, deps: RouteDeps): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', undefined);
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (request) => {
    // An unmatched URL reaches only the 404 handler: nothing there to protect.
    if (request.is404) return;
    await resolve(request, deps);
    const scope = (request.routeOptions.config.scope ?? 'signed-in') as RouteScope;
    try {
      authorize(request.actor, scope);
    } catch (error) {
      if (request.actor || request.headers.authorization || request.cookies[sessionCookie]) {
        await audit(deps.db, requestContext(request, deps), {
          actor: request.actor ?? { kind: 'anonymous', id: null },
          event: 'access_denied',
          outcome: 'denied',
          details: { route: `${request.method} ${request.routeOptions.url}`, scope },
        });
      }
      throw error;
    }
    if (request.actor?.kind === 'user' && request.session && !safeMethods.has(request.method)) {
      checkCsrf(request, request.session);
    }
  });
}
