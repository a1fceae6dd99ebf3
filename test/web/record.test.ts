/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, type Watched, signInThroughApi } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/** How long a screen may take to answer on a busy machine. */
const slow = { timeout: 15_000 };


interface Item {
  id: string;
  childName: string | null;
}

async function queue(page: Page, name: string): Promise<Item[]> {
  return (await (await page.request.get(`/api/v1/births/queues/${name}`)).json()).items as Item[];
}

async function openRecord(page: Page, id: string): Promise<void> {
  await page.goto(`/births/${id}`);
  await page.getByRole('heading', { level: 2, name: 'History' }).waitFor();
}

describe.skipIf(!haveChromium)('the birth record page', () => {
  let server: WebServer;
  let browser: Browser;
  let registrar: Watched;
  let registeredId: string;
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

  it('takes a declared birth through validation to registration, and shows its IIN and act number', async () => {
    const { page } = registrar;
    const declared = (await queue(page, 'ready_to_validate')).find((i) => i.childName === 'Демо Дана')!;
    registeredId = declared.id;
    await openRecord(page, declared.id);
    // A home birth with no statement yet: validation is not offered until the document is seen.
    expect(await page.getByRole('region', { name: 'Documents still missing' }).textContent()).toContain('Statement of the birth attendant');
    expect(await page.getByRole('button', { name: 'Validate' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Record an original seen' }).click();
    const seen = page.getByRole('dialog', { name: 'Record an original seen' });
    await seen.getByLabel('Document seen').selectOption('witness_statements');
    await seen.getByLabel('Its number or reference (optional)').fill('WS-7');
    await expectAccessible(page, 'record: evidence dialog');
    await seen.getByRole('button', { name: 'Record it' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Documents still missing' }).textContent(), slow).toContain('No document is missing.');

    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Done' }).textContent(), slow).toContain('Validate');
    await page.getByRole('button', { name: 'Register' }).click();
    const register = page.getByRole('dialog', { name: 'Register' });
    await register.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.getByTestId('iin').isVisible(), slow).toBe(true);

    const stored = (await (await page.request.get(`/api/v1/births/${declared.id}`)).json()) as { iin: string; number: string; status: string };
    expect(stored.status).toBe('REGISTERED');
    expect(await page.getByTestId('iin').textContent()).toBe(stored.iin);
    expect(await page.getByTestId('act-number').textContent()).toBe(stored.number);
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.getByRole('listitem').count(), slow).toBeGreaterThanOrEqual(4);
    expect(await history.textContent()).toContain(`Act number ${stored.number}, IIN ${stored.iin}`);
    expect(await history.textContent()).toContain('Demo Office registrar');
    await expectAccessible(page, 'record');
    await screenshot(page, 'record');
    expectNoErrors(registrar);
  });

  it('shows a pending correction with only the fields it changes, before and after', async () => {
    const { page } = registrar;
    const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
    const record = (await (await page.request.get(`/api/v1/births/${registeredId}`)).json()) as { version: number; data: { declaration: { child: object } & Record<string, unknown> } };
    const declaration = { ...record.data.declaration, child: { ...record.data.declaration.child, givenName: 'Дания' } };
    const asked = await page.request.post(`/api/v1/births/${registeredId}/corrections`, {
      data: { declaration, reason: 'the parents chose another name', version: record.version },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(asked.status(), await asked.text()).toBe(200);
    await openRecord(page, registeredId);
    const correction = page.getByRole('region', { name: 'Pending correction' });
    expect(await correction.textContent()).toContain('the parents chose another name');
    expect(await correction.getByRole('row').count()).toBe(2);
    expect(await correction.getByRole('row', { name: /Given name/ }).textContent()).toBe('Given nameДанаДания');
    // Approving it is for those who may approve corrections: an office registrar is offered neither decision.
    expect(await page.getByRole('button', { name: /correction/ }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'History' }).textContent()).toContain('Correction requested');
    expectNoErrors(registrar);
  });

  it('shows the documents with their hash, and the statelessness risk of a child no rule gives a nationality', async () => {
    const { page } = registrar;
    const undetermined = (await queue(page, 'recently_registered')).find((i) => i.childName === 'Демо Амир')!;
    await openRecord(page, undetermined.id);
    const citizenship = page.getByRole('region', { name: 'Citizenship at birth' });
    expect(await citizenship.getByRole('note').textContent()).toContain('Risk of statelessness');
    expect(await citizenship.textContent()).toContain('no rule gives the child a nationality');
    // The registrar sees that the child was referred to protection, flag by flag, with the deadline.
    const referred = page.getByRole('note', { name: 'Referred to child protection' });
    expect(await referred.locator('[data-flag="statelessness_risk"]').textContent()).toContain('Risk of statelessness');
    expect(await referred.locator('[data-flag="mother_undocumented"]').textContent()).toContain('Mother without documents');
    const documents = page.getByRole('region', { name: 'Documents', exact: true });
    const hash = await documents.locator('code.hash').first().textContent();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const download = await documents.getByRole('link', { name: /Download/ }).first().getAttribute('href');
    const file = await page.request.get(download!);
    expect(file.headers()['x-content-sha256']).toBe(hash);
    await expectAccessible(page, 'record-undetermined');
    await screenshot(page, 'record-undetermined');

    await page.getByLabel('Language').selectOption('ru');
    await expect.poll(() => page.getByRole('region', { name: 'Гражданство при рождении' }).textContent(), slow).toContain('риск безгражданства');
    await page.getByLabel('Язык').selectOption('en');
    expectNoErrors(registrar);
  });

  it('shows a version conflict when another tab changed the record, with both versions, and reloads', async () => {
    const { page } = registrar;
    const notified = (await queue(page, 'notified'))[0]!;
    await openRecord(page, notified.id);
    const shown = Number(await page.getByTestId('version').textContent());

    // Another tab of the same registrar takes the record meanwhile.
    const other = await registrar.context.newPage();
    await other.goto(`/births/${notified.id}`);
    await other.getByRole('button', { name: 'Take to work on' }).click();
    await expect.poll(() => other.getByRole('status').filter({ hasText: 'Done' }).count(), slow).toBe(1);
    await other.close();

    await page.getByRole('button', { name: 'Take to work on' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone changed this record' });
    await expect.poll(() => conflict.textContent(), slow).toContain(`You saw version ${shown}; the record is now at version ${shown + 1}`);
    await expect.poll(() => conflict.textContent(), slow).toContain('Taken to work on');
    await expectAccessible(page, 'record: version conflict');
    await conflict.getByRole('button', { name: 'Reload the record' }).click();
    await expect.poll(() => page.getByTestId('version').textContent(), slow).toBe(String(shown + 1));
    expect(await conflict.count()).toBe(0);
    // Now it is this registrar's: releasing it is what is offered.
    expect(await page.getByRole('button', { name: 'Release' }).isVisible()).toBe(true);
    expectNoErrors(registrar);
  });

  it('offers a registration agent no Register button, and the server refuses the registration anyway', async () => {
    const agent = await openPage(browser, server.url);
    await signInThroughApi(agent.page.request, 'demo.registration_agent');
    const validated = (await queue(agent.page, 'ready_to_register')).find((i) => i.childName === 'Демо Әлихан')!;
    await openRecord(agent.page, validated.id);
    await agent.page.getByRole('heading', { level: 2, name: 'Actions' }).waitFor();
    expect(await agent.page.getByRole('button', { name: 'Register' }).count()).toBe(0);
    expect(await agent.page.getByRole('button', { name: 'Send back for update' }).isVisible()).toBe(true);

    const me = (await (await agent.page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
    const version = Number(await agent.page.getByTestId('version').textContent());
    const refused = await agent.page.request.post(`/api/v1/births/${validated.id}/register`, { data: { version }, headers: { 'x-csrf-token': me.csrfToken } });
    expect(refused.status()).toBe(403);
    expect((await (await agent.page.request.get(`/api/v1/births/${validated.id}`)).json()).status).toBe('VALIDATED');
    await expectAccessible(agent.page, 'record (agent)');
    expectNoErrors(agent);
    await agent.context.close();
  });
});
