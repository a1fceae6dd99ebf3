import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors.ts';
import type { Actor } from './policy.ts';
import { isScope, neverForMachines, type Scope } from './scopes.ts';

export interface Role {
  id: string;
  name: { kk: string; ru: string; en: string };
  scopes: readonly Scope[];
  /** Sensitive roles must sign in with a TOTP second factor. */
  sensitive: boolean;
  jurisdiction: 'national' | 'region' | 'district';
  /** Roles a holder of this role may give to, or take from, someone else. */
  grants: readonly string[];
  /** Roles a holder may give or take only when their own jurisdiction is the whole country. */
  nationalGrants: readonly string[];
}

/** The pack's roles by id, and the scopes an API client (a machine) may hold. */
export interface RoleCatalogue extends ReadonlyMap<string, Role> {
  readonly clientScopes: readonly Scope[];
}

const configDir = fileURLToPath(new URL('../../config/', import.meta.url));

const invalid = (field: string, message: string, hint?: string) => new AppError('validation_failed', `${field} ${message}`, { field, hint });

function scopeList(value: unknown, field: string): Scope[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw invalid(field, 'must be a list of scope names');
  const unknown = value.filter((s) => !isScope(s));
  if (unknown.length) throw invalid(field, `has unknown scopes: ${unknown.join(', ')}`, 'use scopes listed in src/access/scopes.ts');
  return value as Scope[];
}

function roleList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((r) => typeof r === 'string')) throw invalid(field, 'must be a list of role ids');
  return value as string[];
}

/**
 * Checks a pack's roles.json: every role named in three languages, every scope one the code knows,
 * every granted role defined, and no administration scope among those a machine client may hold.
 */
export function parseRoles(json: unknown, source = 'roles.json'): RoleCatalogue {
  const roles = (json as { roles?: unknown })?.roles;
  if (!Array.isArray(roles)) throw invalid(`${source}: roles`, 'must be a list');
  const catalogue = new Map<string, Role>();
  for (const [index, raw] of roles.entries()) {
    const role = raw as Partial<Record<keyof Role, unknown>>;
    const where = `${source}: roles[${index}]`;
    if (typeof role.id !== 'string' || !/^[a-z_]+$/.test(role.id)) throw invalid(`${where}.id`, 'must be a lower_snake_case name');
    if (catalogue.has(role.id)) throw invalid(`${where}.id`, `defines role ${role.id} a second time`);
    const name = role.name as Role['name'] | undefined;
    if (!name || !['kk', 'ru', 'en'].every((lang) => typeof name[lang as 'kk'] === 'string')) throw invalid(`${where}.name`, 'needs kk, ru and en');
    const jurisdiction = role.jurisdiction as Role['jurisdiction'];
    if (!['national', 'region', 'district'].includes(jurisdiction)) throw invalid(`${where}.jurisdiction`, 'must be national, region or district');
    catalogue.set(role.id, {
      id: role.id,
      name,
      scopes: scopeList(role.scopes, `${where}.scopes`),
      sensitive: role.sensitive === true,
      jurisdiction,
      grants: roleList(role.grants, `${where}.grants`),
      nationalGrants: roleList(role.nationalGrants, `${where}.nationalGrants`),
    });
  }
  for (const [index, role] of [...catalogue.values()].entries()) {
    for (const key of ['grants', 'nationalGrants'] as const) {
      const unknown = role[key].filter((id) => !catalogue.has(id));
      if (unknown.length) throw invalid(`${source}: roles[${index}].${key}`, `names undefined roles: ${unknown.join(', ')}`);
    }
  }
  const clientScopes = scopeList((json as { clientScopes?: unknown }).clientScopes, `${source}: clientScopes`);
  const administrative = clientScopes.filter((s) => neverForMachines.includes(s));
  if (administrative.length) {
    throw invalid(`${source}: clientScopes`, `may not include ${administrative.join(', ')}`, 'administration is done by people, never by an API client');
  }
  return Object.assign(catalogue, { clientScopes });
}

const loaded = new Map<string, RoleCatalogue>();

export function loadRoles(pack: string): RoleCatalogue {
  let catalogue = loaded.get(pack);
  if (!catalogue) {
    const file = `${configDir}${pack}/roles.json`;
    catalogue = parseRoles(JSON.parse(fs.readFileSync(file, 'utf8')), `config/${pack}/roles.json`);
    loaded.set(pack, catalogue);
  }
  return catalogue;
}

