import { AppError, notFound } from '../core/errors.ts';
import { isWithin } from '../places/hierarchy.ts';
import { neverForMachines, type RouteScope, type Scope } from './scopes.ts';

/** Who is acting. Built once per request by authentication; the policy never reads the database. */
export type Actor =
  | {
      kind: 'user';
      id: string;
      username: string;
      roles: readonly string[];
      scopes: ReadonlySet<Scope>;
      /** KATO code the user's scopes apply within; null = the whole country. */
      jurisdiction: string | null;
      officeId: string | null;
      sessionId: string;
    }
  | {
      kind: 'client';
      id: string;
      scopes: ReadonlySet<Scope>;
      jurisdiction: string | null;
      /** A health facility's client acts only for its own facility. */
      facilityId: string | null;
    }
  /** The CLI and background jobs, run by whoever controls the server; the id names which (for the audit). */
  | { kind: 'system'; id: string };

/** How a history names who acted: "user:<id>", "client:<id>" or "system". */
export function actorId(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`;
}

/** What a permission is checked against: where a record belongs, and its facility if any. */
export interface Target {
  /** KATO code; null for something that belongs to the whole country (a national user account). */
  jurisdiction: string | null;
  facilityId?: string | null;
}

export type Denial = 'unauthenticated' | 'missing_scope' | 'outside_jurisdiction' | 'other_facility';

export type Decision = { allowed: true } | { allowed: false; denial: Denial };

const allowed: Decision = { allowed: true };

/**
 * The one policy function: may this actor use this scope, on this target? Pure and cheap (it
 * runs on every request): a set lookup and a KATO prefix comparison.
 */
export function can(actor: Actor | undefined, scope: RouteScope, target?: Target): Decision {
  if (scope === 'public') return allowed;
  if (!actor) return { allowed: false, denial: 'unauthenticated' };
  if (actor.kind === 'system') return allowed;
  if (scope !== 'signed-in' && !actor.scopes.has(scope)) return { allowed: false, denial: 'missing_scope' };
  // Whatever a client row says (one made before the pack limited machine scopes), no machine administers.
  if (actor.kind === 'client' && neverForMachines.includes(scope as Scope)) return { allowed: false, denial: 'missing_scope' };
  if (!target) return allowed;
  if (actor.jurisdiction !== null && (target.jurisdiction === null || !isWithin(actor.jurisdiction, target.jurisdiction))) {
    return { allowed: false, denial: 'outside_jurisdiction' };
  }
  if (actor.kind === 'client' && actor.facilityId !== null && target.facilityId !== undefined && target.facilityId !== actor.facilityId) {
    return { allowed: false, denial: 'other_facility' };
  }
  return allowed;
}

export interface AuthorizeOptions {
  /**
   * For reads and changes of an existing record: a record outside the actor's reach answers as if
   * it did not exist, so nobody can probe which records exist elsewhere. Creating something at a
   * place named in the request reveals nothing, so that is a plain 403.
   */
  existing?: boolean;
}

/** can(), as an assertion: throws the AppError the caller should see. */
export function authorize(
  actor: Actor | undefined,
  scope: RouteScope,
  target?: Target,
  options: AuthorizeOptions = {},
): asserts actor is Actor {
  const decision = can(actor, scope, target);
  if (decision.allowed) return;
  switch (decision.denial) {
    case 'unauthenticated':
      throw new AppError('unauthenticated', 'sign in first', { hint: 'sign in, or send a bearer token from /api/v1/oauth/token' });
    case 'missing_scope':
      throw new AppError('forbidden', `your roles do not include ${scope}`, { scope, hint: 'ask an administrator for a role that has it' });
    default:
      if (options.existing) throw notFound();
      throw new AppError(
        'forbidden',
        decision.denial === 'other_facility' ? 'this client may act only for its own health facility' : 'that place is outside your jurisdiction',
        { field: decision.denial === 'other_facility' ? 'facilityId' : 'jurisdiction' },
      );
  }
}
