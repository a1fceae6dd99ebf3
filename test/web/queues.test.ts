/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, type Watched, signInThroughApi } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/** How long a screen may take to answer on a busy machine. */
const slow = { timeout: 15_000 };


describe.skipIf(!haveChromium)('the work queues', () => {
  let server: WebServer;
  let browser: Browser;
  let registrar: Watched;
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    registrar = await openPage(browser, server.url);
    await signInThroughApi(registrar.page.request, 'demo.office_registrar');
  });
  afterAll(async () => {
    await registrar?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('shows an office registrar the queues with their counts, and opens a record from a queue with the keyboard', async () => {
    const { page } = registrar;
    await page.goto('/queues');
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    const counts = (await (await page.request.get('/api/v1/births/queues')).json()).queues as Record<string, number>;
    const queues = page.getByRole('navigation', { name: 'Queues' });
    await expect.poll(() => queues.getByRole('link', { name: /Ready to register/ }).textContent(), slow).toContain(String(counts.ready_to_register));
    for (const name of ['Notified, not declared', 'Ready to validate', 'Late registrations awaiting approval', 'Recently registered', 'Working on']) {
      expect(await queues.getByRole('link', { name: new RegExp(name) }).isVisible(), name).toBe(true);
    }
    // An office registrar approves no corrections: that queue is not offered.
    expect(await queues.getByRole('link', { name: /Corrections awaiting approval/ }).count()).toBe(0);

    await queues.getByRole('link', { name: /Notified, not declared/ }).click();
    await page.waitForURL('**/queues/notified');
    const table = page.getByRole('table', { name: 'Notified, not declared' });
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(counts.notified! + 1);
    expect(await table.getByText('Overdue').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.keys-help kbd').count()).toBe(6);
    await expectAccessible(page, 'queues');
    await screenshot(page, 'queues');

    await queues.getByRole('link', { name: /Ready to register/ }).click();
    await page.waitForURL('**/queues/ready_to_register');
    const ready = page.getByRole('table', { name: 'Ready to register' });
    await expect.poll(() => ready.getByRole('link').first().textContent(), slow).toBe('Демо Әлихан');
    await page.getByRole('heading', { level: 2, name: 'Ready to register' }).click();
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Демо Әлихан');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/births\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByText('Демо Әлихан').first().isVisible(), slow).toBe(true);
    expectNoErrors(registrar);
  });

  it('finds a birth by its act number, keeping the number out of the address bar, and says plainly when there is none', async () => {
    const { page } = registrar;
    const registered = (await (await page.request.get('/api/v1/births/queues/recently_registered')).json()).items as { id: string }[];
    const record = (await (await page.request.get(`/api/v1/births/${registered[0]!.id}`)).json()) as { id: string; number: string };
    await page.goto('/queues');
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('inputmode'))).toBe('numeric');
    await page.getByLabel('Find by').selectOption('number');
    await page.getByLabel('Act number').fill('kz-rgo-71-01/1999/999999');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), slow).toContain('No birth record found');
    expect(page.url()).not.toContain('1999');

    await page.getByLabel('Act number').fill(record.number);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(`**/births/${record.id}`);
    expect(page.url()).not.toContain(encodeURIComponent(record.number));
    await expect.poll(() => page.getByText(record.number).first().isVisible(), slow).toBe(true);
    expectNoErrors(registrar);
  });

  it('speaks Kazakh once switched: labels, and dates as Kazakh writes them', async () => {
    const { page } = registrar;
    await page.goto('/queues/ready_to_validate');
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    await page.getByLabel('Language').selectOption('kk');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), slow).toBe('Жұмыс кезектері');
    const table = page.getByRole('table', { name: 'Тексеруге дайын' });
    expect(await table.getByRole('columnheader', { name: 'Туған күні' }).isVisible()).toBe(true);
    const item = (await (await page.request.get('/api/v1/births/queues/ready_to_validate')).json()).items[0] as { dateOfBirth: string };
    const kazakhDate = await page.evaluate((iso) => new Intl.DateTimeFormat('kk', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)), item.dateOfBirth);
    expect(await table.getByRole('cell', { name: kazakhDate }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('kk');
    await expectAccessible(page, 'queues (kk)');
    // The choice is remembered for the user, not only on this device.
    await page.getByLabel('Тіл').selectOption('en');
    expectNoErrors(registrar);
  });
});
