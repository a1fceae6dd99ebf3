import type { Actor } from '../access/policy.ts';
import type { Declaration } from './declaration.ts';
import { type BirthDeps, declareBirth, localDate, notifyBirth, recordEvidenceSeen, registerBirth, validateBirth } from './workflow.ts';

/**
 * Demo births in Astana for `tirkeu seed --demo`, one on each road a registrar meets: notified and
 * waiting (one overdue), declared with a document missing, validated, and registered for citizen
 * parents, an undocumented mother and a foundling. Idempotency keys make a second seed a no-op.
 */
const demoRegistrar: Actor = {
  kind: 'user',
  id: 'seed-demo',
  username: 'seed-demo',
  roles: ['national_registrar'],
  scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId: 'kz-rgo-71-01',
  sessionId: 'seed',
};

function daysAgo(deps: BirthDeps, days: number): string {
  return localDate(new Date(deps.clock.now().getTime() - days * 86_400_000), deps.timeZone);
}

export async function seedDemoBirths(deps: BirthDeps): Promise<{ births: number }> {
  const w = (key: string) => ({ actor: demoRegistrar, idempotencyKey: `seed-demo-${key}` });
  const child = (givenName: string, sex: 'male' | 'female', days: number): Declaration['child'] => ({
    givenName,
    surname: 'Демо',
    sex,
    dateOfBirth: daysAgo(deps, days),
    placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' },
    plurality: 1,
    birthOrder: 1,
    weightGrams: 3300,
  });
  const base: Omit<Declaration, 'child'> = {
    path: 'facility_birth',
    mother: { givenName: 'Айгүл', surname: 'Демо', age: 28, citizenship: 'KZ', legalStatus: 'citizen' },
    father: { givenName: 'Нұрлан', surname: 'Демо', age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    attendant: 'midwife',
    documents: [{ type: 'medical_birth_certificate', reference: 'DEMO-MBC' }],
  };
  await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'female', dateOfBirth: daysAgo(deps, 1), plurality: 1, birthOrder: 1 }, mother: { givenName: 'Сәуле' } }, w('notified'));
  await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: daysAgo(deps, 12), plurality: 1, birthOrder: 1 }, contact: { phone: '+77000000000' } }, w('overdue'));
  await declareBirth(deps, { ...base, path: 'home_birth', child: { ...child('Дана', 'female', 2), placeOfBirth: { type: 'other', kato: '711300000' } }, documents: [] }, w('missing'));
  const validated = await declareBirth(deps, { ...base, child: child('Әлихан', 'male', 1) }, w('validated'));
  // A listed document counts once someone records seeing the original.
  const seen = async (id: string, declaration: Declaration, key: string) => {
    for (const [j, d] of declaration.documents.entries()) await recordEvidenceSeen(deps, id, d, w(`${key}-e${j}`));
  };
  await seen(validated.record.id, base as Declaration, 'validated');
  await validateBirth(deps, validated.record.id, w('validated-v'));
  const registered: Declaration[] = [
    { ...base, child: child('Томирис', 'female', 2) },
    {
      ...base,
      path: 'mother_without_documents',
      child: child('Амир', 'male', 2),
      mother: { givenName: 'Мадина', age: 22, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
      father: undefined,
      maritalStatus: 'unknown',
      parentage: 'not_established',
      documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
    },
    { ...base, path: 'foundling', child: { ...child('Жанат', 'male', 3), placeOfBirth: { type: 'other', kato: '711300000' } }, mother: undefined, father: undefined, maritalStatus: 'unknown', parentage: 'not_established', informant: { relation: 'guardianship_authority' }, documents: [{ type: 'guardianship_authority_report' }] },
  ];
  for (const [i, declaration] of registered.entries()) {
    const { record } = await declareBirth(deps, declaration, w(`registered-${i}`));
    await seen(record.id, declaration, `registered-${i}`);
    await validateBirth(deps, record.id, w(`registered-${i}-v`));
    await registerBirth(deps, record.id, w(`registered-${i}-r`));
  }
  return { births: 4 + registered.length };
}
