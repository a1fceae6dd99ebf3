import type { Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import type { RequestContext } from './audit.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { findOffice, listChildren } from '../places/store.ts';
import { hashPassword } from './passwords.ts';
import { checkPassword, type PasswordContext } from './password-rules.ts';
import { assertKnownRoles, type RoleCatalogue } from './roles.ts';
import { revokeUserSessions } from './sessions.ts';
import { clearAttempts } from './throttle-store.ts';
import { usernameKey } from './throttle.ts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  officeId: string | null;
  jurisdiction: string | null;
  roles: string[];
  passwordMustChange: boolean;
  totpEnabled: boolean;
  active: boolean;
  createdAt: Date;
  /** The language the person chose in the web app; null until they choose. */
  language: string | null;
}

/** The credential columns, read only by sign-in. */
export interface UserCredentials extends User {
  passwordHash: string;
  totpSecret: string | null;
  totpLastStep: number | null;
  /** A TOTP secret being enrolled, sealed; the current one works until this one is confirmed. */
  totpPendingSecret: string | null;
  /** Created by seed --demo with a documented password: outside demo mode it must be changed. */
  demo: boolean;
}

const userColumns = `id, username, display_name AS "displayName", office_id AS "officeId", jurisdiction, roles,
  password_must_change AS "passwordMustChange", totp_enabled AS "totpEnabled", active, created_at AS "createdAt", language`;

const credentialColumns = `${userColumns}, password_hash AS "passwordHash", totp_secret AS "totpSecret",
  totp_last_step AS "totpLastStep", totp_pending_secret AS "totpPendingSecret", demo`;

export interface NewUser {
  username: string;
  displayName: string;
  officeId?: string | null;
  jurisdiction: string | null;
  roles: string[];
  password: string;
  /** False only for demo users whose documented passwords are meant to be used as they are. */
  mustChangePassword?: boolean;
  demo?: boolean;
}

const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) {
    throw new AppError('validation_failed', 'a username is 3–64 characters: lower-case letters, digits, dot, dash or underscore', {
      field: 'username',
    });
  }
}

export function checkJurisdiction(jurisdiction: string | null): void {
  if (jurisdiction !== null && !/^\d{9}$/.test(jurisdiction)) {
    throw new AppError('validation_failed', 'jurisdiction is a 9-digit KATO code, or null for the whole country', {
      field: 'jurisdiction',
    });
  }
}

