import type { Db, Tx } from '../core/db/types.ts';
import { AppError, isAppError, notFound } from '../core/errors.ts';
import { findOffice } from '../places/store.ts';
import { audit, type RequestContext } from './audit.ts';
import { type ApiClient, createClient, deactivateClient, findClient, listClients, type NewClient, rotateSecret } from './clients.ts';
import { type Actor, authorize, can } from './policy.ts';
import { assertKnownRoles, checkClientScopes, checkGrant, needsSecondFactor, type RoleCatalogue } from './roles.ts';
import { revokeUserSessions } from './sessions.ts';
import { createUser, deactivateUser, findUser, listUsers, type NewUser, setPassword, setRoles, type User } from './users.ts';

/**
 * The administration use cases, shared by the API and the CLI (which acts as the system). Each
 * makes every decision itself: the scope, the jurisdiction (an account or client outside it answers
 * exactly as a missing one), what the actor may grant (roles.json), and writes its audit line in
 * the transaction that makes the change.
 */

/**
 * Runs one change in one transaction. A refusal gets its own audit line after the rollback: an
 * attempt to grant oneself more is exactly what an auditor looks for.
 */
async function administer<T>(db: Db, ctx: RequestContext, actor: Actor, event: string, target: { type: string; id?: string }, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    // An account or client outside the actor's jurisdiction answers 404 like a missing one: the
    // caller learns nothing, but the auditor must still see the attempt.
    if (isAppError(error) && (error.code === 'forbidden' || error.code === 'not_found')) {
      await audit(db, ctx, { actor, event, outcome: 'denied', targetType: target.type, targetId: target.id, details: { reason: error.message } });
    }
    throw error;
  }
}

/** An account the actor may manage; one outside its jurisdiction answers as a missing one. */
async function managedUser(tx: Tx, actor: Actor, id: string): Promise<User> {
  const user = await findUser(tx, id, { lock: true });
  authorize(actor, 'user.manage', user ? { jurisdiction: user.jurisdiction } : undefined, { existing: true });
  if (!user) throw notFound();
  return user;
}

export interface UserPage {
  items: User[];
  /** The cursor of the next page (the last username of this one); null on the last page. */
  next: string | null;
}

/** Accounts inside the actor's jurisdiction, filtered before the page is cut. */
export async function listAccounts(db: Db, actor: Actor | undefined, q: { after?: string; limit: number; active?: boolean; prefix?: string }): Promise<UserPage> {
  authorize(actor, 'user.manage');
  const items = await listUsers(db, { ...q, within: actor.kind === 'system' ? null : actor.jurisdiction });
  return { items, next: items.length === q.limit ? items.at(-1)!.username : null };
}

export async function getAccount(db: Db, actor: Actor | undefined, id: string): Promise<User> {
  authorize(actor, 'user.manage');
  return db.transaction((tx) => managedUser(tx, actor, id));
}

/**
 * A user registers at their office: its act numbers and its name go on their registrations. An
 * administrator may place accounts only at offices inside its own jurisdiction.
 */
async function checkOffice(tx: Tx, actor: Actor, officeId: string | null | undefined): Promise<void> {
  const office = officeId ? await findOffice(tx, officeId) : undefined;
  if (office && !can(actor, 'user.manage', { jurisdiction: office.kato }).allowed) {
    throw new AppError('forbidden', 'that registry office is outside your jurisdiction', { field: 'officeId', hint: 'choose an office inside your jurisdiction' });
  }
}

export async function addUser(db: Db, roles: RoleCatalogue, input: NewUser, ctx: RequestContext, actor: Actor | undefined): Promise<User> {
  authorize(actor, 'user.manage');
  return administer(db, ctx, actor, 'user_created', { type: 'user' }, async (tx) => {
    // Creating at a place named in the request reveals nothing: outside the jurisdiction is a 403.
    authorize(actor, 'user.manage', { jurisdiction: input.jurisdiction });
    await checkOffice(tx, actor, input.officeId);
    assertKnownRoles(roles, input.roles);
    checkGrant(roles, actor, { id: null, before: [], after: input.roles });
    const user = await createUser(tx, roles, input, ctx);
    await audit(tx, ctx, { actor, event: 'user_created', outcome: 'success', targetType: 'user', targetId: user.id, details: { roles: user.roles } });
    return user;
  });
}

