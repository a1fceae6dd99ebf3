import { readFileSync } from 'node:fs';
import { compactVerify, importJWK } from 'jose';
import { gunzipSync } from 'fflate';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { approveCorrection, requestCorrection } from '../../src/births/workflow.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp, testSigningPassphrase } from '../support/app.ts';
import { birthDeps, facilityDeclaration, helperRegistrar, makeBirth } from '../support/births.ts';
import { readQrFromPdf } from './support/pdf-qr.ts';

/**
 * The Done-when, through the API as an office uses it: register, issue, render, read the
 * QR code back out of the rasterised page, verify; correct → superseded; revoke → revoked; one
 * changed byte → invalid. Plus the status list and the credential export, checked as a third party would.
 */
let t: TestApp;
let headers: Record<string, string>;
const w3c = (file: string) => JSON.parse(readFileSync(new URL(`../../../shared/interop/w3c/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

async function call(options: InjectOptions) {
  return t.app.inject({ ...options, headers: { ...headers, ...(options.headers as Record<string, string>) } });
}
const verify = async (payload: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload } })).json();

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  await generateSigningKey(t.db, t.clock, { passphrase: testSigningPassphrase });
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const user = await t.db.transaction((tx) =>
    createUser(tx, loadRoles('kz'), { username: 'registrar.cert', displayName: 'Айгерім Сәрсенбаева', jurisdiction: '710000000', officeId: 'kz-rgo-71-01', roles: ['office_registrar'], password: 'certificate test password' }, ctx),
  );
  const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
  headers = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
});
afterAll(() => t.close());

describe('a birth certificate anyone can verify', () => {
  it('is issued, printed, read back from the page, verified; superseded by a correction; revoked; and a changed byte fails', async () => {
    const deps = birthDeps(t.db, t.clock);
    const id = await makeBirth(deps, 'kz-hf-71-001', 'registered');
    const record = (await call({ method: 'GET', url: `/api/v1/births/${id}` })).json();
    expect(record.certificateCount).toBe(0);
    expect(record.allowedActions).toContain('ISSUE_CERTIFICATE');

    const issued = await call({
      method: 'POST',
      url: `/api/v1/births/${id}/certificates`,
      headers: { 'idempotency-key': 'issue-first-0001' },
      payload: { kind: 'birth_certificate', version: record.version, delivery: 'in_person', collector: { name: 'Сәуле Нұрланқызы', relationship: 'mother', documentType: 'identity_card', documentNumber: '045678912' } },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const { issuance } = issued.json();
    expect(issued.json().record.certificateCount).toBe(1);
    expect(issuance).toMatchObject({ kind: 'birth_certificate', status: 'valid', issuedBy: 'Айгерім Сәрсенбаева', delivery: 'in_person' });

    const pdf = await call({ method: 'GET', url: `/api/v1/certificates/${issuance.serial}/pdf` });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await readQrFromPdf(new Uint8Array(pdf.rawPayload));
    expect(text).toMatch(/^http:\/\/localhost:8080\/verify#KZ1:/);
    const payload = text.slice(text.indexOf('#') + 1);
    expect(payload.length).toBeLessThan(600);

    const valid = await verify(text);
    expect(valid).toMatchObject({ verdict: 'valid', reason: null, birth: { serial: issuance.serial, iin: record.iin, registrationNumber: record.number, dateOfBirth: facilityDeclaration().child.dateOfBirth } });

    // One changed byte anywhere in the payload: never valid.
    const at = 4 + Math.floor((payload.length - 4) / 2);
    const changed = payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1);
    expect((await verify(changed)).verdict).toBe('invalid');

    // A retry of the same issuance answers the first, drawing no new serial.
    const retried = await call({
      method: 'POST',
      url: `/api/v1/births/${id}/certificates`,
      headers: { 'idempotency-key': 'issue-first-0001' },
      payload: { kind: 'birth_certificate', version: record.version, delivery: 'in_person', collector: { name: 'Сәуле Нұрланқызы', relationship: 'mother', documentType: 'identity_card', documentNumber: '045678912' } },
    });
    expect(retried.json().issuance.serial).toBe(issuance.serial);
    expect(retried.json().record.certificateCount).toBe(1);

    // A correction approved after issuance supersedes it: the verifier learns the date, not the new data.
    const actor = helperRegistrar();
    await requestCorrection(deps, id, { ...facilityDeclaration(), child: { ...facilityDeclaration().child, givenName: 'Айгүл' } }, { actor, reason: 'the name was misspelt' });
    await approveCorrection(deps, id, { actor, reason: 'birth record of the facility checked' });
    const superseded = await verify(text);
    expect(superseded).toMatchObject({ verdict: 'superseded', reason: 'superseded', statusDate: '2026-03-02' });
    expect(superseded.birth.child.givenName).not.toBe('Айгүл');

    // A new certificate states the corrected facts; revoking it is reported as exactly that.
    const after = (await call({ method: 'GET', url: `/api/v1/births/${id}` })).json();
    const second = (await call({ method: 'POST', url: `/api/v1/births/${id}/certificates`, payload: { kind: 'certified_copy', version: after.version, delivery: 'electronic' } })).json().issuance;
    const secondText = await readQrFromPdf(new Uint8Array((await call({ method: 'GET', url: `/api/v1/certificates/${second.serial}/pdf` })).rawPayload));
    expect(await verify(secondText)).toMatchObject({ verdict: 'valid', birth: { child: { givenName: 'Айгүл' }, kind: 'certified_copy' } });
    const revoked = await call({ method: 'POST', url: `/api/v1/certificates/${second.serial}/revoke`, payload: { reason: 'reported lost by the mother' } });
    expect(revoked.json()).toMatchObject({ status: 'revoked', revocationReason: 'reported lost by the mother' });
    expect(await verify(secondText)).toMatchObject({ verdict: 'revoked', reason: 'revoked', statusDate: '2026-03-02' });

    const history = (await call({ method: 'GET', url: `/api/v1/births/${id}/certificates` })).json().items;
    expect(history.map((i: { serial: string; status: string }) => [i.serial, i.status])).toEqual([
      [second.serial, 'revoked'],
      [issuance.serial, 'superseded'],
    ]);

    // The status list says the same to a third party, in bulk, signed with a published key.
    const keys = (await t.app.inject({ method: 'GET', url: '/api/v1/certificates/keys' })).json();
    const jwt = (await t.app.inject({ method: 'GET', url: '/api/v1/certificates/status/0' })).body;
    const { payload: listBytes, protectedHeader } = await compactVerify(jwt, async (header) => importJWK(keys.keys.find((k: { kid: string }) => k.kid === header.kid), 'EdDSA'));
    expect(protectedHeader.typ).toBe('vc+jwt');
    const list = JSON.parse(new TextDecoder().decode(listBytes));
    expect(list.type).toContain('BitstringStatusListCredential');
    const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
    expect(bits.length).toBe(16_384);
    const bit = (i: number) => (bits[i >> 3]! >> (7 - (i & 7))) & 1;

    // The verifiable credential of the revoked copy points at its bit, which is set; the first one's is not.
    const vcJwt = (await call({ method: 'GET', url: `/api/v1/certificates/${second.serial}/credential` })).body;
    const vc = JSON.parse(new TextDecoder().decode((await compactVerify(vcJwt, async (header) => importJWK(keys.keys.find((k: { kid: string }) => k.kid === header.kid), 'EdDSA'))).payload));
    expect(bit(Number(vc.credentialStatus.statusListIndex))).toBe(1);
    const firstVc = (await call({ method: 'GET', url: `/api/v1/certificates/${issuance.serial}/credential?format=json` })).json();
    expect(bit(Number(firstVc.credentialStatus.statusListIndex))).toBe(0);
    // Its shape follows the W3C examples: every member they have, of the same JSON type.
    for (const example of [w3c('vc-data-model/example-4.json'), w3c('vc-data-model-2.0-test-suite/credential-status-ok.json')]) {
      for (const [key, value] of Object.entries(example)) {
        expect(typeof vc[key], key).toBe(typeof value);
        expect(Array.isArray(vc[key]), key).toBe(Array.isArray(value));
      }
    }
    expect(vc['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(vc.credentialSubject).toMatchObject({ id: `urn:kz:iin:${record.iin}`, birthDate: facilityDeclaration().child.dateOfBirth });
  });

  it('revoking the registration revokes every certificate of it', async () => {
    const deps = birthDeps(t.db, t.clock);
    const id = await makeBirth(deps, 'kz-hf-71-001', 'registered');
    const issued = (await call({ method: 'POST', url: `/api/v1/births/${id}/certificates`, payload: { kind: 'extract', delivery: 'electronic' } })).json().issuance;
    const text = await readQrFromPdf(new Uint8Array((await call({ method: 'GET', url: `/api/v1/certificates/${issued.serial}/pdf` })).rawPayload));
    const { revokeBirth } = await import('../../src/births/workflow.ts');
    await revokeBirth(deps, id, { actor: helperRegistrar(), reason: 'registered twice' });
    expect(await verify(text)).toMatchObject({ verdict: 'revoked' });
  });

  it('refuses to print a certificate for a birth that is not registered', async () => {
    const id = await makeBirth(birthDeps(t.db, t.clock), 'kz-hf-71-001', 'validated');
    const res = await call({ method: 'POST', url: `/api/v1/births/${id}/certificates`, payload: { kind: 'birth_certificate', delivery: 'electronic' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'action_not_allowed' });
    expect((await call({ method: 'GET', url: `/api/v1/births/${id}/certificates/preview` })).statusCode).toBe(409);
  });

  it('asks who collected a certificate handed over in person', async () => {
    const id = await makeBirth(birthDeps(t.db, t.clock), 'kz-hf-71-001', 'registered');
    const res = await call({ method: 'POST', url: `/api/v1/births/${id}/certificates`, payload: { kind: 'birth_certificate', delivery: 'in_person' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'collector' });
  });
});