export async function createUser(tx: Tx, roles: RoleCatalogue, input: NewUser, ctx: RequestContext): Promise<User> {
  checkUsername(input.username);
  checkJurisdiction(input.jurisdiction);
  assertKnownRoles(roles, input.roles);
  await checkPassword(input.password, await passwordContext(tx, input, 'password'));
  if (input.officeId && !(await findOffice(tx, input.officeId))) {
    throw new AppError('validation_failed', `no registry office ${input.officeId}`, { field: 'officeId', hint: 'see GET /api/v1/offices' });
  }
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const { rows } = await tx.query<User>(
    `INSERT INTO users (id, username, display_name, office_id, jurisdiction, roles, password_hash, password_must_change, created_at, updated_at, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
     ON CONFLICT ((lower(username))) DO NOTHING
     RETURNING ${userColumns}`,
    [uuidv7(now.getTime()), input.username, input.displayName, input.officeId ?? null, input.jurisdiction, input.roles, passwordHash, input.mustChangePassword ?? true, now, input.demo ?? false],
  );
  if (!rows[0]) throw new AppError('conflict', `the username ${input.username} is taken`, { field: 'username' });
  return rows[0];
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserCredentials | undefined> {
  const { rows } = await db.query<UserCredentials>(`SELECT ${credentialColumns} FROM users WHERE lower(username) = lower($1)`, [username]);
  return rows[0];
}

export async function findUserCredentials(db: Queryable, id: string): Promise<UserCredentials | undefined> {
  const { rows } = await db.query<UserCredentials>(`SELECT ${credentialColumns} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

/** A user by id; `lock` takes the row lock for the rest of the caller's transaction. */
export async function findUser(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function getUser(db: Queryable, id: string): Promise<User> {
  const user = await findUser(db, id);
  if (!user) throw notFound();
  return user;
}

export interface UserListQuery {
  /** The last username of the previous page. */
  after?: string;
  limit: number;
  active?: boolean;
  /** Only usernames starting with this (usernames are lower-case ASCII, so no collation question arises). */
  prefix?: string;
  /**
   * Only accounts whose jurisdiction lies inside this KATO code (national accounts excluded);
   * null = every account. Filtered here, before the page is cut, so a page and its cursor never
   * name an account outside it.
   */
  within: string | null;
}

export async function listUsers(db: Queryable, q: UserListQuery): Promise<User[]> {
  const prefix = q.within === null ? null : significantPrefix(q.within);
  const { rows } = await db.query<User>(
    `SELECT ${userColumns} FROM users
     WHERE ($1::text IS NULL OR lower(username) > lower($1)) AND ($2::boolean IS NULL OR active = $2)
       AND ($3::text IS NULL OR left(jurisdiction, length($3)) = $3)
       AND ($5::text IS NULL OR left(lower(username), length($5)) = lower($5))
     ORDER BY lower(username) LIMIT $4`,
    [q.after ?? null, q.active ?? null, prefix, q.limit, q.prefix ?? null],
  );
  return rows;
}

/** A deactivated user keeps every row of history; only signing in and acting stop. */
export async function deactivateUser(tx: Tx, id: string, ctx: RequestContext): Promise<User> {
  const { rows } = await tx.query<User>(
    `UPDATE users SET active = false, deactivated_at = $2, updated_at = $2 WHERE id = $1 RETURNING ${userColumns}`,
    [id, ctx.clock.now()],
  );
  if (!rows[0]) throw notFound();
  await tx.query('UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [id, ctx.clock.now()]);
  return rows[0];
}

export async function setRoles(tx: Tx, catalogue: RoleCatalogue, id: string, roleIds: string[], ctx: RequestContext): Promise<User> {
  assertKnownRoles(catalogue, roleIds);
  const { rows } = await tx.query<User>(
    `UPDATE users SET roles = $2, updated_at = $3 WHERE id = $1 RETURNING ${userColumns}`,
    [id, roleIds, ctx.clock.now()],
  );
  if (!rows[0]) throw notFound();
  return rows[0];
}

/** A person's own choice of language for the web app; one of the pack's languages. */
export async function setLanguage(db: Queryable, languages: readonly string[], id: string, language: string): Promise<void> {
  if (!languages.includes(language)) {
    throw new AppError('validation_failed', `language must be one of ${languages.join(', ')}`, { field: 'language', hint: `choose one of ${languages.join(', ')}` });
  }
  await db.query('UPDATE users SET language = $2 WHERE id = $1', [id, language]);
}

/** The context words a new password is checked against: who it is for and the pack's regions. */
async function passwordContext(db: Queryable, user: Pick<User, 'username' | 'displayName'>, field: PasswordContext['field']): Promise<PasswordContext> {
  const regions = await listChildren(db, null);
  return { username: user.username, displayName: user.displayName, placeNames: regions.flatMap((r) => [r.name.en, r.name.kk, r.name.ru]), field };
}

/**
 * Sets a new password and ends the user's other sessions (all of them when an administrator sets
 * it: the user must then change it at next sign-in). An administrator's reset also lifts a lockout.
 */
export async function setPassword(
  tx: Tx,
  user: Pick<User, 'id' | 'username' | 'displayName'>,
  password: string,
  options: { mustChange: boolean; field?: PasswordContext['field']; keepSession?: string },
  ctx: RequestContext,
): Promise<void> {
  await checkPassword(password, await passwordContext(tx, user, options.field ?? 'password'));
  const now = ctx.clock.now();
  await tx.query(
    `UPDATE users SET password_hash = $2, password_must_change = $3, password_changed_at = $4, demo = false, updated_at = $4 WHERE id = $1`,
    [user.id, await hashPassword(password), options.mustChange, now],
  );
  await revokeUserSessions(tx, user.id, now, options.keepSession);
  if (options.mustChange) await clearAttempts(tx, usernameKey(user.username));
}

/**
 * The names of the people and systems behind actor ids ("user:<uuid>", "client:<id>"), as a
 * history shows who acted; an id with no name (system, a removed account) is left out.
 */
export async function actorNames(db: Queryable, actors: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(actors)];
  if (!wanted.length) return new Map();
  const { rows } = await db.query<{ actor: string; name: string }>(
    `SELECT 'user:' || id::text AS actor, display_name AS name FROM users WHERE 'user:' || id::text = ANY($1::text[])
     UNION ALL SELECT 'client:' || id, name FROM api_clients WHERE 'client:' || id = ANY($1::text[])`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.actor, r.name]));
}
