import type { Db } from '../core/db/types.ts';
import type { RequestContext } from './audit.ts';
import { addClient } from './administration.ts';
import { findClient } from './clients.ts';
import type { RoleCatalogue } from './roles.ts';
import { sealSecret } from './secret-box.ts';
import { createUser, findUserByUsername } from './users.ts';

/**
 * Demo accounts, one per role, with passwords published in the README. They work as they are only
 * while TIRKEU_DEMO is on; otherwise the first sign-in demands a new password. Roles that need a
 * second factor come already enrolled with the published TOTP secret below, so a visitor can sign
 * in with any authenticator app (or `tirkeu demo-code`).
 */
export const demoPassword = 'steppe demo registry';
export const demoTotpSecret = 'TIRKEUDEMOSECRETKAZAKHSTAN234567';

/** Demo users work in Astana (71…): district roles in its Yesil district, region roles in the whole city. */
const demoPlaces = { national: null, region: '710000000', district: '711300000' } as const;
const demoOffice = 'kz-rgo-71-01';
export const demoFacility = 'kz-hf-71-001';

export interface DemoSeed {
  users: { username: string; role: string; jurisdiction: string | null; secondFactor: boolean }[];
  client: { id: string; secret: string } | undefined;
}

export async function seedDemo(db: Db, roles: RoleCatalogue, secretKey: Buffer, ctx: RequestContext): Promise<DemoSeed> {
  const by = { kind: 'system' as const, id: 'seed-demo' };
  const seed: DemoSeed = { users: [], client: undefined };
  for (const role of roles.values()) {
    const username = `demo.${role.id}`;
    const jurisdiction = demoPlaces[role.jurisdiction];
    seed.users.push({ username, role: role.id, jurisdiction, secondFactor: role.sensitive });
    if (await findUserByUsername(db, username)) continue;
    await db.transaction(async (tx) => {
      const user = await createUser(
        tx,
        roles,
        { username, displayName: `Demo ${role.name.en}`, jurisdiction, officeId: role.jurisdiction === 'national' ? null : demoOffice, roles: [role.id], password: demoPassword, mustChangePassword: false, demo: true },
        ctx,
      );
      if (role.sensitive) {
        await tx.query('UPDATE users SET totp_secret = $2, totp_enabled = true WHERE id = $1', [user.id, sealSecret(demoTotpSecret, secretKey)]);
      }
    });
  }
  const clientId = 'demo-hospital-71-001';
  if (!(await findClient(db, clientId))) {
    const created = await addClient(db, roles, { id: clientId, name: 'Demo: Multi-profile Perinatal Centre No. 1, Astana', scopes: ['birth.notify'], jurisdiction: demoPlaces.district, facilityId: demoFacility }, ctx, by);
    seed.client = { id: clientId, secret: created.secret };
  }
  return seed;
}
