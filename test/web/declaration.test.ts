/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, pick } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/** A small photo of a paper document, as a phone would send it. */
function photographedDocument(): Buffer {
  const image = new PNG({ width: 48, height: 64 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([235, 232, 220, 255], i);
  for (let y = 10; y < 54; y += 6) for (let x = 6; x < 42; x++) image.data.set([40, 40, 40, 255], (y * 48 + x) * 4);
  return PNG.sync.write(image);
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(!haveChromium)('the guided birth declaration', () => {
  let server: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('declares a birth for a mother without documents, with a photographed statement, and shows a refusal beside its field', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    const signIn = await page.request.post('/api/v1/auth/sign-in', { data: { username: 'demo.registration_agent', password: demo.password } });
    expect(signIn.status()).toBe(200);
    await page.goto('/births/new');
    await page.getByRole('heading', { name: 'Declare a birth', level: 1 }).waitFor();
    await expectAccessible(page, 'declaration path questions');

    // The path questions come first; each answer opens the next.
    await page.getByRole('radio', { name: 'No, the mother is known' }).check();
    await page.getByRole('radio', { name: 'In a health facility in the country' }).check();
    await page.getByRole('radio', { name: /^No: her identity is taken as she states it/ }).check();
    await page.getByRole('radio', { name: 'of unknown status' }).check();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Legal path: Mother without identity documents' }).count()).toBe(1);
    const missing = page.getByRole('complementary', { name: 'Documents still needed' });
    await expect.poll(() => missing.textContent()).toContain("Mother's statement of her identity");
    await screenshot(page, 'declaration-path');
    await page.getByRole('button', { name: 'Next' }).click();

    // The child, named in Kazakh as typed, born (by mistake) in the future.
    await page.getByRole('heading', { name: 'Child', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByLabel('Date of birth').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Surname').fill('Нұрсұлтанқызы');
    await page.getByLabel('Given name').fill('Әйгерім');
    await page.getByLabel('Form of the name').selectOption('kazakh_suffix');
    await page.getByRole('radio', { name: 'Girl' }).check();
    await page.getByLabel('Date of birth').fill('2099-01-15');
    await page.getByLabel('Weight (grams)').fill('3150');
    await pick(page, 'Health facility', 'Perinatal', /Multi-profile Perinatal Centre No\. 1/);
    await expectAccessible(page, 'declaration child');
    await page.getByLabel('Weight (grams)').press('Enter');

    // Her identity as she states it: no document asked for.
    await page.getByRole('heading', { name: 'Mother', level: 2 }).waitFor();
    await page.getByRole('group', { name: 'Mother — identity as she states it' }).waitFor();
    expect(await page.getByLabel('Identity document').count()).toBe(0);
    await page.getByLabel('Surname').fill('Нұрсұлтанова');
    await page.getByLabel('Given name').fill('Гүлнар');
    await page.getByRole('spinbutton', { name: 'Age' }).fill('24');
    await expectAccessible(page, 'declaration mother');
    await screenshot(page, 'declaration-mother');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Father and family', level: 2 }).waitFor();
    await page.getByRole('radio', { name: 'Not known' }).check();
    await page.getByLabel('How the father is established').selectOption('not_established');
    await page.getByLabel('Who declares the birth').selectOption('mother');
    await page.getByRole('button', { name: 'Next' }).click();

    // A photographed statement: previewed, and struck off the documents still needed.
    await page.getByRole('heading', { name: 'Documents', level: 2, exact: true }).waitFor();
    await page.getByLabel('Kind of document', { exact: true }).selectOption('mother_identity_statement');
    await page.getByLabel('Photo or scan').setInputFiles({ name: 'statement.png', mimeType: 'image/png', buffer: photographedDocument() });
    await page.getByRole('img', { name: 'Preview of statement.png' }).waitFor();
    await expect.poll(() => missing.textContent()).not.toContain("Mother's statement of her identity");
    expect(await missing.textContent()).toContain('Medical birth certificate');
    await expectAccessible(page, 'declaration documents');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Review and send', level: 2 }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Әйгерім');
    await expectAccessible(page, 'declaration review');
    await screenshot(page, 'declaration-review');
    await page.getByRole('button', { name: 'Send the declaration' }).click();

    // The server refuses the date: the form goes back to it and says so beside it, in the user's language.
    await page.getByRole('heading', { name: 'Child', level: 2 }).waitFor();
    const date = page.getByLabel('Date of birth');
    await expect.poll(() => date.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await date.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe('Check “Date of birth”.');
    expect(await page.getByLabel('Given name').inputValue()).toBe('Әйгерім');
    await expectAccessible(page, 'declaration refusal');

    await date.fill(daysAgo(1));
    await page.getByRole('button', { name: '6. Review and send' }).click();
    await page.getByRole('button', { name: 'Send the declaration' }).click();
    await page.waitForURL(/\/births\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;

    const record = await page.request.get(`/api/v1/births/${id}`);
    expect(record.status()).toBe(200);
    const { data } = await record.json();
    expect(data.declaration).toMatchObject({
      path: 'mother_without_documents',
      child: { givenName: 'Әйгерім', surname: 'Нұрсұлтанқызы', nameForm: 'kazakh_suffix', sex: 'female', dateOfBirth: daysAgo(1), weightGrams: 3150 },
      mother: { givenName: 'Гүлнар', surname: 'Нұрсұлтанова', age: 24, identityDeclared: true, citizenship: 'unknown', legalStatus: 'undocumented' },
    });
    expect(data.attachments).toEqual([expect.objectContaining({ type: 'mother_identity_statement', mediaType: 'image/png' })]);
    expect(data.missingDocuments).toEqual([['medical_birth_certificate', 'court_decision_fact_of_birth']]);
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('declares a notified birth from what the facility sent, and asks for a correction with its before and after', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.request.post('/api/v1/auth/sign-in', { data: { username: 'demo.registration_agent', password: demo.password } });
    const first = async (queue: string) => ((await (await page.request.get(`/api/v1/births/queues/${queue}`)).json()) as { items: { id: string; dateOfBirth: string }[] }).items[0]!;

    // A notified birth opens on its questions, the facility's facts already filled.
    const notified = await first('notified');
    await page.goto(`/births/${notified.id}/declare`);
    await page.getByRole('heading', { name: 'Declare a notified birth', level: 1 }).waitFor();
    expect(await page.getByRole('radio', { name: 'In a health facility in the country' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByRole('radio', { name: 'citizens of Kazakhstan' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByLabel('Date of birth').inputValue()).toBe(notified.dateOfBirth);
    expect(await page.getByLabel('Health facility').inputValue()).toBe('Multi-profile Perinatal Centre No. 1');

    // A registered birth: the same form, filled, opening on the review; the change is shown before it is sent.
    const registered = await first('recently_registered');
    await page.goto(`/births/${registered.id}/correct`);
    await page.getByRole('heading', { name: 'Ask for a correction', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Review and send', level: 2 }).waitFor();
    await page.getByRole('button', { name: '2. Child' }).click();
    const givenName = page.getByLabel('Given name');
    const before = await givenName.inputValue();
    await givenName.fill('Айсұлу');
    await page.getByRole('button', { name: /Review and send$/ }).click();
    const change = page.getByRole('row').filter({ hasText: 'Айсұлу' });
    expect(await change.textContent()).toBe(`Given name${before}Айсұлу`);
    await page.getByRole('button', { name: 'Send the correction request' }).click();
    await expect.poll(() => page.getByLabel('Why the correction is needed').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Why the correction is needed').fill('The name was misspelt at registration; see the medical certificate.');
    await expectAccessible(page, 'correction review');
    await screenshot(page, 'correction-review');
    await page.getByRole('button', { name: 'Send the correction request' }).click();
    await page.waitForURL(`**/births/${registered.id}`);
    const record = await (await page.request.get(`/api/v1/births/${registered.id}`)).json();
    expect(record.status).toBe('CORRECTION_REQUESTED');
    expect(record.data.corrections.at(-1).proposed.child.givenName).toBe('Айсұлу');

    // In Kazakh: the questions, and the documents named as the pack names them.
    await page.getByLabel('Language').selectOption('kk');
    await page.goto('/births/new');
    await page.getByRole('heading', { name: 'Тууды тіркеуге өтініш', level: 1 }).waitFor();
    await page.getByRole('radio', { name: 'Иә, табылған бала' }).check();
    const missing = page.getByRole('complementary', { name: 'Әлі керек құжаттар' });
    await expect.poll(() => missing.textContent()).toContain('Табылған бала туралы полиция құжаты');
    expectNoErrors(watched);
    await watched.context.close();
  });
});
