import type { Scope } from '../../src/access/scopes.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import type { Actor } from '../../src/access/policy.ts';
import { type BirthDeps, birthDepsFor, declareBirth, recordEvidenceSeen, registerBirth, requestCorrection, validateBirth } from '../../src/births/workflow.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';

/** A complete facility-birth declaration at the given facility (Astana kz-hf-71-001 by default). */
export function facilityDeclaration(facilityId = 'kz-hf-71-001'): Declaration {
  return {
    path: 'facility_birth',
    child: { givenName: 'Айгерім', surname: 'Ахметова', sex: 'female', dateOfBirth: '2026-02-28', placeOfBirth: { type: 'facility', facilityId }, plurality: 1, birthOrder: 1 },
    mother: { givenName: 'Динара', age: 30, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }],
  };
}

export function birthDeps(db: Db, clock: Clock): BirthDeps {
  return birthDepsFor(db, clock, 'kz');
}

export type BirthStage = 'declared' | 'validated' | 'registered' | 'correction_requested';

/** A national registrar of the tests, who takes records through the workflow. */
export function helperRegistrar(extraScopes: Scope[] = []): Actor {
  return {
    kind: 'user',
    id: 'test-helper',
    username: 'test.helper',
    roles: ['national_registrar'],
    scopes: new Set<Scope>(['birth.declare', 'birth.validate', 'birth.register', 'correction.approve', ...extraScopes]),
    jurisdiction: null,
    officeId: 'kz-rgo-71-01',
    sessionId: 'test',
  };
}

/** A birth record at the facility, taken by a national helper registrar as far as `stage`. */
export async function makeBirth(deps: BirthDeps, facilityId: string, stage: BirthStage = 'declared'): Promise<string> {
  const actor = helperRegistrar();
  const { record } = await declareBirth(deps, facilityDeclaration(facilityId), { actor });
  await recordEvidenceSeen(deps, record.id, { type: 'medical_birth_certificate' }, { actor });
  if (stage === 'declared') return record.id;
  await validateBirth(deps, record.id, { actor });
  if (stage === 'validated') return record.id;
  await registerBirth(deps, record.id, { actor });
  if (stage === 'correction_requested') await requestCorrection(deps, record.id, { ...facilityDeclaration(facilityId), child: { ...facilityDeclaration(facilityId).child, givenName: 'Айгуль' } }, { actor, reason: 'the name was misspelt' });
  return record.id;
}
