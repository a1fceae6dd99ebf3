import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/access/clients.ts';
import { loadRoles } from '../../src/access/roles.ts';
import type { RouteScope, Scope } from '../../src/access/scopes.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp, testConfig, testSigningPassphrase } from '../support/app.ts';
import { certificateDepsFor, issueCertificate } from '../../src/certificates/issuance.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { type BirthStage, birthDeps, facilityDeclaration, helperRegistrar, makeBirth, makeDuplicatePair } from '../support/births.ts';
import type { Actor } from '../../src/access/policy.ts';
import { declareBirth } from '../../src/births/workflow.ts';
import { openCase } from '../../src/protection/cases.ts';
import { conveneBid } from '../../src/protection/bids.ts';
import { referralsOfRecord } from '../../src/protection/referrals.ts';
import { createTracingRequest, type NewTracingRequest } from '../../src/protection/tracing.ts';
import { protectionDeps } from '../support/protection.ts';
import { noteRecord } from '../support/note-record.ts';
import { attachDocument } from '../../src/births/documents.ts';
import { PDFDocument } from 'pdf-lib';

/**
 * Every role × every route × a target inside / outside the caller's jurisdiction. The callers all
 * sit in Astana (71…); "outside" targets are in Almaty (75…). The table below must name every
 * registered route: a route added without a row here fails the first test.
 */
const astana = '710000000';
const almaty = '750000000';

interface World {
  record: { inside: string; outside: string };
  /** A fresh birth record at the Astana or Almaty facility, declared or validated. */
  birth(inside: boolean, stage?: BirthStage): Promise<string>;
  /** The serial of a fresh certificate of a registered birth in Astana or Almaty. */
  certificate(inside: boolean): Promise<string>;
  /** A fresh suspected duplicate pair (a registered birth declared again) in Astana or Almaty. */
  pair(inside: boolean): Promise<string>;
  /** A fresh protection case in Astana (the matrix's case worker owns it) or Almaty (an Almaty worker's). */
  case(inside: boolean): Promise<string>;
  /** A fresh best-interests determination of a fresh case, convened with a panel of three. */
  bid(inside: boolean): Promise<string>;
  /** A fresh tracing request recorded by the matrix's case worker (Astana) or an Almaty worker. */
  tracing(inside: boolean): Promise<string>;
  /** A fresh referral: a birth of an undocumented mother declared in Astana or Almaty. */
  referral(inside: boolean): Promise<string>;
  /** A birth record with one uploaded document: [recordId, documentId]. */
  document(inside: boolean): Promise<[string, string]>;
  user: { inside: string; outside: string };
  client: { inside: string; outside: string };
  /** A fresh API client in Astana or Almaty (deactivating one must leave the others to later rows). */
  freshClient(inside: boolean): Promise<string>;
  unique(): string;
}

interface Row {
  /** The request a caller makes; `inside` says whether its target lies in the caller's jurisdiction. */
  request(world: World, inside: boolean): InjectOptions | Promise<InjectOptions>;
  /** The status of an allowed request inside the jurisdiction. */
  ok: number;
  /**
   * How a target outside the jurisdiction answers: 404 for an existing thing (its existence is not
   * revealed), 403 for a place named in the request; 'same' where the route has no jurisdiction.
   */
  outside: 404 | 403 | 'same';
}

const get = (url: string): InjectOptions => ({ method: 'GET', url });
const post = (url: string, payload?: object): InjectOptions => ({ method: 'POST', url, payload });
const side = (w: World, inside: boolean, key: 'record' | 'user' | 'client') => (inside ? w[key].inside : w[key].outside);
const place = (inside: boolean) => (inside ? astana : almaty);
const facility = (inside: boolean) => (inside ? 'kz-hf-71-001' : 'kz-hf-75-001');

