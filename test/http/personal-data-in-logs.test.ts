import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { testConfig } from '../support/app.ts';
import { facilityDeclaration } from '../support/births.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/** The test data that must never reach a log line: names, IINs, phones, e-mails, a password. */
const person = {
  childSurname: 'Жолдасбекова',
  childGivenName: 'Айгерім',
  motherSurname: 'Қасымжанова',
  motherGivenName: 'Гүлнар',
  fatherGivenName: 'Bekzod',
  motherIin: '791028302728',
  phone: '+77017654321',
  email: 'gulnar.kasymzhanova@example.kz',
  agentName: 'Сәуле Ержанқызы',
  password: 'larch meadow under snow',
};

let db: TestDb;
let app: App;
let log = '';
const registrar: Record<string, string> = {};

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  const clock = fixedClock('2026-03-02T06:00:00Z');
  const ctx = { clock, clientAddress: null, requestId: null };
  const roles = loadRoles('kz');
  await db.transaction((tx) =>
    createUser(tx, roles, { username: 'log.agent', displayName: person.agentName, jurisdiction: '711300000', roles: ['registration_agent'], password: person.password, mustChangePassword: false }, ctx),
  );
  const user = await db.transaction((tx) =>
    createUser(tx, roles, { username: 'log.registrar', displayName: 'registrar', jurisdiction: '711300000', officeId: 'kz-rgo-71-01', roles: ['office_registrar'], password: 'registrar log test words' }, ctx),
  );
  const session = await db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
  Object.assign(registrar, { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      log += String(chunk);
      done();
    },
  });
  app = await buildApp({ db, config: testConfig(), clock, logger: createLogger('debug', sink) });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('logs', () => {
  it('hold none of the names, IINs, phones or e-mails sent, whatever the outcome', async () => {
    const signIn = (username: string, password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password } });
    expect((await signIn(person.email, person.password)).statusCode).toBe(401);
    expect((await signIn('log.agent', `${person.motherIin}!`)).statusCode).toBe(401);
    const signedIn = await signIn('log.agent', person.password);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const agent = { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, 'x-csrf-token': signedIn.json().csrfToken as string };

    const base = facilityDeclaration();
    const declaration = {
      ...base,
      child: { ...base.child, surname: person.childSurname, givenName: person.childGivenName },
      mother: { ...base.mother!, surname: person.motherSurname, givenName: person.motherGivenName, iin: person.motherIin, dateOfBirth: '1979-10-28' },
      father: { givenName: person.fatherGivenName, citizenship: 'UZ', legalStatus: 'temporary_resident' },
    };
    const declared = await app.inject({ method: 'POST', url: '/api/v1/births', headers: agent, payload: declaration });
    expect(declared.statusCode, declared.body).toBe(201);
    const id = declared.json().id as string;
    const seen = await app.inject({ method: 'POST', url: `/api/v1/births/${id}/evidence`, headers: agent, payload: { type: 'medical_birth_certificate', reference: person.phone } });
    expect(seen.statusCode, seen.body).toBe(200);
    const validated = await app.inject({ method: 'POST', url: `/api/v1/births/${id}/validate`, headers: agent });
    expect(validated.statusCode, validated.body).toBe(200);
    const registered = await app.inject({ method: 'POST', url: `/api/v1/births/${id}/register`, headers: registrar, payload: { confirm: ['mother.iin'] } });
    expect(registered.statusCode, registered.body).toBe(200);
    const childIin = registered.json().iin as string;
    expect(childIin).toMatch(/^\d{12}$/);

    const notified = await app.inject({
      method: 'POST',
      url: '/api/v1/births/notifications',
      headers: agent,
      payload: {
        facilityId: 'kz-hf-71-001',
        child: { sex: 'male', dateOfBirth: '2026-03-01' },
        mother: { surname: person.motherSurname, givenName: person.motherGivenName, iin: person.motherIin, citizenship: 'KZ', legalStatus: 'citizen' },
        contact: { phone: person.phone, email: person.email },
      },
    });
    expect(notified.statusCode, notified.body).toBe(201);

    // Searching by names and IINs: the query string is never logged, and the audit line says how, not what.
    for (const q of [person.motherSurname, `${person.childGivenName} ${person.childSurname}`, childIin]) {
      const found = await app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}&motherIin=${person.motherIin}`, headers: agent });
      expect(found.statusCode, found.body).toBe(200);
    }

    // Requests that reach the database with values it refuses: its errors quote what was sent.
    const nul = { ...declaration, child: { ...declaration.child, surname: `${person.childSurname}\u0000` }, mother: { ...declaration.mother, surname: `${person.motherSurname}\u0000`, givenName: person.email } };
    const refused = await app.inject({ method: 'POST', url: '/api/v1/births', headers: agent, payload: nul });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    const wrongDocument = await app.inject({ method: 'GET', url: `/api/v1/births/${id}/documents/${encodeURIComponent(person.motherSurname)}`, headers: agent });
    expect(wrongDocument.statusCode).toBeGreaterThanOrEqual(400);
    await signIn(`${person.phone}\u0000`, person.password);

    expect(log).toContain('"msg":"request"');
    for (const value of [...Object.values(person), childIin]) expect(log, value).not.toContain(value);
  });
});
