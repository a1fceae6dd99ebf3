/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { birthDepsFor, declareBirth, localDate, notifyBirth } from '../../src/births/workflow.ts';
import { systemClock } from '../../src/core/clock.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * Record linkage in the browser, on the demo register (which holds Демо Томирис twice: registered,
 * and declared again with the mother's names in Latin and the father's with Kazakh letters typed as
 * Russian ones): a registrar finds the child by names typed in another script, opens the
 * suspected-duplicates queue and the review, reads the comparison, and decides — a duplicate, and
 * for a second pair, not a duplicate — and each record's status follows.
 */
const slow = { timeout: 15_000 };

const clerk: Actor = {
  kind: 'user',
  id: 'linkage-test',
  username: 'linkage-test',
  roles: ['national_registrar'],
  scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId: 'kz-rgo-71-01',
  sessionId: 'test',
};

interface Hit {
  recordId: string;
  status: string;
  iin: string | null;
  child: { surname?: string; givenName?: string };
}

async function searchApi(page: Page, query: Record<string, string>): Promise<Hit[]> {
  const answer = await page.request.get(`/api/v1/search?${new URLSearchParams(query).toString()}`);
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { items: Hit[] }).items;
}

async function statusOf(page: Page, id: string): Promise<string> {
  return ((await (await page.request.get(`/api/v1/births/${id}`)).json()) as { status: string }).status;
}

