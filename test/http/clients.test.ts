import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rotationGraceMs, tokenLifetimeSeconds } from '../../src/access/clients.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let adminId: string;
/** A fresh admin session each time: the tests move the clock past session lifetimes. */
let admin: Record<string, string>;
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  adminId = await t.db.transaction(async (tx) =>
    (await createUser(tx, loadRoles('kz'), { username: 'root.national', displayName: 'Admin', jurisdiction: null, roles: ['system_admin'], password: 'client test supervisor password' }, ctx())).id,
  );
});
beforeEach(async () => {
  const session = await t.db.transaction((tx) => createSession(tx, adminId, 'active', ctx()));
  admin = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
});
afterAll(() => t.close());

async function token(clientId: string, secret: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
}

describe('API clients', () => {
  it('exchanges a client id and secret for a short-lived bearer token that acts with the client scopes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: admin,
      payload: { id: 'hospital-71-001', name: 'Perinatal Centre No. 1', scopes: ['birth.notify'], jurisdiction: '711300000', facilityId: 'kz-hf-71-001' },
    });
    expect(created.statusCode).toBe(201);
    const { secret } = created.json();

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=hospital-71-001&client_secret=${encodeURIComponent(secret)}`,
    });
    expect(form.statusCode).toBe(200);
    expect(form.json()).toMatchObject({ token_type: 'Bearer', expires_in: tokenLifetimeSeconds, scope: 'birth.notify' });
    expect(form.headers['cache-control']).toBe('no-store');

    const basic = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { authorization: `Basic ${Buffer.from(`hospital-71-001:${secret}`).toString('base64')}` },
      payload: { grant_type: 'client_credentials' },
    });
    expect(basic.statusCode).toBe(200);

    const bearer = { authorization: `Bearer ${form.json().access_token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });
    expect(me.json()).toMatchObject({ kind: 'client', id: 'hospital-71-001', scopes: ['birth.notify'], jurisdiction: '711300000' });
    // The client's scopes stop at birth.notify.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer })).statusCode).toBe(403);

    t.clock.advance(tokenLifetimeSeconds * 1000 + 1);
    const expired = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });
    expect(expired.statusCode).toBe(401);
    const forged = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer forged-token-that-was-never-issued' } });
    expect(forged.statusCode).toBe(401);
  });

  it('refuses a wrong secret, an unknown client and a missing secret, with an audit line for each attempt', async () => {
    expect((await token('hospital-71-001', 'wrong')).statusCode).toBe(401);
    expect((await token('no-such-client', 'wrong')).statusCode).toBe(401);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'hospital-71-001' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().field).toBe('client_secret');
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?event=token', headers: admin });
    const failures = (audit.json().items as { outcome: string; actorId: string }[]).filter((l) => l.outcome === 'failure');
    expect(failures.map((l) => l.actorId)).toEqual(['no-such-client', 'hospital-71-001']);
  });

  it('rotates a secret without downtime: the old one works for the grace period, then stops', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: admin,
      payload: { id: 'hospital-75-001', name: 'Perinatal Centre, Almaty', scopes: ['birth.notify'], jurisdiction: '750000000', facilityId: 'kz-hf-75-001' },
    });
    const oldSecret = created.json().secret as string;
    const rotated = await t.app.inject({ method: 'POST', url: '/api/v1/clients/hospital-75-001/secrets', headers: admin });
    expect(rotated.statusCode).toBe(201);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).not.toBe(oldSecret);
    expect((await token('hospital-75-001', oldSecret)).statusCode).toBe(200);
    expect((await token('hospital-75-001', newSecret)).statusCode).toBe(200);
    t.clock.advance(rotationGraceMs + 1);
    expect((await token('hospital-75-001', oldSecret)).statusCode).toBe(401);
    expect((await token('hospital-75-001', newSecret)).statusCode).toBe(200);
  });

  it('refuses a facility that does not exist or lies outside the client jurisdiction', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: admin,
      payload: { id: 'hospital-x', name: 'X', scopes: ['birth.notify'], jurisdiction: '711300000', facilityId: 'kz-hf-00-000' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('facilityId');
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: admin,
      payload: { id: 'hospital-y', name: 'Y', scopes: ['birth.notify'], jurisdiction: '711300000', facilityId: 'kz-hf-75-001' },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/clients', headers: admin })).json().items.map((c: { id: string }) => c.id)).toEqual([
      'hospital-71-001',
      'hospital-75-001',
    ]);
  });
});
