/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../src/births/declaration.ts';
import { specimenPdf } from '../../src/births/demo.ts';
import { expectAccessible, expectNoErrors, haveChromium, launchBrowser, openPage, screenshot, signInThroughApi } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

/**
 * The outbox with no declaration form yet: submissions are put in IndexedDB as submit() keeps them
 * (the same rows), while the browser is offline; everything after that is the app's own code — the
 * outbox page read after a reload, the sender when the connection returns, clearing at sign-out and
 * when someone else signs in on the device.
 */
interface RawAttachment {
  type: string;
  name: string;
  bytes: number[];
  mediaType: string;
}

interface RawSubmission {
  id: string;
  seq: number;
  kind: 'declare' | 'redeclare' | 'notify';
  label: string;
  body: unknown;
  recordId?: string;
  version?: number;
  idempotencyKey: string;
  state: 'waiting' | 'sending' | 'sent' | 'refused';
  attempts: number;
  attachments?: RawAttachment[];
}

/** Writes submissions as submit() does (Blobs included), into the app's own database. */
async function putSubmissions(page: Page, items: RawSubmission[]): Promise<void> {
  await page.evaluate(async (rows) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tirkeu');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('submissions', 'readwrite');
    for (const row of rows) {
      tx.objectStore('submissions').put({
        ...row,
        attachments: row.attachments?.map((a) => ({ type: a.type, name: a.name, blob: new Blob([new Uint8Array(a.bytes)], { type: a.mediaType }) })),
        createdAt: new Date().toISOString(),
        nextAttemptAt: 0,
        failures: 0,
        delivered: false,
        uploaded: [],
      });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, items);
}

/** What the app's database holds, table by table (the owner's id for the device table). */
function localData(page: Page): Promise<{ submissions: number; records: number; owner: string | null }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tirkeu');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = <T,>(store: string, op: (s: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        const request = op(db.transaction(store).objectStore(store));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const result = {
      submissions: await read('submissions', (s) => s.count()),
      records: await read('records', (s) => s.count()),
      owner: ((await read('device', (s) => s.get('owner'))) as { userId: string } | undefined)?.userId ?? null,
    };
    db.close();
    return result;
  });
}


function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Each child another mother's: one mother's daughters born the same day would be stopped as suspected duplicates. */
const parents: Record<string, [string, string]> = { Алия: ['Гүлнар', 'Ерлан'], Динара: ['Сәуле', 'Асқар'], Бекзат: ['Жанар', 'Мұрат'], Мирас: ['Ләззат', 'Серік'], Left: ['Салтанат', 'Болат'] };

