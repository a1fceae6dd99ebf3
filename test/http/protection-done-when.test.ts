import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { declareBirth, recordEvidenceSeen, validateBirth } from '../../src/births/workflow.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { birthDeps, facilityDeclaration, helperRegistrar } from '../support/births.ts';

/**
 * Issue 12's "done when", through the API as the people who do it: a registration that refers a
 * child to protection in its own transaction, a case taken from the referral to an agency referral
 * with consent and a supervisor's approvals, a best-interests determination with a dissent, a
 * tracing request in Latin script that finds the child's mother recorded in Cyrillic and ends in a
 * reunification, a registrar of the same district kept out of the case, and every read audited.
 */
let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const ids: Record<string, string> = {};
/** Every read made, as [who, what was read]: each must have its audit line. */
const reads: [string, string][] = [];

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  const people: [string, string, string][] = [
    ['registrar', 'office_registrar', '711300000'],
    ['worker', 'case_worker', '711300000'],
    ['supervisor', 'protection_supervisor', '710000000'],
    ['lawyer', 'protection_supervisor', '710000000'],
    ['psychologist', 'protection_supervisor', '710000000'],
  ];
  for (const [name, role, jurisdiction] of people) {
    const user = await t.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username: `dw.${name}`, displayName: `Done-when ${name}`, jurisdiction, officeId: 'kz-rgo-71-01', roles: [role], password: 'protection done when password' }, ctx),
    );
    ids[name] = user.id;
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
});
afterAll(() => t.close());