export async function changeRoles(db: Db, roles: RoleCatalogue, id: string, roleIds: string[], ctx: RequestContext, actor: Actor | undefined): Promise<User> {
  authorize(actor, 'user.manage');
  return administer(db, ctx, actor, 'roles_changed', { type: 'user', id }, async (tx) => {
    const before = await managedUser(tx, actor, id);
    assertKnownRoles(roles, roleIds);
    checkGrant(roles, actor, { id: before.id, before: before.roles, after: roleIds });
    const user = await setRoles(tx, roles, before.id, roleIds, ctx);
    // Sessions opened with a password alone must not carry roles that need a second factor: the
    // next sign-in asks for enrolment.
    if (!before.totpEnabled && needsSecondFactor(roles, roleIds)) await revokeUserSessions(tx, before.id, ctx.clock.now());
    await audit(tx, ctx, { actor, event: 'roles_changed', outcome: 'success', targetType: 'user', targetId: user.id, details: { from: before.roles, to: user.roles } });
    return user;
  });
}

export async function deactivate(db: Db, roles: RoleCatalogue, id: string, ctx: RequestContext, actor: Actor | undefined): Promise<User> {
  authorize(actor, 'user.manage');
  return administer(db, ctx, actor, 'user_deactivated', { type: 'user', id }, async (tx) => {
    const target = await managedUser(tx, actor, id);
    checkGrant(roles, actor, { id: target.id, before: target.roles, after: target.roles });
    const user = await deactivateUser(tx, target.id, ctx);
    await audit(tx, ctx, { actor, event: 'user_deactivated', outcome: 'success', targetType: 'user', targetId: user.id });
    return user;
  });
}

/** An administrator's reset: a temporary password the user must change; their sessions end. */
export async function resetPassword(db: Db, roles: RoleCatalogue, id: string, password: string, ctx: RequestContext, actor: Actor | undefined): Promise<void> {
  authorize(actor, 'user.manage');
  return administer(db, ctx, actor, 'password_reset', { type: 'user', id }, async (tx) => {
    const target = await managedUser(tx, actor, id);
    // A reset hands over the account: only for accounts the actor could have made, never one's own.
    checkGrant(roles, actor, { id: target.id, before: target.roles, after: target.roles });
    await setPassword(tx, target, password, { mustChange: true }, ctx);
    await audit(tx, ctx, { actor, event: 'password_reset', outcome: 'success', targetType: 'user', targetId: target.id });
  });
}

/** API clients inside the actor's jurisdiction. */
export async function listApiClients(db: Db, actor: Actor | undefined): Promise<ApiClient[]> {
  authorize(actor, 'system.admin');
  return listClients(db, actor.kind === 'system' ? null : actor.jurisdiction);
}

/** Registers an API client with scopes the pack allows machines; the secret is returned once. */
export async function addClient(db: Db, roles: RoleCatalogue, input: NewClient, ctx: RequestContext, actor: Actor | undefined): Promise<{ client: ApiClient; secret: string }> {
  authorize(actor, 'system.admin');
  return administer(db, ctx, actor, 'client_created', { type: 'client' }, async (tx) => {
    authorize(actor, 'system.admin', { jurisdiction: input.jurisdiction });
    checkClientScopes(roles, input.scopes);
    const created = await createClient(tx, input, ctx);
    await audit(tx, ctx, { actor, event: 'client_created', outcome: 'success', targetType: 'client', targetId: created.client.id, details: { scopes: created.client.scopes } });
    return created;
  });
}

/** A client an administrator may manage, locked for the change; outside its jurisdiction it answers as missing. */
async function managedClient(tx: Tx, id: string, actor: Actor | undefined): Promise<ApiClient> {
  const client = await findClient(tx, id, { lock: true });
  authorize(actor, 'system.admin', client ? { jurisdiction: client.jurisdiction } : undefined, { existing: true });
  if (!client) throw notFound();
  return client;
}

export async function rotateClientSecret(db: Db, id: string, ctx: RequestContext, actor: Actor | undefined): Promise<string> {
  authorize(actor, 'system.admin');
  return administer(db, ctx, actor, 'client_secret_rotated', { type: 'client', id }, async (tx) => {
    const client = await managedClient(tx, id, actor);
    const secret = await rotateSecret(tx, client.id, ctx);
    await audit(tx, ctx, { actor, event: 'client_secret_rotated', outcome: 'success', targetType: 'client', targetId: client.id });
    return secret;
  });
}

/** Stops a client inside the actor's jurisdiction at once: its secrets and bearer tokens end now. */
export async function deactivateApiClient(db: Db, id: string, ctx: RequestContext, actor: Actor | undefined): Promise<ApiClient> {
  authorize(actor, 'system.admin');
  return administer(db, ctx, actor, 'client_deactivated', { type: 'client', id }, async (tx) => {
    const client = await managedClient(tx, id, actor);
    const stopped = await deactivateClient(tx, client.id, ctx);
    await audit(tx, ctx, { actor, event: 'client_deactivated', outcome: 'success', targetType: 'client', targetId: client.id });
    return stopped;
  });
}
