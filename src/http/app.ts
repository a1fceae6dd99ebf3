import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import { loadRoles } from '../access/roles.ts';
import { birthDepsFor } from '../births/workflow.ts';
import { resolveSecretKey } from '../access/secret-key.ts';
import { AppError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { problemType, safeError, sendProblem, toProblem } from './problem.ts';
import { checkUrlParts, tightenSchema, registerBodyParsers, validatorCompiler } from './validation.ts';
import { registerAuthentication } from './authenticate.ts';
import type { App, AppDeps, RouteDeps, RouteEntry } from './types.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerAccountSecurityRoutes } from './routes/account-security.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerOAuthRoutes } from './routes/oauth.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerBirthRoutes } from './routes/births.ts';
import { registerCertificateRoutes } from './routes/certificates.ts';
import { certificateDepsFor } from '../certificates/issuance.ts';
import { registerRecordRoutes } from './routes/records.ts';
import { registerUserRoutes } from './routes/users.ts';
import { registerClientRoutes } from './routes/clients.ts';
import { registerPlaceRoutes } from './routes/places.ts';
import { registerCertificateKeyRoutes } from './routes/certificate-keys.ts';
import { registerLinkageRoutes } from './routes/linkage.ts';
import { registerProtectionRoutes } from './routes/protection.ts';
import { protectionDepsFor } from '../protection/deps.ts';
import { registerWebApp } from './web-app.ts';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/** Routes that plugins add (the API reference pages) are public documentation. */
const pluginRoutePrefixes = ['/api/docs'];

export type { App, AppDeps, RouteDeps } from './types.ts';

export async function buildApp(appDeps: AppDeps): Promise<App> {
  const deps: RouteDeps = { ...appDeps, roles: loadRoles(appDeps.config.pack), secretKey: resolveSecretKey(appDeps.config) };
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    logger: deps.logger ? undefined : false,
    bodyLimit: deps.config.bodyLimitBytes,
    // A caller may pass its own request id (a gateway's), if it looks like one; otherwise we make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : uuidv7();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Behind a load balancer that terminates TLS, X-Forwarded-* from the trusted hops tell the
    // client's address (throttling, audit) and whether it used HTTPS (the session cookie's Secure).
    trustProxy: deps.config.trustProxy,
    // A request Node's HTTP parser refuses (a raw non-ASCII URL, a broken header) never reaches a
    // route: it still gets a problem+json saying what to do.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const code = (error as NodeJS.ErrnoException).code;
      const tooLarge = code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({
        type: problemType(tooLarge ? 'payload_too_large' : 'validation_failed'),
        title: tooLarge ? 'Request too large' : 'The request is not valid',
        status: tooLarge ? 431 : 400,
        detail: tooLarge ? 'the request headers are too large' : 'the request line or a header is malformed',
        code: tooLarge ? 'payload_too_large' : 'validation_failed',
        hint: 'percent-encode non-ASCII characters in the URL (curl -G --data-urlencode q=…)',
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  registerBodyParsers(app, { formBytes: 16_384 });

  const routeScopes: RouteEntry[] = [];
  app.decorate('routeScopes', routeScopes);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const documentation = pluginRoutePrefixes.some((prefix) => url.startsWith(prefix));
    if (documentation) route.config = { ...(route.config ?? {}), scope: 'public' };
    if (!documentation) for (const part of [route.schema?.body, route.schema?.querystring, route.schema?.params]) tightenSchema(part);
    if (!route.config?.scope) {
      throw new Error(
        `route ${route.method} ${url} declares no scope (config.scope): every route goes through the policy`,
      );
    }
    for (const method of [route.method].flat()) {
      if (!documentation && method !== 'HEAD') routeScopes.push({ method, url, scope: route.config.scope });
    }
  });

  // A response finishing after shutdown began tells its client to hang up, or its keep-alive
  // connection would hold the server open until the idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
    // Answers of the API may carry personal data: no browser or proxy keeps a copy.
    if (request.url.startsWith('/api/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.addHook('preValidation', async (request) => checkUrlParts(request));
  app.addHook('preHandler', async (request) => checkUrlParts(request));
  // One line per request with no personal data: the path without its query string, never bodies.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: safeError(error) }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      toProblem(
        new AppError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`, {
          hint: 'see the API reference at /api/docs',
        }),
        request,
      ),
    ),
  );

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The web app has no inline script or style; the API reference pages set their own policy.
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        // The certificate preview: a PDF fetched by the app and framed from a blob: URL.
        frameSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // A district office may serve over plain HTTP on its LAN; forcing https would break it.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tirkeu API',
        version: '1',
        description:
          'Civil registration: places, births, certificates, statistics. Errors are RFC 9457 problem+json with a stable `type`.',
      },
      servers: [{ url: '/' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await registerAuthentication(app, deps);
  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerAccountSecurityRoutes(app, deps);
  registerOAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerClientRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerPlaceRoutes(app, deps);
  const births = birthDepsFor(deps.db, deps.clock, deps.config.pack);
  registerBirthRoutes(app, births, { uploadLimitBytes: deps.config.uploadLimitBytes });
  registerCertificateKeyRoutes(app, deps);
  registerLinkageRoutes(app, births);
  registerProtectionRoutes(app, protectionDepsFor(deps.db, deps.clock, deps.config.pack));
  registerCertificateRoutes(app, certificateDepsFor(births, deps.config));
  await registerWebApp(app, deps.config.webDir);
  return app;
}