async function as(who: string, options: InjectOptions) {
  const res = await t.app.inject({ ...options, headers: { ...headers[who], ...(options.headers as Record<string, string>) } });
  const read = options.method === 'GET' && /\/protection\/(cases|bids|tracing|referrals)\/([0-9a-f-]{36})/.exec(options.url as string);
  if (read) reads.push([who, read[2]!]);
  return res;
}
const get = (who: string, url: string) => as(who, { method: 'GET', url });
const post = (who: string, url: string, payload: object) => as(who, { method: 'POST', url, payload });
async function ok(res: Awaited<ReturnType<typeof as>>, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

describe('issue 12, done when', () => {
  let referralCase: string;
  let unaccompanied: string;

  it('registers a child of an undocumented mother whose citizenship is undetermined, and the referral with its deadline is written in the same transaction', async () => {
    const deps = birthDeps(t.db, t.clock);
    const base = facilityDeclaration();
    const declaration: Declaration = {
      ...base,
      path: 'mother_without_documents',
      mother: { surname: 'Рахимова', givenName: 'Мадина', age: 22, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
      father: undefined,
      maritalStatus: 'unknown',
      parentage: 'not_established',
      documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
    };
    const actor = helperRegistrar();
    const { record } = await declareBirth(deps, declaration, { actor });
    for (const type of ['medical_birth_certificate', 'mother_identity_statement']) await recordEvidenceSeen(deps, record.id, { type }, { actor });
    await validateBirth(deps, record.id, { actor });
    t.clock.advance(60_000);
    const registered = await ok(await post('registrar', `/api/v1/births/${record.id}/register`, {}));
    expect(registered.data.registration.citizenship.result).toBe('undetermined');
    // The registrar sees the flag and that it was referred.
    const seen = await ok(await get('registrar', `/api/v1/births/${record.id}`));
    const statelessness = seen.protection.find((r: { flags: { code: string }[] }) => r.flags.some((f) => f.code === 'statelessness_risk'));
    expect(statelessness).toMatchObject({ risk: 'high', acknowledged: false, flags: [{ code: 'statelessness_risk', name: { kk: expect.any(String), ru: 'Риск безгражданства', en: 'Risk of statelessness' } }] });
    const { rows } = await t.db.query<{ registeredAt: Date; referredAt: Date; dueAt: Date; runAt: Date }>(
      `SELECT a.at AS "registeredAt", r.created_at AS "referredAt", r.due_at AS "dueAt", j.run_at AS "runAt"
       FROM protection_referrals r JOIN record_actions a ON a.record_id = r.record_id AND a.type = 'REGISTER'
       JOIN jobs j ON j.kind = 'protection.referral_deadline' AND j.payload->>'referralId' = r.id::text
       WHERE r.id = $1`,
      [statelessness.referralId],
    );
    expect(rows[0]!.referredAt.getTime()).toBe(rows[0]!.registeredAt.getTime());
    expect(rows[0]!.dueAt.getTime() - rows[0]!.referredAt.getTime()).toBe(24 * 3_600_000);
    expect(rows[0]!.runAt.getTime()).toBe(rows[0]!.dueAt.getTime());

    // A case worker of that jurisdiction finds it in the inbox and opens the case.
    const inbox = await ok(await get('worker', '/api/v1/protection/referrals'));
    expect(inbox.items.map((r: { id: string }) => r.id)).toContain(statelessness.referralId);
    await ok(await get('worker', `/api/v1/protection/referrals/${statelessness.referralId}`));
    const opened = await ok(await post('worker', '/api/v1/protection/cases', { referralId: statelessness.referralId }), 201);
    referralCase = opened.id;
  });

  it('takes the case through contact, assessment, plan and a legal-aid referral with consent, each approval by the supervisor', async () => {
    const act = (who: string, body: object) => post(who, `/api/v1/protection/cases/${referralCase}/actions`, body);
    await ok(await act('worker', { type: 'CONTACT', note: 'met the mother at the maternity ward' }));
    const assessed = await ok(await act('worker', { type: 'ASSESS', kind: 'initial', findings: 'mother without documents, child without a nationality', needs: ['legal aid for nationality', 'documents for the mother'], risk: 'high' }));
    const assessmentId = assessed.data.assessments.at(-1).id;
    // The author cannot approve; the supervisor can.
    expect((await act('worker', { type: 'APPROVE_ASSESSMENT', assessmentId })).statusCode).not.toBe(200);
    await ok(await act('supervisor', { type: 'APPROVE_ASSESSMENT', assessmentId }));
    await ok(await act('worker', { type: 'PLAN', goals: ['the child’s nationality determined'], services: [{ agency: 'legal_aid', service: 'nationality procedure', responsible: 'case worker', dueOn: '2026-06-01' }], reviewOn: '2026-05-01' }));
    await ok(await act('supervisor', { type: 'APPROVE_PLAN' }));
    const refused = await act('worker', { type: 'REFER_SERVICE', agency: 'legal_aid', service: 'nationality procedure' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().field).toBe('consent');
    await ok(await act('worker', { type: 'GIVE_CONSENT', purpose: 'sharing', agency: 'legal_aid', givenBy: { name: 'Мадина Рахимова', relation: 'mother' } }));
    const referred = await ok(await act('worker', { type: 'REFER_SERVICE', agency: 'legal_aid', service: 'nationality procedure' }));
    expect(referred.data.services).toEqual([expect.objectContaining({ agency: 'legal_aid', status: 'referred' })]);
    const view = await ok(await get('worker', `/api/v1/protection/cases/${referralCase}`));
    expect(view.data.assessments[0].status).toBe('approved');
    expect(view.data.plan.status).toBe('approved');
    const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE kind = 'protection.agency_referral' AND payload->>'caseId' = $1", [referralCase]);
    expect(rows[0]!.n).toBe(1);
  });

  it('decides an unaccompanied child’s best interests by a panel of three, with one dissent recorded', async () => {
    const child = { surname: 'Алиев', givenName: 'Тимур', sex: 'male', approximateAge: { years: 9, estimatedBy: 'statement' }, languages: ['uz', 'ru'], countryOfOrigin: 'UZ', identityAsStated: true };
    const separation = { where: 'Астана, автовокзал', documentsHeld: [], parents: [{ role: 'mother', surname: 'Алиева', givenName: 'Гульнара' }], siblings: [] };
    unaccompanied = (await ok(await post('worker', '/api/v1/protection/cases', { kind: 'unaccompanied', child, separation, risk: 'high' }), 201)).id;
    await ok(await post('worker', `/api/v1/protection/cases/${unaccompanied}/actions`, { type: 'GIVE_CONSENT', purpose: 'tracing', givenBy: { name: 'Орган опеки района Есиль', relation: 'guardianship_authority' } }));
    const panel = [
      { userId: ids.supervisor, profession: 'social_work' },
      { userId: ids.lawyer, profession: 'law' },
      { userId: ids.psychologist, profession: 'psychology' },
    ];
    expect((await post('worker', `/api/v1/protection/cases/${unaccompanied}/bids`, { question: 'durable_solution', panel: panel.slice(0, 2) })).statusCode).toBe(400);
    const bid = (await ok(await post('worker', `/api/v1/protection/cases/${unaccompanied}/bids`, { question: 'durable_solution', panel }), 201)).id;
    const act = (who: string, body: object) => post(who, `/api/v1/protection/bids/${bid}/actions`, body);
    for (const member of ['supervisor', 'lawyer', 'psychologist']) await ok(await act(member, { type: 'SIGN_UNDERTAKING' }));
    await ok(await act('worker', { type: 'ADD_OPTION', option: 'family_reunification', evidence: 'mother traced, relationship to verify' }));
    await ok(await act('worker', { type: 'ADD_OPTION', option: 'local_integration', evidence: 'settled at school in Astana' }));
    expect((await act('supervisor', { type: 'DECIDE', option: 'family_reunification', reasons: 'x', reviewOn: '2026-09-01' })).statusCode).not.toBe(200);
    await ok(await act('worker', { type: 'CHILD_VIEWS', childViews: { heard: true, language: 'uz', views: 'wants to go back to his mother', ageAndMaturity: 'nine, clear and consistent' } }));
    await ok(await act('supervisor', { type: 'VOTE', option: 'family_reunification', reasons: 'the child’s wish and a traced mother' }));
    await ok(await act('lawyer', { type: 'VOTE', option: 'family_reunification', reasons: 'no legal bar' }));
    await ok(await act('psychologist', { type: 'VOTE', option: 'local_integration', reasons: 'the separation was violent; reunify only after an assessment' }));
    const decided = await ok(await act('supervisor', { type: 'DECIDE', option: 'family_reunification', reasons: 'majority of the panel; the child’s views weighed', reviewOn: '2026-09-01' }));
    expect(decided.bid.decision).toMatchObject({ option: 'family_reunification', dissent: [{ member: `user:${ids.psychologist}`, option: 'local_integration', reasons: 'the separation was violent; reunify only after an assessment' }] });
    // The case worker sees the decision and the dissent, never the votes.
    const seenByWorker = await ok(await get('worker', `/api/v1/protection/bids/${bid}`));
    expect(seenByWorker.bid.votes).toBeNull();
    expect(seenByWorker.bid.decision.dissent).toHaveLength(1);
  });

  it('finds the child’s mother, recorded in Cyrillic, from a tracing request in Latin script, and records the reunification', async () => {
    const request = {
      requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother' },
      sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', approximateAge: { years: 9 } },
      consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' } },
    };
    const tracing = (await ok(await post('worker', '/api/v1/protection/tracing', request), 201)).id;
    const matches = await ok(await get('worker', `/api/v1/protection/tracing/${tracing}/matches`));
    const found = matches.items.find((m: { kind: string; subjectId: string }) => m.kind === 'case' && m.subjectId === unaccompanied);
    expect(found).toBeDefined();
    expect(found.requester).toMatchObject({ role: 'mother', surname: 'Алиева', givenName: 'Гульнара' });
    expect(found.fields.find((f: { field: string }) => f.field === 'requester_surname').level).toBe('transliteration');
    const act = (body: object) => post('worker', `/api/v1/protection/tracing/${tracing}/actions`, body);
    await ok(await act({ type: 'CONFIRM_MATCH', kind: 'case', subjectId: unaccompanied }));
    await ok(await act({ type: 'CONTACT', note: 'phoned the mother' }));
    await ok(await act({ type: 'VERIFY_RELATIONSHIP', method: 'documents', outcome: 'confirmed', note: 'her passport names the boy' }));
    await ok(await act({ type: 'ASSESS_FAMILY', outcome: 'suitable_with_support', note: 'needs housing support' }));
    await ok(await act({ type: 'REUNIFY', caseId: unaccompanied, on: t.clock.now().toISOString().slice(0, 10), note: 'at the district office' }));
    const caseView = await ok(await get('worker', `/api/v1/protection/cases/${unaccompanied}`));
    expect(caseView.data.reunifications).toEqual([expect.objectContaining({ tracingId: tracing, relation: 'mother' })]);
  });

  it('keeps a registrar of the same district out of the case, and has an audit line for every read', async () => {
    expect((await get('registrar', `/api/v1/protection/cases/${unaccompanied}`)).statusCode).toBe(403);
    expect((await get('registrar', `/api/v1/records/${unaccompanied}`)).statusCode).toBe(404);
    expect((await get('registrar', `/api/v1/records/${referralCase}/actions`)).statusCode).toBe(404);
    const { rows } = await t.db.query<{ actor: string; target: string; event: string }>(
      `SELECT actor_id AS actor, target_id AS target, event FROM access_audit WHERE target_id = ANY($1::text[]) OR target_id = ANY($2::text[])`,
      [[unaccompanied, referralCase], reads.map(([, id]) => id)],
    );
    for (const [who, target] of reads) {
      expect(rows.some((r) => r.actor === ids[who] && r.target === target), `${who} read ${target}`).toBe(true);
    }
    expect(rows.some((r) => r.actor === ids.registrar && r.target === unaccompanied && r.event === 'access_denied')).toBe(true);
  });
});
