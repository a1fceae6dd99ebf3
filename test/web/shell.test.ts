/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

describe.skipIf(!haveChromium)('the app shell', () => {
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

  it('opens at / on the sign-in screen, under the strict CSP, with no error', async () => {
    const watched = await openPage(browser, server.url);
    await watched.page.goto('/');
    await watched.page.waitForURL('**/sign-in');
    await expectAccessible(watched.page, 'sign-in');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('follows the browser language on a first visit', async () => {
    const watched = await openPage(browser, server.url, { locale: 'kk-KZ' });
    await watched.page.goto('/sign-in');
    await expect.poll(() => watched.page.evaluate(() => document.documentElement.lang)).toBe('kk');
    await watched.context.close();
  });
});
