import type { Actor } from '../access/policy.ts';
import { scopesOf } from '../access/roles.ts';
import { findUserByUsername } from '../access/users.ts';
import { actOnCase, openCase } from './cases.ts';
import type { ProtectionDeps } from './deps.ts';
import { createTracingRequest } from './tracing.ts';

/**
 * Demo protection work for `tirkeu seed --demo`, done as the demo case worker (Yesil district,
 * Astana): an unaccompanied boy found at a bus station, with his mother's names as he gave them
 * (Cyrillic) and the guardianship authority's consent to trace her, and his mother's tracing
 * request written in Latin script, so the match review has a pair to show. The demo births'
 * referrals (an undocumented mother, a foundling) wait in the inbox. Idempotency keys make a
 * second seed a no-op.
 */
async function demoActor(deps: ProtectionDeps, username: string): Promise<Actor> {
  const user = await findUserByUsername(deps.db, username);
  if (!user) throw new Error(`run the demo seed's users first: ${username} is missing`);
  return { kind: 'user', id: user.id, username, roles: user.roles, scopes: scopesOf(deps.roles, user.roles), jurisdiction: user.jurisdiction, officeId: user.officeId, sessionId: 'seed-demo' };
}

export async function seedDemoProtection(deps: ProtectionDeps): Promise<{ cases: number; tracing: number }> {
  const actor = await demoActor(deps, 'demo.case_worker');
  const w = (key: string) => ({ actor, idempotencyKey: `seed-demo-protection-${key}` });
  const opened = await openCase(
    deps,
    {
      kind: 'unaccompanied',
      risk: 'high',
      child: { surname: 'Алиев', givenName: 'Тимур', sex: 'male', approximateAge: { years: 9, estimatedBy: 'statement', note: 'says he finished the second grade' }, languages: ['uz', 'ru'], countryOfOrigin: 'UZ', identityAsStated: true },
      separation: {
        where: 'Астана, автовокзал',
        from: 'мать',
        documentsHeld: [],
        parents: [{ role: 'mother', surname: 'Алиева', givenName: 'Гульнара', whereabouts: 'неизвестно; работала в Алматы' }],
        siblings: [],
        careArrangement: 'кризисный центр',
      },
    },
    w('case-timur'),
  );
  if (opened.data.consents.length === 0) {
    await actOnCase(deps, opened.id, { type: 'GIVE_CONSENT', purpose: 'tracing', givenBy: { name: 'Орган опеки и попечительства района Есиль', relation: 'guardianship_authority' } }, w('case-timur-consent'));
  }
  await createTracingRequest(
    deps,
    {
      requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother', contact: 'phone +77000000001' },
      sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', approximateAge: { years: 9 }, lastSeen: { place: 'Astana', circumstances: 'left with a neighbour to look for work' } },
      consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' } },
    },
    w('tracing-gulnara'),
  );
  return { cases: 1, tracing: 1 };
}