const routes: Record<string, Row> = {
  'GET /healthz': { request: () => get('/healthz'), ok: 200, outside: 'same' },
  'GET /readyz': { request: () => get('/readyz'), ok: 200, outside: 'same' },
  'GET /api/v1/places': { request: () => get('/api/v1/places?q=ast'), ok: 200, outside: 'same' },
  'GET /api/v1/places/:kato': { request: (_w, i) => get(`/api/v1/places/${place(i)}`), ok: 200, outside: 'same' },
  'GET /api/v1/places/:kato/children': { request: (_w, i) => get(`/api/v1/places/${place(i)}/children`), ok: 200, outside: 'same' },
  'GET /api/v1/offices': { request: () => get('/api/v1/offices'), ok: 200, outside: 'same' },
  'GET /api/v1/facilities': { request: () => get('/api/v1/facilities'), ok: 200, outside: 'same' },
  'GET /api/v1/facilities/:id': { request: (_w, i) => get(`/api/v1/facilities/${facility(i)}`), ok: 200, outside: 'same' },
  // Sign-in steps are public: each answers for the session it is given (here an active one), not for a role.
  'POST /api/v1/auth/sign-in': { request: () => post('/api/v1/auth/sign-in', { username: 'nobody.here', password: 'x' }), ok: 401, outside: 'same' },
  'POST /api/v1/auth/second-factor': { request: () => post('/api/v1/auth/second-factor', { code: '000000' }), ok: 409, outside: 'same' },
  // A signed-in user may enrol a second factor even where the role does not demand one.
  'POST /api/v1/auth/totp/enrol': { request: () => post('/api/v1/auth/totp/enrol', { currentPassword: 'matrix test password one' }), ok: 200, outside: 'same' },
  'POST /api/v1/auth/totp/confirm': { request: () => post('/api/v1/auth/totp/confirm', { code: '000000' }), ok: 400, outside: 'same' },
  // Recovery codes back a second factor: these users have none yet.
  'POST /api/v1/auth/recovery-codes': {
    request: () => post('/api/v1/auth/recovery-codes', { currentPassword: 'matrix test password one', code: '000000' }),
    ok: 409,
    outside: 'same',
  },
  'POST /api/v1/auth/password': {
    request: () => post('/api/v1/auth/password', { currentPassword: 'wrong password', newPassword: 'steppe horses run at dawn' }),
    ok: 400,
    outside: 'same',
  },
  'POST /api/v1/auth/sign-out': { request: () => post('/api/v1/auth/sign-out'), ok: 204, outside: 'same' },
  'POST /api/v1/auth/sign-out-everywhere': { request: () => post('/api/v1/auth/sign-out-everywhere'), ok: 200, outside: 'same' },
  'GET /api/v1/auth/me': { request: () => get('/api/v1/auth/me'), ok: 200, outside: 'same' },
  'PUT /api/v1/auth/language': { request: () => ({ method: 'PUT', url: '/api/v1/auth/language', payload: { language: 'kk' } }), ok: 204, outside: 'same' },
  // The web app's pages and files are public (the data they show comes from the API); unbuilt here, so 404.
  'GET /*': { request: () => get('/queues'), ok: 404, outside: 'same' },
  'POST /api/v1/oauth/token': {
    request: () => post('/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }),
    ok: 401,
    outside: 'same',
  },
  // Every signed-in caller may read the roles' names; which it may grant is tested in administration-screens.test.ts.
  'GET /api/v1/roles': { request: () => get('/api/v1/roles'), ok: 200, outside: 'same' },
  'GET /api/v1/users': { request: () => get('/api/v1/users'), ok: 200, outside: 'same' },
  'POST /api/v1/users': {
    request: (w, i) =>
      post('/api/v1/users', { username: `new.${w.unique()}`, displayName: 'New', jurisdiction: place(i), roles: ['registration_agent'], password: 'a long enough first password' }),
    ok: 201,
    outside: 403,
  },
  'GET /api/v1/users/:id': { request: (w, i) => get(`/api/v1/users/${side(w, i, 'user')}`), ok: 200, outside: 404 },
  'PUT /api/v1/users/:id/roles': {
    request: (w, i) => ({ method: 'PUT', url: `/api/v1/users/${side(w, i, 'user')}/roles`, payload: { roles: ['registration_agent'] } }),
    ok: 200,
    outside: 404,
  },
  'POST /api/v1/users/:id/deactivate': { request: (w, i) => post(`/api/v1/users/${side(w, i, 'user')}/deactivate`), ok: 200, outside: 404 },
  'POST /api/v1/users/:id/password': {
    request: (w, i) => post(`/api/v1/users/${side(w, i, 'user')}/password`, { password: 'a temporary password for you' }),
    ok: 204,
    outside: 404,
  },
  'GET /api/v1/audit': { request: () => get('/api/v1/audit'), ok: 403, outside: 'same' },
  'GET /api/v1/clients': { request: () => get('/api/v1/clients'), ok: 200, outside: 'same' },
  'POST /api/v1/clients': {
    request: (w, i) => post('/api/v1/clients', { id: `c-${w.unique()}`, name: 'A hospital', scopes: ['birth.notify'], jurisdiction: place(i) }),
    ok: 201,
    outside: 403,
  },
  'POST /api/v1/clients/:id/secrets': { request: (w, i) => post(`/api/v1/clients/${side(w, i, 'client')}/secrets`), ok: 201, outside: 404 },
  'POST /api/v1/clients/:id/deactivate': { request: async (w, i) => post(`/api/v1/clients/${await w.freshClient(i)}/deactivate`), ok: 200, outside: 404 },
  'POST /api/v1/births/notifications': {
    request: (_w, i) => post('/api/v1/births/notifications', { facilityId: facility(i), child: { dateOfBirth: '2026-03-01', plurality: 1, birthOrder: 1 } }),
    ok: 201,
    outside: 403,
  },
  'GET /api/v1/births/notifications': { request: (_w, i) => get(`/api/v1/births/notifications?facilityId=${facility(i)}`), ok: 200, outside: 403 },
  'GET /api/v1/births/requirements': { request: () => get('/api/v1/births/requirements?dateOfBirth=2026-03-01'), ok: 200, outside: 'same' },
  'POST /api/v1/births': { request: (_w, i) => post('/api/v1/births', facilityDeclaration(facility(i))), ok: 201, outside: 403 },
  'GET /api/v1/births/queues': { request: () => get('/api/v1/births/queues'), ok: 200, outside: 'same' },
  'GET /api/v1/births/queues/:queue': { request: () => get('/api/v1/births/queues/ready_to_validate'), ok: 200, outside: 'same' },
  'GET /api/v1/births/lookup': { request: () => get('/api/v1/births/lookup?ref=no-such-ref'), ok: 404, outside: 'same' },
  'GET /api/v1/births/:id': { request: async (w, i) => get(`/api/v1/births/${await w.birth(i)}`), ok: 200, outside: 404 },
  'PUT /api/v1/births/:id/declaration': {
    request: async (w, i) => ({ method: 'PUT', url: `/api/v1/births/${await w.birth(i)}/declaration`, payload: facilityDeclaration(facility(i)) }),
    ok: 200,
    outside: 404,
  },
  'POST /api/v1/births/:id/validate': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/validate`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/request-update': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/request-update`, { reason: 'check the name' }), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/archive': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/archive`, { reason: 'duplicate' }), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/evidence': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/evidence`, { type: 'medical_birth_certificate' }), ok: 200, outside: 404 },
  // A current registration needs no approval (409): the row checks who may ask.
  'POST /api/v1/births/:id/approve-registration': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'validated')}/approve-registration`, { reason: 'late' }), ok: 409, outside: 404 },
  'POST /api/v1/births/:id/register': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'validated')}/register`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/corrections': {
    request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'registered')}/corrections`, { declaration: facilityDeclaration(facility(i)), reason: 'the weight was wrong' }),
    ok: 200,
    outside: 404,
  },
  'POST /api/v1/births/:id/corrections/approve': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'correction_requested')}/corrections/approve`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/corrections/reject': {
    request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'correction_requested')}/corrections/reject`, { reason: 'no evidence' }),
    ok: 200,
    outside: 404,
  },
  'POST /api/v1/births/:id/revoke': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'registered')}/revoke`, { reason: 'registered twice' }), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/assign': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/assign`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/release': { request: async (w, i) => post(`/api/v1/births/${await w.birth(i)}/release`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/documents': {
    request: async (w, i) => ({ method: 'POST', url: `/api/v1/births/${await w.birth(i)}/documents?type=medical_birth_certificate`, headers: { 'content-type': 'application/pdf' }, payload: matrixPdf }),
    ok: 201,
    outside: 404,
  },
  'GET /api/v1/births/:id/documents/:documentId': { request: async (w, i) => get(`/api/v1/births/${(await w.document(i)).join('/documents/')}`), ok: 200, outside: 404 },
  'GET /api/v1/births/gap': { request: () => get('/api/v1/births/gap'), ok: 200, outside: 'same' },
  // The published key set: public halves only, for any verifier.
  'GET /api/v1/certificates/keys': { request: () => get('/api/v1/certificates/keys'), ok: 200, outside: 'same' },
  'GET /api/v1/births/:id/certificates': { request: async (w, i) => get(`/api/v1/births/${await w.birth(i, 'registered')}/certificates`), ok: 200, outside: 404 },
  'GET /api/v1/births/:id/certificates/preview': { request: async (w, i) => get(`/api/v1/births/${await w.birth(i, 'registered')}/certificates/preview`), ok: 200, outside: 404 },
  'POST /api/v1/births/:id/certificates': {
    request: async (w, i) => post(`/api/v1/births/${await w.birth(i, 'registered')}/certificates`, { kind: 'extract', delivery: 'electronic' }),
    ok: 201,
    outside: 404,
  },
  'GET /api/v1/certificates/:serial/pdf': { request: async (w, i) => get(`/api/v1/certificates/${await w.certificate(i)}/pdf`), ok: 200, outside: 404 },
  'GET /api/v1/certificates/:serial/credential': { request: async (w, i) => get(`/api/v1/certificates/${await w.certificate(i)}/credential`), ok: 200, outside: 404 },
  'POST /api/v1/certificates/:serial/revoke': { request: async (w, i) => post(`/api/v1/certificates/${await w.certificate(i)}/revoke`, { reason: 'lost' }), ok: 200, outside: 404 },
  // Public: an invalid payload is answered 200 with verdict invalid (one address, so fewer than the rate limit).
  'POST /api/v1/certificates/verify': { request: () => post('/api/v1/certificates/verify', { payload: 'KZ1:not a payload' }), ok: 200, outside: 'same' },
  'GET /api/v1/certificates/status/:list': { request: () => get('/api/v1/certificates/status/0'), ok: 200, outside: 'same' },
  'GET /.well-known/tirkeu-keys.json': { request: () => get('/.well-known/tirkeu-keys.json'), ok: 200, outside: 'same' },
  // Search answers everyone with record.read, each from inside their jurisdiction (the results, not the status, differ).
  'GET /api/v1/search': { request: () => get(`/api/v1/search?q=${encodeURIComponent('Ахметова')}`), ok: 200, outside: 'same' },
  'GET /api/v1/duplicates': { request: () => get('/api/v1/duplicates'), ok: 200, outside: 'same' },
  'GET /api/v1/duplicates/:id': { request: async (w, i) => get(`/api/v1/duplicates/${await w.pair(i)}`), ok: 200, outside: 404 },
  'POST /api/v1/duplicates/:id/decision': { request: async (w, i) => post(`/api/v1/duplicates/${await w.pair(i)}/decision`, { decision: 'not_duplicate', reason: 'two children, checked' }), ok: 200, outside: 404 },
  'GET /api/v1/protection/referrals': { request: () => get('/api/v1/protection/referrals'), ok: 200, outside: 'same' },
  'GET /api/v1/protection/referrals/:id': { request: async (w, i) => get(`/api/v1/protection/referrals/${await w.referral(i)}`), ok: 200, outside: 404 },
  'POST /api/v1/protection/cases': {
    request: (_w, i) => post('/api/v1/protection/cases', { kind: 'unaccompanied', child: { givenName: 'Тимур', languages: ['ru'], identityAsStated: true }, risk: 'high', jurisdiction: i ? '711300000' : '751300000' }),
    ok: 201,
    outside: 403,
  },
  'GET /api/v1/protection/cases': { request: () => get('/api/v1/protection/cases'), ok: 200, outside: 'same' },
  'GET /api/v1/protection/cases/:id': { request: async (w, i) => get(`/api/v1/protection/cases/${await w.case(i)}`), ok: 200, outside: 404 },
  'GET /api/v1/protection/cases/:id/actions': { request: async (w, i) => get(`/api/v1/protection/cases/${await w.case(i)}/actions`), ok: 200, outside: 404 },
  'POST /api/v1/protection/cases/:id/actions': { request: async (w, i) => post(`/api/v1/protection/cases/${await w.case(i)}/actions`, { type: 'NOTE', text: 'visited the shelter' }), ok: 200, outside: 404 },
  'GET /api/v1/protection/tasks': { request: () => get('/api/v1/protection/tasks'), ok: 200, outside: 'same' },
  'POST /api/v1/protection/cases/:id/bids': {
    request: async (w, i) => post(`/api/v1/protection/cases/${await w.case(i)}/bids`, { question: 'durable_solution', panel: panelOf(i) }),
    ok: 201,
    outside: 404,
  },
  'GET /api/v1/protection/cases/:id/bids': { request: async (w, i) => get(`/api/v1/protection/cases/${await w.case(i)}/bids`), ok: 200, outside: 404 },
  'GET /api/v1/protection/bids': { request: () => get('/api/v1/protection/bids'), ok: 200, outside: 'same' },
  'GET /api/v1/protection/bids/:id': { request: async (w, i) => get(`/api/v1/protection/bids/${await w.bid(i)}`), ok: 200, outside: 404 },
  'GET /api/v1/protection/bids/:id/actions': { request: async (w, i) => get(`/api/v1/protection/bids/${await w.bid(i)}/actions`), ok: 200, outside: 404 },
  'POST /api/v1/protection/bids/:id/actions': {
    request: async (w, i) => post(`/api/v1/protection/bids/${await w.bid(i)}/actions`, { type: 'PARENT_VIEWS', who: 'mother', views: 'wants the child home' }),
    ok: 200,
    outside: 404,
  },
  'POST /api/v1/protection/tracing': { request: (_w, i) => post('/api/v1/protection/tracing', tracingRequest(i)), ok: 201, outside: 403 },
  'GET /api/v1/protection/tracing': { request: () => get('/api/v1/protection/tracing'), ok: 200, outside: 'same' },
  'GET /api/v1/protection/tracing/:id': { request: async (w, i) => get(`/api/v1/protection/tracing/${await w.tracing(i)}`), ok: 200, outside: 404 },
  'GET /api/v1/protection/tracing/:id/matches': { request: async (w, i) => get(`/api/v1/protection/tracing/${await w.tracing(i)}/matches`), ok: 200, outside: 404 },
  'POST /api/v1/protection/tracing/:id/actions': { request: async (w, i) => post(`/api/v1/protection/tracing/${await w.tracing(i)}/actions`, { type: 'WITHDRAW_CONSENT', reason: 'the family asked' }), ok: 200, outside: 404 },
  'GET /api/v1/protection/dashboard': { request: () => get('/api/v1/protection/dashboard'), ok: 200, outside: 'same' },
  'GET /api/v1/protection/reports/counts.csv': { request: () => get('/api/v1/protection/reports/counts.csv?from=2026-01-01&to=2026-12-31'), ok: 200, outside: 'same' },
  'GET /api/v1/records/:id': { request: (w, i) => get(`/api/v1/records/${side(w, i, 'record')}`), ok: 200, outside: 404 },
  'GET /api/v1/records/:id/actions': { request: (w, i) => get(`/api/v1/records/${side(w, i, 'record')}/actions`), ok: 200, outside: 404 },
};