export function scopesOf(catalogue: RoleCatalogue, roleIds: readonly string[]): Set<Scope> {
  const result = new Set<Scope>();
  for (const id of roleIds) for (const scope of catalogue.get(id)?.scopes ?? []) result.add(scope);
  return result;
}

export function needsSecondFactor(catalogue: RoleCatalogue, roleIds: readonly string[]): boolean {
  return roleIds.some((id) => catalogue.get(id)?.sensitive);
}

export function assertKnownRoles(catalogue: RoleCatalogue, roleIds: readonly string[]): void {
  const unknown = roleIds.filter((id) => !catalogue.has(id));
  if (unknown.length || roleIds.length === 0) {
    throw new AppError('validation_failed', roleIds.length ? `unknown roles: ${unknown.join(', ')}` : 'a user needs at least one role', {
      field: 'roles',
      hint: `choose from: ${[...catalogue.keys()].join(', ')}`,
    });
  }
}

/**
 * The roles an actor may give or take: what its roles' `grants` say, plus their `nationalGrants`
 * when the actor's jurisdiction is the whole country. The system (the CLI run on the server by an
 * operator) may grant every role: it is how the first administrator comes to exist. An API client
 * holds no roles, so it may grant none.
 */
export function grantableRoles(catalogue: RoleCatalogue, actor: Actor): ReadonlySet<string> {
  if (actor.kind === 'system') return new Set(catalogue.keys());
  if (actor.kind === 'client') return new Set();
  const result = new Set<string>();
  for (const id of actor.roles) {
    const role = catalogue.get(id);
    for (const granted of role?.grants ?? []) result.add(granted);
    if (actor.jurisdiction === null) for (const granted of role?.nationalGrants ?? []) result.add(granted);
  }
  return result;
}

/**
 * Who may set which roles on whom: nobody on their own account, and only roles the actor may grant.
 * `before` is the account's current roles: an actor manages only accounts it could have made, so
 * a regional administrator can neither demote nor take over (by a password reset) an account that
 * holds a role it could not give.
 */
export function checkGrant(catalogue: RoleCatalogue, actor: Actor, target: { id: string | null; before: readonly string[]; after: readonly string[] }): void {
  if (actor.kind !== 'system' && actor.id === target.id) {
    throw new AppError('forbidden', 'nobody may change their own roles or account through administration', {
      field: 'id',
      hint: 'ask another administrator; change your own password at /api/v1/auth/password',
    });
  }
  const grantable = grantableRoles(catalogue, actor);
  const refused = [...new Set([...target.before, ...target.after])].filter((id) => !grantable.has(id));
  if (refused.length) {
    throw new AppError('forbidden', `your roles may not grant or manage: ${refused.join(', ')}`, {
      field: 'roles',
      refused,
      hint: grantable.size ? `you may grant: ${[...grantable].join(', ')}` : 'ask an administrator whose role may grant these',
    });
  }
}

/** A role as the administration screens show it: named in the pack's languages, and whether the reader may grant it. */
export interface RoleView {
  id: string;
  name: Role['name'];
  sensitive: boolean;
  jurisdiction: Role['jurisdiction'];
  grantable: boolean;
}

/**
 * The pack's roles for one reader, with the scopes an API client may hold. `grantable` is the same
 * set checkGrant enforces, so a screen offers exactly the roles the server will accept from them.
 */
export function describeRoles(catalogue: RoleCatalogue, actor: Actor): { roles: RoleView[]; clientScopes: Scope[] } {
  const grantable = grantableRoles(catalogue, actor);
  return {
    roles: [...catalogue.values()].map((role) => ({ id: role.id, name: role.name, sensitive: role.sensitive, jurisdiction: role.jurisdiction, grantable: grantable.has(role.id) })),
    clientScopes: catalogue.clientScopes.filter((s) => !neverForMachines.includes(s)),
  };
}

/** An API client may hold only the scopes the pack allows machines, and never an administration scope. */
export function checkClientScopes(catalogue: RoleCatalogue, scopes: readonly string[]): void {
  const refused = scopes.filter((s) => !catalogue.clientScopes.includes(s as Scope) || neverForMachines.includes(s as Scope));
  if (refused.length || scopes.length === 0) {
    throw new AppError('validation_failed', refused.length ? `an API client may not hold: ${refused.join(', ')}` : 'a client needs at least one scope', {
      field: 'scopes',
      hint: `a client may hold: ${catalogue.clientScopes.join(', ')}`,
    });
  }
}
