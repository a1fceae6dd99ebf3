/// <reference lib="dom" />
import { type Browser, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, demoCode, expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, pick } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

describe.skipIf(!haveChromium)('hospital birth notifications', () => {
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

  it('a facility clerk notifies a birth, sees it in the list, and it waits in the office’s gap queue', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    expect((await page.request.post('/api/v1/auth/sign-in', { data: { username: 'demo.facility_clerk', password: demo.password } })).status()).toBe(200);
    await page.goto('/notifications/new');
    await page.getByRole('heading', { name: 'Notify a birth', level: 1 }).waitFor();

    // The facility and the date are needed; the rest helps.
    await page.getByRole('button', { name: 'Send the notification' }).click();
    await expect.poll(() => page.getByLabel('Health facility').getAttribute('aria-invalid')).toBe('true');
    await pick(page, 'Health facility', 'Perinatal', /Multi-profile Perinatal Centre No\. 1/);
    await page.getByRole('radio', { name: 'Boy' }).check();
    const born = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Date of birth').fill(born);
    await page.getByLabel('Time of birth').fill('04:35');
    await page.getByLabel('Weight (grams)').fill('3420');
    await page.getByLabel('Surname').fill('Сейітқызы');
    await page.getByLabel('Given name').fill('Әсем');
    await page.getByLabel('Medical birth certificate number').fill('МСР-71-000417');
    await page.getByLabel('Phone').fill('+7 701 000 00 00');
    await expectAccessible(page, 'notification form');
    await screenshot(page, 'notification-form');
    await page.getByRole('button', { name: 'Send the notification' }).click();

    await page.waitForURL('**/notifications');
    await page.getByRole('status').filter({ hasText: 'The notification was sent.' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'МСР-71-000417' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Notified');
    expect(await row.textContent()).toContain('Multi-profile Perinatal Centre No. 1');
    await expectAccessible(page, 'notifications list');
    await screenshot(page, 'notifications');
    expectNoErrors(watched);
    await watched.context.close();

    // The registry office sees it in its gap queue (a registrar signs in with the second factor).
    const registrar = await request.newContext({ baseURL: server.url });
    const signIn = await registrar.post('/api/v1/auth/sign-in', { data: { username: 'demo.office_registrar', password: demo.password } });
    const { csrfToken } = await signIn.json();
    expect((await registrar.post('/api/v1/auth/second-factor', { data: { code: await demoCode() }, headers: { 'x-csrf-token': csrfToken } })).status()).toBe(200);
    const queue = await registrar.get('/api/v1/births/queues/notified');
    expect(queue.status()).toBe(200);
    const { items } = await queue.json();
    expect(items).toEqual([expect.objectContaining({ status: 'NOTIFIED', dateOfBirth: born })]);
    await registrar.dispose();
  });
});