let t: TestApp;
let world: World;
const tracingRequest = (inside: boolean) => ({
  requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother' },
  sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', approximateAge: { years: 9 } },
  consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' } },
  jurisdiction: inside ? '711300000' : '751300000',
});
/** Panel members (three professions) in Astana and in Almaty, made before the first BID. */
const panels: Record<'inside' | 'outside', string[]> = { inside: [], outside: [] };
const panelOf = (inside: boolean) => panels[inside ? 'inside' : 'outside'].map((userId, n) => ({ userId, profession: ['social_work', 'law', 'psychology'][n]! }));
/** Uploads are read whole: the matrix uploads a real (one-page) PDF. */
let matrixPdf: Buffer;
const roleUsers = new Map<string, string>();
const roles = loadRoles('kz');
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  await generateSigningKey(t.db, t.clock, { passphrase: testSigningPassphrase });
  const pdf = await PDFDocument.create();
  pdf.addPage();
  matrixPdf = Buffer.from(await pdf.save());
  let n = 0;
  const note = async (jurisdiction: string) =>
    (await t.db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'system', payload: { jurisdiction, text: 'x' } }, { clock: t.clock }))).record.id;
  const user = async (username: string, jurisdiction: string, roleIds: string[]) =>
    (await t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, officeId: 'kz-rgo-71-01', roles: roleIds, password: 'matrix test password one' }, ctx()))).id;
  const client = async (id: string, jurisdiction: string) =>
    (await t.db.transaction((tx) => createClient(tx, { id, name: id, scopes: ['birth.notify'], jurisdiction }, ctx()))).client.id;
  world = {
    record: { inside: await note('711300000'), outside: await note('751300000') },
    user: { inside: await user('target.astana', '711300000', ['statistician']), outside: await user('target.almaty', almaty, ['statistician']) },
    client: { inside: await client('client-astana', astana), outside: await client('client-almaty', almaty) },
    unique: () => `m${++n}`,
    freshClient: (inside) => client(`client-${++n}`, inside ? astana : almaty),
    birth: (inside, stage) => makeBirth(birthDeps(t.db, t.clock), facility(inside), stage),
    certificate: async (inside) => {
      const births = birthDeps(t.db, t.clock);
      const id = await makeBirth(births, facility(inside), 'registered');
      return (await issueCertificate(certificateDepsFor(births, testConfig()), id, { kind: 'birth_certificate', delivery: 'electronic' }, { actor: { kind: 'system', id: 'system' } })).issuance.serial;
    },
    pair: (inside) => makeDuplicatePair(birthDeps(t.db, t.clock), facility(inside)),
    case: async (inside) => {
      const opened = await openCase(protectionDeps(t.db, t.clock), { kind: 'unaccompanied', child: { givenName: 'Тимур', languages: ['ru'], identityAsStated: true }, risk: 'high', jurisdiction: inside ? '711300000' : '751300000' }, { actor: protectionActor(inside) });
      return opened.id;
    },
    bid: async (inside) => {
      const caseId = await world.case(inside);
      const convened = await conveneBid(protectionDeps(t.db, t.clock), caseId, { question: 'durable_solution', panel: panelOf(inside) }, { actor: protectionActor(inside) });
      return convened.id;
    },
    tracing: async (inside) => (await createTracingRequest(protectionDeps(t.db, t.clock), tracingRequest(inside) as NewTracingRequest, { actor: protectionActor(inside) })).id,
    referral: async (inside) => {
      const declaration = facilityDeclaration(facility(inside));
      const { record } = await declareBirth(birthDeps(t.db, t.clock), { ...declaration, path: 'mother_without_documents', mother: { ...declaration.mother!, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true } }, { actor: helperRegistrar() });
      return (await referralsOfRecord(t.db, record.id))[0]!.id;
    },
    document: async (inside) => {
      const deps = birthDeps(t.db, t.clock);
      const recordId = await makeBirth(deps, facility(inside));
      const { document } = await attachDocument(deps, recordId, { type: 'medical_birth_certificate', mediaType: 'application/pdf', content: matrixPdf }, { actor: { kind: 'system', id: 'system' } });
      return [recordId, document.id];
    },
  };
  for (const role of roles.keys()) roleUsers.set(role, await user(`m.${role}`, astana, [role]));
  for (const [side, where] of [['inside', astana], ['outside', almaty]] as const) {
    for (const n of [1, 2, 3]) panels[side].push(await user(`panel.${side}.${n}`, where, ['protection_supervisor']));
  }
});

