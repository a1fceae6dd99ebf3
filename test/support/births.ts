import type { Scope } from '../../src/access/scopes.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import type { Actor } from '../../src/access/policy.ts';
import { type BirthDeps, birthDepsFor, declareBirth, recordEvidenceSeen, registerBirth, requestCorrection, validateBirth } from '../../src/births/workflow.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';

/**
 * A complete facility-birth declaration at the given facility (Astana kz-hf-71-001 by default), of
 * another family at each call: record linkage would rightly stop the second declaration of one
 * child (test/workflow/duplicates.test.ts tests that). The first call of a test file, or `family`
 * 0, is the Ахметова family; give `family` to get the same one again.
 */
export function facilityDeclaration(facilityId = 'kz-hf-71-001', family = nextFamily++): Declaration {
  const f = familyNames(family);
  return {
    path: 'facility_birth',
    child: { givenName: f.child, surname: f.surname, sex: 'female', dateOfBirth: '2026-02-28', placeOfBirth: { type: 'facility', facilityId }, plurality: 1, birthOrder: 1 },
    mother: { givenName: f.mother, ...(family && { surname: f.motherSurname }), age: 30, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }],
  };
}

let nextFamily = 0;
const surnames = ['Ахметова', 'Серікова', 'Жұмабаева', 'Омарова', 'Тоқтарова', 'Бекова', 'Сейітова', 'Нұрланова', 'Қасымова', 'Әбенова', 'Мұратова', 'Ерғалиева', 'Төлегенова', 'Байжанова', 'Сәрсенова', 'Иманова', 'Жақыпова', 'Кенжебаева', 'Орынбаева', 'Шәріпова', 'Темірова', 'Дүйсенова', 'Рахимова', 'Абдуллаева', 'Мамырова', 'Есенова', 'Құрманова', 'Ысқақова', 'Бақытова', 'Сұлтанова'];
const girls = ['Айгерім', 'Аружан', 'Томирис', 'Жансая', 'Інжу', 'Сезім', 'Аяулым', 'Назерке', 'Меруерт', 'Нұрай', 'Ақбота', 'Дариға', 'Гүлжан', 'Балнұр', 'Еркежан', 'Зере', 'Күнсұлу', 'Мөлдір', 'Нұрсұлу', 'Тоғжан', 'Шапағат', 'Ұлжан', 'Айша', 'Фариза', 'Хадиша', 'Лаура', 'Камила', 'Самира', 'Эльвира', 'Яна'];
const mothers = ['Динара', 'Гүлнар', 'Сәуле', 'Жанар', 'Бибігүл', 'Ләззат', 'Салтанат', 'Гаухар', 'Ақмарал', 'Ботагөз', 'Жұлдыз', 'Назгүл', 'Ардақ', 'Шынар', 'Самал', 'Әсем', 'Перизат', 'Ұлболсын', 'Маржан', 'Райхан', 'Талшын', 'Күләш', 'Мейрамгүл', 'Зейнеп', 'Роза', 'Ирина', 'Ольга', 'Людмила', 'Наталья', 'Оксана'];

/** Family n's names: families that share a surname (every 30th) differ in every given name. */
export function familyNames(n: number): { surname: string; child: string; mother: string; motherSurname: string } {
  const round = Math.floor(n / 30);
  return { surname: surnames[n % 30]!, child: girls[(n + round) % 30]!, mother: mothers[(n + 2 * round) % 30]!, motherSurname: surnames[(n + 7 * round) % 30]! };
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
  const declaration = facilityDeclaration(facilityId);
  const { record } = await declareBirth(deps, declaration, { actor });
  await recordEvidenceSeen(deps, record.id, { type: 'medical_birth_certificate' }, { actor });
  if (stage === 'declared') return record.id;
  await validateBirth(deps, record.id, { actor });
  if (stage === 'validated') return record.id;
  await registerBirth(deps, record.id, { actor });
  if (stage === 'correction_requested') await requestCorrection(deps, record.id, { ...declaration, child: { ...declaration.child, givenName: 'Айгуль' } }, { actor, reason: 'the name was misspelt' });
  return record.id;
}

/**
 * A suspected duplicate pair at the facility: a registered birth, and the same child declared again
 * (record linkage stops it at DUPLICATE_SUSPECTED). Returns the pair's id in the review queue.
 */
export async function makeDuplicatePair(deps: BirthDeps, facilityId: string): Promise<string> {
  const actor = helperRegistrar();
  const declaration = facilityDeclaration(facilityId);
  const { record } = await declareBirth(deps, declaration, { actor });
  await recordEvidenceSeen(deps, record.id, { type: 'medical_birth_certificate' }, { actor });
  await validateBirth(deps, record.id, { actor });
  await registerBirth(deps, record.id, { actor });
  const again = await declareBirth(deps, declaration, { actor });
  const { rows } = await deps.db.query<{ id: string }>('SELECT id FROM linkage_pairs WHERE record_b = $1 OR record_a = $1', [again.record.id]);
  return rows[0]!.id;
}
