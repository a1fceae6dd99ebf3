/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createUser } from '../../src/access/users.ts';
import type { Declaration } from '../../src/births/declaration.ts';
import { birthDepsFor, declareBirth } from '../../src/births/workflow.ts';
import { systemClock } from '../../src/core/clock.ts';
import { facilityDeclaration, helperRegistrar } from '../support/births.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi, type Watched } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * The best-interests determination and family tracing in the browser, in Kazakh and in Russian.
 * For each language a case worker opens a case for an unaccompanied child (through the API, as the
 * case page would), convenes a panel of three members of different professions, records the child's
 * views, the mother's views and two options with evidence; each member finds the determination on
 * their sign-off list, signs their confidentiality undertaking and votes — one of them for another
 * option — and a member records the decision, shown with the dissent and its reasons. The case
 * worker sees the decision and the dissent, never the deliberations or the votes. Then a tracing
 * request typed in Latin finds the mother's birth record written in Cyrillic, is reviewed side by
 * side, and followed to the reunification.
 */
const slow = { timeout: 20_000 };

type Language = 'kk' | 'ru';

interface Member {
  username: string;
  displayName: string;
  profession: string;
  id?: string;
}

/** Three panel members per language (each signs in once, in their own browser), and the case worker who convenes. */
const people: Record<Language, { owner: Member; members: Member[] }> = {
  kk: {
    owner: { username: 'bid-kk-owner', displayName: 'Сәуле Қасымова', profession: '' },
    members: [
      { username: 'bid-kk-social', displayName: 'Айгүл Серікова', profession: 'social_work' },
      { username: 'bid-kk-law', displayName: 'Дәурен Оспанов', profession: 'law' },
      { username: 'bid-kk-psych', displayName: 'Мәдина Жұмабаева', profession: 'psychology' },
    ],
  },
  ru: {
    owner: { username: 'bid-ru-owner', displayName: 'Елена Волкова', profession: '' },
    members: [
      { username: 'bid-ru-social', displayName: 'Ольга Смирнова', profession: 'social_work' },
      { username: 'bid-ru-law', displayName: 'Игорь Петров', profession: 'law' },
      { username: 'bid-ru-psych', displayName: 'Анна Ким', profession: 'psychology' },
    ],
  },
};

