import { generate } from 'otplib';
import { expect } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import type { TestApp } from './app.ts';

/** Signing in over HTTP, step by step, as the web app does. */
export interface Signed {
  cookie: string;
  csrf: string;
  stage: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

export interface Enrolled {
  username: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
}

export function cookieOf(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name === 'tirkeu_session');
  return `tirkeu_session=${c?.value}`;
}

export async function signIn(t: TestApp, username: string, password: string, remoteAddress = '127.0.0.1') {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password }, remoteAddress });
}

export async function signedIn(t: TestApp, username: string, password: string): Promise<Signed> {
  const res = await signIn(t, username, password);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = cookieOf(res);
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, stage: res.json().stage, headers: { cookie, 'x-csrf-token': csrf } };
}

/** The code the authenticator shows now. */
export function codeAt(t: TestApp, secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
}

/** The code of the next time step (the clock moves on 30 s): a code is accepted once only. */
export function codeNow(t: TestApp, secret: string): Promise<string> {
  t.clock.advance(30_000);
  return codeAt(t, secret);
}

export async function addUser(t: TestApp, username: string, role: string, password: string): Promise<string> {
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const user = await t.db.transaction((tx) =>
    createUser(tx, loadRoles('kz'), { username, displayName: username, jurisdiction: null, roles: [role], password, mustChangePassword: false }, ctx),
  );
  return user.id;
}

/** A system administrator (a role that must have a second factor), enrolled through the API. */
export async function enrolledUser(t: TestApp, username: string, password = 'copper kettles sing at noon'): Promise<Enrolled> {
  await addUser(t, username, 'system_admin', password);
  const s = await signedIn(t, username, password);
  expect(s.stage).toBe('pending_enrolment');
  const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers: s.headers, payload: {} });
  expect(enrol.statusCode, enrol.body).toBe(200);
  const { secret } = enrol.json();
  const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/confirm', headers: s.headers, payload: { code: await codeNow(t, secret) } });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { username, password, secret, recoveryCodes: confirm.json().recoveryCodes };
}

/** Both steps of a sign-in with a second factor; the session is active afterwards. */
export async function signedInWithCode(t: TestApp, user: Enrolled): Promise<Signed> {
  const s = await signedIn(t, user.username, user.password);
  expect(s.stage).toBe('pending_totp');
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: s.headers, payload: { code: await codeNow(t, user.secret) } });
  expect(res.statusCode, res.body).toBe(200);
  // Each step of a sign-in gives a new session cookie.
  const cookie = cookieOf(res);
  return { ...s, cookie, headers: { cookie, 'x-csrf-token': s.csrf }, stage: 'active' };
}

export async function me(t: TestApp, s: Pick<Signed, 'cookie'>): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode;
}
