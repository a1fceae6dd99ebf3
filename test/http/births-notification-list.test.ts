import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/access/administration.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { parseBirthRules } from '../../src/births/rules.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { facilityDeclaration } from '../support/births.ts';

/** GET /births/notifications (what a facility notified, and what became of it) and GET /births/requirements. */
let t: TestApp;
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const roles = loadRoles('kz');
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const users = [
    ['clerk.astana', '710000000', 'facility_clerk'],
    ['clerk.almaty', '750000000', 'facility_clerk'],
    ['agent.yesil', '711300000', 'registration_agent'],
    ['analyst', '711300000', 'statistician'],
  ] as const;
  for (const [username, jurisdiction, role] of users) {
    const user = await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, roles: [role], password: 'notification list password' }, ctx));
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
    as[username] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
  const { secret } = await addClient(t.db, roles, { id: 'hospital-71-002', name: 'h', scopes: ['birth.notify'], jurisdiction: '710000000', facilityId: 'kz-hf-71-002' }, ctx, { kind: 'system', id: 'test' });
  const token = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'hospital-71-002', client_secret: secret } });
  as.hospital = { authorization: `Bearer ${token.json().access_token}` };
});
afterAll(() => t.close());

const notify = async (who: string, facilityId: string, extra: object = {}) => {
  t.clock.advance(60_000);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: as[who], payload: { facilityId, child: { sex: 'female', dateOfBirth: '2026-03-01', plurality: 1, birthOrder: 1 }, mother: { givenName: 'Сәуле' }, ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const list = (who: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/births/notifications${query}`, headers: as[who] });

describe('the list of notified births', () => {
  it('lists the notifications inside the caller’s jurisdiction, newest first, with their status and no parent’s name', async () => {
    const first = await notify('clerk.astana', 'kz-hf-71-001', { medicalCertificateNumber: 'МСР-0001' });
    const second = await notify('clerk.astana', 'kz-hf-71-001');
    await notify('clerk.almaty', 'kz-hf-75-001');
    // A birth declared without a notification is no notification.
    t.clock.advance(60_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: as['agent.yesil'], payload: facilityDeclaration() })).statusCode).toBe(201);
    const declared = await t.app.inject({ method: 'PUT', url: `/api/v1/births/${first}/declaration`, headers: as['agent.yesil'], payload: facilityDeclaration() });
    expect(declared.statusCode, declared.body).toBe(200);

    const res = await list('clerk.astana');
    expect(res.statusCode, res.body).toBe(200);
    const { items, next } = res.json();
    expect(items.map((i: { id: string }) => i.id)).toEqual([second, first]);
    expect(items[1]).toMatchObject({ status: 'DECLARED', facilityId: 'kz-hf-71-001', medicalCertificateNumber: 'МСР-0001', overdue: false, child: { sex: 'female', dateOfBirth: '2026-03-01' } });
    expect(items[0]).toMatchObject({ status: 'NOTIFIED', medicalCertificateNumber: null });
    expect(next).toBeNull();
    expect(res.body).not.toContain('Сәуле');
  });

  it('pages with the cursor it gives, and filters by facility', async () => {
    const page1 = (await list('clerk.astana', '?limit=1')).json();
    expect(page1.items).toHaveLength(1);
    const page2 = (await list('clerk.astana', `?limit=1&after=${page1.next}`)).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page2.next).toBeNull();
    expect((await list('clerk.astana', '?after=bm90LWEtY3Vyc29y')).json()).toMatchObject({ code: 'validation_failed', field: 'after' });
    expect((await list('clerk.astana', '?facilityId=kz-hf-71-002')).json().items).toEqual([]);
  });

  it('refuses a facility outside the jurisdiction, an unknown facility, and a caller who may not notify', async () => {
    expect((await list('clerk.astana', '?facilityId=kz-hf-75-001')).statusCode).toBe(403);
    expect((await list('clerk.astana', '?facilityId=kz-hf-99-999')).json()).toMatchObject({ code: 'validation_failed', field: 'facilityId' });
    expect((await list('analyst')).statusCode).toBe(403);
    expect((await list('clerk.almaty')).json().items).toHaveLength(1);
  });

  it('gives a facility’s API client only its own facility’s notifications', async () => {
    const own = await notify('hospital', 'kz-hf-71-002');
    expect((await list('hospital')).json().items.map((i: { id: string }) => i.id)).toEqual([own]);
    expect((await list('hospital', '?facilityId=kz-hf-71-001')).statusCode).toBe(403);
  });

  it('marks a notification still undeclared past the legal period as overdue', async () => {
    const late = await notify('clerk.astana', 'kz-hf-71-001', { child: { dateOfBirth: '2026-02-01', plurality: 1, birthOrder: 1 } });
    const items = (await list('clerk.astana', '?facilityId=kz-hf-71-001')).json().items as { id: string; status: string; overdue: boolean }[];
    expect(items.map((i) => [i.id === late, i.status, i.overdue])).toEqual([
      [true, 'NOTIFIED', true],
      [false, 'NOTIFIED', false],
      [false, 'DECLARED', false],
    ]);
  });
});

describe('the requirements of a declaration', () => {
  it('lists the documents per path and names every document type in three languages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/births/requirements', headers: as['agent.yesil'] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.paths.mother_without_documents).toEqual([['medical_birth_certificate', 'court_decision_fact_of_birth'], ['mother_identity_statement']]);
    expect(body.timeliness.late).toEqual([['late_registration_statement']]);
    expect(body.approvalNeeded).toEqual(['late', 'delayed']);
    expect(body.documentTypes).toContainEqual({ type: 'mother_identity_statement', name: { kk: 'Ананың өз жеке басы туралы арызы', ru: 'Заявление матери о её личности', en: "Mother's statement of her identity" } });
    expect(body.dateOfBirth).toBeUndefined();
  });

  it('says the timeliness of a declaration made today for a date of birth, and nothing for a date not yet come', async () => {
    const at = (date: string) => t.app.inject({ method: 'GET', url: `/api/v1/births/requirements?dateOfBirth=${date}`, headers: as['agent.yesil'] });
    expect((await at('2026-03-01')).json().dateOfBirth).toEqual({ date: '2026-03-01', timeliness: 'current' });
    expect((await at('2026-01-10')).json().dateOfBirth).toEqual({ date: '2026-01-10', timeliness: 'late' });
    expect((await at('2024-01-10')).json().dateOfBirth).toEqual({ date: '2024-01-10', timeliness: 'delayed' });
    expect((await at('2026-04-01')).json().dateOfBirth).toBeUndefined();
    expect((await at('2026-02-30')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/births/requirements', headers: as['clerk.astana'] })).statusCode).toBe(403);
  });
});

describe('the pack’s document names', () => {
  it('are required for every document type, in kk, ru and en', () => {
    const settings = structuredClone(loadPack('kz').settings);
    delete (settings.birthRegistration as { documentNames: Record<string, { ru?: string }> }).documentNames.police_report!.ru;
    expect(() => parseBirthRules(settings)).toThrow(/documentNames \(kk, ru and en for police_report\)/);
  });
});