/** What each walk reads and clicks, in its language. */
const words = {
  kk: {
    conveneTitle: 'Баланың мүддесін анықтау комиссиясын шақыру',
    question: 'Шешілетін мәселе',
    member: (n: number) => `${n}-мүше: тіркелгісі`,
    profession: (n: number) => `${n}-мүше: мамандығы`,
    professionName: { social_work: 'Әлеуметтік жұмыс', law: 'Құқық', psychology: 'Психология' } as Record<string, string>,
    repeatedProfession: 'Басқа мүшенің мамандығы да осы: мамандықтар әртүрлі болуы керек.',
    convene: 'Комиссияны шақыру',
    bidTitle: 'Баланың мүддесін анықтау',
    childLanguage: 'Бала тыңдалған тіл',
    childViews: 'Баланың пікірі',
    ageAndMaturity: 'Жасы мен жетілуі',
    record: 'Жазу',
    parentViews: 'Пікірі',
    option: 'Нұсқа',
    evidence: 'Дәлелдер',
    addOption: 'Нұсқаны қосу',
    optionName: { family_reunification: 'Отбасымен қайта қосылу', local_integration: 'Осы жерде бейімделу' } as Record<string, string>,
    listTitle: 'Баланың мүддесі жөніндегі комиссиялар',
    onePending: '1 анықтау сіздің әрекетіңізді күтуде.',
    questionName: 'Бала үшін тұрақты шешім',
    sign: 'Міндеттемеге қол қоямын',
    signed: 'қол қойылды',
    reasons: 'Негіздеме',
    vote: 'Дауыс беру',
    note: 'Жазба',
    addNote: 'Жазбаны қосу',
    decide: 'Шешім қабылдау',
    decided: 'Шешім қабылданды',
    dissent: 'Ерекше пікір',
    votesHidden: 'Дауыстар тек комиссия мүшелері мен жетекшіге көрінеді.',
    deliberations: 'Талқылау',
  },
  ru: {
    conveneTitle: 'Созвать комиссию по определению наилучших интересов',
    question: 'Вопрос для решения',
    member: (n: number) => `Член ${n}: учётная запись`,
    profession: (n: number) => `Член ${n}: профессия`,
    professionName: { social_work: 'Социальная работа', law: 'Право', psychology: 'Психология' } as Record<string, string>,
    repeatedProfession: 'У другого члена та же профессия: профессии должны быть разными.',
    convene: 'Созвать комиссию',
    bidTitle: 'Определение наилучших интересов',
    childLanguage: 'Язык, на котором выслушан ребёнок',
    childViews: 'Мнение ребёнка',
    ageAndMaturity: 'Возраст и зрелость',
    record: 'Записать',
    parentViews: 'Мнение',
    option: 'Вариант',
    evidence: 'Доказательства',
    addOption: 'Добавить вариант',
    optionName: { family_reunification: 'Воссоединение семьи', local_integration: 'Интеграция на месте' } as Record<string, string>,
    listTitle: 'Комиссии по наилучшим интересам',
    onePending: '1 определение ждёт от вас действия.',
    questionName: 'Долгосрочное решение для ребёнка',
    sign: 'Подписываю обязательство',
    signed: 'Подписано',
    reasons: 'Обоснование',
    vote: 'Проголосовать',
    note: 'Запись',
    addNote: 'Добавить запись',
    decide: 'Принять решение',
    decided: 'Решение принято',
    dissent: 'Особое мнение',
    votesHidden: 'Голоса видны только членам комиссии и руководителю.',
    deliberations: 'Обсуждение',
  },
};