function declaration(givenName: string): Declaration {
  return {
    path: 'facility_birth',
    child: { givenName, surname: 'Офлайн', sex: 'female', dateOfBirth: daysAgo(2), placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1, weightGrams: 3100 },
    mother: { givenName: parents[givenName]?.[0] ?? 'Гүлнар', surname: 'Офлайн', age: 27, citizenship: 'KZ', legalStatus: 'citizen' },
    father: { givenName: parents[givenName]?.[1] ?? 'Ерлан', surname: 'Офлайн', age: 30, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    attendant: 'midwife',
    documents: [{ type: 'medical_birth_certificate', reference: 'OFF-1' }],
  };
}

describe.skipIf(!haveChromium)('the offline outbox', () => {
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

  const birthsNamed = async (givenName: string) =>
    (await server.db.query<{ id: string }>(`SELECT id FROM records WHERE type = 'birth' AND data->'declaration'->'child'->>'givenName' = $1`, [givenName])).rows;

  it('keeps submissions through an offline reload, then sends them in order, each once, a conflict refused and shown', async () => {
    const watched = await openPage(browser, server.url);
    const { context, page } = watched;
    const { csrfToken: csrf } = await signInThroughApi(context.request, 'demo.registration_agent');
    await page.goto('/outbox');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Outbox');
    await page.getByText('Nothing has been submitted from this device.').waitFor();
    // The service worker has the app shell, so the page opens again with no connection.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);

    const pdf = [...(await specimenPdf('offline test'))];
    const [keyA, keyC, keyD] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const bodyA = declaration('Алия');
    // The browser crashed while sending A: the server has its record and its first document, the
    // device had not written either answer down.
    const first = await context.request.post('/api/v1/births', { data: bodyA, headers: { 'idempotency-key': keyA, 'x-csrf-token': csrf } });
    expect(first.status()).toBe(201);
    const recordA = ((await first.json()) as { id: string }).id;
    const upload = await context.request.post(`/api/v1/births/${recordA}/documents?type=medical_birth_certificate`, {
      data: Buffer.from(pdf),
      headers: { 'idempotency-key': `${keyA}.doc0`, 'x-csrf-token': csrf, 'content-type': 'application/pdf' },
    });
    expect(upload.status()).toBe(201);

    await context.setOffline(true);
    await putSubmissions(page, [
      {
        id: crypto.randomUUID(),
        seq: 1,
        kind: 'declare',
        label: 'Алия Офлайн',
        body: bodyA,
        idempotencyKey: keyA,
        state: 'sending',
        attempts: 1,
        attachments: [
          { type: 'medical_birth_certificate', name: 'certificate.pdf', bytes: pdf, mediaType: 'application/pdf' },
          { type: 'attendant_statement', name: 'statement.pdf', bytes: pdf, mediaType: 'application/pdf' },
        ],
      },
      { id: crypto.randomUUID(), seq: 2, kind: 'redeclare', label: 'Динара Офлайн', body: declaration('Динара'), recordId: recordA, version: 999, idempotencyKey: crypto.randomUUID(), state: 'waiting', attempts: 0 },
      {
        id: crypto.randomUUID(),
        seq: 3,
        kind: 'notify',
        label: 'Сәуле (notification)',
        body: { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: daysAgo(1), plurality: 1, birthOrder: 1 }, mother: { givenName: 'Сәуле' } },
        idempotencyKey: keyC,
        state: 'waiting',
        attempts: 0,
      },
      { id: crypto.randomUUID(), seq: 4, kind: 'declare', label: 'Бекзат Офлайн', body: declaration('Бекзат'), idempotencyKey: keyD, state: 'waiting', attempts: 0 },
    ]);

    await page.reload();
    const rows = page.getByRole('row');
    await expect.poll(() => rows.count()).toBe(5);
    // The one a crash left "sending" waits again; nothing goes while there is no connection.
    await expect.poll(() => page.getByText('Waits for the connection.').count()).toBe(4);
    await expect.poll(() => rows.filter({ hasText: 'Алия Офлайн' }).textContent()).toContain('Waiting');
    expect(await rows.filter({ hasText: 'Алия Офлайн' }).textContent()).toContain('Documents sent: 0 of 2.');

    await context.setOffline(false);
    await expect.poll(() => rows.filter({ hasText: 'Бекзат Офлайн' }).textContent(), { timeout: 20_000 }).toContain('Sent');
    const rowA = rows.filter({ hasText: 'Алия Офлайн' });
    const rowB = rows.filter({ hasText: 'Динара Офлайн' });
    expect(await rowA.textContent()).toContain('Sent');
    expect(await rows.filter({ hasText: 'Сәуле' }).textContent()).toContain('Sent');
    expect(await rowB.textContent()).toContain('Refused');
    expect(await rowB.textContent()).toContain('The record was changed on the server after you opened it');
    await expect.poll(() => rowA.getByRole('link', { name: 'Open the record: Алия Офлайн' }).getAttribute('href')).toBe(`/births/${recordA}`);

    // A and its documents exist once: the retry after the crash replayed the record and the first upload.
    expect(await birthsNamed('Алия')).toEqual([{ id: recordA }]);
    const documents = await server.db.query<{ type: string }>('SELECT type FROM documents WHERE record_id = $1 ORDER BY type', [recordA]);
    expect(documents.rows.map((d) => d.type)).toEqual(['attendant_statement', 'medical_birth_certificate']);
    expect(await birthsNamed('Бекзат')).toHaveLength(1);
    // The conflict wrote nothing over A (the record it targeted is still Алия's).
    expect(await birthsNamed('Динара')).toHaveLength(0);
    // In the order they were made: A's last document, then the notification, then the last declaration.
    const order = await server.db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE key LIKE ANY($1::text[]) ORDER BY created_at', [[`%:${keyA}.doc1`, `%:${keyC}`, `%:${keyD}`]]);
    expect(order.rows.map((r) => r.key.slice(r.key.lastIndexOf(':') + 1))).toEqual([`${keyA}.doc1`, keyC, keyD]);

    // A reload loses nothing and sends nothing again.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(5);
    await expectAccessible(page, 'outbox');
    await screenshot(page, 'outbox');
    expect(await birthsNamed('Бекзат')).toHaveLength(1);

    // The refused one is discarded, after a confirmation; the first answer offered is to keep it.
    await rowB.getByRole('button', { name: 'Discard: Динара Офлайн' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this submission?' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it');
    await expectAccessible(page, 'outbox discard');
    await dialog.getByRole('button', { name: 'Discard it' }).click();
    await expect.poll(() => rows.count()).toBe(4);

    // Nothing personal in localStorage; sign-out empties the app's database.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key !== 'tirkeu.language'))).toEqual([]);
    expect((await localData(page)).submissions).toBe(3);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await expect.poll(() => localData(page)).toEqual({ submissions: 0, records: 0, owner: null });
    expectNoErrors(watched);
    await context.close();
  });

  it('keeps my assigned records for reading offline, and clears them and the outbox when someone else signs in', async () => {
    const watched = await openPage(browser, server.url);
    const { context, page } = watched;
    const { csrfToken: csrf } = await signInThroughApi(context.request, 'demo.registration_agent');
    const headers = { 'x-csrf-token': csrf };
    const declared = await context.request.post('/api/v1/births', { data: declaration('Мирас'), headers });
    const assigned = ((await declared.json()) as { id: string }).id;
    expect((await context.request.post(`/api/v1/births/${assigned}/assign`, { data: {}, headers })).ok()).toBe(true);

    await page.goto('/outbox');
    await page.getByText('Nothing has been submitted from this device.').waitFor();
    await expect.poll(() => localData(page)).toMatchObject({ records: 1 });
    const agent = (await localData(page)).owner;
    expect(agent).not.toBeNull();
    const kept = await page.evaluate(async (id) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('tirkeu');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const entry = await new Promise<{ record: { id: string; status: string }; history?: { items: unknown[] } } | undefined>((resolve) => {
        const request = db.transaction('records').objectStore('records').get(id);
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      return entry && { id: entry.record.id, status: entry.record.status, actions: entry.history?.items.length };
    }, assigned);
    expect(kept).toEqual({ id: assigned, status: 'DECLARED', actions: 2 });

    // A refused submission is never sent: it stays until someone discards it or the device is cleared.
    await putSubmissions(page, [{ id: crypto.randomUUID(), seq: 1, kind: 'declare', label: 'Left behind', body: declaration('Left'), idempotencyKey: crypto.randomUUID(), state: 'refused', attempts: 1 }]);
    await page.reload();
    await page.getByRole('cell', { name: 'Left behind', exact: true }).waitFor();
    expect(await localData(page)).toEqual({ submissions: 1, records: 1, owner: agent });

    // The agent's session is gone (as after a sign-out elsewhere or its expiry); the clerk signs in.
    await context.clearCookies();
    await signInThroughApi(context.request, 'demo.facility_clerk');
    await page.reload();
    await expect.poll(async () => (await localData(page)).owner).not.toBe(agent);
    expect(await localData(page)).toMatchObject({ submissions: 0, records: 0 });
    await page.getByText('Nothing has been submitted from this device.').waitFor();
    expectNoErrors(watched);
    await context.close();
  });
});
