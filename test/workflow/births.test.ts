import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/access/administration.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { checkIin, parseIinRules } from '../../src/births/iin.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const iinRules = parseIinRules(loadPack('kz').settings.identityNumber);
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const people: [string, string, string, string][] = [
    ['agent', 'registration_agent', '711300000', 'kz-con-71-01'],
    ['registrar', 'office_registrar', '711300000', 'kz-rgo-71-01'],
    ['almaty', 'office_registrar', '750000000', 'kz-rgo-75-01'],
    ['regional', 'regional_registrar', '710000000', 'kz-rgo-71-01'],
  ];
  for (const [name, role, jurisdiction, officeId] of people) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `w.${name}`, displayName: name, jurisdiction, officeId, roles: [role], password: 'workflow test password' }, ctx()),
    );
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
  const { secret } = await addClient(t.db, loadRoles('kz'), { id: 'hospital-71', name: 'H', scopes: ['birth.notify'], jurisdiction: '710000000', facilityId: 'kz-hf-71-001' }, ctx(), { kind: 'system', id: 'test' });
  const token = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'hospital-71', client_secret: secret } });
  headers.hospital = { authorization: `Bearer ${token.json().access_token}` };
});
afterAll(() => t.close());

const as = async (who: string, options: InjectOptions) => {
  const url = String(options.url);
  const create = options.method === 'POST' && url === '/api/v1/births';
  const redeclare = options.method === 'PUT' ? /^\/api\/v1\/births\/([^/?]+)\/declaration/.exec(url) : null;
  const n = create ? familyFor((options.headers as Record<string, string> | undefined)?.['idempotency-key']) : redeclare ? (familyOfRecord.get(redeclare[1]!) ?? familyFor(undefined)) : undefined;
  const payload = n === undefined ? options.payload : ofAnotherFamily(options.payload as Declaration, n);
  const res = await t.app.inject({ ...options, payload: payload as InjectOptions['payload'], headers: { ...headers[who], ...(options.headers as Record<string, string>) } });
  if (create && res.statusCode === 201) familyOfRecord.set(res.json().id, n!);
  return res;
};

/**
 * Each declaration these tests make is of another family: record linkage would rightly stop the
 * second declaration of one child (test/workflow/duplicates.test.ts tests that). The fixture's
 * names and the mother's IIN are swapped for the next family's; anything a test set itself stays;
 * a retry with the same Idempotency-Key, and a new declaration of the same record, keep the family.
 */
const families = ['Серікова', 'Жұмабаева', 'Омарова', 'Тоқтарова', 'Бекова', 'Сейітова', 'Нұрланова', 'Қасымова', 'Әбенова', 'Мұратова', 'Ерғалиева', 'Төлегенова', 'Байжанова', 'Сәрсенова', 'Иманова', 'Жақыпова', 'Кенжебаева', 'Орынбаева', 'Шәріпова', 'Темірова', 'Дүйсенова', 'Рахимова', 'Абдуллаева', 'Мамырова', 'Есенова', 'Құрманова', 'Ысқақова', 'Әлиева', 'Бақытова', 'Сұлтанова'];
const girls = ['Аружан', 'Томирис', 'Жансая', 'Інжу', 'Сезім', 'Аяулым', 'Назерке', 'Меруерт', 'Нұрай', 'Ақбота', 'Дариға', 'Гүлжан', 'Балнұр', 'Еркежан', 'Зере', 'Күнсұлу', 'Мөлдір', 'Нұрсұлу', 'Тоғжан', 'Шапағат', 'Ұлжан', 'Айша', 'Фариза', 'Хадиша', 'Лаура', 'Камила', 'Самира', 'Эльвира', 'Яна', 'Вера'];
const mothers = ['Гүлнар', 'Сәуле', 'Жанар', 'Бибігүл', 'Ләззат', 'Салтанат', 'Гаухар', 'Ақмарал', 'Ботагөз', 'Жұлдыз', 'Назгүл', 'Ардақ', 'Шынар', 'Самал', 'Әсем', 'Перизат', 'Ұлболсын', 'Маржан', 'Райхан', 'Талшын', 'Күләш', 'Мейрамгүл', 'Зейнеп', 'Роза', 'Ирина', 'Ольга', 'Людмила', 'Наталья', 'Оксана', 'Татьяна'];
const fathers = ['Бауыржан', 'Нұрлан', 'Асқар', 'Дәурен', 'Ержан', 'Қайрат', 'Мұрат', 'Серік', 'Талғат', 'Ғалым', 'Болат', 'Жандос', 'Ислам', 'Марат', 'Руслан', 'Тимур', 'Айдос', 'Бекзат', 'Димаш', 'Ельдар', 'Жасұлан', 'Ильяс', 'Канат', 'Мейірбек', 'Нұрсұлтан', 'Олжас', 'Рустем', 'Самат', 'Тұрсын', 'Әділ'];
const familyOfKey = new Map<string, number>();
const familyOfRecord = new Map<string, number>();
let nextFamily = 0;
function familyFor(key: string | undefined): number {
  if (key === undefined) return nextFamily++;
  if (!familyOfKey.has(key)) familyOfKey.set(key, nextFamily++);
  return familyOfKey.get(key)!;
}
function ofAnotherFamily(d: Declaration, n: number): Declaration {
  if (!d || typeof d !== 'object' || !d.child || n === 0) return d;
  // Families that share a surname (every 30th) differ in every given name.
  const round = Math.floor(n / 30);
  const [surname, girl, mother, father] = [families[n % 30]!, girls[(n + round) % 30]!, mothers[(n + 2 * round) % 30]!, fathers[(n + 3 * round) % 30]!];
  const mine = <T,>(value: T, fixture: T, replacement: T) => (value === fixture ? replacement : value);
  // The fixture's mother unchanged: another woman, born another day, IIN unknown.
  const sameMother = d.mother === facilityBirth.mother;
  return {
    ...d,
    child: { ...d.child, givenName: mine(d.child.givenName, facilityBirth.child.givenName, girl), surname: mine(d.child.surname, facilityBirth.child.surname, surname) },
    ...(d.mother && {
      mother: {
        ...d.mother,
        surname: mine(d.mother.surname, facilityBirth.mother.surname, surname),
        givenName: mine(d.mother.givenName, facilityBirth.mother.givenName, mother),
        ...(sameMother && { iin: undefined, dateOfBirth: `19${85 + (n % 15)}-0${1 + (n % 9)}-${10 + (n % 18)}` }),
      },
    }),
    ...(d.father && { father: { ...d.father, surname: mine(d.father.surname, facilityBirth.father.surname, surname.slice(0, -1)), givenName: mine(d.father.givenName, facilityBirth.father.givenName, father) } }),
  };
}

