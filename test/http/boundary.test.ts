import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { safeError } from '../../src/http/problem.ts';
import { jsonDepth } from '../../src/http/validation.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/**
 * What every request meets before a route sees it: authentication first, then bodies and URLs held
 * to the same rules everywhere (depth, text, numbers, unknown properties, no coercion).
 */
let t: TestApp;
let headers: Record<string, string>;
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const pathOf = (url: string) => url.replaceAll(':id', '01900000-0000-7000-8000-000000000000').replaceAll(':documentId', '01900000-0000-7000-8000-000000000001').replaceAll(':kato', '710000000');

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const user = await t.db.transaction((tx) =>
    createUser(tx, loadRoles('kz'), { username: 'boundary.registrar', displayName: 'B', jurisdiction: null, officeId: 'kz-rgo-71-01', roles: ['national_registrar', 'registration_agent'], password: 'boundary test password one' }, ctx()),
  );
  const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx()));
  headers = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
});
afterAll(() => t.close());

describe('authentication comes first', () => {
  it('answers 401 to an anonymous caller on every protected route, whatever the body', async () => {
    const bodies = [
      { headers: { 'content-type': 'application/json' }, payload: '{not json' },
      { headers: { 'content-type': 'application/json' }, payload: nested(3000) },
      { headers: { 'content-type': 'application/json' }, payload: '{"a":"\\u0000"}' },
      { headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc(5 * 1024 * 1024 + 10, 1) },
      { headers: { 'content-type': 'text/plain' }, payload: 'hello' },
    ];
    const failures: string[] = [];
    for (const route of t.app.routeScopes.filter((r) => r.scope !== 'public')) {
      for (const body of bodies) {
        const res = await t.app.inject({ method: route.method as 'POST', url: `${pathOf(route.url)}?limit=x&type=%00`, ...body });
        if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} ${body.headers['content-type']}: ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('bodies', () => {
  const notify = (payload: string, type = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v1/births/notifications', headers: { ...headers, 'content-type': type }, payload });

  it('refuses JSON nested deeper than 64 levels, JSON and FHIR alike, before parsing it', async () => {
    for (const type of ['application/json', 'application/fhir+json']) {
      const res = await notify(nested(2500), type);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'body' });
    }
    expect(jsonDepth('{"a":"{{{{[[[","b":[1,{"c":2}]}')).toBe(3);
  });

  it('refuses NUL, lone surrogates and numbers too large to hold, naming the field', async () => {
    const signIn = (payload: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload });
    const nul = await signIn('{"username":"a\\u0000b","password":"x"}');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().field).toBe('body.username');
    const surrogate = await signIn('{"username":"a\\ud800b","password":"x"}');
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().field).toBe('body.username');
    const huge = await notify('{"facilityId":"kz-hf-71-001","child":{"dateOfBirth":"2026-03-01"},"extra":1e400}');
    expect(huge.statusCode).toBe(400);
    expect(huge.json().field).toBe('body.extra');
    const proto = await signIn('{"username":"a","password":"x","__proto__":{"admin":true}}');
    expect(proto.statusCode).toBe(400);
  });

  it('refuses unknown properties and does not coerce types', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'a', password: 'x', role: 'admin' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/additional properties/);
    const coerced = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: true, password: 'x' } });
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json().field).toBe('body.username');
  });

  it('takes query strings as text and still refuses NUL in them', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/births/gap?limit=5', headers });
    expect(ok.statusCode).toBe(200);
    const nul = await t.app.inject({ method: 'GET', url: '/api/v1/places?q=a%00b', headers });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().field).toBe('querystring.q');
    for (const limit of ['Infinity', '1e400', '9223372036854775808']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/births/gap?limit=${limit}`, headers });
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().field).toBe('querystring.limit');
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/births/gap?limit=5&secret=1', headers });
    expect(unknown.statusCode).toBe(400);
  });
});

describe('headers and filters', () => {
  it('answers malformed Basic credentials with 400 naming the header', async () => {
    for (const credentials of ['%E0%A4%A:secret', 'no-colon-here', 'id\u0000:secret']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/oauth/token',
        headers: { authorization: `Basic ${Buffer.from(credentials.replace('\\u0000', '\u0000')).toString('base64')}` },
        payload: { grant_type: 'client_credentials' },
      });
      expect(res.statusCode, credentials).toBe(400);
      expect(res.json().field).toBe('authorization');
    }
    const notBase64 = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { authorization: 'Basic ***' }, payload: { grant_type: 'client_credentials' } });
    expect(notBase64.statusCode).toBe(400);
  });

  it('refuses a leap second and a bigint cursor in the audit filters, naming the field', async () => {
    const admin = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: 'boundary.admin', displayName: 'A', jurisdiction: null, roles: ['system_admin'], password: 'boundary test password two', mustChangePassword: false }, ctx()),
    );
    const session = await t.db.transaction((tx) => createSession(tx, admin.id, 'active', ctx()));
    const asAdmin = { cookie: `tirkeu_session=${session.token}` };
    const leap = await t.app.inject({ method: 'GET', url: '/api/v1/audit?from=2026-06-30T23:59:60Z', headers: asAdmin });
    expect(leap.statusCode).toBe(400);
    expect(leap.json().field).toBe('querystring.from');
    const big = await t.app.inject({ method: 'GET', url: '/api/v1/audit?before=9223372036854775808', headers: asAdmin });
    expect(big.statusCode).toBe(400);
    expect(big.json().field).toBe('querystring.before');
  });
});

describe('requests the HTTP parser refuses', () => {
  it('answer problem+json, not a bare error', async () => {
    const app = await openTestApp();
    try {
      const address = new URL(await app.app.listen({ port: 0, host: '127.0.0.1' }));
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(address.port), '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from('GET /api/v1/places?q='), Buffer.from('алм'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toMatch(/content-type: application\/problem\+json/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'validation_failed' });
    } finally {
      await app.close();
    }
  });
});

describe('responses', () => {
  it('are never cached when they come from the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('log a 500 without the error message, which may quote what a user sent', () => {
    const driverError = Object.assign(new Error('duplicate key value (surname)=(Абенова) already exists'), { code: '23505', constraint: 'users_username' });
    const logged = JSON.stringify(safeError(new Error('wrapped', { cause: driverError })));
    expect(logged).not.toContain('Абенова');
    expect(logged).toContain('23505');
  });
});

describe('behind a trusted proxy', () => {
  it('marks the session cookie Secure when the proxy says the client used HTTPS, and only then', async () => {
    const signIn = async (app: TestApp, forwarded: Record<string, string>) => {
      const created = await app.db.transaction((tx) =>
        createUser(tx, loadRoles('kz'), { username: 'proxy.user', displayName: 'P', jurisdiction: null, roles: ['statistician'], password: 'proxy test password one', mustChangePassword: false }, ctx()),
      );
      expect(created.id).toBeTruthy();
      return app.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', remoteAddress: '10.0.0.5', headers: forwarded, payload: { username: 'proxy.user', password: 'proxy test password one' } });
    };
    const trusted = await openTestApp({ TIRKEU_TRUST_PROXY: '10.0.0.0/8' });
    try {
      const res = await signIn(trusted, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.7' });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await trusted.close();
    }
    const untrusted = await openTestApp();
    try {
      const res = await signIn(untrusted, { 'x-forwarded-proto': 'https' });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await untrusted.close();
    }
  });
});
