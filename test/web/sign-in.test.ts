/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import { systemClock } from '../../src/core/clock.ts';
import { demo, demoCode, expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

describe.skipIf(!haveChromium)('signing in and the account screen', () => {
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

  /** The new registrar's recovery codes, as the enrolment test read them from the screen. */
  let recoveryCodes: string[] = [];

  async function addUser(username: string, role: string, password: string, mustChangePassword: boolean): Promise<void> {
    const ctx = { clock: systemClock, clientAddress: null, requestId: null };
    await server.db.transaction((tx) =>
      createUser(tx, loadRoles('kz'), { username, displayName: 'Айгерім Сапарова', jurisdiction: '711300000', roles: [role], password, mustChangePassword, demo: false }, ctx),
    );
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs an office registrar in with password and authenticator code, onto the work queues', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');

    await signIn(page, 'demo.office_registrar', demo.password);
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await expectAccessible(page, 'sign-in-totp');
    await screenshot(page, 'sign-in-totp');
    await page.getByLabel('Code', { exact: true }).fill(await demoCode());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/queues');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('enrols a new registrar’s authenticator at first sign-in and shows the recovery codes once', async () => {
    await addUser('new.registrar', 'office_registrar', 'amber lanterns drift over quiet water', false);
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await signIn(page, 'new.registrar', 'amber lanterns drift over quiet water');
    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    await expect.poll(() => page.getByRole('img', { name: /QR code/ }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;utf8,/);
    await expectAccessible(page, 'sign-in-enrolment');

    // Typed as a person would from the screen: the key is shown in groups of four.
    const shown = (await page.locator('.totp-secret').textContent()) ?? '';
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('This code does not match').waitFor();
    await page.getByLabel('Code from the app').fill(await generate({ secret: shown.replace(/\s/g, '') }));
    await page.getByRole('button', { name: 'Confirm' }).click();

    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
    recoveryCodes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
    await expectAccessible(page, 'sign-in-recovery-codes');
    const go = page.getByRole('button', { name: 'Continue' });
    expect(await go.isDisabled()).toBe(true);
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await go.click();
    await page.waitForURL('**/queues');
    const { rows } = await server.db.query<{ totpEnabled: boolean }>(`SELECT totp_enabled AS "totpEnabled" FROM users WHERE username = 'new.registrar'`);
    expect(rows[0]?.totpEnabled).toBe(true);
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('makes someone whose password an administrator set choose their own, refusing a weak one in words', async () => {
    await addUser('new.agent', 'registration_agent', 'given by the administrator 7731', true);
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await signIn(page, 'new.agent', 'given by the administrator 7731');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await expectAccessible(page, 'sign-in-new-password');

    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('New password again').fill('password1234');
    await page.getByRole('button', { name: 'Save the password' }).click();
    await page.getByText('This password is in lists of passwords known to attackers.').waitFor();
    const field = page.getByLabel('New password', { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    await field.fill('copper kettles sing at noon');
    await page.getByLabel('New password again').fill('copper kettles sing at noon');
    await page.getByRole('button', { name: 'Save the password' }).click();
    await page.waitForURL('**/queues');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('says a wrong password in the reader’s language, beside the field, without telling which of the two was wrong', async () => {
    const watched = await openPage(browser, server.url, { locale: 'ru-RU' });
    const { page } = watched;
    await page.goto('/sign-in');
    await page.getByLabel('Имя пользователя').fill('demo.facility_clerk');
    await page.getByLabel('Пароль', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Войти' }).click();
    const message = 'Неверное имя пользователя или пароль. Проверьте оба и повторите.';
    await page.getByText(message).waitFor();
    const password = page.getByLabel('Пароль', { exact: true });
    expect(await password.getAttribute('aria-invalid')).toBe('true');

    // An unknown name gets the very same words.
    await page.getByLabel('Имя пользователя').fill('nobody.here');
    await password.fill('not the password at all');
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/sign-in'));
    await page.getByRole('button', { name: 'Войти' }).click();
    expect((await answer).status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual([message]);

    // Four more misses are free; the fifth locks the name, and the next try is told when to come back.
    for (let attempt = 0; attempt < 5; attempt++) {
      const missed = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/sign-in'));
      await page.getByRole('button', { name: 'Войти' }).click();
      await missed;
    }
    await page.getByText(/^Слишком много неудачных попыток\. Повторите после \d{1,2}:\d{2}:\d{2}\.$/).waitFor();
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('replaces recovery codes and the authenticator from the account screen, each behind the password and a code', async () => {
    expect(recoveryCodes).toHaveLength(10);
    const password = 'amber lanterns drift over quiet water';
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await signIn(page, 'new.registrar', password);
    await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/queues');
    await page.goto('/account');
    await page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();

    const recovery = page.getByRole('region', { name: 'Recovery codes' });
    await recovery.getByRole('button', { name: 'Make new recovery codes' }).click();
    await recovery.getByLabel('Current password').fill(password);
    await recovery.getByLabel('Code from your authenticator app').fill('000000');
    await recovery.getByRole('button', { name: 'Make the codes' }).click();
    await recovery.getByText('This code is not right, or it was already used.').waitFor();
    await recovery.getByLabel('Code from your authenticator app').fill(recoveryCodes[1]!);
    await recovery.getByRole('button', { name: 'Make the codes' }).click();
    const fresh = recovery.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => fresh.count()).toBe(10);
    const codes = await fresh.allTextContents();
    expect(codes).not.toContain(recoveryCodes[2]);
    await recovery.getByLabel('I have saved these codes somewhere safe').check();
    await recovery.getByRole('button', { name: 'Continue' }).click();
    await recovery.getByText('Your new recovery codes are in force.').waitFor();

    const authenticator = page.getByRole('region', { name: 'Authenticator app' });
    await authenticator.getByRole('button', { name: 'Replace the authenticator app' }).click();
    await authenticator.getByLabel('Current password').fill(password);
    await authenticator.getByLabel('Code from your authenticator app').fill(codes[0]!);
    await authenticator.getByRole('button', { name: 'Show the QR code' }).click();
    await authenticator.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    await expectAccessible(page, 'account-enrolment');
    const secret = ((await authenticator.locator('.totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await authenticator.getByLabel('Code from the app').fill(await generate({ secret }));
    await authenticator.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => authenticator.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
    await authenticator.getByLabel('I have saved these codes somewhere safe').check();
    await authenticator.getByRole('button', { name: 'Continue' }).click();
    await authenticator.getByText('The authenticator app is set up.').waitFor();
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('asks to sign in again over a form whose session ended, and keeps what was typed in it', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await signIn(page, 'demo.registration_agent', demo.password);
    await page.waitForURL('**/queues');
    await page.goto('/account');
    await page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
    await page.getByText('Registration agent', { exact: true }).waitFor();
    await expectAccessible(page, 'account');
    await screenshot(page, 'account');

    await page.getByLabel('Current password').fill(demo.password);
    await page.getByLabel('New password', { exact: true }).fill('walnut shelves in autumn light');
    await page.getByLabel('New password again').fill('walnut shelves in autumn light');
    await server.db.query(`UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'demo.registration_agent')`);
    await page.getByRole('button', { name: 'Change the password' }).click();

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Username').inputValue()).toBe('demo.registration_agent');
    await expectAccessible(page, 'session-expired');
    await dialog.getByLabel('Password', { exact: true }).fill(demo.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(page.url()).toMatch(/\/account$/);
    expect(await page.getByLabel('Current password').inputValue()).toBe(demo.password);
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('walnut shelves in autumn light');
    expect(await page.getByLabel('New password again').inputValue()).toBe('walnut shelves in autumn light');
    // Sent again, now in the new session, it goes through.
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('Your password is changed.').waitFor();
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('does not leave the page of someone whose session ended on screen for another person who signs in over it', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await signIn(page, 'demo.benefits_officer', demo.password);
    await page.waitForURL('**/account');
    await page.getByLabel('New password', { exact: true }).fill('typed by the first person');
    await server.db.query(`UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'demo.benefits_officer')`);
    await page.getByLabel('Current password').fill(demo.password);
    await page.getByLabel('New password again').fill('typed by the first person');
    await page.getByRole('button', { name: 'Change the password' }).click();

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Username').fill('demo.facility_clerk');
    await dialog.getByLabel('Password', { exact: true }).fill(demo.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/notifications');
    expect(await page.getByLabel('New password', { exact: true }).count()).toBe(0);
    expect(await page.getByText('Benefits officer').count()).toBe(0);
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('switches the sign-in screen to Kazakh and keeps that choice for the account once signed in', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/sign-in');
    await page.getByLabel('Language').selectOption('kk');
    await page.getByLabel('Пайдаланушы аты').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Кіру');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('kk');
    await expectAccessible(page, 'sign-in-kk');

    await page.getByLabel('Пайдаланушы аты').fill('demo.statistician');
    await page.getByLabel('Құпиясөз', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Кіру', exact: true }).click();
    await page.waitForURL('**/account');
    await page.getByRole('heading', { name: 'Менің тіркелгім', level: 1 }).waitFor();
    await page.getByText('Статистик').waitFor();
    // The choice is saved to the account in the background, after the sign-in.
    const saved = async () => (await server.db.query<{ language: string }>(`SELECT language FROM users WHERE username = 'demo.statistician'`)).rows[0]?.language;
    await expect.poll(saved).toBe('kk');
    expectNoErrors(watched);
    await watched.context.close();
  });
});
