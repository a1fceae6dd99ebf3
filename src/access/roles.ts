import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors.ts';
import { isScope, type Scope } from './scopes.ts';

export interface Role {
  id: string;
  name: { kk: string; ru: string; en: string };
  scopes: readonly Scope[];
  /** Sensitive roles must sign in with a TOTP second factor. */
  sensitive: boolean;
  jurisdiction: 'national' | 'region' | 'district';
}

export type RoleCatalogue = ReadonlyMap<string, Role>;

const configDir = fileURLToPath(new URL('../../config/', import.meta.url));

/** Checks a pack's roles.json: every role named in three languages, every scope one the code knows. */
export function parseRoles(json: unknown, source = 'roles.json'): RoleCatalogue {
  const roles = (json as { roles?: unknown })?.roles;
  if (!Array.isArray(roles)) throw new AppError('validation_failed', `${source}: "roles" must be a list`, { field: `${source}: roles` });
  const catalogue = new Map<string, Role>();
  for (const [index, raw] of roles.entries()) {
    const role = raw as Partial<Role>;
    const where = `${source}: roles[${index}]`;
    if (typeof role.id !== 'string' || !/^[a-z_]+$/.test(role.id)) {
      throw new AppError('validation_failed', `${where}.id must be a lower_snake_case name`, { field: `${where}.id` });
    }
    if (catalogue.has(role.id)) throw new AppError('validation_failed', `${where}: role ${role.id} is defined twice`, { field: `${where}.id` });
    if (!role.name || !['kk', 'ru', 'en'].every((lang) => typeof role.name?.[lang as 'kk'] === 'string')) {
      throw new AppError('validation_failed', `${where}.name needs kk, ru and en`, { field: `${where}.name` });
    }
    const unknown = (role.scopes ?? []).filter((s) => !isScope(s));
    if (!Array.isArray(role.scopes) || unknown.length) {
      throw new AppError('validation_failed', `${where}.scopes has unknown scopes: ${unknown.join(', ')}`, {
        field: `${where}.scopes`,
        hint: 'use scopes listed in src/access/scopes.ts',
      });
    }
    if (!['national', 'region', 'district'].includes(role.jurisdiction ?? '')) {
      throw new AppError('validation_failed', `${where}.jurisdiction must be national, region or district`, { field: `${where}.jurisdiction` });
    }
    catalogue.set(role.id, {
      id: role.id,
      name: role.name,
      scopes: role.scopes,
      sensitive: role.sensitive === true,
      jurisdiction: role.jurisdiction!,
    });
  }
  return catalogue;
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