const citizen = { citizenship: 'KZ', legalStatus: 'citizen' } as const;
const facilityBirth = {
  path: 'facility_birth',
  child: { surname: 'Ахметова', givenName: 'Айгерім', nameForm: 'patronymic', patronymic: 'Ерланқызы', sex: 'female', dateOfBirth: '2026-02-28', placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1, weightGrams: 3200 },
  mother: { surname: 'Ахметова', givenName: 'Динара', dateOfBirth: '1995-05-04', iin: '950504400XXX', ...citizen },
  father: { surname: 'Ахметов', givenName: 'Ерлан', age: 33, ...citizen },
  maritalStatus: 'married',
  parentage: 'marriage',
  informant: { relation: 'mother' },
  attendant: 'physician',
  documents: [{ type: 'medical_birth_certificate', reference: 'MBC-1' }],
};
// A valid IIN for the mother, made by the pack's own rule.
const motherIin = (() => {
  for (let s = 1; ; s++) {
    const n = `9505044${String(s).padStart(4, '0')}`;
    const check = checkIin(`${n}0`, iinRules);
    for (let d = 0; d < 10; d++) if (checkIin(`${n}${d}`, iinRules).valid) return `${n}${d}`;
    void check;
  }
})();
facilityBirth.mother.iin = motherIin;

/** The agent records seeing the original of every document the declaration lists; returns the last answer. */
async function seeAll(id: string, declaration: object) {
  let last;
  for (const d of (declaration as { documents: { type: string; reference?: string }[] }).documents) {
    last = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: d.type, ...(d.reference && { reference: d.reference }) } });
    expect(last.statusCode, last.body).toBe(200);
  }
  return last!;
}

