import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/access/administration.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/** The published examples, read as they are. */
const interop = (file: string) => fs.readFileSync(new URL(`../../../shared/interop/${file}`, import.meta.url), 'utf8');

/** OpenCRVS's Postman collection: the birth request bodies, placeholders filled as a hospital would. */
function openCrvsBirthBodies(): Record<string, string> {
  const collection = JSON.parse(interop('opencrvs/Event Notification.postman_collection.json')) as { item: unknown[] };
  const bodies: Record<string, string> = {};
  const walk = (items: unknown[]) => {
    for (const item of items as { name: string; item?: unknown[]; request?: { body?: { raw?: string } } }[]) {
      if (item.item) walk(item.item);
      else if (/Birth/.test(item.name) && item.request?.body?.raw) bodies[item.name] = item.request.body.raw;
    }
  };
  walk(collection.item);
  return bodies;
}

function fill(raw: string): string {
  const uuids = new Map<string, string>();
  return raw.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => {
    if (name.startsWith('uuid')) return uuids.get(name) ?? (uuids.set(name, randomUUID()), uuids.get(name)!);
    return ({ facilityId: 'kz-hf-71-001', officeId: 'kz-rgo-71-01', countryCode: 'KZ', districtId: '711300000', stateId: '710000000' } as Record<string, string>)[name] ?? name;
  });
}

let t: TestApp;
let hospital: Record<string, string>;
let clerk: Record<string, string>;

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const by = { kind: 'system' as const, id: 'test' };
  const tokenFor = async (id: string, facilityId: string | null) => {
    const { secret } = await addClient(t.db, loadRoles('kz'), { id, name: id, scopes: ['birth.notify'], jurisdiction: '710000000', facilityId }, ctx, by);
    const token = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
    return { authorization: `Bearer ${token.json().access_token}`, 'content-type': 'application/fhir+json' };
  };
  hospital = await tokenFor('hospital-71-001', 'kz-hf-71-001');
  clerk = await tokenFor('region-71-system', null);
});
afterAll(() => t.close());

