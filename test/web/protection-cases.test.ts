/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { birthDepsFor, declareBirth } from '../../src/births/workflow.ts';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * Child protection in the browser. Births of undocumented mothers declared in Astana's Yesil
 * district (one four days ago, so its first-contact deadline has passed) are referred to protection;
 * the demo case worker (a sensitive role: password and TOTP) walks the referral inbox and the case
 * page in Kazakh — deadlines, flags and risk in words, "Open case", first contact, a guided
 * assessment, a task, a consent — and in Russian a second case, where an action on a case someone
 * else changed meanwhile is refused with a reload, and the supervisor approves the assessment.
 */
const slow = { timeout: 15_000 };

const clerk: Actor = {
  kind: 'user',
  id: 'protection-web-test',
  username: 'protection-web-test',
  roles: ['national_registrar'],
  scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId: 'kz-rgo-71-01',
  sessionId: 'test',
};

/** A birth at the Yesil perinatal centre whose mother has no identity document (flag mother_undocumented, medium risk, 72 hours). */
function undocumented(surname: string, child: string, mother: string, dateOfBirth: string): Declaration {
  return {
    path: 'mother_without_documents',
    child: { surname, givenName: child, sex: 'female', dateOfBirth, placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
    mother: { givenName: mother, age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
    maritalStatus: 'unknown',
    parentage: 'not_established',
    informant: { relation: 'mother' },
    documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
  };
}

interface ReferralJson {
  id: string;
  recordId: string;
  caseId: string | null;
  overdue: boolean;
  status: string;
}

async function referrals(page: Page): Promise<ReferralJson[]> {
  const answer = await page.request.get('/api/v1/protection/referrals?status=all');
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { items: ReferralJson[] }).items;
}

async function setLanguage(page: Page, csrfToken: string, language: string): Promise<void> {
  const answer = await page.request.put('/api/v1/auth/language', { data: { language }, headers: { 'x-csrf-token': csrfToken } });
  expect(answer.status(), await answer.text()).toBeLessThan(300);
}

describe.skipIf(!haveChromium)('child protection: the referral inbox and the case page', () => {
  let server: WebServer;
  let browser: Browser;
  let worker: Watched;
  let workerCsrf: string;
  /** The birth records of the three referrals: overdue (declared four days ago), fresh, and one for the Russian walk. */
  const records: { overdue?: string; fresh?: string; russian?: string } = {};
  beforeAll(async () => {
    server = await startWebServer({ births: false });
    const fourDaysAgo: Clock = { now: () => new Date(Date.now() - 4 * 86_400_000) };
    const past = birthDepsFor(server.db, fourDaysAgo, 'kz');
    const now = birthDepsFor(server.db, systemClock, 'kz');
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    records.overdue = (await declareBirth(past, undocumented('Сапарова', 'Әлия', 'Мадина', day(6)), { actor: clerk, idempotencyKey: 'pw-overdue' })).record.id;
    records.fresh = (await declareBirth(now, undocumented('Қайратова', 'Нұрай', 'Гүлмира', day(20)), { actor: clerk, idempotencyKey: 'pw-fresh' })).record.id;
    records.russian = (await declareBirth(now, undocumented('Петренко', 'Алина', 'Оксана', day(40)), { actor: clerk, idempotencyKey: 'pw-russian' })).record.id;
    browser = await launchBrowser();
    worker = await openPage(browser, server.url);
    ({ csrfToken: workerCsrf } = await signInThroughApi(worker.page.request, 'demo.case_worker'));
  });
  afterAll(async () => {
    await worker?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the inbox in Kazakh: deadlines left and overdue, flags and risk named in words, a link to the birth record, nothing personal in the address bar', async () => {
    const { page } = worker;
    await setLanguage(page, workerCsrf, 'kk');
    await page.goto('/queues');
    await page.getByRole('navigation', { name: 'Негізгі мәзір' }).getByRole('link', { name: 'Жолдамалар' }).click();
    await page.waitForURL('**/protection/referrals');
    await page.getByRole('heading', { level: 1, name: 'Кіріс жолдамалар' }).waitFor(slow);
    const table = page.getByRole('table', { name: /Жолдамалар — Іс ашылуын күтуде/ });
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(4);
    // The overdue one comes first (nearest deadline), marked overdue; the others say how long is left.
    const rows = table.getByRole('row');
    expect(await rows.nth(1).getByText(/^Мерзімі өтті: \d+\s+сағат$/).count()).toBe(1);
    expect(await rows.nth(2).getByText(/^Қалды: \d+\s+(сағат|күн)$/).count()).toBe(1);
    expect(await table.getByText('Құжатсыз ана', { exact: true }).count()).toBe(3);
    expect(await table.getByText('Ананың жеке басын куәландыратын құжаты жоқ').count()).toBe(3);
    expect(await table.getByText('Орташа қауіп', { exact: true }).count()).toBe(3);
    // The link opens the birth record (its own, audited read).
    const link = rows.nth(1).getByRole('link', { name: 'Туу туралы жазбаны ашу' });
    expect(await link.getAttribute('href')).toBe(`/births/${records.overdue}`);
    expect(await page.getByText('Сапарова').count()).toBe(0);
    expect(new URL(page.url()).search).toBe('');
    await expectAccessible(page, 'protection referral inbox');
    await screenshot(page, 'protection-inbox');
    // Filtered by risk: none is high.
    await page.getByLabel('Қауіп', { exact: true }).selectOption('high');
    await expect.poll(() => page.getByText('Жолдама жоқ.').or(page.getByText('Іс ашылуын күтетін жолдама жоқ.')).count(), slow).toBe(1);
    await page.getByLabel('Қауіп', { exact: true }).selectOption('');
    expectNoErrors(worker);
  });

  it('opens a case from the inbox and works on it in Kazakh: first contact, a guided assessment, an overdue task done, a consent, the timeline', async () => {
    const { page } = worker;
    await page.goto('/protection/referrals');
    const table = page.getByRole('table', { name: /Жолдамалар — Іс ашылуын күтуде/ });
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(4);
    await table.getByRole('row').nth(1).getByRole('button', { name: 'Іс ашу' }).click();
    await page.waitForURL(/\/protection\/cases\/[0-9a-f-]{36}$/, slow);
    const caseId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'Баланы қорғау ісі' }).waitFor(slow);
    await page.getByText('Іс ашылды. Алғашқы тапсырма — баламен немесе отбасымен бірінші байланыс.').waitFor(slow);
    // A case opened from a referral knows no names yet (protection never reads the register): the birth record is one click away; the flag in words.
    await page.getByText('Баланың есімі әлі көрсетілмеген').first().waitFor(slow);
    expect(await page.getByText('Сапарова').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Қысқаша' }).getByRole('link', { name: 'Туу туралы жазбаны ашу' }).getAttribute('href')).toBe(`/births/${records.overdue}`);
    expect(await page.getByRole('region', { name: 'Қысқаша' }).getByText(/Құжатсыз ана/).count()).toBeGreaterThan(0);
    // The first-contact task was due at the referral's deadline, which has passed.
    const tasks = page.getByRole('region', { name: 'Тапсырмалар' });
    expect(await tasks.getByText('Баламен немесе отбасымен бірінші байланыс').count()).toBe(1);
    expect(await tasks.getByText('Мерзімі өтті', { exact: true }).count()).toBe(1);
    // A case worker never sees a supervisor's buttons.
    expect(await page.getByRole('button', { name: 'Бағалауды бекіту' }).count()).toBe(0);
    await expectAccessible(page, 'protection case (opened)');

    // First contact.
    await page.getByLabel('Не болды (міндетті емес)').fill('Анасымен перинаталдық орталықта кездестік.');
    await page.getByRole('button', { name: 'Бірінші байланысты жазу' }).click();
    await page.getByText('Орындалды: Бірінші байланысты жазу.').waitFor(slow);
    expect(await tasks.getByText('Мерзімі өтті', { exact: true }).count()).toBe(0);

    // The guided assessment: which, what was found, the risk, a check, then send. Nothing skipped: the first step asks for a choice.
    const assess = page.getByRole('group', { name: /Жаңа бағалау/ });
    await assess.getByRole('button', { name: 'Әрі қарай' }).click();
    await assess.getByText('Біреуін таңдаңыз.').waitFor(slow);
    await assess.getByLabel(/^Бастапқы бағалау/).check();
    await assess.getByRole('button', { name: 'Әрі қарай' }).click();
    await assess.getByLabel('Қорытындылар').fill('Бала қауіпсіз, анасымен бірге. Ананың құжаты жоқ.');
    await assess.getByLabel('Қажеттіліктер').fill('Ананың құжаттарын қалпына келтіру\nЗаң көмегі');
    await assess.getByRole('button', { name: 'Әрі қарай' }).click();
    await assess.getByLabel('Жоғары қауіп').check();
    await assess.getByRole('button', { name: 'Әрі қарай' }).click();
    expect(await assess.getByText('Ананың құжаттарын қалпына келтіру; Заң көмегі').count()).toBe(1);
    await assess.getByRole('button', { name: 'Бағалауды жіберу' }).click();
    await page.getByText('Орындалды: Бағалауды жіберу.').waitFor(slow);
    const assessments = page.getByRole('region', { name: 'Бағалаулар' });
    expect(await assessments.getByText('Басшыны күтуде').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Қысқаша' }).getByText('Бағалау', { exact: true }).count()).toBe(1);

    // A task due yesterday is marked overdue, then done.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await tasks.getByRole('textbox', { name: /^Тапсырма/ }).fill('Мектепке дейінгі ұйымға хабарласу');
    await tasks.getByLabel(/^Мерзімі/).fill(yesterday);
    await tasks.getByRole('button', { name: 'Тапсырманы қосу' }).click();
    const added = tasks.getByRole('listitem').filter({ hasText: 'Мектепке дейінгі ұйымға хабарласу' });
    await added.getByText('Мерзімі өтті', { exact: true }).waitFor(slow);
    await added.getByRole('button', { name: 'Орындалды деп белгілеу' }).click();
    await expect.poll(() => added.getByText('Мерзімі өтті', { exact: true }).count(), slow).toBe(0);

    // A consent to share with legal aid.
    const consents = page.getByRole('region', { name: 'Келісімдер' });
    await consents.getByLabel('Кім берді').fill('Мадина');
    await consents.getByLabel('Балаға кім болады').fill('анасы');
    await consents.getByRole('button', { name: 'Келісімді жазу' }).click();
    await consents.getByText(/берген: Мадина \(анасы\)/).waitFor(slow);
    expect(await consents.getByText('Кепілдік берілген заң көмегі', { exact: false }).count()).toBeGreaterThan(0);

    // The timeline, oldest first, with who did it.
    const timeline = page.getByRole('region', { name: 'Іс тарихы' });
    await expect.poll(() => timeline.getByRole('listitem').count(), slow).toBeGreaterThanOrEqual(6);
    expect(await timeline.getByText('Бағалау жіберілді').count()).toBe(1);
    expect(await timeline.getByText(/Demo Case worker/).count()).toBeGreaterThan(0);
    expect(page.url()).toMatch(new RegExp(`/protection/cases/${caseId}$`));
    await expectAccessible(page, 'protection case (worked on)');
    await screenshot(page, 'protection-case');

    // "My cases" lists it with its name (the worker works on it).
    await page.getByRole('navigation', { name: 'Негізгі мәзір' }).getByRole('link', { name: 'Менің істерім' }).click();
    await page.getByRole('heading', { level: 1, name: 'Менің істерім' }).waitFor(slow);
    await page.getByRole('table', { name: 'Істер' }).locator(`a[href="/protection/cases/${caseId}"]`).waitFor(slow);
    expect(await page.getByRole('table', { name: 'Істер' }).getByText('Орташа қауіп', { exact: true }).or(page.getByRole('table', { name: 'Істер' }).getByText('Жоғары қауіп', { exact: true })).count()).toBe(1);
    await expectAccessible(page, 'my cases');
    expectNoErrors(worker);
  });

  it('in Russian: a change made meanwhile by someone else is refused, never overwritten, and redone after a reload; the supervisor approves; a referral to an agency needs the consent', async () => {
    const { page } = worker;
    await setLanguage(page, workerCsrf, 'ru');
    await page.goto('/protection/referrals');
    await page.getByRole('heading', { level: 1, name: 'Входящие направления' }).waitFor(slow);
    const table = page.getByRole('table', { name: /Направления — Ждут открытия дела/ });
    await expect.poll(() => table.getByRole('row').count(), slow).toBe(3);
    expect(await table.getByText('Мать без документов', { exact: true }).count()).toBe(2);
    expect(await table.getByText(/^Осталось: \d+\s+(час|часа|часов|день|дня|дней)$/).count()).toBe(2);
    const open = (await referrals(page)).find((r) => r.recordId === records.russian)!;
    await table
      .getByRole('row')
      .filter({ has: page.locator(`a[href="/births/${records.russian}"]`) })
      .getByRole('button', { name: 'Открыть дело' })
      .click();
    await page.waitForURL(/\/protection\/cases\/[0-9a-f-]{36}$/, slow);
    const caseId = page.url().split('/').pop()!;
    expect((await referrals(page)).find((r) => r.id === open.id)?.caseId).toBe(caseId);
    await page.getByRole('heading', { level: 1, name: 'Дело по защите ребёнка' }).waitFor(slow);
    await page.getByText('Имя ребёнка пока не указано').first().waitFor(slow);

    // Someone else (here: the API, as another tab would) changes the case after the page read it.
    const act = async (body: Record<string, unknown>, csrf = workerCsrf, request = page.request) => {
      const current = (await (await request.get(`/api/v1/protection/cases/${caseId}`)).json()) as { version: number };
      const answer = await request.post(`/api/v1/protection/cases/${caseId}/actions`, { data: { ...body, expectedVersion: current.version }, headers: { 'x-csrf-token': csrf, 'idempotency-key': crypto.randomUUID() } });
      expect(answer.status(), await answer.text()).toBe(200);
    };
    await act({ type: 'NOTE', text: 'Заметка из другой вкладки' });
    const risk = page.getByRole('region', { name: 'Риск' });
    await risk.getByLabel('Новый уровень риска').selectOption('high');
    await risk.getByLabel('Причина').fill('Мать и ребёнок живут без жилья');
    await risk.getByRole('button', { name: 'Изменить риск' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Кто-то другой изменил это дело после того, как вы его открыли.' });
    await conflict.waitFor(slow);
    expect(await conflict.getByText(/Вы смотрели версию 1; сейчас дело в версии 2/).count()).toBe(1);
    // Nothing was overwritten: the risk is still medium on the server, and the buttons wait for the reload.
    expect(((await (await page.request.get(`/api/v1/protection/cases/${caseId}`)).json()) as { data: { risk: string } }).data.risk).toBe('medium');
    expect(await risk.getByRole('button', { name: 'Изменить риск' }).count()).toBe(0);
    await expectAccessible(page, 'protection case (version conflict)');
    await conflict.getByRole('button', { name: 'Обновить дело' }).click();
    await expect.poll(() => conflict.count(), slow).toBe(0);
    await page.getByRole('region', { name: 'История дела' }).getByText('Заметка из другой вкладки').waitFor(slow);
    // What was typed is still there: redo it.
    expect(await risk.getByLabel('Причина').inputValue()).toBe('Мать и ребёнок живут без жилья');
    await risk.getByLabel('Новый уровень риска').selectOption('high');
    await risk.getByRole('button', { name: 'Изменить риск' }).click();
    await page.getByText('Сделано: Изменить риск.').waitFor(slow);
    expect(await page.getByRole('region', { name: 'Сводка' }).getByText('Высокий риск', { exact: true }).count()).toBe(1);

    // An assessment and a plan (through the API: the Kazakh walk used the forms), then the supervisor approves both on the page.
    await act({ type: 'CONTACT' });
    await act({ type: 'ASSESS', kind: 'initial', findings: 'Ребёнок с матерью, без документов.', needs: ['документы матери'], risk: 'high' });
    const supervisor = await openPage(browser, server.url);
    try {
      const { csrfToken: supervisorCsrf } = await signInThroughApi(supervisor.page.request, 'demo.protection_supervisor');
      await setLanguage(supervisor.page, supervisorCsrf, 'ru');
      const boss = supervisor.page;
      await boss.goto(`/protection/cases/${caseId}`);
      await boss.getByRole('heading', { level: 1, name: 'Дело по защите ребёнка' }).waitFor(slow);
      const review = boss.getByRole('group', { name: 'Решение руководителя' });
      await review.getByRole('button', { name: 'Утвердить оценку' }).waitFor(slow);
      expect(await review.getByRole('button', { name: 'Вернуть оценку' }).count()).toBe(1);
      await review.getByRole('button', { name: 'Утвердить оценку' }).click();
      await boss.getByText('Сделано: Утвердить оценку.').waitFor(slow);
      expect(await boss.getByRole('region', { name: 'Оценки' }).getByText('Утверждена', { exact: true }).count()).toBe(1);
      const inTwoMonths = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
      await act({ type: 'PLAN', goals: ['Восстановить документы матери'], services: [{ agency: 'legal_aid', service: 'Консультация юриста', responsible: 'Юрист центра', dueOn: inTwoMonths }], reviewOn: inTwoMonths });
      await boss.reload();
      await boss.getByRole('group', { name: 'Решение руководителя' }).getByRole('button', { name: 'Утвердить план' }).click();
      await boss.getByText('Сделано: Утвердить план.').waitFor(slow);
      await expectAccessible(boss, 'protection case (supervisor)');
      expectNoErrors(supervisor);
    } finally {
      await supervisor.context.close();
    }

    // The worker refers to legal aid: without the family's consent the page warns, and the server's refusal is said plainly.
    await page.reload();
    const services = page.getByRole('region', { name: 'Направления в службы' });
    await services.getByLabel('Служба').selectOption('legal_aid');
    await services.getByText(/Семья не дала согласия на передачу сведений в службу «Гарантированная юридическая помощь»/).waitFor(slow);
    await services.getByLabel('Услуга').fill('Консультация юриста');
    await services.getByRole('button', { name: 'Направить' }).click();
    await services.getByText(/Отклонено: нет действующего согласия на передачу сведений о ребёнке в службу «Гарантированная юридическая помощь»/).waitFor(slow);
    // With the consent recorded, the same referral goes.
    const consents = page.getByRole('region', { name: 'Согласия' });
    await consents.getByLabel('Передавать в').selectOption('legal_aid');
    await consents.getByLabel('Кто дал').fill('Оксана');
    await consents.getByLabel('Кем приходится ребёнку').fill('мать');
    await consents.getByRole('button', { name: 'Записать согласие' }).click();
    await consents.getByText(/дал\(а\) Оксана \(мать\)/).waitFor(slow);
    await services.getByRole('button', { name: 'Направить' }).click();
    await services.getByText('Направлено', { exact: true }).waitFor(slow);
    expect(await services.getByText(/Консультация юриста/).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'protection case (services)');
    expectNoErrors(worker);
  });
});
