import { Type } from 'typebox';
import { beginEnrolment, changeOwnPassword, confirmEnrolment, regenerateRecoveryCodes } from '../../access/sign-in.ts';
import { requestContext, setSessionCookie } from '../authenticate.ts';
import type { App, RouteDeps } from '../types.ts';
import { accessDeps, pendingSession, Stage } from './auth-session.ts';

const tags = ['account security'];

const currentPassword = Type.String({ minLength: 1, maxLength: 256, description: 'the password you sign in with now' });
const code = Type.String({
  minLength: 6,
  maxLength: 32,
  description: 'a current code from your authenticator app, or a recovery code: required once a second factor is enrolled',
});

/**
 * Changing how an account signs in. From an active session each change needs the step-up in the
 * same request: the current password and, once a second factor is enrolled, a current code.
 */
export function registerAccountSecurityRoutes(app: App, deps: RouteDeps): void {
  const access = accessDeps(deps);

  app.post(
    '/api/v1/auth/totp/enrol',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Start TOTP enrolment (or replace the second factor): a new secret as text, otpauth URI and QR code (SVG)',
        description: 'In the first sign-in send {}; from an active session give currentPassword and, once enrolled, code.',
        body: Type.Object({ currentPassword: Type.Optional(currentPassword), code: Type.Optional(code) }),
        response: { 200: Type.Object({ secret: Type.String(), uri: Type.String(), qrSvg: Type.String() }) },
      },
    },
    async (request) => beginEnrolment(access, pendingSession(request), request.body, requestContext(request, deps)),
  );

  app.post(
    '/api/v1/auth/totp/confirm',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment with a first code of the new secret; returns recovery codes, shown once',
        body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 6 }) }),
        response: { 200: Type.Object({ stage: Stage, recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request, reply) => {
      const { recoveryCodes, token } = await confirmEnrolment(access, pendingSession(request), request.body.code, requestContext(request, deps));
      if (token) setSessionCookie(reply, request, token);
      return { stage: 'active' as const, recoveryCodes };
    },
  );

  app.post(
    '/api/v1/auth/recovery-codes',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Replace your recovery codes (the old ones stop working); shown once',
        body: Type.Object({ currentPassword, code }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(access, pendingSession(request), request.body, requestContext(request, deps)),
    }),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Change your own password (required after an administrator set it); ends your other sessions',
        description: 'A forced change needs only currentPassword; from an active session also code, once a second factor is enrolled.',
        body: Type.Object({
          currentPassword,
          newPassword: Type.String({ minLength: 1, maxLength: 256 }),
          code: Type.Optional(code),
        }),
        response: { 200: Type.Object({ stage: Stage }) },
      },
    },
    async (request, reply) => {
      const { stage, token } = await changeOwnPassword(access, pendingSession(request), request.body, requestContext(request, deps));
      setSessionCookie(reply, request, token);
      return { stage };
    },
  );
}
