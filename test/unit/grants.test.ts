import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import { can } from '../../src/access/policy.ts';
import { checkClientScopes, checkGrant, grantableRoles, loadRoles, parseRoles } from '../../src/access/roles.ts';
import { scopes } from '../../src/access/scopes.ts';

const kz = loadRoles('kz');
const name = { kk: 'k', ru: 'r', en: 'e' };
const user = (roles: string[], jurisdiction: string | null, id = 'u-1'): Actor => ({
  kind: 'user',
  id,
  username: id,
  roles,
  scopes: new Set(),
  jurisdiction,
  officeId: null,
  sessionId: 's',
});

describe('roles.json: grants and machine scopes', () => {
  it('refuses a pack that lets machines hold an administration scope, or grants a role it does not define', () => {
    for (const scope of ['user.manage', 'audit.read', 'system.admin']) {
      expect(() => parseRoles({ clientScopes: ['birth.notify', scope], roles: [] })).toThrow(`may not include ${scope}`);
    }
    expect(() => parseRoles({ clientScopes: [], roles: [{ id: 'a', name, scopes: [], jurisdiction: 'national', grants: ['b'] }] })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'roles.json: roles[0].grants' }) }),
    );
    expect(() => parseRoles({ roles: [] })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'roles.json: clientScopes' }) }));
  });

  it('gives the Kazakhstan system administrator every operational role, and system_admin only to a national one', () => {
    const regional = grantableRoles(kz, user(['system_admin'], '710000000'));
    const national = grantableRoles(kz, user(['system_admin'], null));
    expect([...regional].sort()).toEqual([...kz.keys()].filter((r) => r !== 'system_admin').sort());
    expect([...national].sort()).toEqual([...kz.keys()].sort());
    expect(grantableRoles(kz, user(['national_registrar'], null)).size).toBe(0);
    expect(kz.clientScopes).toEqual(['birth.notify']);
  });

  it('never lets a user change their own account, nor touch a role they may not grant (property)', () => {
    const roleIds = [...kz.keys()];
    fc.assert(
      fc.property(
        fc.subarray(roleIds, { minLength: 1 }),
        fc.option(fc.constantFrom('710000000', '750000000', '711300000'), { nil: null }),
        fc.subarray(roleIds),
        fc.subarray(roleIds, { minLength: 1 }),
        fc.boolean(),
        (actorRoles, jurisdiction, before, after, self) => {
          const actor = user(actorRoles, jurisdiction);
          const grantable = grantableRoles(kz, actor);
          const allowed = !self && [...before, ...after].every((r) => grantable.has(r));
          const attempt = () => checkGrant(kz, actor, { id: self ? actor.id : 'someone-else', before, after });
          if (allowed) expect(attempt).not.toThrow();
          else expect(attempt).toThrow(expect.objectContaining({ code: 'forbidden' }));
          if (jurisdiction !== null) expect(grantable.has('system_admin')).toBe(false);
        },
      ),
    );
  });

  it('lets a client hold only the pack machine scopes, and the policy denies administration to any client', () => {
    expect(() => checkClientScopes(kz, ['birth.notify'])).not.toThrow();
    for (const scope of scopes.filter((s) => s !== 'birth.notify')) expect(() => checkClientScopes(kz, [scope]), scope).toThrow();
    const client: Actor = { kind: 'client', id: 'c', scopes: new Set(scopes), jurisdiction: null, facilityId: null };
    for (const scope of ['user.manage', 'audit.read', 'system.admin'] as const) expect(can(client, scope)).toEqual({ allowed: false, denial: 'missing_scope' });
    expect(can(client, 'birth.notify')).toEqual({ allowed: true });
  });
});
