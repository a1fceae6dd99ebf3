import type { Declaration } from '../../src/births/declaration.ts';
import { parseBirthRules } from '../../src/births/rules.ts';
import { type BirthDeps, declareBirth, validateBirth } from '../../src/births/workflow.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';

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
  const settings = loadPack('kz').settings;
  return { db, clock, rules: parseBirthRules(settings), timeZone: settings.timeZone };
}

/** A birth record made by the system actor, declared (and validated if asked) at the facility. */
export async function makeBirth(deps: BirthDeps, facilityId: string, validated = false): Promise<string> {
  const actor = { kind: 'system', id: 'system' } as const;
  const { record } = await declareBirth(deps, facilityDeclaration(facilityId), { actor });
  if (validated) await validateBirth(deps, record.id, { actor });
  return record.id;
}
