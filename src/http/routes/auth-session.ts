import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Session } from '../../access/sessions.ts';
import type { AccessDeps } from '../../access/sign-in.ts';
import { AppError } from '../../core/errors.ts';
import { checkCsrf } from '../authenticate.ts';
import type { RouteDeps } from '../types.ts';

/** What the sign-in and account-security routes share. */
export const Stage = Type.Union([
  Type.Literal('pending_password'),
  Type.Literal('pending_totp'),
  Type.Literal('pending_enrolment'),
  Type.Literal('active'),
]);

export function accessDeps(deps: RouteDeps): AccessDeps {
  return { db: deps.db, roles: deps.roles, secretKey: deps.secretKey, demoMode: deps.config.demo };
}

/** The (possibly half-finished) sign-in behind the cookie; these steps are state changes, so CSRF applies. */
export function pendingSession(request: FastifyRequest): Session {
  if (!request.session) throw new AppError('unauthenticated', 'sign in first', { hint: 'POST /api/v1/auth/sign-in' });
  checkCsrf(request, request.session);
  return request.session;
}
