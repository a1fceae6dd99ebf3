import { Type } from 'typebox';
import { issueToken } from '../../access/clients.ts';
import { AppError } from '../../core/errors.ts';
import { requestContext } from '../authenticate.ts';
import type { App, RouteDeps } from '../types.ts';

const tags = ['sign-in'];

/** Machine clients (hospital systems): OAuth 2.0 client credentials. */
export function registerOAuthRoutes(app: App, deps: RouteDeps): void {
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