describe('FHIR birth notifications, as published by OpenCRVS and HL7 BFDR', () => {
  it('accepts the OpenCRVS birth notification bundles (min and max) unchanged', async () => {
    const bodies = openCrvsBirthBodies();
    expect(Object.keys(bodies)).toEqual(expect.arrayContaining(['Create Birth Notification (Min)', 'Create Birth Notification (Max)']));
    const max = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: fill(bodies['Create Birth Notification (Max)']!) });
    expect(max.statusCode, max.body).toBe(201);
    expect(max.json()).toMatchObject({
      status: 'NOTIFIED',
      jurisdiction: '711300000',
      data: {
        facilityId: 'kz-hf-71-001',
        notification: {
          child: { sex: 'male', dateOfBirth: '2025-03-29', plurality: 1, birthOrder: 1, weightGrams: 4000 },
          mother: { surname: 'Ratke', givenName: 'Mom', dateOfBirth: '2002-06-29', citizenship: 'KZ', document: { type: 'national_id', number: '3624667568' } },
          contact: { phone: '+260759205190', email: 'axon@gmail.com' },
        },
      },
    });
    const min = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: fill(bodies['Create Birth Notification (Min)']!) });
    expect(min.statusCode, min.body).toBe(201);
  });

  it('accepts the HL7 BFDR live birth documents and the submission message', async () => {
    const quinn = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: interop('hl7-bfdr/BirthRecordBabyGQuinn.json') });
    expect(quinn.statusCode, quinn.body).toBe(201);
    expect(quinn.json().data.notification).toMatchObject({
      facilityId: 'kz-hf-71-001',
      child: { sex: 'female', dateOfBirth: '2019-02-12', timeOfBirth: '13:00', plurality: 2, birthOrder: 1, weightGrams: 2500 },
      mother: { surname: 'Quinn', givenName: 'Jada', dateOfBirth: '1985-01-15' },
    });
    const basic = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: interop('hl7-bfdr/BasicBirthRecord2.json') });
    expect(basic.statusCode, basic.body).toBe(201);
    expect(basic.json().data.notification.child).toMatchObject({ sex: 'male', dateOfBirth: '2023-01-01' });
    const message = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: interop('hl7-bfdr/BirthRecordSubmissionMessage.json') });
    expect(message.statusCode, message.body).toBe(201);
    expect(message.json().data.notification.child.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('takes the facility from the client, from ?facilityId= or from the Bundle, and refuses a Bundle naming none', async () => {
    const body = interop('hl7-bfdr/BasicBirthRecord2.json');
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: clerk, payload: body });
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('facilityId');
    const named = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications?facilityId=kz-hf-71-002', headers: clerk, payload: body });
    expect(named.statusCode, named.body).toBe(201);
    // The hospital's own client cannot notify for another facility, whatever the Bundle says.
    const opencrvs = fill(openCrvsBirthBodies()['Create Birth Notification (Max)']!).replace('Location/kz-hf-71-001', 'Location/kz-hf-71-002');
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: opencrvs });
    expect(own.json().data.facilityId).toBe('kz-hf-71-001');
  });

  it('refuses a malformed Bundle with the path of the offending element, writing nothing', async () => {
    const before = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE type = 'birth'")).rows[0]!.n;
    const quinn = JSON.parse(interop('hl7-bfdr/BirthRecordBabyGQuinn.json'));
    const noDate = structuredClone(quinn);
    delete noDate.entry[1].resource.birthDate;
    const badWeight = structuredClone(quinn);
    badWeight.entry[34].resource.valueQuantity.value = 'heavy';
    const cases: [unknown, string][] = [
      [noDate, 'entry[1].resource.birthDate'],
      [badWeight, 'entry[34].resource.valueQuantity.value'],
      [{ resourceType: 'Bundle', type: 'document', entry: 'x' }, 'entry'],
      [{ resourceType: 'Bundle', type: 'document', entry: [{ fullUrl: 'x' }] }, 'entry[0].resource'],
    ];
    for (const [body, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(body) });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().field).toBe(field);
    }
    const message = JSON.parse(interop('hl7-bfdr/BirthRecordSubmissionMessage.json'));
    delete message.entry[2].resource.entry[1].resource.birthDate;
    const nested = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(message) });
    expect(nested.json().field).toMatch(/^entry\[2\]\.resource\.entry\[\d+\]\.resource\.birthDate$/);
    const after = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE type = 'birth'")).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('still takes plain JSON, and names the field at fault', async () => {
    const plain = { 'content-type': 'application/json', authorization: hospital.authorization! };
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: plain, payload: { facilityId: 'kz-hf-71-001', child: { dateOfBirth: '2026-03-01' } } });
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: plain, payload: { facilityId: 'kz-hf-71-001', child: { dateOfBirth: '1 March' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('body.child.dateOfBirth');
    // A mistyped mother IIN never refuses the child: it is kept, unverified, with a warning.
    const badIin = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: plain, payload: { facilityId: 'kz-hf-71-001', child: { dateOfBirth: '2026-03-01' }, mother: { iin: '791028302729' } } });
    expect(badIin.statusCode, badIin.body).toBe(201);
    expect(badIin.json().warnings[0]).toMatch(/^mother\.iin: not a valid IIN/);
  });

  it('keeps a mistyped mother IIN from a Bundle unverified, and refuses impossible dates with their path', async () => {
    const max = fill(openCrvsBirthBodies()['Create Birth Notification (Max)']!);
    const mistyped = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: max.replace('"3624667568"', '"791028302729"') });
    expect(mistyped.statusCode, mistyped.body).toBe(201);
    expect(mistyped.json().data.notification.mother.iin).toBe('791028302729');
    expect(mistyped.json().data.unverified).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'mother.iin', code: 'iin_invalid' })]));

    const quinn = JSON.parse(interop('hl7-bfdr/BirthRecordBabyGQuinn.json'));
    const motherAt = quinn.entry.findIndex((e: { resource: { resourceType: string; birthDate?: string } }) => e.resource.resourceType === 'Patient' && e.resource.birthDate === '1985-01-15');
    const before = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE type = 'birth'")).rows[0]!.n;
    for (const [at, date, field] of [
      [1, '2023-02-30', 'entry[1].resource.birthDate'],
      [1, '2023-13-01', 'entry[1].resource.birthDate'],
      [1, '0000-00-00', 'entry[1].resource.birthDate'],
      [1, '2099-01-01', 'child.dateOfBirth'],
      [motherAt, '9999-12-31', `entry[${motherAt}].resource.birthDate`],
      [motherAt, '1985-02-29', `entry[${motherAt}].resource.birthDate`],
    ] as const) {
      const body = structuredClone(quinn);
      body.entry[at].resource.birthDate = date;
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(body) });
      expect(res.statusCode, `${date}: ${res.body}`).toBe(400);
      expect(res.json().field, date).toBe(field);
    }
    expect((await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE type = 'birth'")).rows[0]!.n).toBe(before);
  });

  it('shortens an over-long name from a Bundle without cutting a character in two', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'document',
      entry: [
        { fullUrl: 'urn:uuid:c', resource: { resourceType: 'Patient', id: 'c', meta: { profile: ['child'] }, birthDate: '2026-02-28', gender: 'female' } },
        { fullUrl: 'urn:uuid:m', resource: { resourceType: 'Patient', id: 'm', meta: { profile: ['mother'] }, gender: 'female', name: [{ family: `${'a'.repeat(99)}😀😀`, given: ['Динара'] }] } },
      ],
    };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(bundle) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.notification.mother.surname).toBe('a'.repeat(99));
  });

  it('caps the entries of a Bundle, naming the field, before mapping anything', async () => {
    const quinn = JSON.parse(interop('hl7-bfdr/BirthRecordBabyGQuinn.json'));
    const filler = { resource: { resourceType: 'Observation', code: { coding: [{ code: '8339-4' }] }, subject: { reference: 'Patient/nobody' }, valueQuantity: { value: 3000, code: 'g' } } };
    const big = { ...quinn, entry: [...quinn.entry, ...Array.from({ length: 5000 }, () => filler)] };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(big) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'entry', detail: expect.stringMatching(/at most 200 entries/) });
    const message = JSON.parse(interop('hl7-bfdr/BirthRecordSubmissionMessage.json'));
    const nested = message.entry[2].resource;
    nested.entry = [...nested.entry, ...Array.from({ length: 300 }, () => filler)];
    const inner = await t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: hospital, payload: JSON.stringify(message) });
    expect(inner.statusCode).toBe(400);
    expect(inner.json().field).toBe('entry[2].resource.entry');
  });
});
