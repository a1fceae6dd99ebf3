/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPickerPage, type Served, serve } from '../../bench/web-server.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestDb } from '../support/db.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot } from './support/browser.ts';

/**
 * The pickers on their own page (web/src/features/places/harness), served by the real server with
 * the Kazakhstan pack: found by their label, searched in Kazakh and Russian, chosen with the keyboard.
 */
describe.skipIf(!haveChromium)('place and facility pickers', () => {
  let db: Db;
  let served: Served;
  let browser: Browser;
  beforeAll(async () => {
    db = await openTestDb();
    await loadPackIntoDb(db, loadPack('kz'));
    served = await serve(db, await buildPickerPage());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await db?.close();
  });

  // Only the open list is visible, and role queries skip hidden elements.
  const optionNames = (page: Page) =>
    page.getByRole('listbox').getByRole('option').evaluateAll((options) => options.map((o) => o.querySelector('.picker-name')?.textContent));
  const chosen = (page: Page, what: string) => page.getByTestId(`chosen-${what}`).textContent();

  it('finds places typed in Kazakh or Russian and takes the one chosen with the keyboard', async () => {
    const watched = await openPage(browser, served.url);
    const { page } = watched;
    await page.goto('/');
    const place = page.getByLabel('Place of birth');
    expect(await place.getAttribute('role')).toBe('combobox');
    expect(await place.getAttribute('aria-expanded')).toBe('false');

    await place.pressSequentially('Ақм');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await list.getByRole('option', { name: /Akmola Region/ }).waitFor();
    expect(await place.getAttribute('aria-expanded')).toBe('true');
    expect(await place.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    await expectAccessible(page, 'place picker, list open');

    await place.press('ArrowDown');
    const first = list.getByRole('option').first();
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await place.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await place.press('Enter');
    expect(await chosen(page, 'place')).toBe('110000000');
    expect(await place.inputValue()).toBe('Akmola Region');
    expect(await place.getAttribute('aria-expanded')).toBe('false');

    // Russian, with the place's district and city to tell namesakes apart.
    await place.fill('');
    await place.pressSequentially('Медеу');
    const medeu = list.getByRole('option', { name: /Medeu District/ });
    await medeu.waitFor();
    expect(await medeu.textContent()).toContain('Almaty');
    await place.press('ArrowUp');
    await place.press('Enter');
    expect(await chosen(page, 'place')).toBe('751600000');

    // Escape closes the list and keeps the choice; a second one gives back its name.
    await place.fill('Алм');
    await list.getByRole('option').first().waitFor();
    await place.press('Escape');
    expect(await place.getAttribute('aria-expanded')).toBe('false');
    expect(await list.isHidden()).toBe(true);
    await place.press('Escape');
    expect(await place.inputValue()).toBe('Medeu District');
    expect(await chosen(page, 'place')).toBe('751600000');

    await place.fill('ал');
    await list.getByRole('option', { name: /Almaly District/ }).waitFor();
    await place.press('ArrowDown');
    await place.press('ArrowDown');
    await screenshot(page, 'place-picker');
    await place.press('Escape');

    await place.fill('zzqx');
    await page.locator('p.picker-note', { hasText: 'Nothing matches “zzqx”.' }).waitFor();
    expect(await place.getAttribute('aria-expanded')).toBe('false');
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('names places in the language of the screen, and shows a chosen code by its name', async () => {
    const watched = await openPage(browser, served.url, { locale: 'kk-KZ' });
    const { page } = watched;
    await page.goto('/?place=751600000');
    const place = page.getByLabel('Туған жері');
    await expect.poll(() => place.inputValue()).toBe('Медеу ауданы');
    await page.getByText('Алматы', { exact: true }).waitFor();

    const region = page.getByLabel('Облыс');
    await region.pressSequentially('түркіс');
    await expect.poll(() => optionNames(page)).toEqual(['Түркістан облысы']);
    await region.press('ArrowDown');
    await region.press('Enter');
    expect(await chosen(page, 'region')).toBe('610000000');

    // Nine digits are a KATO code; with no connection it is offered as typed, marked unchecked.
    await place.fill('191010000');
    await expect.poll(() => optionNames(page)).toEqual(['Қонаев']);
    await watched.context.setOffline(true);
    await place.fill('751100000');
    await expect.poll(() => optionNames(page)).toEqual(['ӘАОЖ коды 751100000']);
    expect(await page.getByRole('listbox').textContent()).toContain('тексерілмеді: байланыс жоқ');
    await place.press('ArrowDown');
    await place.press('Enter');
    expect(await chosen(page, 'place')).toBe('751100000');
    expect(await place.inputValue()).toBe('ӘАОЖ коды 751100000');
    await watched.context.setOffline(false);
    expectNoErrors(watched);
    await watched.context.close();
  });

  it('finds health facilities by a word of their name, inside the region chosen', async () => {
    const watched = await openPage(browser, served.url, { locale: 'ru-RU' });
    const { page } = watched;
    await page.goto('/');
    const facility = page.getByLabel('Медицинская организация');
    await facility.pressSequentially('перинат');
    await expect.poll(async () => (await optionNames(page)).length).toBeGreaterThan(2);
    await expectAccessible(page, 'facility picker, list open');

    const region = page.getByLabel('Область');
    await region.pressSequentially('Туркест');
    await page.getByRole('listbox').getByRole('option', { name: /Туркестанская область/ }).click();
    await facility.fill('');
    await facility.pressSequentially('перинат');
    await expect.poll(() => optionNames(page)).toEqual(['Туркестанский областной перинатальный центр']);
    expect(await page.getByRole('listbox').getByRole('option').first().textContent()).toContain('Перинатальный центр');
    await facility.press('ArrowDown');
    await facility.press('Enter');
    expect(await chosen(page, 'facility')).toBe('kz-hf-61-002');
    expectNoErrors(watched);
    await watched.context.close();
  });
});
