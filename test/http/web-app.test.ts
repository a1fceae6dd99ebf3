import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../support/app.ts';
import { addUser, signedIn } from '../support/sign-in.ts';

/** The web app served at /: pages fall back to index.html, files are cached by their kind, /api is never shadowed. */
describe('web app serving', () => {
  let t: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-web-'));

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/app-1a2b.js"></script>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("app")');
    fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(dir, '..', 'secret.txt'), 'not for you');
    t = await openTestApp({ TIRKEU_WEB_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers any page path with index.html, never cached without asking', async () => {
    for (const url of ['/', '/queues', '/births/0190a7e2-0000-7000-8000-000000000000', '/admin/users?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>app</title>');
    }
  });

  it('serves hashed assets for a year and the service worker without caching', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await t.app.inject({ method: 'GET', url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
  });

  it('runs under a Content-Security-Policy with no inline script or style', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('never shadows the API, never serves a missing file as HTML, never leaves its folder', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const missing = await t.app.inject({ method: 'GET', url: '/assets/gone-9f9f.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('not for you');
    }
  });

  it('remembers the language a person chose and gives a reloaded page its CSRF token', async () => {
    await addUser(t, 'web.agent', 'registration_agent', 'a quiet office by the river');
    const session = await signedIn(t, 'web.agent', 'a quiet office by the river');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });
    expect(me.json().csrfToken).toBe(session.headers['x-csrf-token']);
    expect(me.json().language).toBeNull();
    // The account screen names the roles in the reader's language and knows whether a code is asked for.
    expect(me.json()).toMatchObject({ totpEnabled: false, roleNames: [{ id: 'registration_agent', name: { en: 'Registration agent', kk: 'Тіркеу агенті' } }] });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/auth/language', headers: session.headers, payload: { language: 'de' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('language');
    const ok = await t.app.inject({ method: 'PUT', url: '/api/v1/auth/language', headers: session.headers, payload: { language: 'kk' } });
    expect(ok.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });
    expect(after.json().language).toBe('kk');
  });
});
