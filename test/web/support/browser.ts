/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type APIRequestContext, type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { generate } from 'otplib';
import { expect } from 'vitest';
import { demoPassword, demoTotpSecret } from '../../../src/access/demo.ts';

/** Debian's chromium (apt-get install chromium): .ci/run installs it; nothing is downloaded. */
export const chromiumPath = process.env.TIRKEU_CHROMIUM || '/usr/bin/chromium';
export const haveChromium = fs.existsSync(chromiumPath);
if (!haveChromium && process.env.CI) {
  throw new Error(`browser tests need ${chromiumPath}: apt-get install chromium (CI must not skip them)`);
}

const screenshotDir = path.resolve(fileURLToPath(new URL('../../../docs/screenshots', import.meta.url)));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and Content-Security-Policy violations seen so far. */
  errors: string[];
}

/**
 * A fresh browser profile (its own IndexedDB, cookies and service worker) with one page. Every CSP
 * violation and uncaught error is collected: a test ends with expectNoErrors.
 */
export async function openPage(browser: Browser, baseURL: string, options: { locale?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({ baseURL, locale: options.locale ?? 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    // A refused request is the server answering 4xx on purpose (a test of a refusal); it is not a page error.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { context, page, errors };
}

export function expectNoErrors(watched: Watched): void {
  expect(watched.errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Failed to fetch|ERR_CONNECTION/.test(e))).toEqual([]);
}

/** axe-core on the page as it is now: no serious or critical violation. Evaluated over CDP, so the page's CSP still holds for the app. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
    const r = await run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** A screenshot for the README (docs/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export const demo = { password: demoPassword };

/** The code the demo users' authenticator shows now. */
export function demoCode(): Promise<string> {
  return generate({ secret: demoTotpSecret });
}

/**
 * Signs a browser profile in through the API, as the sign-in screen would (the screen has its own
 * tests), with the TOTP step when the role has one. The server takes each code once per person:
 * a code refused as used is retried with the next one.
 */
export async function signInThroughApi(request: APIRequestContext, username: string, password = demoPassword): Promise<{ stage: string; csrfToken: string }> {
  const first = await request.post('/api/v1/auth/sign-in', { data: { username, password } });
  expect(first.status(), await first.text()).toBe(200);
  const { stage, csrfToken } = (await first.json()) as { stage: string; csrfToken: string };
  if (stage !== 'pending_totp') return { stage, csrfToken };
  for (let attempt = 0; ; attempt++) {
    const second = await request.post('/api/v1/auth/second-factor', { data: { code: await demoCode() }, headers: { 'x-csrf-token': csrfToken } });
    if (second.status() === 200) return { stage: ((await second.json()) as { stage: string }).stage, csrfToken };
    expect(attempt, await second.text()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
  }
}

/** Chooses in a place or facility picker as a person does: types the start of the name, then picks the suggestion. */
export async function pick(page: Page, label: string, typed: string, option: RegExp | string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.fill('');
  await box.pressSequentially(typed);
  await page.getByRole('listbox').getByRole('option', { name: option }).first().click();
  await expect.poll(() => box.getAttribute('aria-expanded')).toBe('false');
}
