import type { Db } from '../core/db/types.ts';
import { audit, type AuditEvent, type RequestContext } from './audit.ts';
import { type ApiClient, createClient, type NewClient, rotateSecret } from './clients.ts';
import type { RoleCatalogue } from './roles.ts';
import { createUser, deactivateUser, type NewUser, setPassword, setRoles, type User } from './users.ts';

/**
 * The administration use cases, shared by the API and the CLI: each is one transaction that
 * makes the change and writes its audit line, so no path changes an account without a trace.
 * Permission checks belong to the caller (the API's authorize(); the CLI runs as the system).
 */
type By = AuditEvent['actor'];

export function addUser(db: Db, roles: RoleCatalogue, input: NewUser, ctx: RequestContext, by: By): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await createUser(tx, roles, input, ctx);
    await audit(tx, ctx, { actor: by, event: 'user_created', outcome: 'success', targetType: 'user', targetId: user.id, details: { roles: user.roles } });
    return user;
  });
}

export function changeRoles(db: Db, roles: RoleCatalogue, before: User, roleIds: string[], ctx: RequestContext, by: By): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await setRoles(tx, roles, before.id, roleIds, ctx);
    await audit(tx, ctx, { actor: by, event: 'roles_changed', outcome: 'success', targetType: 'user', targetId: user.id, details: { from: before.roles, to: user.roles } });
    return user;
  });
}

export function deactivate(db: Db, target: User, ctx: RequestContext, by: By): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await deactivateUser(tx, target.id, ctx);
    await audit(tx, ctx, { actor: by, event: 'user_deactivated', outcome: 'success', targetType: 'user', targetId: user.id });
    return user;
  });
}

/** An administrator's reset: a temporary password the user must change; their sessions end. */
export function resetPassword(db: Db, target: User, password: string, ctx: RequestContext, by: By): Promise<void> {
  return db.transaction(async (tx) => {
    await setPassword(tx, target, password, { mustChange: true }, ctx);
    await audit(tx, ctx, { actor: by, event: 'password_reset', outcome: 'success', targetType: 'user', targetId: target.id });
  });
}

export function addClient(db: Db, input: NewClient, ctx: RequestContext, by: By): Promise<{ client: ApiClient; secret: string }> {
  return db.transaction(async (tx) => {
    const created = await createClient(tx, input, ctx);
    await audit(tx, ctx, { actor: by, event: 'client_created', outcome: 'success', targetType: 'client', targetId: created.client.id, details: { scopes: created.client.scopes } });
    return created;
  });
}

export function rotateClientSecret(db: Db, clientId: string, ctx: RequestContext, by: By): Promise<string> {
  return db.transaction(async (tx) => {
    const secret = await rotateSecret(tx, clientId, ctx);
    await audit(tx, ctx, { actor: by, event: 'client_secret_rotated', outcome: 'success', targetType: 'client', targetId: clientId });
    return secret;
  });
}
