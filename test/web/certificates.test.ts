/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { systemClock } from '../../src/core/clock.ts';
import { testSigningPassphrase } from '../support/app.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/** How long a screen may take to answer on a busy machine. */
const slow = { timeout: 20_000 };

/** Share of white pixels in a PNG: a rendered certificate page is mostly white, the viewer's empty canvas is dark. */
function whiteShare(png: Buffer): number {
  const image = PNG.sync.read(png);
  let white = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! > 240 && image.data[i + 1]! > 240 && image.data[i + 2]! > 240) white++;
  return white / (image.width * image.height);
}

/** The PDF in a frame is drawn by the browser's viewer (so a screenshot shows the page, not the viewer still loading). */
async function pdfShown(page: Page, frame: Locator): Promise<void> {
  await expect.poll(() => frame.getAttribute('src'), slow).toMatch(/^blob:/);
  // The whole page fits the window, so the full-page screenshot does not resize the viewer and make it draw again.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.max(860, height) });
  await expect.poll(async () => whiteShare(await frame.screenshot()), slow).toBeGreaterThan(0.2);
}

describe.skipIf(!haveChromium)('certificates in the web app', () => {
  let server: WebServer;
  let browser: Browser;
  let registrar: Watched;
  beforeAll(async () => {
    server = await startWebServer();
    // The registry signs QR codes with a key of its own: one is generated, as `tirkeu keys generate` does.
    await generateSigningKey(server.db, systemClock, { passphrase: testSigningPassphrase });
    browser = await launchBrowser();
    registrar = await openPage(browser, server.url);
    await signInThroughApi(registrar.page.request, 'demo.office_registrar');
  });
  afterAll(async () => {
    await registrar?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('takes a registrar from the ready-to-print list to a preview, an issuance to a collector, its history and a revocation', async () => {
    const { page } = registrar;
    await page.goto('/queues');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ready to print' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ready to print' }).waitFor();
    const list = page.getByRole('table', { name: /waiting for a certificate/ });
    const waiting = ((await (await page.request.get('/api/v1/births/queues/ready_to_print')).json()) as { items: { id: string; childName: string }[] }).items;
    expect(waiting.length).toBeGreaterThan(0);
    await expect.poll(() => list.getByRole('link').count(), slow).toBe(waiting.length);
    await expectAccessible(page, 'ready to print');
    await screenshot(page, 'certificates-ready');

    const chosen = waiting[0]!;
    await list.getByRole('link', { name: chosen.childName }).click();
    await page.waitForURL(`**/births/${chosen.id}`);
    const panel = page.getByRole('region', { name: 'Certificates' });
    await expect.poll(() => panel.getByTestId('certificate-count').textContent(), slow).toBe('No certificate issued yet.');

    // The preview: the certificate as it would print, in a frame from a blob: URL the page's policy allows.
    const preview = page.waitForResponse((r) => r.url().includes(`/births/${chosen.id}/certificates/preview?kind=birth_certificate`));
    await panel.getByRole('button', { name: 'Preview' }).click();
    // The dialog is named after the document shown, which changes with the choice.
    const previewDialog = page.getByRole('dialog', { name: /^Preview: / });
    await previewDialog.getByRole('heading', { name: 'Preview: Birth certificate' }).waitFor();
    expect((await preview).headers()['content-type']).toBe('application/pdf');
    await expect.poll(() => previewDialog.locator('iframe').getAttribute('src'), slow).toMatch(/^blob:/);
    expect(await previewDialog.locator('iframe').getAttribute('title')).toBe('Preview of the certificate (PDF)');
    await expectAccessible(page, 'certificate preview');
    await previewDialog.getByLabel('Document').selectOption('extract');
    await previewDialog.getByRole('heading', { name: 'Preview: Extract from the birth record' }).waitFor();
    await expect.poll(() => previewDialog.locator('iframe').getAttribute('src'), slow).toMatch(/^blob:/);
    await previewDialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => previewDialog.count()).toBe(0);

    // Issuing on paper asks who collects it and what they showed.
    await panel.getByRole('button', { name: 'Issue a certificate' }).click();
    const issue = page.getByRole('dialog', { name: 'Issue a certificate' });
    await issue.getByRole('button', { name: 'Issue', exact: true }).click();
    await expect.poll(() => issue.getByRole('alert').allTextContents(), slow).toEqual(['Write the name of the person collecting it.', 'Write the number of the document they showed.']);
    await issue.getByLabel('Full name').fill('Сейтқали Гүлнұр Бекқызы');
    await issue.getByLabel('Relationship to the child').selectOption('mother');
    await issue.getByLabel('Identity document shown').selectOption('identity_card');
    await issue.getByLabel('Its number').fill('045 112 233');
    await issue.getByRole('button', { name: 'Preview' }).click();
    await pdfShown(page, issue.locator('iframe'));
    await expectAccessible(page, 'issue dialog');
    await screenshot(page, 'certificate-issue');
    await page.setViewportSize({ width: 1280, height: 860 });
    await issue.getByRole('button', { name: 'Issue', exact: true }).click();

    const issued = page.getByRole('status').filter({ hasText: /Certificate KZ-\d{4}-\d+ issued\./ });
    await expect.poll(() => issued.count(), slow).toBe(1);
    const serial = /KZ-\d{4}-\d+/.exec((await issued.textContent()) ?? '')![0];
    const history = panel.getByRole('table', { name: 'Certificates issued for this record, newest first' });
    const row = history.getByRole('row', { name: new RegExp(serial) });
    await expect.poll(() => row.textContent(), slow).toContain('Valid');
    expect(await row.textContent()).toContain('Birth certificate');
    expect(await row.textContent()).toContain('Сейтқали Гүлнұр Бекқызы (Mother), Identity card 045112233');
    expect(await row.textContent()).toContain('Demo Office registrar');
    await expect.poll(() => panel.getByTestId('certificate-count').textContent(), slow).toBe('Issued once.');
    await expect.poll(() => page.getByRole('region', { name: 'History' }).textContent(), slow).toContain('Certificate issued');

    // Print: the issued certificate, with its QR code, opens in a new tab for the browser to print.
    const pdf = page.waitForResponse((r) => r.url().endsWith(`/certificates/${serial}/pdf`));
    const tab = page.waitForEvent('popup');
    await row.getByRole('button', { name: `Print ${serial}` }).click();
    const printed = await pdf;
    expect(printed.status()).toBe(200);
    expect(printed.headers()['content-type']).toBe('application/pdf');
    expect((await printed.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await (await tab).close();
    await expect.poll(() => panel.getByRole('status').textContent(), slow).toContain('The certificate opened in a new tab');
    await expectAccessible(page, 'record with a certificate');
    await screenshot(page, 'certificate-issued');

    // Revoking asks why, and the history says it.
    await row.getByRole('button', { name: `Revoke ${serial}` }).click();
    const revoke = page.getByRole('dialog', { name: `Revoke certificate ${serial}` });
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => revoke.getByRole('alert').textContent(), slow).toBe('Say why the certificate is revoked.');
    await revoke.getByLabel('Reason').fill('Lost by the family; reported on 2 April');
    await expectAccessible(page, 'revoke dialog');
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => panel.getByRole('status').textContent(), slow).toBe(`Certificate ${serial} revoked.`);
    await expect.poll(() => row.textContent(), slow).toContain('Revoked');
    expect(await row.textContent()).toContain('Lost by the family; reported on 2 April');
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await panel.getByTestId('certificate-count').textContent()).toBe('Issued once.');
    await expect.poll(() => page.getByRole('region', { name: 'History' }).textContent(), slow).toContain('Certificate revoked');

    // Issued once, it has left the list of those waiting for a certificate.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ready to print' }).click();
    await expect.poll(() => list.getByRole('link').count(), slow).toBe(waiting.length - 1);
    expect(await list.getByRole('link', { name: chosen.childName }).count()).toBe(0);
    expectNoErrors(registrar);
  });

  it('says the panel in Kazakh and Russian too', async () => {
    const { page } = registrar;
    const registered = ((await (await page.request.get('/api/v1/births/queues/ready_to_print')).json()) as { items: { id: string }[] }).items[0]!;
    await page.goto(`/births/${registered.id}`);
    await page.getByLabel('Language').selectOption('kk');
    const panel = page.getByRole('region', { name: 'Куәліктер' });
    await expect.poll(() => panel.getByTestId('certificate-count').textContent(), slow).toBe('Куәлік әлі берілмеген.');
    expect(await panel.getByRole('button', { name: 'Куәлік беру' }).isVisible()).toBe(true);
    await page.getByLabel('Тіл').selectOption('ru');
    await expect.poll(() => page.getByRole('region', { name: 'Свидетельства' }).getByRole('button', { name: 'Выдать свидетельство' }).isVisible(), slow).toBe(true);
    await page.getByLabel('Язык').selectOption('en');
    expectNoErrors(registrar);
  });

  it('offers a registration agent no certificate to issue, and no ready-to-print list', async () => {
    const agent = await openPage(browser, server.url);
    await signInThroughApi(agent.page.request, 'demo.registration_agent');
    const { page } = agent;
    await page.goto('/queues');
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ready to print' }).count()).toBe(0);
    const registered = ((await (await registrar.page.request.get('/api/v1/births/queues/ready_to_print')).json()) as { items: { id: string }[] }).items[0]!;
    await page.goto(`/births/${registered.id}`);
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor();
    expect(await page.getByRole('button', { name: 'Issue a certificate' }).count()).toBe(0);
    const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
    const refused = await page.request.post(`/api/v1/births/${registered.id}/certificates`, {
      data: { kind: 'birth_certificate', version: 1, delivery: 'electronic' },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(refused.status(), await refused.text()).toBe(403);
    await agent.context.close();
    expectNoErrors(agent);
  });
});