describe.skipIf(!haveChromium)('record linkage: search and the duplicate review', () => {
  let server: WebServer;
  let browser: Browser;
  let registrar: Watched;
  let csrfToken: string;
  let declare: (declaration: Declaration, key: string) => Promise<{ id: string; status: string }>;
  let daysAgo: (days: number) => string;
  /** The repeat of Демо Әлихан declared here, for a not-duplicate decision. */
  let alikhanRepeat: string;
  beforeAll(async () => {
    server = await startWebServer();
    const deps = birthDepsFor(server.db, systemClock, 'kz');
    daysAgo = (days: number) => localDate(new Date(Date.now() - days * 86_400_000), deps.timeZone);
    declare = async (declaration, key) => (await declareBirth(deps, declaration, { actor: clerk, idempotencyKey: key })).record;
    // Demo Әлихан's birth declared again at another desk: Ә typed as А, the parents' names as their passports write them.
    const repeat: Declaration = {
      path: 'facility_birth',
      child: { surname: 'Демо', givenName: 'Алихан', sex: 'male', dateOfBirth: daysAgo(1), placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
      mother: { surname: 'Demo', givenName: 'Sandugash', age: 28, citizenship: 'KZ', legalStatus: 'citizen' },
      father: { surname: 'Демо', givenName: 'Аскар', age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
      maritalStatus: 'married',
      parentage: 'marriage',
      informant: { relation: 'father' },
      documents: [{ type: 'medical_birth_certificate' }],
    };
    const declared = await declare(repeat, 'linkage-test-alikhan');
    expect(declared.status).toBe('DUPLICATE_SUSPECTED');
    alikhanRepeat = declared.id;
    // Enough births for a second page of results: notifications a week apart, so none is taken for another.
    for (let i = 0; i < 28; i++) {
      await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: i % 2 ? 'male' : 'female', dateOfBirth: daysAgo(20 + i * 4), plurality: 1, birthOrder: 1 } }, { actor: clerk, idempotencyKey: `linkage-test-n${i}` });
    }
    browser = await launchBrowser();
    registrar = await openPage(browser, server.url);
    ({ csrfToken } = await signInThroughApi(registrar.page.request, 'demo.office_registrar'));
  });
  afterAll(async () => {
    await registrar?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('finds a birth by names typed in another script, by IIN and by the mother’s names, with nothing personal in the address bar', async () => {
    const { page } = registrar;
    await page.goto('/queues');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.waitForURL('**/search');
    await page.getByRole('heading', { level: 1, name: 'Find a birth' }).waitFor();

    // Stored as Демо Томирис (Cyrillic); typed in Latin, found; Enter searches.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('search');
    await page.keyboard.type('Tomiris Demo');
    await page.keyboard.press('Enter');
    const results = page.getByRole('table', { name: 'Births found, best match first' });
    await expect.poll(() => results.getByRole('link', { name: 'Демо Томирис' }).count(), slow).toBe(2);
    expect(await results.getByRole('cell', { name: 'Registered' }).count()).toBe(1);
    expect(await results.getByRole('cell', { name: 'Suspected duplicate' }).count()).toBe(1);
    // The mother is Демо Гүлнар on one record, Demo Gulnar on the other: both come as written.
    expect(await results.getByRole('cell', { name: 'Демо Гүлнар' }).count()).toBe(1);
    expect(await results.getByRole('cell', { name: 'Demo Gulnar' }).count()).toBe(1);
    expect(new URL(page.url()).search).toBe('');
    expect(page.url()).not.toMatch(/tomiris|Tomiris/);
    await expectAccessible(page, 'search');
    await screenshot(page, 'search');

    // By the child's IIN: exactly that record.
    const registered = (await searchApi(page, { q: 'Томирис' })).find((h) => h.status === 'REGISTERED')!;
    await page.getByLabel('IIN, act number or names').fill(registered.iin!);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => results.getByRole('row').count(), slow).toBe(2);
    expect(await results.getByRole('cell', { name: registered.iin! }).count()).toBe(1);
    expect(page.url()).not.toContain(registered.iin!);

    // By the mother's names only, typed the Russian way (Гульнар): both spellings of her are found.
    await page.getByLabel('IIN, act number or names').fill('');
    await page.getByLabel('Mother’s names').fill('Гульнар');
    await page.keyboard.press('Enter');
    await expect.poll(() => results.getByRole('link', { name: 'Демо Томирис' }).count(), slow).toBe(2);

    // The row opens the record.
    await results.getByRole('link', { name: 'Демо Томирис' }).first().click();
    await page.waitForURL(/\/births\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor(slow);
    expectNoErrors(registrar);
  });

  it('pages with “Show more”, and says in words what is wrong, naming the field', async () => {
    const { page } = registrar;
    await page.goto('/search');
    await page.getByRole('heading', { level: 1, name: 'Find a birth' }).waitFor();
    // Nothing to look for: the form says so without asking the server.
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByText('Type a name, an IIN or an act number, or choose a filter.').isVisible(), slow).toBe(true);
    // A mother's IIN of the wrong length is refused under that field.
    await page.getByLabel('Mother’s IIN').fill('12345');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.getByLabel('Mother’s IIN').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('An IIN is 12 digits.').isVisible()).toBe(true);
    await page.getByLabel('Mother’s IIN').fill('');
    // Words with nothing to search in them: the server's refusal names the box, and the screen says it in words.
    await page.getByLabel('IIN, act number or names').fill('!!! ???');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('Nothing to search for in these words', { exact: false }).isVisible(), slow).toBe(true);
    expect(await page.getByLabel('IIN, act number or names').getAttribute('aria-invalid')).toBe('true');

    // Every notified birth: two pages.
    await page.getByLabel('IIN, act number or names').fill('');
    await page.getByLabel('Status').selectOption('NOTIFIED');
    await page.keyboard.press('Enter');
    const results = page.getByRole('table', { name: 'Births found, best match first' });
    await expect.poll(() => results.getByRole('row').count(), slow).toBe(26);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => results.getByRole('row').count(), slow).toBe(31);
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    expect(await page.getByText('30 shown').isVisible()).toBe(true);
    await expectAccessible(page, 'search (paged)');
    expectNoErrors(registrar);
  });

  it('lists the suspected pairs strongest first, opens the review, shows the comparison, and decides a duplicate', async () => {
    const { page } = registrar;
    const before = await searchApi(page, { q: 'Демо Томирис' });
    const kept = before.find((h) => h.status === 'REGISTERED')!.recordId;
    const repeat = before.find((h) => h.status === 'DUPLICATE_SUSPECTED')!.recordId;

    // The work queues list the records stopped at a suspected duplicate, as a queue of their own.
    await page.goto('/queues');
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    const queues = page.getByRole('navigation', { name: 'Queues' });
    await expect.poll(() => queues.getByRole('link', { name: /Suspected duplicates/ }).textContent(), slow).toContain('2');
    await queues.getByRole('link', { name: /Suspected duplicates/ }).click();
    await page.waitForURL('**/queues/suspected_duplicates');
    await expect.poll(() => page.getByRole('table', { name: 'Suspected duplicates' }).getByRole('row').count(), slow).toBe(3);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Suspected duplicates' }).click();
    await page.waitForURL('**/duplicates');
    await page.getByRole('heading', { level: 1, name: 'Suspected duplicates' }).waitFor();
    const pairs = page.getByRole('table', { name: 'Waiting for a decision' });
    await expect.poll(() => pairs.getByRole('row').count(), slow).toBe(3);
    const scores = await pairs.locator('.pair-score').allTextContents();
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((x, y) => y - x));
    expect(await pairs.getByText('Likely the same birth').count()).toBe(2);
    await expectAccessible(page, 'suspected duplicates');
    await screenshot(page, 'duplicates');

    const row = pairs.getByRole('row').filter({ hasText: 'Демо Томирис' });
    await row.getByRole('link', { name: /^Review/ }).click();
    await page.waitForURL(/\/duplicates\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Duplicate review' }).waitFor();
    const sideBySide = page.getByRole('table', { name: 'The two records side by side' });
    await expect.poll(() => sideBySide.getByRole('row', { name: /^Mother/ }).first().textContent(), slow).toContain('Demo Gulnar');
    expect(await sideBySide.getByRole('row', { name: /^Mother/ }).first().textContent()).toContain('Демо Гүлнар');
    // Place and facility names arrive after the records (the places API): wait for them.
    await expect.poll(() => sideBySide.getByRole('row', { name: /^Place of birth/ }).textContent(), slow).toContain('Yesil District');
    await expect.poll(() => sideBySide.getByRole('row', { name: /^Health facility/ }).textContent(), slow).toContain('Perinatal');

    const comparison = page.getByRole('table', { name: 'The comparison, field by field, with each field’s weight' });
    const mother = comparison.getByRole('row', { name: /^Mother’s surname/ });
    expect(await mother.textContent()).toContain('Same name in another script or spelling');
    expect(await mother.getAttribute('class')).toContain('tone-agree');
    expect(await mother.locator('.weight-value').textContent()).toMatch(/^\+\d+\.\d$/);
    const date = comparison.getByRole('row', { name: /^Date of birth/ });
    expect(await date.textContent()).toContain('A few days apart');
    expect(await date.textContent()).toContain('1 day apart.');
    expect(await comparison.getByRole('row', { name: /^Father’s given name/ }).textContent()).toContain('Кайрат');
    expect(await comparison.getByRole('row', { name: /^Child’s IIN/ }).textContent()).toContain('Missing on one record');
    const total = await page.getByTestId('pair-score').textContent();
    expect(Number(total)).toBeGreaterThanOrEqual(30);
    expect(await comparison.getByText('Likely the same birth').isVisible()).toBe(true);
    await expectAccessible(page, 'duplicate review');
    await screenshot(page, 'duplicate-review');

    // The registered record is kept unless the registrar says otherwise; a decision needs a reason.
    const keepRegistered = page.getByRole('radio', { name: /registered/ });
    expect(await keepRegistered.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Duplicate — keep record A' }).click();
    expect(await page.getByText('Say why you decided.').isVisible()).toBe(true);
    await page.getByLabel('Reason').fill('Same child: the mother showed the birth certificate already issued.');
    await page.getByRole('button', { name: 'Duplicate — keep record A' }).click();

    await page.waitForURL('**/duplicates');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Decided: duplicate' }).textContent(), slow).toContain('“Archived”');
    expect(await statusOf(page, repeat)).toBe('ARCHIVED');
    expect(await statusOf(page, kept)).toBe('REGISTERED');
    await expect.poll(() => page.getByRole('table', { name: 'Waiting for a decision' }).getByRole('row').count(), slow).toBe(2);

    // The archived record says what it repeats and links to the one kept.
    await page.goto(`/births/${repeat}`);
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor(slow);
    expect(await page.locator('.record-summary').textContent()).toContain('Archived');
    await page.getByRole('link', { name: 'Open the record kept' }).click();
    await page.waitForURL(`**/births/${kept}`);

    // The decided pair shows who decided and why, without the buttons.
    await page.goto('/duplicates');
    await page.getByLabel('Show').selectOption('duplicate');
    const decided = page.getByRole('table', { name: 'Decided: duplicate' });
    await decided.getByRole('link', { name: /^Review/ }).first().click();
    const done = page.getByRole('region', { name: 'Decided' });
    await expect.poll(() => done.textContent(), slow).toContain('Same child: the mother showed the birth certificate already issued.');
    expect(await done.textContent()).toContain('You');
    expect(await page.getByRole('button', { name: /Duplicate — keep|Not a duplicate/ }).count()).toBe(0);
    await expectAccessible(page, 'decided pair');
    expectNoErrors(registrar);
  });

  it('a record stopped at a suspected duplicate links to its review from the record page; “not a duplicate” lets both go on', async () => {
    const { page } = registrar;
    expect(await statusOf(page, alikhanRepeat)).toBe('DUPLICATE_SUSPECTED');
    await page.goto(`/births/${alikhanRepeat}`);
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor(slow);
    expect(await page.locator('.record-summary').textContent()).toContain('Suspected duplicate');
    await expect.poll(() => page.getByText('Registration waits: this birth may already be in the register.').isVisible(), slow).toBe(true);
    expect(await page.getByText('Suspected duplicate: record linkage found a similar record').count()).toBe(1);
    await expectAccessible(page, 'record suspected of repeating another');
    await screenshot(page, 'record-duplicate-suspected');
    await page.getByRole('link', { name: /^Compare with Демо Әлихан/ }).click();
    await page.waitForURL(/\/duplicates\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Duplicate review' }).waitFor();
    const comparison = page.getByRole('table', { name: 'The comparison, field by field, with each field’s weight' });
    await expect.poll(() => comparison.getByRole('row', { name: /^Child’s given name/ }).textContent(), slow).toContain('Same name in another script or spelling');

    await page.getByLabel('Reason').fill('Two boys of different families: checked both medical birth certificates.');
    await page.getByRole('button', { name: 'Not a duplicate' }).click();
    await page.waitForURL('**/duplicates');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Decided: not a duplicate' }).isVisible(), slow).toBe(true);
    expect(await statusOf(page, alikhanRepeat)).toBe('DECLARED');
    const alikhan = (await searchApi(page, { q: 'Әлихан' })).find((h) => h.recordId !== alikhanRepeat)!;
    expect(alikhan.status).toBe('VALIDATED');
    await expect.poll(() => page.getByText('No suspected duplicate waits for a decision.').isVisible(), slow).toBe(true);

    await page.goto(`/births/${alikhanRepeat}`);
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor(slow);
    expect(await page.locator('.record-summary').textContent()).toContain('Declared');
    expect(await page.getByText('Registration waits').count()).toBe(0);
    expect(await page.getByText('Found not to be a duplicate').count()).toBe(1);
    expectNoErrors(registrar);
  });

  it('a pair decided meanwhile in another tab: the review says so, reloads, and shows that decision', async () => {
    const { page } = registrar;
    // Демо Амир declared again, his mother's name typed with a Latin letter: one more suspected pair.
    const amir = (await searchApi(page, { q: 'Амир' })).find((h) => h.status === 'REGISTERED')!;
    const record = (await (await page.request.get(`/api/v1/births/${amir.recordId}`)).json()) as { data: { declaration: Declaration } };
    const again = await declare({ ...record.data.declaration, mother: { ...record.data.declaration.mother!, givenName: 'Madina' } }, 'linkage-test-amir');
    expect(again.status).toBe('DUPLICATE_SUSPECTED');
    const [{ pair }] = ((await (await page.request.get(`/api/v1/duplicates?record=${again.id}`)).json()) as { items: [{ pair: { id: string } }] }).items;
    await page.goto(`/duplicates/${pair.id}`);
    await page.getByRole('heading', { level: 1, name: 'Duplicate review' }).waitFor();
    await page.getByLabel('Reason').waitFor(slow);
    const elsewhere = await page.request.post(`/api/v1/duplicates/${pair.id}/decision`, { data: { decision: 'not_duplicate', reason: 'Decided in another tab.' }, headers: { 'x-csrf-token': csrfToken } });
    expect(elsewhere.status(), await elsewhere.text()).toBe(200);

    await page.getByLabel('Reason').fill('Same boy.');
    await page.getByRole('button', { name: 'Duplicate — keep record A' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'This pair was decided meanwhile' }).isVisible(), slow).toBe(true);
    expect(await statusOf(page, again.id)).toBe('DECLARED');
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Decided' }).textContent(), slow).toContain('Decided in another tab.');
    expect(await page.getByRole('button', { name: /Duplicate — keep|Not a duplicate/ }).count()).toBe(0);
    expectNoErrors(registrar);
  });

  it('speaks Kazakh and Russian on the review', async () => {
    const { page } = registrar;
    await page.goto('/duplicates');
    await page.getByLabel('Show').selectOption('not_duplicate');
    await page.getByRole('table', { name: 'Decided: not a duplicate' }).getByRole('link', { name: /^Review/ }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Duplicate review' }).waitFor();
    await page.getByLabel('Language').selectOption('kk');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), slow).toBe('Ықтимал қайталаманы тексеру');
    expect(await page.getByRole('table', { name: 'Әр өрістің салмағымен өріс бойынша салыстыру' }).getByRole('row', { name: /^Анасының тегі/ }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: /./ }).first().getByRole('link', { name: 'Ықтимал қайталамалар' }).count()).toBe(1);
    await expectAccessible(page, 'review (kk)');
    await page.getByLabel('Тіл').selectOption('ru');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), slow).toBe('Проверка возможного дубликата');
    expect(await page.getByText('Решено: не дубликат').count()).toBeGreaterThanOrEqual(1);
    await page.getByLabel('Язык').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), slow).toBe('Duplicate review');
    expectNoErrors(registrar);
  });
});
