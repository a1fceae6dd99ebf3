/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * The administration screens as a national system administrator uses them: a registration agent
 * created, found, its password reset and the account deactivated; an API client whose secret is
 * shown once; the audit of all that, filtered. A registration agent finds none of it.
 */


const strongPassword = 'walnut kettle orbit 47 lantern';

describe.skipIf(!haveChromium)('administration', () => {
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

  it('lets a system administrator create, find, reset and deactivate a user, register an API client, and read the audit', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    expect((await signInThroughApi(page.request, 'demo.system_admin')).stage).toBe('active');

    // Users: the demo accounts are listed with their roles by name.
    await page.goto('/admin/users');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Users');
    const agentRow = page.getByRole('row', { name: /demo\.registration_agent/ });
    await agentRow.waitFor();
    expect(await agentRow.textContent()).toContain('Registration agent');
    const ownRow = page.getByRole('row', { name: /demo\.system_admin/ });
    expect(await ownRow.getByRole('button').count()).toBe(0);

    // Create: a weak password and a taken username are refused, each beside its field, in words.
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('region', { name: 'New user' });
    await form.getByLabel('Username').fill('demo.statistician');
    await form.getByLabel('Full name').fill('Әлия Сейтқали');
    await form.getByLabel('Registry office').selectOption({ label: 'Astana Civil Registry Office' });
    await expect.poll(() => form.getByLabel('Jurisdiction').inputValue()).toBe('Astana');
    const roles = form.getByRole('group', { name: 'Roles' });
    // Only what the pack lets a national administrator grant: every role, peers included.
    expect(await roles.getByRole('checkbox').count()).toBe(10);
    await roles.getByLabel('Registration agent').check();
    await form.getByLabel('First password').fill('too short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('Too short: a password needs at least 12 characters.').waitFor();
    expect(await form.getByLabel('First password').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('First password').fill(strongPassword);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('This username is taken.').waitFor();
    expect(await form.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Username').fill('web.agent');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User web.agent was created.').waitFor();

    // Found by the filter; the filter never reaches the address bar.
    await page.getByLabel('Username starts with').fill('web.');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const row = page.getByRole('row', { name: /web\.agent/ });
    await row.waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    expect(await row.textContent()).toContain('Registration agent');
    expect(await row.textContent()).toContain('Astana');
    expect(await row.textContent()).toContain('must change password');
    expect(new URL(page.url()).search).toBe('');
    await expectAccessible(page, 'admin-users');
    await screenshot(page, 'admin-users');

    // Reset the password: the user must change it at next sign-in.
    await row.getByRole('button', { name: 'Reset password — web.agent' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the password of web.agent' });
    await reset.getByLabel('Temporary password').fill('larch meadow under snow 12');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('The password of web.agent was reset.').waitFor();
    const other = await openPage(browser, server.url);
    expect((await signInThroughApi(other.page.request, 'web.agent', 'larch meadow under snow 12')).stage).toBe('pending_password');
    await other.context.close();

    // Deactivate, after a confirmation.
    await row.getByRole('button', { name: 'Deactivate — web.agent' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate web.agent?' });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('web.agent was deactivated.').waitFor();
    await expect.poll(() => row.textContent()).toContain('Deactivated');
    expect(await row.getByRole('button').count()).toBe(0);

    // API clients: the secret is shown once, then gone for good.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API clients' }).click();
    await page.getByRole('row', { name: /demo-hospital-71-001/ }).waitFor();
    await page.getByRole('button', { name: 'New API client' }).click();
    const clientForm = page.getByRole('region', { name: 'New API client' });
    await clientForm.getByLabel('Client id').fill('web-hospital-1');
    await clientForm.getByLabel('Name').fill('Regional hospital system');
    await clientForm.getByRole('group', { name: 'Permissions' }).getByLabel('Notify births').check();
    await clientForm.getByLabel('Whole country (no limit by place)').check();
    await clientForm.getByRole('button', { name: 'Create client' }).click();
    const secretPanel = page.getByRole('region', { name: 'Secret of web-hospital-1' });
    await secretPanel.waitFor();
    expect(await secretPanel.textContent()).toContain('It is shown only this once');
    const secret = await secretPanel.getByLabel('Client secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('row', { name: /web-hospital-1/ }).waitFor();
    await expectAccessible(page, 'admin-clients');
    await screenshot(page, 'admin-clients');
    await secretPanel.getByRole('button', { name: 'I have stored it' }).click();
    await secretPanel.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    const token = await fetch(`${server.url}/api/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'web-hospital-1', client_secret: secret }),
    });
    expect(token.status).toBe(200);

    // The audit: everything above is there; filters live in the screen, not the address.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access audit' }).click();
    await page.getByRole('row', { name: /Sign-in/ }).first().waitFor();
    await page.getByLabel('Who').fill('demo.system_admin');
    await page.getByLabel('Action').selectOption({ label: 'User created' });
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    const created = page.getByRole('row').nth(1);
    expect(await created.textContent()).toContain('web.agent');
    expect(await created.textContent()).toContain('demo.system_admin');
    expect(await created.textContent()).toContain('Registration agent');
    await page.getByLabel('Action').selectOption({ label: 'Any' });
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('row', { name: /API client created/ }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await expectAccessible(page, 'admin-audit');
    await screenshot(page, 'admin-audit');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('shows a registration agent no administration, and the server refuses it', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    expect((await signInThroughApi(page.request, 'demo.registration_agent')).stage).toBe('active');
    await page.goto('/admin/users');
    await page.getByText('You are not allowed to use this screen.').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Work queues' }).waitFor();
    for (const entry of ['Users', 'API clients', 'Access audit']) expect(await nav.getByRole('link', { name: entry }).count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    await page.getByLabel('Language').selectOption('kk');
    await page.getByText('Бұл бөлімге кіруге рұқсатыңыз жоқ.', { exact: false }).waitFor();
    expectNoErrors(watched);
    await watched.context.close();
  });
});
