import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { buildApp } from '../../src/http/app.ts';
import { openTestApp, type TestApp, testConfig } from '../support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await openTestApp({ TIRKEU_BODY_LIMIT: '2048' });
  // Routes that exist only to exercise the app's shared behaviour.
  t.app.post(
    '/test/echo',
    {
      config: { scope: 'public' },
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1 }), age: Type.Integer({ minimum: 0 }) }),
      },
    },
    async (request) => request.body,
  );
  t.app.get('/test/conflict', { config: { scope: 'public' } }, async () => {
    throw new AppError('version_conflict', 'the record changed since version 3', {
      field: 'version',
      currentVersion: 4,
    });
  });
  t.app.get('/test/crash', { config: { scope: 'public' } }, async () => {
    throw new Error('SELECT secret FROM internals failed');
  });
  await t.app.ready();
});
afterAll(() => t.close());

describe('the HTTP app', () => {
  it('answers liveness and readiness', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('gives every response a request id, keeping a well-formed one the caller sent', async () => {
    const own = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'gateway-123456' } });
    expect(own.headers['x-request-id']).toBe('gateway-123456');
    const made = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed body with problem+json naming the field, and unknown routes with 404', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: 'Aigerim', age: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({
      type: 'urn:tirkeu:problem:validation-failed',
      status: 400,
      field: 'body.age',
    });
    const missing = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { age: 3 } });
    expect(missing.json()).toMatchObject({ field: 'body.name' });
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    const nowhere = await t.app.inject('/api/v1/nowhere');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toMatchObject({ code: 'not_found' });
  });

  it('maps domain error codes to statuses and keeps their details', async () => {
    const res = await t.app.inject('/test/conflict');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'version_conflict', field: 'version', currentVersion: 4 });
  });

  it('hides the internals of a 500', async () => {
    const res = await t.app.inject('/test/crash');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('SELECT');
    expect(res.json().detail).toContain(res.headers['x-request-id']);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: 'x'.repeat(4000), age: 1 },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('sends security headers and serves the OpenAPI document and reference', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    const doc = await t.app.inject('/api/docs/json');
    expect(doc.json()).toMatchObject({ openapi: '3.1.0' });
    expect((await t.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('refuses to register a route that declares no scope', async () => {
    const fresh = await buildApp({ db: t.db, config: testConfig(), clock: t.clock, logger: false });
    expect(() => fresh.get('/test/unguarded', async () => 'open')).toThrow(/declares no scope/);
    await fresh.close();
  });
});
