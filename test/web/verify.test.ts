/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../src/births/declaration.ts';
import { approveCorrection, requestCorrection } from '../../src/births/workflow.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { systemClock } from '../../src/core/clock.ts';
import { testSigningPassphrase } from '../support/app.ts';
import { birthDeps, helperRegistrar } from '../support/births.ts';
import { readQrFromPdf } from '../certificates/support/pdf-qr.ts';
import { chromiumPath, expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/** How long a check may take on a busy machine (the codec loads, the key set, the registry's answer). */
const slow = { timeout: 20_000 };

interface Issued {
  serial: string;
  /** The QR code's text as printed on the paper: the registry's verification link with the payload after its "#". */
  qrText: string;
  /** The payload alone. */
  payload: string;
  /** The same link on the test server. */
  link: string;
}

/** A registrar issues a certificate through the API, as the record page does, and prints it; the QR code is read off the printed page. */
async function issue(page: Page, recordId: string): Promise<Issued> {
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const record = (await (await page.request.get(`/api/v1/births/${recordId}`)).json()) as { version: number };
  const answer = await page.request.post(`/api/v1/births/${recordId}/certificates`, {
    data: { kind: 'birth_certificate', version: record.version, delivery: 'electronic' },
    headers: { 'x-csrf-token': me.csrfToken, 'idempotency-key': crypto.randomUUID() },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  const { serial } = ((await answer.json()) as { issuance: { serial: string } }).issuance;
  const printed = await page.request.get(`/api/v1/certificates/${serial}/pdf`);
  expect(printed.status()).toBe(200);
  const qrText = await readQrFromPdf(new Uint8Array(await printed.body()));
  expect(qrText).toMatch(/\/verify#KZ1:/);
  const payload = qrText.slice(qrText.indexOf('#') + 1);
  return { serial, qrText, payload, link: `/verify#${payload}` };
}

/** The verdict shown, once the check is done. */
async function verdictOf(page: Page): Promise<{ verdict: string | null; text: string | null }> {
  const shown = page.locator('[data-verdict]');
  await shown.waitFor(slow);
  return { verdict: await shown.getAttribute('data-verdict'), text: await shown.textContent() };
}

async function fact(page: Page, name: string): Promise<string | null> {
  return page.locator(`[data-fact="${name}"]`).textContent();
}

/** The same text with one character changed to another of the Base45 alphabet, well inside the signed part. */
function oneCharacterChanged(payload: string): string {
  const at = Math.floor(payload.length / 2);
  const replacement = payload[at] === 'A' ? 'B' : 'A';
  return payload.slice(0, at) + replacement + payload.slice(at + 1);
}

/**
 * A camera's picture of a QR code, as a Y4M file Chromium's fake camera plays in a loop: the code
 * drawn black on white in the middle of a 640×480 frame (grey levels only: the chroma is neutral).
 */
function qrVideo(text: string, file: string): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const width = 640;
  const height = 480;
  const scale = Math.floor((height - 40) / (modules.size + 8));
  const left = Math.floor((width - modules.size * scale) / 2);
  const top = Math.floor((height - modules.size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      for (let y = 0; y < scale; y++) luma.fill(16, (top + row * scale + y) * width + left + column * scale, (top + row * scale + y) * width + left + (column + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

describe.skipIf(!haveChromium)('the public verification page', () => {
  let server: WebServer;
  let browser: Browser;
  let registrar: Watched;
  let visitor: Watched;
  let recordId: string;
  let otherId: string;
  let kept: Issued;
  let revoked: Issued;
  beforeAll(async () => {
    server = await startWebServer();
    await generateSigningKey(server.db, systemClock, { passphrase: testSigningPassphrase });
    browser = await launchBrowser();
    registrar = await openPage(browser, server.url);
    await signInThroughApi(registrar.page.request, 'demo.office_registrar');
    const ready = ((await (await registrar.page.request.get('/api/v1/births/queues/ready_to_print')).json()) as { items: { id: string }[] }).items;
    recordId = ready[0]!.id;
    otherId = ready[1]!.id;
    kept = await issue(registrar.page, recordId);
    revoked = await issue(registrar.page, recordId);
    // Anyone: a browser nobody signed in on.
    visitor = await openPage(browser, server.url);
  });
  afterAll(async () => {
    await visitor?.context.close();
    await registrar?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('opens from the QR code’s link with no sign-in, says valid and shows the certified facts', async () => {
    const { page } = visitor;
    await page.goto(kept.link);
    const { verdict, text } = await verdictOf(page);
    expect(verdict).toBe('valid');
    expect(text).toContain('Valid.');
    const record = (await (await registrar.page.request.get(`/api/v1/births/${recordId}`)).json()) as {
      iin: string;
      number: string;
      data: { declaration: { child: { surname: string; givenName: string } } };
    };
    expect(await fact(page, 'serial')).toBe(kept.serial);
    expect(await fact(page, 'iin')).toBe(record.iin);
    expect(await fact(page, 'registrationNumber')).toBe(record.number);
    expect(await fact(page, 'child')).toContain(`${record.data.declaration.child.surname} ${record.data.declaration.child.givenName}`);
    expect(await page.getByText('Compare these facts with the paper.').isVisible()).toBe(true);
    // Outside the signed-in app: no menu, a way in for staff.
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Registry staff: sign in' }).isVisible()).toBe(true);
    await expectAccessible(page, 'verify: valid');
    await screenshot(page, 'verify-valid');
    expectNoErrors(visitor);
  });

  it('says a payload with one character changed is not valid, and why, showing no facts', async () => {
    const { page } = visitor;
    await page.goto(`/verify#${oneCharacterChanged(kept.payload)}`);
    const { verdict, text } = await verdictOf(page);
    expect(verdict).toBe('invalid');
    expect(text).toMatch(/^Not valid\. .+(altered|damaged|misread)/);
    expect(await page.locator('[data-fact]').count()).toBe(0);
    await expectAccessible(page, 'verify: invalid');
    await screenshot(page, 'verify-invalid');

    // The same by pasting the text, in Kazakh.
    await page.getByLabel('Language').selectOption('kk');
    await page.getByLabel('Код мәтіні').fill(`${oneCharacterChanged(kept.payload)}\n`);
    await page.getByRole('button', { name: 'Тексеру' }).click();
    await expect.poll(() => page.locator('[data-verdict]').textContent(), slow).toMatch(/^Жарамсыз\. /);
    await page.getByLabel('Тіл').selectOption('en');
    expectNoErrors(visitor);
  });

  it('says a revoked certificate is revoked, with the date', async () => {
    const me = (await (await registrar.page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
    const revocation = await registrar.page.request.post(`/api/v1/certificates/${revoked.serial}/revoke`, {
      data: { reason: 'issued in error' },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(revocation.status(), await revocation.text()).toBe(200);
    const { page } = visitor;
    // A fresh page: a link differing only after "#" would open in the page already shown.
    await page.goto('about:blank');
    await page.goto(revoked.link);
    const { verdict, text } = await verdictOf(page);
    expect(verdict).toBe('revoked');
    expect(text).toMatch(/^Revoked on .*\d{4}\. This certificate is no longer valid\.$/);
    // The facts still show, so the verifier sees which paper it is.
    expect(await fact(page, 'serial')).toBe(revoked.serial);
    await expectAccessible(page, 'verify: revoked');
    await screenshot(page, 'verify-revoked');
    expectNoErrors(visitor);
  });

  it('says a certificate of a record corrected since is superseded, with the date but not the new data', async () => {
    const before = await issue(registrar.page, otherId);
    const record = (await (await registrar.page.request.get(`/api/v1/births/${otherId}`)).json()) as { data: { declaration: Declaration } };
    const declaration = record.data.declaration;
    const deps = birthDeps(server.db, systemClock);
    const actor = helperRegistrar();
    await requestCorrection(deps, otherId, { ...declaration, child: { ...declaration.child, givenName: 'Айгүл' } }, { actor, reason: 'the given name was misspelt' });
    await approveCorrection(deps, otherId, { actor, reason: 'checked against the facility’s record' });

    const { page } = visitor;
    await page.goto('about:blank');
    await page.goto(before.link);
    const { verdict, text } = await verdictOf(page);
    expect(verdict).toBe('superseded');
    expect(text).toMatch(/^Superseded\. The record was corrected on .*\d{4}: this certificate no longer shows the registered facts\./);
    // What the paper certified, never what the correction made of it.
    expect(await fact(page, 'child')).toContain(declaration.child.givenName!);
    expect(await page.locator('main').textContent()).not.toContain('Айгүл');
    await expectAccessible(page, 'verify: superseded');
    expectNoErrors(visitor);
  });

  it('reads a photo of the code', async () => {
    const { page } = visitor;
    await page.goto('/verify');
    await page.getByRole('heading', { level: 1, name: 'Verify a birth certificate' }).waitFor();
    const photo = await QRCode.toBuffer(kept.qrText, { errorCorrectionLevel: 'M', margin: 4, scale: 5 });
    await page.getByLabel('Or take a photo of the code').setInputFiles({ name: 'certificate.png', mimeType: 'image/png', buffer: photo });
    expect((await verdictOf(page)).verdict).toBe('valid');
    expect(await fact(page, 'serial')).toBe(kept.serial);
    expectNoErrors(visitor);
  });

  it('scans the code with the camera', async () => {
    const video = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-camera-')), 'qr.y4m');
    qrVideo(kept.qrText, video);
    // A browser whose camera films the certificate: Chromium's fake camera plays the file.
    const withCamera = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const scanner = await openPage(withCamera, server.url);
      await scanner.context.grantPermissions(['camera']);
      const { page } = scanner;
      await page.goto('/verify');
      await page.getByRole('button', { name: 'Scan with the camera' }).click();
      expect((await verdictOf(page)).verdict).toBe('valid');
      expect(await fact(page, 'serial')).toBe(kept.serial);
      // The camera is released once the code is read.
      expect(await page.getByRole('button', { name: 'Scan with the camera' }).isVisible()).toBe(true);
      expectNoErrors(scanner);
    } finally {
      await withCamera.close();
      fs.rmSync(path.dirname(video), { recursive: true, force: true });
    }
  });

  it('checks the signature offline with the keys it kept, and says the status could not be checked', async () => {
    const { page, context } = visitor;
    await page.goto(kept.link);
    expect((await verdictOf(page)).verdict).toBe('valid');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), slow).toBe(true);
    // Once more online, so that the service worker itself has seen the key set.
    await page.reload();
    expect((await verdictOf(page)).verdict).toBe('valid');

    await context.setOffline(true);
    try {
      await page.reload();
      const { verdict, text } = await verdictOf(page);
      expect(verdict).toBe('unchecked');
      expect(text).toContain('The signature is genuine');
      expect(text).toContain('there is no connection');
      expect(await fact(page, 'serial')).toBe(kept.serial);
      // A forgery is caught offline too.
      await page.getByLabel('Text of the code').fill(oneCharacterChanged(kept.payload));
      await page.getByRole('button', { name: 'Check' }).click();
      await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict'), slow).toBe('invalid');
      await expectAccessible(page, 'verify: offline');
    } finally {
      await context.setOffline(false);
    }
    expectNoErrors(visitor);
  });
});
