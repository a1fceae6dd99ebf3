import { Type } from 'typebox';
import { issueToken } from '../../access/clients.ts';
import { AppError } from '../../core/errors.ts';
import { checkText } from '../validation.ts';
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
      const basic = basicCredentials(request.headers.authorization);
      if (basic) [clientId, clientSecret] = basic;
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

/**
 * HTTP Basic client credentials (RFC 6749 §2.3.1): id and secret are form-encoded, then joined by
 * a colon and base64-encoded. Anything malformed is the caller's mistake, named as such.
 */
function basicCredentials(header: string | undefined): [string, string] | undefined {
  const encoded = header?.match(/^Basic ([A-Za-z0-9+/=]+)$/)?.[1];
  if (header?.startsWith('Basic ') && !encoded) throw malformedBasic();
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw malformedBasic();
  try {
    const credentials: [string, string] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    credentials.forEach((value) => checkText(value, 'authorization'));
    return credentials;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw malformedBasic();
  }
}

const malformedBasic = () =>
  new AppError('validation_failed', 'the Basic credentials are malformed', {
    field: 'authorization',
    hint: 'send base64(urlencode(client_id) ":" urlencode(client_secret)), or send them in the form body',
  });

