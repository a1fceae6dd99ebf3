/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { birthDepsFor, declareBirth } from '../../src/births/workflow.ts';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * Child protection in the browser. Births of undocumented mothers declared in Astana's Yesil
 * district (one four days ago, so its first-contact deadline has passed) are referred to protection;
 * the demo case worker (a sensitive role: password and TOTP) walks the referral inbox and the case
 * page in Kazakh — deadlines, flags and risk in words, "Open case", first contact, a guided
 * assessment, a task, a consent — and in Russian a second case, where an action on a case someone
 * else changed meanwhile is refused with a reload, and the supervisor approves the assessment.
 */
const slow = { timeout: 15_000 };

const clerk: Actor = {
  kind: 'user',
  id: 'protection-web-test',
  username: 'protection-web-test',
  roles: ['national_registrar'],
  scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId: 'kz-rgo-71-01',
  sessionId: 'test',
};

/** A birth at the Yesil perinatal centre whose mother has no identity document (flag mother_undocumented, medium risk, 72 hours). */
function undocumented(surname: string, child: string, mother: string, dateOfBirth: string): Declaration {
  return {
    path: 'mother_without_documents',
    child: { surname, givenName: child, sex: 'female', dateOfBirth, placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
    mother: { givenName: mother, age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
    maritalStatus: 'unknown',
    parentage: 'not_established',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
  };
}

interface ReferralJson {
  id: string;
  recordId: string;
  caseId: string | null;
  overdue: boolean;
  status: string;
}

async function referrals(page: Page): Promise<ReferralJson[]> {
  const answer = await page.request.get('/api/v1/protection/referrals?status=all');
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { items: ReferralJson[] }).items;
}

async function setLanguage(page: Page, csrfToken: string, language: string): Promise<void> {
  const answer = await page.request.put('/api/v1/auth/language', { data: { language }, headers: { 'x-csrf-token': csrfToken } });
  expect(answer.status(), await answer.text()).toBeLessThan(300);
}

describe.skipIf(!haveChromium)('child protection: the referral inbox and the case page', () => {
  let server: WebServer;
  let browser: Browser;
  let worker: Watched;
  let workerCsrf: string;
  /** The birth records of the three referrals: overdue (declared four days ago), fresh, and one for the Russian walk. */
  const records: { overdue?: string; fresh?: string; russian?: string } = {};
  beforeAll(async () => {
    server = await startWebServer({ births: false });
    const fourDaysAgo: Clock = { now: () => new Date(Date.now() - 4 * 86_400_000) };
    const past = birthDepsFor(server.db, fourDaysAgo, 'kz');
    const now = birthDepsFor(server.db, systemClock, 'kz');
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    records.overdue = (await declareBirth(past, undocumented('Сапарова', 'Әлия', 'Мадина', day(6)), { actor: clerk, idempotencyKey: 'pw-overdue' })).record.id;
    records.fresh = (await declareBirth(now, undocumented('Қайратова', 'Нұрай', 'Гүлмира', day(20)), { actor: clerk, idempotencyKey: 'pw-fresh' })).record.id;
    records.russian = (await declareBirth(now, undocumented('Петренко', 'Алина', 'Оксана', day(40)), { actor: clerk, idempotencyKey: 'pw-russian' })).record.id;
    browser = await launchBrowser();
    worker = await openPage(browser, server.url);
    ({ csrfToken: workerCsrf } = await signInThroughApi(worker.page.request, 'demo.case_worker'));
  });
  afterAll(async () => {
    await worker?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the inbox in Kazakh: deadlines left and overdue, flags and risk named in words, a link to the birth record, nothing personal in the address bar', async () => {
    const { page } = worker;
    await setLanguage(page, workerCsrf, 'kk');
    await page.goto('/queues');
    await page.getByRole('navigation', { name: 'Негізгі мәзір' }).getByRole('link', { name: 'Жолдамалар' }).click();
    await page.waitForURL('**/protection/referrals');
    await page.getByRole('heading', { level: 1, name: 'Кіріс жолдамалар' }).waitFor(slow);
    const table = page.getByRole('table', { name: /Жолдамалар — Іс ашылуын күтуде/ });
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(4);
    // The overdue one comes first (nearest deadline), marked overdue; the others say how long is left.
    const rows = table.getByRole('row');
    expect(await rows.nth(1).getByText(/^Мерзімі өтті: \d+\s+сағат$/).count()).toBe(1);
    expect(await rows.nth(2).getByText(/^Қалды: \d+\s+(сағат|күн)$/).count()).toBe(1);
    expect(await table.getByText('Құжатсыз ана', { exact: true }).count()).toBe(3);
    expect(await table.getByText('Ананың жеке басын куәландыратын құжаты жоқ').count()).toBe(3);
    expect(await table.getByText('Орташа қауіп', { exact: true }).count()).toBe(3);
    // The link opens the birth record (its own, audited read).
    const link = rows.nth(1).getByRole('link', { name: 'Туу туралы жазбаны ашу' });
    expect(await link.getAttribute('href')).toBe(`/births/${records.overdue}`);
    expect(await page.getByText('Сапарова').count()).toBe(0);
    expect(new URL(page.url()).search).toBe('');
    await expectAccessible(page, 'protection referral inbox');
    await screenshot(page, 'protection-inbox');
    // Filtered by risk: none is high.
    await page.getByLabel('Қауіп', { exact: true }).selectOption('high');
    await expect.poll(() => page.getByText('Жолдама жоқ.').or(page.getByText('Іс ашылуын күтетін жолдама жоқ.')).count(), slow).toBe(1);
    await page.getByLabel('Қауіп', { exact: true }).selectOption('');
    expectNoErrors(worker);
  });
});
