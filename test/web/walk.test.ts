/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, demoCode, expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, pick, screenshot, signInThroughApi } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * A new office's day, as its people walk it in the browser: the registrar signs in with the
 * authenticator, declares a birth for a mother without documents with photographed documents,
 * validates and registers it; a hospital clerk's notification reaches the office's gap queue; an
 * agent with no connection submits three declarations with photos, reloads, and when the
 * connection returns the server has exactly three records.
 */
function photo(shade: number): Buffer {
  const image = new PNG({ width: 40, height: 56 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([shade, shade - 4, shade - 12, 255], i);
  for (let y = 8; y < 48; y += 5) for (let x = 5; x < 35; x++) image.data.set([30, 30, 30, 255], (y * 40 + x) * 4);
  return PNG.sync.write(image);
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const slow = { timeout: 20_000 };

/** The guided declaration for a mother without documents, with her statement and the medical certificate photographed. */
async function declareMotherWithoutDocuments(page: Page, child: { surname: string; givenName: string }, mother = { surname: 'Сейітқызы', givenName: 'Айгүл' }): Promise<void> {
  await page.getByRole('heading', { name: 'Declare a birth', level: 1 }).waitFor();
  await page.getByRole('radio', { name: 'No, the mother is known' }).check();
  await page.getByRole('radio', { name: 'In a health facility in the country' }).check();
  await page.getByRole('radio', { name: /^No: her identity is taken as she states it/ }).check();
  await page.getByRole('radio', { name: 'of unknown status' }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('heading', { name: 'Child', level: 2 }).waitFor();
  await page.getByLabel('Surname').fill(child.surname);
  await page.getByLabel('Given name').fill(child.givenName);
  await page.getByRole('radio', { name: 'Girl' }).check();
  await page.getByLabel('Date of birth').fill(daysAgo(2));
  await page.getByLabel('Weight (grams)').fill('3200');
  await pick(page, 'Health facility', 'Perinatal', /Multi-profile Perinatal Centre No\. 1/);
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('heading', { name: 'Mother', level: 2 }).waitFor();
  await page.getByLabel('Surname').fill(mother.surname);
  await page.getByLabel('Given name').fill(mother.givenName);
  await page.getByRole('spinbutton', { name: 'Age' }).fill('26');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('heading', { name: 'Father and family', level: 2 }).waitFor();
  await page.getByRole('radio', { name: 'Not known' }).check();
  await page.getByLabel('How the father is established').selectOption('not_established');
  await page.getByLabel('Who declares the birth').selectOption('mother');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('heading', { name: 'Documents', level: 2, exact: true }).waitFor();
  for (const [type, shade] of [['mother_identity_statement', 236], ['medical_birth_certificate', 228]] as const) {
    await page.getByLabel('Kind of document', { exact: true }).selectOption(type);
    await page.getByLabel('Photo or scan').setInputFiles({ name: `${type}.png`, mimeType: 'image/png', buffer: photo(shade) });
    await page.getByRole('img', { name: `Preview of ${type}.png` }).waitFor();
  }
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Review and send', level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Send the declaration' }).click();
}

describe.skipIf(!haveChromium)("a new office's day in the browser", () => {
  let server: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startWebServer({ births: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a registrar signs in with the authenticator, declares for a mother without documents with photos, validates, registers and sees the IIN and act number', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Username').fill('demo.office_registrar');
    await page.getByLabel('Password', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill(await demoCode());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/queues');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declare a birth' }).click();
    await declareMotherWithoutDocuments(page, { surname: 'Сейітова', givenName: 'Жұлдыз' });
    await page.waitForURL(/\/births\/[0-9a-f-]{36}$/, slow);

    await expect.poll(() => page.getByRole('region', { name: 'Documents still missing' }).textContent(), slow).toContain('No document is missing.');
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Done' }).textContent(), slow).toContain('Validate');
    await page.getByRole('button', { name: 'Register' }).click();
    const register = page.getByRole('dialog', { name: 'Register' });
    for (const fact of await register.getByRole('checkbox').all()) await fact.check();
    await register.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.getByTestId('iin').isVisible(), slow).toBe(true);

    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await (await page.request.get(`/api/v1/births/${id}`)).json()) as {
      iin: string;
      number: string;
      status: string;
      data: { declaration: { path: string }; attachments: { type: string }[] };
    };
    expect(stored.status).toBe('REGISTERED');
    expect(stored.data.declaration.path).toBe('mother_without_documents');
    expect(stored.data.attachments.map((a) => a.type).sort()).toEqual(['medical_birth_certificate', 'mother_identity_statement']);
    expect(await page.getByTestId('iin').textContent()).toBe(stored.iin);
    expect(await page.getByTestId('act-number').textContent()).toBe(stored.number);
    await expectAccessible(page, 'registered record');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it("a hospital clerk's notification appears in the office's gap queue", async () => {
    const registrar = await openPage(browser, server.url);
    await signInThroughApi(registrar.page.request, 'demo.office_registrar');
    const gapCount = async () => {
      const { queues } = (await (await registrar.page.request.get('/api/v1/births/queues')).json()) as { queues: Record<string, number> };
      return queues.notified ?? 0;
    };
    const before = await gapCount();

    const clerk = await openPage(browser, server.url);
    await signInThroughApi(clerk.page.request, 'demo.facility_clerk');
    await clerk.page.goto('/notifications/new');
    await pick(clerk.page, 'Health facility', 'Perinatal', /Multi-profile Perinatal Centre No\. 1/);
    await clerk.page.getByRole('radio', { name: 'Boy' }).check();
    await clerk.page.getByLabel('Date of birth').fill(daysAgo(1));
    await clerk.page.getByRole('button', { name: /^Send/ }).click();
    await clerk.page.waitForURL('**/notifications', slow);
    expectNoErrors(clerk);
    await clerk.context.close();

    await expect.poll(gapCount, slow).toBe(before + 1);
    await registrar.page.goto('/queues/notified');
    const table = registrar.page.getByRole('table');
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(before + 2);
    await expectAccessible(registrar.page, 'gap queue');
    expectNoErrors(registrar);
    await registrar.context.close();
  });

  it('with no connection, three declarations with photos wait in the outbox through a reload, and the server gets exactly three records', async () => {
    const watched = await openPage(browser, server.url);
    const { page, context } = watched;
    await signInThroughApi(page.request, 'demo.registration_agent');
    await page.goto('/births/new');
    await page.getByRole('heading', { name: 'Declare a birth', level: 1 }).waitFor();
    // The app shell, and the reference data looked up once online, are what the office has offline.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), slow).toBe(true);
    // From now on the service worker sees the reference data the form asks for, and keeps it.
    await page.reload();
    await page.getByRole('heading', { name: 'Declare a birth', level: 1 }).waitFor();
    await page.getByRole('radio', { name: 'No, the mother is known' }).check();
    await page.getByRole('radio', { name: 'In a health facility in the country' }).check();
    await page.getByRole('radio', { name: /^No: her identity is taken as she states it/ }).check();
    await page.getByRole('radio', { name: 'of unknown status' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await pick(page, 'Health facility', 'Perinatal', /Multi-profile Perinatal Centre No\. 1/);

    await context.setOffline(true);
    // Three mothers' daughters: one mother's three girls born the same day would be stopped as suspected duplicates.
    const births = [
      ['Бірінші', 'Офлайнова', 'Айгүл'],
      ['Екінші', 'Жолсызова', 'Сәуле'],
      ['Үшінші', 'Байланыссызова', 'Жанар'],
    ];
    for (const [givenName, surname, mother] of births) {
      await page.goto('/births/new');
      await declareMotherWithoutDocuments(page, { surname: surname!, givenName: givenName! }, { surname: surname!, givenName: mother! });
      await page.getByRole('heading', { name: 'Saved in the outbox' }).waitFor(slow);
    }
    await page.goto('/outbox');
    const rows = page.getByRole('table').getByRole('row');
    const inState = (state: string) => rows.filter({ has: page.getByText(state, { exact: true }) }).count();
    await expect.poll(() => inState('Waiting'), slow).toBe(3);
    await page.reload();
    await expect.poll(() => inState('Waiting'), slow).toBe(3);
    await screenshot(page, 'outbox-waiting');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => inState('Sent'), { timeout: 60_000 }).toBe(3);

    const queue = (await (await page.request.get('/api/v1/births/queues/ready_to_validate')).json()) as { items: { childName: string | null }[] };
    const mine = queue.items.filter((item) => births.some(([n, surname]) => item.childName === `${surname} ${n}`));
    expect(mine.map((item) => item.childName).sort()).toEqual(births.map(([n, surname]) => `${surname} ${n}`).sort());
    expectNoErrors(watched);
    await context.close();
  });
});