describe.skipIf(!haveChromium)('the best-interests determination and family tracing', () => {
  let server: WebServer;
  let browser: Browser;
  const opened: Watched[] = [];

  /** A user of Astana's Yesil district with the demo password and the demo authenticator (the seal copied from a demo user's). */
  async function addUser(person: Member, role: string): Promise<string> {
    const ctx = { clock: systemClock, clientAddress: null, requestId: null };
    const user = await server.db.transaction(async (tx) => {
      const created = await createUser(tx, loadRoles('kz'), { username: person.username, displayName: person.displayName, jurisdiction: '711300000', officeId: 'kz-rgo-71-01', roles: [role], password: 'steppe demo registry', mustChangePassword: false, demo: true }, ctx);
      await tx.query("UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE username = 'demo.case_worker'), totp_enabled = true WHERE id = $1", [created.id]);
      return created;
    });
    return user.id;
  }

  /** A browser of its own for one person, signed in (password and authenticator code), in their language. */
  async function signedIn(username: string, language: Language): Promise<Watched & { csrf: string }> {
    const watched = await openPage(browser, server.url, { locale: language === 'kk' ? 'kk-KZ' : 'ru-RU' });
    opened.push(watched);
    const { csrfToken } = await signInThroughApi(watched.page.request, username);
    const saved = await watched.page.request.put('/api/v1/auth/language', { data: { language }, headers: { 'x-csrf-token': csrfToken } });
    expect(saved.status(), await saved.text()).toBeLessThan(300);
    return { ...watched, csrf: csrfToken };
  }

  beforeAll(async () => {
    server = await startWebServer({ births: false });
    browser = await launchBrowser();
    for (const language of ['kk', 'ru'] as const) {
      people[language].owner.id = await addUser(people[language].owner, 'case_worker');
      for (const member of people[language].members) member.id = await addUser(member, 'case_worker');
    }
  });
  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await browser?.close();
    await server?.close();
  });

  async function openCase(owner: Watched & { csrf: string }, surname: string, givenName: string): Promise<string> {
    const answer = await owner.page.request.post('/api/v1/protection/cases', {
      data: { kind: 'unaccompanied', child: { surname, givenName, sex: 'male', dateOfBirth: '2013-04-02', languages: ['fa', 'ru'], countryOfOrigin: 'AF', identityAsStated: true }, risk: 'high' },
      headers: { 'x-csrf-token': owner.csrf, 'idempotency-key': crypto.randomUUID() },
    });
    expect(answer.status(), await answer.text()).toBe(201);
    return ((await answer.json()) as { id: string }).id;
  }

  async function walk(language: Language): Promise<void> {
    const w = words[language];
    const { owner: ownerPerson, members } = people[language];
    const owner = await signedIn(ownerPerson.username, language);
    const caseId = await openCase(owner, 'Хасанов', language === 'kk' ? 'Ахмад' : 'Карим');
    const { page } = owner;

    // Convening: three members, each of a different profession; a profession twice is caught before sending.
    await page.goto(`/protection/cases/${caseId}/bids/new`);
    await page.getByRole('heading', { level: 1, name: w.conveneTitle }).waitFor(slow);
    await page.getByLabel(w.question).selectOption('durable_solution');
    for (const [i, member] of members.entries()) {
      await page.getByRole('textbox', { name: w.member(i + 1) }).fill(member.id!);
      await page.getByLabel(w.profession(i + 1)).selectOption(i === 2 ? members[0]!.profession : member.profession);
    }
    await page.getByRole('button', { name: w.convene }).click();
    await expect.poll(() => page.getByText(w.repeatedProfession).count(), slow).toBeGreaterThan(0);
    await page.getByLabel(w.profession(3)).selectOption(members[2]!.profession);
    await expectAccessible(page, `convene (${language})`);
    await page.getByRole('button', { name: w.convene }).click();
    await page.waitForURL(/\/protection\/bids\/[0-9a-f-]{36}$/, slow);
    const bidUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: w.bidTitle }).waitFor(slow);
    const panel = page.locator('table.bid-panel');
    await expect.poll(() => panel.getByRole('row').count(), slow).toBe(4);

    // The case worker records the child's views, the mother's, and two options with their evidence.
    const childForm = page.getByRole('form', { name: language === 'kk' ? 'Баланың пікірін жазу' : 'Записать мнение ребёнка' });
    await childForm.getByLabel(w.childLanguage).fill('дари');
    await childForm.getByRole('textbox', { name: w.childViews }).fill(language === 'kk' ? 'Анасымен бірге тұрғысы келеді.' : 'Хочет жить с мамой.');
    await childForm.getByRole('textbox', { name: w.ageAndMaturity }).fill(language === 'kk' ? '13 жаста, өз ойын анық айтады.' : '13 лет, ясно выражает своё мнение.');
    await childForm.getByRole('button', { name: w.record }).click();
    await expect.poll(() => page.locator('dl.bid-child-views').textContent(), slow).toContain('дари');

    const parentForm = page.getByRole('form', { name: language === 'kk' ? 'Ата-ананың немесе қорғаншының пікірін жазу' : 'Записать мнение родителя или опекуна' });
    await parentForm.getByRole('textbox', { name: w.parentViews }).fill(language === 'kk' ? 'Ұлымен қайта қосылғысы келеді.' : 'Хочет воссоединиться с сыном.');
    await parentForm.getByRole('button', { name: w.record }).click();
    await expect.poll(() => page.locator('#step-parentViews .bid-list li').count(), slow).toBe(1);

    const optionForm = page.getByRole('form', { name: language === 'kk' ? 'Нұсқа қосу' : 'Добавить вариант' });
    for (const [option, evidence] of [
      ['family_reunification', language === 'kk' ? 'Анасы табылды, тұрғын үйі бар.' : 'Мать найдена, есть жильё.'],
      ['local_integration', language === 'kk' ? 'Мектепке барады, тілді үйренуде.' : 'Ходит в школу, учит язык.'],
    ] as const) {
      await optionForm.getByLabel(w.option).selectOption(option);
      await optionForm.getByRole('textbox', { name: w.evidence }).fill(evidence);
      await optionForm.getByRole('button', { name: w.addOption }).click();
      await expect.poll(() => page.locator('table.bid-options').textContent(), slow).toContain(evidence);
    }
    await expectAccessible(page, `BID, views and options (${language})`);
    if (language === 'kk') await screenshot(page, 'protection-bid-views');

    // Each member: the sign-off list shows what waits, the undertaking, then the vote (the third dissents).
    const votes = ['family_reunification', 'family_reunification', 'local_integration'];
    const reasons = [
      language === 'kk' ? 'Бала анасымен бірге болғысы келеді.' : 'Ребёнок хочет быть с матерью.',
      language === 'kk' ? 'Отбасы қауіпсіз екені расталды.' : 'Безопасность семьи подтверждена.',
      language === 'kk' ? 'Алдымен оқу жылын аяқтағаны жөн.' : 'Лучше сначала закончить учебный год.',
    ];
    for (const [i, member] of members.entries()) {
      const seat = await signedIn(member.username, language);
      const p = seat.page;
      await p.goto('/protection/bids');
      await p.getByRole('heading', { level: 1, name: w.listTitle }).waitFor(slow);
      await expect.poll(() => p.getByTestId('bid-pending').textContent(), slow).toBe(w.onePending);
      if (language === 'ru' && i === 0) await expectAccessible(p, 'BID sign-off list (ru)');
      await p.getByRole('link', { name: w.questionName }).click();
      await p.waitForURL(`**${bidUrl}`);
      await p.getByRole('button', { name: w.sign }).click();
      await expect.poll(() => p.locator('table.bid-panel').getByRole('row').filter({ hasText: member.displayName }).textContent(), slow).toContain(w.signed);
      if (i === 0) {
        const noteForm = p.getByRole('form', { name: language === 'kk' ? 'Жазба қосу' : 'Добавить запись' });
        await noteForm.getByRole('textbox', { name: w.note }).fill(language === 'kk' ? 'Анасымен бейнебайланыс өтті.' : 'Состоялся видеозвонок с матерью.');
        await noteForm.getByRole('button', { name: w.addNote }).click();
        await expect.poll(() => p.getByRole('heading', { name: w.deliberations }).locator('..').locator('.bid-list li').count(), slow).toBe(1);
      }
      const voteForm = p.getByRole('form', { name: language === 'kk' ? 'Сіздің дауысыңыз' : 'Ваш голос' });
      await voteForm.getByLabel(w.optionName[votes[i]!]!).check();
      await voteForm.getByRole('textbox', { name: w.reasons }).fill(reasons[i]!);
      await voteForm.getByRole('button', { name: w.vote }).click();
      await expect.poll(() => p.locator('table.bid-votes').getByRole('row').count(), slow).toBe(i + 2);
      if (i === 2) {
        // The last member records the decision: the majority's option is proposed.
        const decideForm = p.getByRole('form', { name: language === 'kk' ? 'Шешімді жазу' : 'Записать решение' });
        await decideForm.getByRole('textbox', { name: w.reasons }).fill(language === 'kk' ? 'Бала мен анасының пікірі бір, отбасы қауіпсіз.' : 'Мнения ребёнка и матери совпадают, семья безопасна.');
        expect(await decideForm.getByRole('combobox').inputValue()).toBe('family_reunification');
        await decideForm.getByRole('button', { name: w.decide }).click();
        const decision = p.getByTestId('bid-decision');
        await expect.poll(() => decision.textContent(), slow).toContain(w.optionName.family_reunification!);
        expect(await p.getByTestId('bid-status').textContent()).toBe(w.decided);
        const dissent = decision.locator('.bid-dissent li');
        expect(await dissent.count()).toBe(1);
        // The dissenting member is "you" here; their reasons and option are shown.
        expect(await dissent.textContent()).toContain(reasons[2]!);
        expect(await dissent.textContent()).toContain(w.optionName.local_integration!);
        expect(await decision.getByRole('heading', { name: w.dissent }).count()).toBe(1);
        await expectAccessible(p, `BID decided (${language})`);
        if (language === 'kk') await screenshot(p, 'protection-bid-decided');
      }
      expectNoErrors(seat);
    }

    // The case worker sees the decision and the dissent with its author's name, not the deliberations or the votes.
    await page.goto(bidUrl);
    const decision = page.getByTestId('bid-decision');
    await expect.poll(() => decision.textContent(), slow).toContain(reasons[2]!);
    expect(await decision.textContent()).toContain(members[2]!.displayName);
    expect(await page.getByText(w.votesHidden).count()).toBe(1);
    expect(await page.getByRole('heading', { name: w.deliberations }).count()).toBe(0);
    expect(await page.locator('table.bid-votes').count()).toBe(0);
    if (language === 'ru') {
      // The child appeals; the case worker records it, and the determination waits for the appeal's decision.
      const appeal = page.getByRole('form', { name: 'Записать жалобу' });
      await appeal.getByLabel('Кто обжалует').selectOption('child');
      await appeal.getByRole('textbox', { name: 'Основания жалобы' }).fill('Хочу закончить учебный год здесь.');
      await appeal.getByRole('button', { name: 'Записать жалобу' }).click();
      await expect.poll(() => page.getByTestId('bid-status').textContent(), slow).toBe('Обжалуется');
      expect(await page.locator('#step-review').textContent()).toContain('Жалоба: Ребёнок');
      expect(await page.locator('#step-review').textContent()).toContain('Ожидает решения');
    }
    expectNoErrors(owner);
  }

  it('walks a best-interests determination in Kazakh: a panel of three, undertakings, the child’s views, votes with one dissent, the decision', async () => {
    await walk('kk');
  });

  it('walks a best-interests determination in Russian', async () => {
    await walk('ru');
  });

  it('records a tracing request in Latin, finds the mother’s birth record in Cyrillic, reviews it side by side and follows it to the reunification', async () => {
    // The birth of the mother's son, declared in Cyrillic years ago.
    const base = facilityDeclaration();
    const declaration: Declaration = {
      ...base,
      child: { ...base.child, surname: 'Алиев', givenName: 'Тимур', sex: 'male', dateOfBirth: '2017-05-10' },
      mother: { surname: 'Алиева', givenName: 'Гульнара', age: 34, citizenship: 'KZ', legalStatus: 'citizen' },
    };
    const birth = (await declareBirth(birthDepsFor(server.db, systemClock, 'kz'), declaration, { actor: helperRegistrar() })).record;

    const worker = await signedIn(people.ru.owner.username, 'ru');
    const { page } = worker;
    await page.goto('/protection/tracing');
    await page.getByRole('heading', { level: 1, name: 'Розыск семей' }).waitFor(slow);
    await page.getByRole('link', { name: 'Новый запрос на розыск' }).click();
    await page.getByRole('heading', { level: 1, name: 'Новый запрос на розыск' }).waitFor(slow);
    const requester = page.getByRole('group', { name: 'Кто ищет' });
    await requester.getByLabel('Фамилия').fill('Aliyeva');
    await requester.getByLabel('Имя', { exact: true }).fill('Gulnara');
    await requester.getByLabel('Кем приходится разыскиваемому').selectOption('mother');
    const sought = page.getByRole('group', { name: 'Кого ищут' });
    await sought.getByLabel('Фамилия').fill('Aliyev');
    await sought.getByLabel('Имя', { exact: true }).fill('Timur');
    await sought.getByLabel('Пол').selectOption('male');
    await sought.getByLabel('Примерный возраст (лет)').fill('9');
    const lastSeen = page.getByRole('group', { name: 'Последний раз видели' });
    await lastSeen.getByLabel('Где').fill('Астана');
    // Without the family's consent nothing is sent.
    await page.getByRole('button', { name: 'Записать запрос и начать поиск' }).click();
    await expect.poll(() => page.getByText('Для розыска нужно согласие семьи.').count(), slow).toBe(1);
    const consent = page.getByRole('group', { name: 'Согласие на розыск' });
    await consent.getByLabel('Семья согласна на розыск').check();
    await consent.getByLabel('Кто дал согласие').fill('Gulnara Aliyeva');
    await consent.getByLabel('Родство давшего согласие с разыскиваемым').fill('мать');
    await expectAccessible(page, 'tracing request (ru)');
    await page.getByRole('button', { name: 'Записать запрос и начать поиск' }).click();
    await page.waitForURL(/\/protection\/tracing\/[0-9a-f-]{36}$/, slow);
    await page.getByRole('heading', { level: 1, name: 'Запрос на розыск' }).waitFor(slow);

    // The match: the birth record, side by side, names in both scripts, the field-by-field explanation.
    const match = page.locator(`article.tracing-match[data-kind="birth"]`);
    await match.first().waitFor(slow);
    const sideBySide = match.getByRole('table', { name: /запрос и кандидат рядом/ });
    const soughtRow = sideBySide.getByRole('row', { name: /^Разыскиваемый/ });
    expect(await soughtRow.textContent()).toContain('Aliyev Timur');
    expect(await soughtRow.textContent()).toContain('Алиев Тимур');
    expect(await sideBySide.getByRole('row', { name: /^Кто ищет/ }).textContent()).toContain('Алиева Гульнара');
    const explanation = match.getByRole('table', { name: /по полям/ });
    const givenName = explanation.locator('tr[data-field="requester_given_name"]');
    expect(await givenName.textContent()).toContain('То же имя на другом алфавите или в другом написании');
    expect(await explanation.locator('tr[data-field="sought_age"]').textContent()).toContain('Возрастные диапазоны пересекаются');
    await expectAccessible(page, 'tracing match review (ru)');
    await screenshot(page, 'protection-tracing-match');
    expect(birth.id).toBeTruthy();

    // Confirm, contact, verify, assess, reunify.
    await match.getByRole('button', { name: 'Подтвердить: это та семья' }).click();
    await expect.poll(() => page.getByTestId('tracing-status').textContent(), slow).toBe('Совпадение подтверждено');
    const step = async (form: string, fields: [string, string, 'fill' | 'select'][], submit: string) => {
      const f = page.getByRole('form', { name: form });
      for (const [label, value, how] of fields) {
        if (how === 'fill') await f.getByLabel(label).fill(value);
        else await f.getByLabel(label).selectOption(value);
      }
      await f.getByRole('button', { name: submit }).click();
    };
    await step('Записать связь с семьёй', [['Запись', 'Позвонили матери, она подтвердила приметы.', 'fill']], 'Записать связь');
    await expect.poll(() => page.locator('.tracing-history li').count(), slow).toBe(1);
    await step(
      'Проверить родство',
      [
        ['Способ', 'documents', 'select'],
        ['Итог', 'confirmed', 'select'],
        ['Запись', 'Свидетельство о рождении совпадает.', 'fill'],
      ],
      'Записать проверку',
    );
    await expect.poll(() => page.getByTestId('tracing-status').textContent(), slow).toBe('Родство проверено');
    await step(
      'Оценить семью',
      [
        ['Итог', 'suitable', 'select'],
        ['Запись', 'Жильё и доход есть.', 'fill'],
      ],
      'Записать оценку',
    );
    await expect.poll(() => page.getByTestId('tracing-status').textContent(), slow).toBe('Семья оценена');
    await step('Записать воссоединение', [['Запись', 'Тимур вернулся к матери.', 'fill']], 'Записать воссоединение');
    await expect.poll(() => page.getByTestId('tracing-status').textContent(), slow).toBe('Воссоединены');
    expect(await page.locator('.tracing-steps li.done').count()).toBe(5);
    expectNoErrors(worker);
  });
});
