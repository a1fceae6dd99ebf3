import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { RoleCatalogue } from '../access/roles.ts';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/types.ts';

/** What every route handler may use; modules get their dependencies from here, never from globals. */
export interface AppDeps {
  db: Db;
  config: Config;
  clock: Clock;
  logger: FastifyBaseLogger | false;
}

/** What routes get besides AppDeps: the pack's roles and the key that seals TOTP secrets. */
export interface RouteDeps extends AppDeps {
  roles: RoleCatalogue;
  secretKey: Buffer;
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route as the policy sees it: what the access matrix test enumerates. */
export interface RouteEntry {
  method: string;
  url: string;
  scope: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves (HEAD twins and the API reference pages left out), with its scope. */
    routeScopes: RouteEntry[];
  }
  interface FastifyContextConfig {
    /**
     * The permission a route needs: 'public' or a scope name. Every route must declare one; the
     * access policy reads it, and the route matrix test enumerates routes by it.
     */
    scope?: string;
  }
}