/** The matrix's case worker in Astana, or a case worker of Almaty, as the use cases see them. */
function protectionActor(inside: boolean): Actor {
  const scopes = new Set<Scope>(['protection.case.read', 'protection.case.write', 'record.read']);
  return inside
    ? { kind: 'user', id: roleUsers.get('case_worker')!, username: 'm.case_worker', roles: ['case_worker'], scopes, jurisdiction: astana, officeId: 'kz-rgo-71-01', sessionId: 'matrix' }
    : { kind: 'user', id: panels.outside[0]!, username: 'panel.outside.1', roles: ['case_worker'], scopes, jurisdiction: almaty, officeId: null, sessionId: 'matrix' };
}
afterAll(() => t.close());

async function asRole(role: string, options: InjectOptions) {
  const session = await t.db.transaction((tx) => createSession(tx, roleUsers.get(role)!, 'active', ctx()));
  return t.app.inject({ ...options, headers: { ...(options.headers as Record<string, string>), cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken } });
}

function allowed(role: string, scope: RouteScope): boolean {
  if (scope === 'public' || scope === 'signed-in') return true;
  return roles.get(role)!.scopes.includes(scope as Scope);
}

describe('the access matrix', () => {
  it('has a row for every registered route, and every route declares a scope', () => {
    const registered = t.app.routeScopes.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(routes).sort());
  });

  it('refuses every non-public route to an anonymous caller with 401', async () => {
    for (const route of t.app.routeScopes.filter((r) => r.scope !== 'public')) {
      const res = await t.app.inject(await routes[`${route.method} ${route.url}`]!.request(world, true));
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  for (const role of roles.keys()) {
    it(`answers ${role} as its scopes and jurisdiction say, on every route`, async () => {
      const failures: string[] = [];
      for (const route of t.app.routeScopes) {
        const key = `${route.method} ${route.url}`;
        const row = routes[key]!;
        for (const inside of [true, false]) {
          const expected = !allowed(role, route.scope as RouteScope) ? 403 : inside || row.outside === 'same' ? row.ok : row.outside;
          const res = await asRole(role, await row.request(world, inside));
          if (res.statusCode !== expected) failures.push(`${key} ${inside ? 'inside' : 'outside'}: ${res.statusCode}, expected ${expected}: ${res.body.slice(0, 160)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('lets a national user (no jurisdiction) reach Almaty and Astana alike', async () => {
    const id = await t.db.transaction(async (tx) =>
      (await createUser(tx, roles, { username: 'national.one', displayName: 'N', jurisdiction: null, roles: ['national_registrar', 'system_admin'], password: 'matrix test password one' }, ctx())).id,
    );
    const session = await t.db.transaction((tx) => createSession(tx, id, 'active', ctx()));
    const headers = { cookie: `tirkeu_session=${session.token}` };
    for (const recordId of [world.record.inside, world.record.outside]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${recordId}`, headers })).statusCode).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers })).statusCode).toBe(200);
  });

  it('never tells an outsider whether something exists: on every route naming a record, user, client or document, an Almaty one and a missing one answer byte for byte alike', async () => {
    const missingId = () => randomUUID();
    const missing: World = {
      ...world,
      record: { inside: missingId(), outside: missingId() },
      user: { inside: missingId(), outside: missingId() },
      client: { inside: 'client-nowhere', outside: 'client-nowhere' },
      freshClient: async () => 'client-nowhere',
      birth: async () => missingId(),
      certificate: async () => 'KZ-2026-9999999',
      pair: async () => missingId(),
      case: async () => missingId(),
      bid: async () => missingId(),
      referral: async () => missingId(),
      tracing: async () => missingId(),
      document: async () => [missingId(), missingId()],
    };
    // What identifies the request (its id and path) is left out; everything else must be equal.
    const body = (res: { body: string }) => JSON.stringify({ ...JSON.parse(res.body), requestId: undefined, instance: undefined });
    const compared: string[] = [];
    for (const route of t.app.routeScopes) {
      const key = `${route.method} ${route.url}`;
      const row = routes[key]!;
      if (row.outside !== 404) continue;
      const role = [...roles.values()].find((r) => r.scopes.includes(route.scope as Scope))!.id;
      const outside = await asRole(role, await row.request(world, false));
      const absent = await asRole(role, await row.request(missing, true));
      expect([outside.statusCode, absent.statusCode], key).toEqual([404, 404]);
      expect(body(outside), key).toBe(body(absent));
      expect(outside.headers['content-type'], key).toBe(absent.headers['content-type']);
      compared.push(key);
    }
    expect(compared).toHaveLength(Object.values(routes).filter((r) => r.outside === 404).length);
  });
});