async function registerThrough(declaration: object): Promise<{ id: string; number: string; iin: string; data: { registration: { citizenship: { result: string }; timeliness: string } } }> {
  const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration });
  expect(declared.statusCode, declared.body).toBe(201);
  const id = declared.json().id as string;
  const seen = await seeAll(id, declaration);
  expect(seen.json().data.missingDocuments).toEqual([]);
  const validated = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate`, payload: {} });
  expect(validated.statusCode, validated.body).toBe(200);
  const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: { version: validated.json().version } });
  expect(registered.statusCode, registered.body).toBe(200);
  return registered.json();
}

describe('birth registration over the API', () => {
  const issued: string[] = [];

  it('registers a child on every legal path, each with a valid unique IIN and act number', async () => {
    const cases: [string, object, string][] = [
      ['facility birth, citizen parents', facilityBirth, 'citizen'],
      [
        'home birth with the attendant’s statement',
        { ...facilityBirth, path: 'home_birth', child: { ...facilityBirth.child, sex: 'male', nameForm: 'kazakh_suffix', patronymic: undefined, givenName: 'Ерасыл', surname: 'Ерланұлы', placeOfBirth: { type: 'other', kato: '711300000', address: 'home' } }, attendant: 'midwife', documents: [{ type: 'attendant_statement' }] },
        'citizen',
      ],
      [
        'mother without any identity document, undocumented, citizenship unknown',
        { ...facilityBirth, mother: { givenName: 'Мадина', age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true }, father: undefined, maritalStatus: 'unknown', parentage: 'not_established', path: 'mother_without_documents', documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }] },
        'undetermined',
      ],
      [
        'foreign parents',
        { ...facilityBirth, path: 'foreign_or_stateless_parents', mother: { givenName: 'Dilnoza', age: 27, citizenship: 'UZ', legalStatus: 'temporary_resident', document: { type: 'passport', number: 'AB123' } }, father: { givenName: 'Bekzod', citizenship: 'UZ', legalStatus: 'temporary_resident' } },
        'not_citizen',
      ],
      [
        'a citizen mother and a stateless father',
        { ...facilityBirth, path: 'foreign_or_stateless_parents', father: { givenName: 'Arman', citizenship: 'stateless', legalStatus: 'stateless' } },
        'citizen',
      ],
      [
        'foundling, parents unknown',
        { ...facilityBirth, path: 'foundling', mother: undefined, father: undefined, maritalStatus: 'unknown', parentage: 'not_established', informant: { relation: 'guardianship_authority' }, child: { ...facilityBirth.child, placeOfBirth: { type: 'other', kato: '711300000' } }, documents: [{ type: 'police_report' }] },
        'citizen',
      ],
    ];
    for (const [name, declaration, citizenship] of cases) {
      const registered = await registerThrough(declaration);
      expect(registered.data.registration.citizenship.result, name).toBe(citizenship);
      expect(checkIin(registered.iin, iinRules).valid, name).toBe(true);
      expect(registered.number).toMatch(/^kz-rgo-71-01\/2026\/\d{6}$/);
      issued.push(registered.iin);
    }
    expect(new Set(issued).size).toBe(issued.length);
  });

  it('says which documents are missing, and a late registration needs more', async () => {
    const late = { ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2025-10-01' } };
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: late });
    const id = declared.json().id;
    const seen = await seeAll(id, late);
    expect(seen.json().data.missingDocuments).toEqual([['late_registration_statement']]);
    const refused = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate`, payload: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'declaration.documents', missing: [['late_registration_statement']] });
    const sentBack = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/request-update`, payload: { reason: 'late: needs the statement' } });
    expect(sentBack.json().status).toBe('REQUIRES_UPDATE');
    const withStatement = { ...late, documents: [...late.documents, { type: 'late_registration_statement' }] };
    const fixed = await as('agent', { method: 'PUT', url: `/api/v1/births/${id}/declaration`, payload: withStatement });
    // Listing the statement is not having it: someone must see it (or upload it).
    expect(fixed.json().data.missingDocuments).toEqual([['late_registration_statement']]);
    const statement = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: 'late_registration_statement', reference: 'LRS-7' } });
    expect(statement.json().data.missingDocuments).toEqual([]);
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate`, payload: {} });
    await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/approve-registration`, payload: { reason: 'the statement explains the delay' } });
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` });
    expect(registered.json().data.registration.timeliness).toBe('late');
  });

  it('counts a listed document only once someone records seeing the original: who, when, which type', async () => {
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const id = declared.json().id;
    expect(declared.json().data.missingDocuments).toEqual([['medical_birth_certificate']]);
    const refused = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'declaration.documents', missing: [['medical_birth_certificate']] });
    const unknown = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: 'no_such_type' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('type');
    const seen = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: 'medical_birth_certificate', reference: 'MBC-1' } });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().data).toMatchObject({
      missingDocuments: [],
      evidenceSeen: [{ type: 'medical_birth_certificate', reference: 'MBC-1', seenBy: expect.stringMatching(/^user:/), at: '2026-03-02T06:00:00.000Z' }],
    });
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` })).statusCode).toBe(200);
    const history = await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` });
    expect(history.json().items.map((a: { type: string }) => a.type)).toEqual(['DECLARE', 'EVIDENCE_SEEN', 'VALIDATE']);
  });

  it('needs a registrar’s recorded approval (who, when, why) before a late registration', async () => {
    const late = { ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2025-12-01' }, documents: [...facilityBirth.documents, { type: 'late_registration_statement' }] };
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: late });
    const id = declared.json().id;
    await seeAll(id, late);
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` })).statusCode).toBe(200);
    const unapproved = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` });
    expect(unapproved.statusCode, unapproved.body).toBe(409);
    expect(unapproved.json()).toMatchObject({ code: 'action_not_allowed', currentStatus: 'VALIDATED', allowed: expect.arrayContaining(['APPROVE_REGISTRATION']) });
    expect(unapproved.json().allowed).not.toContain('REGISTER');
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM iins WHERE record_id = $1', [id])).rows[0]!.n).toBe(0);
    const noReason = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/approve-registration` });
    expect(noReason.json().field).toBe('reason');
    // An agent cannot approve: it is the registrar's decision.
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/approve-registration`, payload: { reason: 'x' } })).statusCode).toBe(403);
    const approved = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/approve-registration`, payload: { reason: 'the family lived abroad; statement checked' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().data.approval).toMatchObject({ approvedBy: expect.stringMatching(/^user:/), at: '2026-03-02T06:00:00.000Z', reason: 'the family lived abroad; statement checked', timeliness: 'late' });
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` });
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().data.registration.timeliness).toBe('late');
    const history = await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` });
    expect(history.json().items.map((a: { type: string }) => a.type).slice(-2)).toEqual(['APPROVE_REGISTRATION', 'REGISTER']);
    expect(history.json().items.at(-2).reason).toBe('the family lived abroad; statement checked');
    // A current registration needs no approval.
    const current = await as('registrar', { method: 'POST', url: `/api/v1/births/${(await registerThrough(facilityBirth)).id}/approve-registration`, payload: { reason: 'x' } });
    expect(current.statusCode).toBe(409);
  });

  it('keeps an implausible or unverifiable parent fact, unverified, until the registrar confirms it', async () => {
    const cases: [object, string, string][] = [
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, iin: '791028302729' } }, 'mother.iin', 'iin_invalid'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, iin: undefined, dateOfBirth: '2020-01-01' } }, 'mother.dateOfBirth', 'age_out_of_range'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, iin: undefined, dateOfBirth: undefined, age: 9 } }, 'mother.age', 'age_out_of_range'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, iin: undefined, dateOfBirth: '2026-05-01' } }, 'mother.dateOfBirth', 'born_after_child'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, dateOfBirth: '1995-05-05' } }, 'mother.iin', 'iin_date_mismatch'],
      [{ ...facilityBirth, father: { ...facilityBirth.father, iin: motherIin } }, 'father.iin', 'iin_sex_mismatch'],
    ];
    for (const [declaration, field, code] of cases) {
      const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration });
      expect(declared.statusCode, `${field}: ${declared.body}`).toBe(201);
      expect(declared.json().data.unverified, field).toEqual(expect.arrayContaining([expect.objectContaining({ field, code, confirmedBy: null })]));
      expect(declared.json().warnings.some((w: string) => w.startsWith(`${field}: `)), field).toBe(true);
    }
    const [declaration, field] = cases[2]!;
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration });
    const id = declared.json().id;
    await seeAll(id, declaration);
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    const unconfirmed = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` });
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json()).toMatchObject({ field: 'confirm', unconfirmed: [expect.objectContaining({ field: 'mother.age' })] });
    const wrong = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: { confirm: ['mother.age', 'father.iin'] } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('confirm');
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: { confirm: [field] } });
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().data.unverified).toEqual([expect.objectContaining({ field: 'mother.age', confirmedBy: expect.stringMatching(/^user:/), confirmedAt: '2026-03-02T06:00:00.000Z' })]);
    expect(registered.json().warnings).toEqual([]);
  });

  it('keeps the implausible parent facts of a correction unverified until the approving registrar confirms them', async () => {
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const id = declared.json().id;
    await seeAll(id, facilityBirth);
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: { confirm: declared.json().data.unverified?.map((f: { field: string }) => f.field) ?? [] } });
    expect(registered.statusCode, registered.body).toBe(200);
    const proposed = { ...facilityBirth, mother: { ...facilityBirth.mother, iin: '123', dateOfBirth: undefined, age: 8 } };
    const requested = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/corrections`, payload: { declaration: proposed, reason: 'the mother’s details were wrong' } });
    expect(requested.statusCode, requested.body).toBe(200);
    expect(requested.json().warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^mother\.iin: /), expect.stringMatching(/^mother\.age: /)]));
    const unconfirmed = await as('regional', { method: 'POST', url: `/api/v1/births/${id}/corrections/approve` });
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json()).toMatchObject({ field: 'confirm', unconfirmed: expect.arrayContaining([expect.objectContaining({ field: 'mother.age' })]) });
    const approved = await as('regional', { method: 'POST', url: `/api/v1/births/${id}/corrections/approve`, payload: { confirm: ['mother.iin', 'mother.age'] } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().data.unverified).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'mother.age', confirmedBy: expect.stringMatching(/^user:/) }), expect.objectContaining({ field: 'mother.iin', confirmedBy: expect.stringMatching(/^user:/) })]),
    );
    expect(approved.json().warnings).toEqual([]);
    expect(approved.json().iin).toBe(registered.json().iin);
  });

  it('tells each reader the actions it may take now, and the server refuses the others anyway', async () => {
    const lateBirth = { ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2026-01-20' }, documents: [{ type: 'medical_birth_certificate' }, { type: 'late_registration_statement' }] };
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: lateBirth });
    const id = declared.json().id;
    // Documents are missing: nobody is offered validation yet.
    expect(declared.json().allowedActions).not.toContain('VALIDATE');
    expect(declared.json().allowedActions).toEqual(expect.arrayContaining(['DECLARE', 'ASSIGN']));
    await seeAll(id, lateBirth);
    const validated = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    expect(validated.statusCode, validated.body).toBe(200);
    // An agent sees no register button, and the server refuses it anyway.
    expect(validated.json().allowedActions).not.toContain('REGISTER');
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/register` })).statusCode).toBe(403);
    // A registrar is offered the approval a late birth needs first, then registration.
    const read = await as('registrar', { method: 'GET', url: `/api/v1/births/${id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().allowedActions).toContain('APPROVE_REGISTRATION');
    expect(read.json().allowedActions).not.toContain('REGISTER');
    const approved = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/approve-registration`, payload: { reason: 'the mother was in hospital' } });
    expect(approved.json().allowedActions).toContain('REGISTER');
    expect(approved.json().allowedActions).not.toContain('APPROVE_REGISTRATION');
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, payload: { confirm: declared.json().data.unverified?.map((f: { field: string }) => f.field) ?? [] } });
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().allowedActions).not.toContain('REVOKE');
    expect((await as('regional', { method: 'GET', url: `/api/v1/births/${id}` })).json().allowedActions).toEqual(expect.arrayContaining(['REVOKE', 'REQUEST_CORRECTION']));
    // Outside the jurisdiction: the same 404 as a missing record.
    expect((await as('almaty', { method: 'GET', url: `/api/v1/births/${id}` })).statusCode).toBe(404);
  });

  it('lists the work queues inside the reader’s jurisdiction, page by page, and finds a birth by IIN or act number', async () => {
    for (let i = 0; i < 3; i++) await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const counts = await as('registrar', { method: 'GET', url: '/api/v1/births/queues' });
    expect(counts.statusCode, counts.body).toBe(200);
    const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE type = 'birth' AND status = 'DECLARED' AND jurisdiction LIKE '7113%'");
    expect(counts.json().queues.ready_to_validate).toBe(rows[0]!.n);
    expect(counts.json().queues.ready_to_validate).toBeGreaterThanOrEqual(3);
    const seen = new Set<string>();
    let after: string | null = null;
    do {
      const page = await as('registrar', { method: 'GET', url: `/api/v1/births/queues/ready_to_validate?limit=2${after ? `&after=${after}` : ''}` });
      expect(page.statusCode, page.body).toBe(200);
      for (const item of page.json().items) {
        expect(item).toMatchObject({ status: 'DECLARED', jurisdiction: expect.stringMatching(/^7113/) });
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      after = page.json().next;
    } while (after);
    expect(seen.size).toBe(rows[0]!.n);
    expect((await as('almaty', { method: 'GET', url: '/api/v1/births/queues/ready_to_validate' })).json().items).toEqual([]);
    for (const forged of ['not-a-cursor', '2026|------------------------------------', '2026-13-01T00:00:00Z|01900000-0000-7000-8000-000000000000']) {
      const res = await as('registrar', { method: 'GET', url: `/api/v1/births/queues/ready_to_validate?after=${Buffer.from(forged).toString('base64url')}` });
      expect(res.json(), forged).toMatchObject({ status: 400, field: 'after' });
    }

    const { rows: registered } = await t.db.query<{ id: string; subject_id: string; number: string }>("SELECT id, subject_id, number FROM records WHERE type = 'birth' AND status = 'REGISTERED' AND jurisdiction LIKE '7113%' LIMIT 1");
    const byIin = await as('registrar', { method: 'GET', url: `/api/v1/births/lookup?iin=${registered[0]!.subject_id}` });
    expect(byIin.statusCode, byIin.body).toBe(200);
    expect(byIin.json().id).toBe(registered[0]!.id);
    const byNumber = await as('registrar', { method: 'GET', url: `/api/v1/births/lookup?number=${encodeURIComponent(registered[0]!.number)}` });
    expect(byNumber.json().id).toBe(registered[0]!.id);
    const outside = await as('almaty', { method: 'GET', url: `/api/v1/births/lookup?iin=${registered[0]!.subject_id}` });
    const missing = await as('almaty', { method: 'GET', url: '/api/v1/births/lookup?iin=000000000000' });
    expect(outside.statusCode).toBe(404);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined });
    expect(strip(outside.json())).toEqual(strip(missing.json()));
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/lookup' })).statusCode).toBe(400);
  });

  it('refuses bad facts with the field at fault, writing nothing', async () => {
    const cases: [object, string][] = [
      [{ ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2027-01-01' } }, 'child.dateOfBirth'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2026-03-03' } }, 'child.dateOfBirth'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2023-02-30' } }, 'body.child.dateOfBirth'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '2023-13-01' } }, 'body.child.dateOfBirth'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, dateOfBirth: '0000-00-00' } }, 'body.child.dateOfBirth'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, dateOfBirth: '9999-12-31' } }, 'body.mother.dateOfBirth'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, dateOfBirth: '1995-02-29' } }, 'body.mother.dateOfBirth'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, age: 'nine' } }, 'body.mother.age'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, plurality: 1, birthOrder: 2 } }, 'child.birthOrder'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, placeOfBirth: { type: 'other', kato: '719999999' } } }, 'child.placeOfBirth.kato'],
      // Text a person could not have written on a form: a right-to-left override, a bell, a line break, blanks.
      [{ ...facilityBirth, child: { ...facilityBirth.child, givenName: 'Ай\u202Eгерім' } }, 'body.child.givenName'],
      [{ ...facilityBirth, child: { ...facilityBirth.child, surname: 'a\u0007' } }, 'body.child.surname'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, surname: 'Ахмет\nова' } }, 'body.mother.surname'],
      [{ ...facilityBirth, mother: { ...facilityBirth.mother, givenName: '   ' } }, 'body.mother.givenName'],
    ];
    const before = await t.db.query("SELECT count(*)::int AS n FROM records WHERE type = 'birth'");
    for (const [declaration, field] of cases) {
      const res = await as('agent', { method: 'POST', url: '/api/v1/births', payload: declaration });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().field, res.body).toBe(field);
    }
    const after = await t.db.query("SELECT count(*)::int AS n FROM records WHERE type = 'birth'");
    expect(after.rows).toEqual(before.rows);
  });

  it('lets a hospital notify only at its own facility; the gap list shows notified births until declared', async () => {
    const notification = { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: '2026-02-20', plurality: 1, birthOrder: 1, weightGrams: 3400 }, mother: { givenName: 'Асель' } };
    const notified = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: notification, headers: { 'idempotency-key': 'hospital-71-msg-0001' } });
    expect(notified.statusCode, notified.body).toBe(201);
    const retry = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: notification, headers: { 'idempotency-key': 'hospital-71-msg-0001' } });
    expect(retry.json().id).toBe(notified.json().id);
    const elsewhere = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: { ...notification, facilityId: 'kz-hf-71-002' } });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().field).toBe('facilityId');

    const gap = await as('registrar', { method: 'GET', url: '/api/v1/births/gap' });
    expect(gap.json().items, gap.body).toEqual([expect.objectContaining({ id: notified.json().id, dateOfBirth: '2026-02-20', ageDays: 10, overdue: true })]);
    expect((await as('almaty', { method: 'GET', url: '/api/v1/births/gap' })).json().items).toEqual([]);

    const late = { ...facilityBirth, child: { ...facilityBirth.child, sex: 'male', dateOfBirth: '2026-02-20' }, documents: [...facilityBirth.documents, { type: 'late_registration_statement' }] };
    const declared = await as('agent', { method: 'PUT', url: `/api/v1/births/${notified.json().id}/declaration`, payload: late });
    expect(declared.json().status).toBe('DECLARED');
    // Declared is not registered: the birth stays in the gap until it is.
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/gap?office=kz-con-71-01' })).json().items).toEqual([expect.objectContaining({ id: notified.json().id, status: 'DECLARED' })]);
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/gap?office=kz-rgo-71-00' })).statusCode).toBe(400);
    await seeAll(notified.json().id, late);
    await as('agent', { method: 'POST', url: `/api/v1/births/${notified.json().id}/validate` });
    await as('registrar', { method: 'POST', url: `/api/v1/births/${notified.json().id}/approve-registration`, payload: { reason: 'declared ten days after the birth' } });
    expect((await as('registrar', { method: 'POST', url: `/api/v1/births/${notified.json().id}/register` })).statusCode).toBe(200);
    expect((await as('registrar', { method: 'GET', url: '/api/v1/births/gap' })).json().items).toEqual([]);
  });

  it('keeps a mistyped or implausible mother fact in a notification, unverified, instead of refusing the child', async () => {
    const notification = { facilityId: 'kz-hf-71-001', child: { sex: 'female', dateOfBirth: '2026-03-01' }, mother: { givenName: 'Асель', iin: '791028302729', age: 9 } };
    const notified = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: notification });
    expect(notified.statusCode, notified.body).toBe(201);
    expect(notified.json().data.notification.mother.iin).toBe('791028302729');
    expect(notified.json().data.unverified.map((f: { field: string; code: string }) => `${f.field} ${f.code}`)).toEqual(['mother.iin iin_invalid', 'mother.iin iin_sex_mismatch', 'mother.age age_out_of_range']);
    expect(notified.json().warnings).toEqual([expect.stringMatching(/^mother\.iin: not a valid IIN/), expect.stringMatching(/^mother\.iin: the digits say male/), expect.stringMatching(/^mother\.age: /)]);
    for (const [dateOfBirth, field] of [['2023-02-30', 'body.child.dateOfBirth'], ['2023-13-01', 'body.child.dateOfBirth'], ['0000-00-00', 'body.child.dateOfBirth'], ['2026-03-03', 'child.dateOfBirth']]) {
      const bad = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: { ...notification, child: { dateOfBirth } } });
      expect(bad.statusCode, dateOfBirth).toBe(400);
      expect(bad.json().field, dateOfBirth).toBe(field);
    }
    const motherBorn = await as('hospital', { method: 'POST', url: '/api/v1/births/notifications', payload: { ...notification, mother: { dateOfBirth: '9999-12-31' } } });
    expect(motherBorn.json().field).toBe('body.mother.dateOfBirth');
  });

  it('answers the gap list even for a stored date of birth it cannot read', async () => {
    // A record written before dates were checked (the record store refuses it now): as an old database would hold it.
    const { birthRecord } = await import('../../src/births/record.ts');
    const { createRecord } = await import('../../src/core/action-log/record-store.ts');
    const notification = { facilityId: 'kz-hf-71-001', child: { dateOfBirth: '2023-02-28', plurality: 1, birthOrder: 1 } };
    const { record } = await t.db.transaction((tx) => createRecord(tx, birthRecord, { type: 'NOTIFY', actor: 'system', payload: { type: 'NOTIFY', notification, jurisdiction: '711300000' } }, { clock: t.clock }));
    await t.db.query(`UPDATE records SET data = jsonb_set(data, '{notification,child,dateOfBirth}', '"2023-02-30"') WHERE id = $1`, [record.id]);
    const gap = await as('registrar', { method: 'GET', url: '/api/v1/births/gap' });
    expect(gap.statusCode, gap.body).toBe(200);
    expect(gap.json().items).toContainEqual(expect.objectContaining({ id: record.id, dateOfBirth: '2023-02-30', ageDays: null, overdue: true }));
    // Put the row back as its history says, or verify-log (rightly) reports the edit below.
    await t.db.query(`UPDATE records SET data = jsonb_set(data, '{notification,child,dateOfBirth}', '"2023-02-28"') WHERE id = $1`, [record.id]);
    await as('registrar', { method: 'POST', url: `/api/v1/births/${record.id}/archive`, payload: { reason: 'test record' } });
  });

  it('never lets an Almaty registrar read or change an Astana birth', async () => {
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const id = declared.json().id;
    for (const options of [
      { method: 'GET', url: `/api/v1/records/${id}` },
      { method: 'GET', url: `/api/v1/records/${id}/actions` },
      { method: 'PUT', url: `/api/v1/births/${id}/declaration`, payload: facilityBirth },
      { method: 'POST', url: `/api/v1/births/${id}/validate` },
      { method: 'POST', url: `/api/v1/births/${id}/request-update`, payload: { reason: 'x' } },
      { method: 'POST', url: `/api/v1/births/${id}/archive`, payload: { reason: 'x' } },
      { method: 'POST', url: `/api/v1/births/${id}/register` },
    ] as InjectOptions[]) {
      expect((await as('almaty', options)).statusCode, `${options.method} ${options.url}`).toBe(404);
    }
    // And an Almaty registrar cannot declare a birth that happened in Astana.
    expect((await as('almaty', { method: 'POST', url: '/api/v1/births', payload: facilityBirth })).statusCode).toBe(403);
  });

  it('registers a record once under concurrent double registration', async () => {
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const id = declared.json().id;
    await seeAll(id, facilityBirth);
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    const answers = await Promise.all([1, 2, 3].map(() => as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` })));
    expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([200, 409, 409]);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM iins WHERE record_id = $1', [id]);
    expect(rows[0]!.n).toBe(1);
    // A retry with an idempotency key replays the first answer instead of refusing it.
    const again = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, headers: { 'idempotency-key': 'register-once-0001' } });
    expect(again.statusCode).toBe(409);
  });

  it('answers a retry with the same Idempotency-Key with the first answer, writing nothing', async () => {
    const key = { 'idempotency-key': 'same-key-declare-0001' };
    const first = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth, headers: key });
    const id = first.json().id;
    const count = async () =>
      (await t.db.query<{ n: string }>("SELECT (SELECT count(*) FROM records)::text || '/' || (SELECT count(*) FROM record_actions)::text || '/' || (SELECT count(*) FROM iins)::text || '/' || (SELECT count(*) FROM jobs)::text AS n")).rows[0]!.n;
    let before = await count();
    const again = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth, headers: key });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before);

    await seeAll(id, facilityBirth);
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    const registerKey = { 'idempotency-key': 'same-key-register-0001' };
    const registered = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, headers: registerKey });
    expect(registered.statusCode, registered.body).toBe(200);
    before = await count();
    const replay = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register`, headers: registerKey });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toEqual(registered.json());
    expect(await count()).toBe(before);
  });

  it('keeps every correction in the history; the IIN and number never change; a revoked birth stays', async () => {
    const registered = await registerThrough(facilityBirth);
    const id = registered.id;
    const corrected = { ...facilityBirth, child: { ...facilityBirth.child, givenName: 'Айгүл' } };
    const asked = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/corrections`, payload: { declaration: corrected, reason: 'the given name was misspelt' } });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('CORRECTION_REQUESTED');
    // An office registrar lacks correction.approve; a regional registrar has it.
    expect((await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/corrections/approve` })).statusCode).toBe(403);
    const approved = await as('regional', { method: 'POST', url: `/api/v1/births/${id}/corrections/approve` });
    expect(approved.json()).toMatchObject({ status: 'REGISTERED', iin: registered.iin, number: registered.number, data: { declaration: { child: { givenName: 'Айгүл' } } } });

    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/corrections`, payload: { declaration: { ...corrected, child: { ...corrected.child, weightGrams: 9000 } }, reason: 'weight' } }).then((r) => expect(r.statusCode).toBe(400));
    await as('agent', { method: 'POST', url: `/api/v1/births/${id}/corrections`, payload: { declaration: { ...corrected, child: { ...corrected.child, weightGrams: 3300 } }, reason: 'weight' } });
    const rejected = await as('regional', { method: 'POST', url: `/api/v1/births/${id}/corrections/reject`, payload: { reason: 'the medical certificate says 3200 g' } });
    expect(rejected.json().data.corrections.map((c: { outcome: string }) => c.outcome)).toEqual(['approved', 'rejected']);
    expect(rejected.json().data.declaration.child.weightGrams).toBe(3200);

    expect((await as('regional', { method: 'POST', url: `/api/v1/births/${id}/revoke`, payload: {} })).json().field).toBe('reason');
    const revoked = await as('regional', { method: 'POST', url: `/api/v1/births/${id}/revoke`, payload: { reason: 'registered twice by mistake' } });
    expect(revoked.json()).toMatchObject({ status: 'REVOKED', iin: registered.iin });
    const after = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/corrections`, payload: { declaration: corrected, reason: 'x' } });
    expect(after.statusCode).toBe(409);

    const history = await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` });
    expect(history.json().items.map((a: { type: string }) => a.type)).toEqual([
      'DECLARE', 'EVIDENCE_SEEN', 'VALIDATE', 'REGISTER', 'REQUEST_CORRECTION', 'APPROVE_CORRECTION', 'REQUEST_CORRECTION', 'REJECT_CORRECTION', 'REVOKE',
    ]);
    expect(history.json().items[0].payload.declaration.child.givenName).toBe((registered as unknown as { data: Declaration & { declaration: Declaration } }).data.declaration.child.givenName);
  });

  it('holds a record for one worker at a time; a registrar may take it over', async () => {
    const declared = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth });
    const id = declared.json().id;
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/assign` })).json().data.assignedTo).toMatch(/^user:/);
    const blocked = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().field).toBe('assignedTo');
    const taken = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/assign` });
    expect(taken.statusCode).toBe(200);
    expect((await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/evidence`, payload: { type: 'medical_birth_certificate' } })).statusCode).toBe(200);
    expect((await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate` })).statusCode).toBe(409);
    const validated = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/validate` });
    expect(validated.json()).toMatchObject({ status: 'VALIDATED', data: { assignedTo: null } });
    const history = await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` });
    expect(history.json().items[2]).toMatchObject({ type: 'ASSIGN', reason: expect.stringContaining('taken over from user:') });
  });

  it('refuses a stale version and an idempotency key reused for a different body, writing nothing', async () => {
    const first = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth, headers: { 'idempotency-key': 'declare-key-0001' } });
    const retry = await as('agent', { method: 'POST', url: '/api/v1/births', payload: facilityBirth, headers: { 'idempotency-key': 'declare-key-0001' } });
    expect(retry.json().id).toBe(first.json().id);
    const other = await as('agent', { method: 'POST', url: '/api/v1/births', payload: { ...facilityBirth, child: { ...facilityBirth.child, givenName: 'Басқа' } }, headers: { 'idempotency-key': 'declare-key-0001' } });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const id = first.json().id;
    await seeAll(id, facilityBirth);
    await as('agent', { method: 'PUT', url: `/api/v1/births/${id}/declaration?version=2`, payload: facilityBirth });
    const stale = await as('agent', { method: 'POST', url: `/api/v1/births/${id}/validate`, payload: { version: 2 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: 3 });
    const history = await as('registrar', { method: 'GET', url: `/api/v1/records/${id}/actions` });
    expect(history.json().items.map((a: { type: string }) => a.type)).toEqual(['DECLARE', 'EVIDENCE_SEEN', 'DECLARE']);
    const wrongState = await as('registrar', { method: 'POST', url: `/api/v1/births/${id}/register` });
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json()).toMatchObject({ code: 'action_not_allowed', currentStatus: 'DECLARED', allowed: expect.arrayContaining(['VALIDATE']) });
  });

  it('keeps an intact log', async () => {
    const report = await verifyLog(t.db);
    expect(report.broken).toBeUndefined();
    expect(report.records).toBeGreaterThan(8);
  });
});
