import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb } from '../src/places/store.ts';
import { launchBrowser } from '../test/web/support/browser.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';
import { withSyntheticPlaces } from './synthetic-places.ts';
import { buildPickerPage, serve } from './web-server.ts';

/**
 * Names typed into the place picker, a prefix at a time: Kazakh, Russian and Latin, the synthetic
 * national list's (bench/synthetic-places.ts) and the pack's own.
 */
const words = [
  'Ақсу', 'Қарабұлақ', 'Көктерек', 'Сарыкөл', 'Жаңатау', 'Тасжар', 'Бесқайың', 'Қызылжар', 'Алтынбел', 'Ұзынсу',
  'Шағала', 'Ботабұлақ', 'Ерназар', 'Жібек', 'Түркістан', 'Қостанай', 'Медеу',
  'Карасу', 'Кокколь', 'Сарыозек', 'Жанадала', 'Таскайын', 'Бестерек', 'Кызылтау', 'Алтынсу', 'Узынбулак',
  'Шагалажар', 'Ботабел', 'Алматы', 'Шымкент', 'Павлодар',
  'Karatau', 'Kokzhar', 'Saryterek', 'Zhanabulak', 'Tasozek', 'Beskol', 'Kyzylsu', 'Altyndala', 'Uzynkaiyn',
  'Shagalabel', 'Botatau', 'Yernazar', 'Semey', 'Aktobe', 'Kokshetau',
];
const typed = 5;

/**
 * Set in the page before its scripts (a string: tsx would wrap a function's inner functions in a
 * helper the page does not have). A keystroke starts at its keydown, or at its input when the
 * character is typed as text (Kazakh and Russian letters); it ends with the first frame painted
 * after the picker's list shows the results for the text now in the field.
 */
const probe = `
  window.tirkeu = {};
  const start = () => { window.tirkeu.stroke ??= performance.now(); };
  addEventListener('keydown', start, true);
  addEventListener('beforeinput', start, true);
  new MutationObserver(() => {
    const t = window.tirkeu;
    const input = document.activeElement;
    if (t.stroke === undefined || t.seen || !input || input.getAttribute('role') !== 'combobox') return;
    const popup = input.closest('.picker').querySelector('.picker-popup');
    const query = input.value.trim().toLocaleLowerCase().replace(/\\s+/g, ' ');
    if (popup.dataset.query !== query || popup.hasAttribute('aria-busy')) return;
    t.seen = true;
    requestAnimationFrame(() => setTimeout(() => { t.shown = performance.now() - t.stroke; }, 0));
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query', 'aria-busy'] });
`;

async function keystroke(page: Page, text: string): Promise<number> {
  await page.evaluate(() => {
    (window as unknown as { tirkeu: object }).tirkeu = {};
  });
  await page.keyboard.type(text);
  const shown = await page.waitForFunction(() => (window as unknown as { tirkeu: { shown?: number } }).tirkeu.shown, null, { timeout: 10_000, polling: 'raf' });
  return (await shown.jsonValue()) as number;
}

/** Types every word into a fresh page (nothing cached), key by key at a person's pace, and some at a fast typist's. */
async function typeWords(browser: Browser, url: string): Promise<{ paced: number[]; firstKeys: number[]; fast: number[] }> {
  const context = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript({ content: probe });
  const paced: number[] = [];
  const firstKeys: number[] = [];
  const fast: number[] = [];
  for (const [i, word] of words.entries()) {
    await page.goto(url);
    await page.getByLabel('Place of birth').focus();
    // As long as a person takes to start typing once in the field: the page has settled.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const prefix = [...word].slice(0, typed);
    if (i % 4 === 3) {
      // A burst, 50 ms a key: only the last key's results count, after the pause that collapses the burst.
      await page.keyboard.type(prefix.slice(0, -1).join(''), { delay: 50 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      fast.push(await keystroke(page, prefix.at(-1)!));
      continue;
    }
    for (const [n, letter] of prefix.entries()) {
      paced.push(await keystroke(page, letter));
      if (n === 0) firstKeys.push(paced.at(-1)!);
      await new Promise((resolve) => setTimeout(resolve, 150 + ((i * 37 + paced.length * 53) % 150)));
    }
  }
  await context.close();
  return { paced, firstKeys, fast };
}

/**
 * The place picker in Debian's chromium against the real server holding 150,000 places: from a
 * keystroke to the list showing that prefix's results, end to end (debounce, HTTP, search, paths,
 * rendering). On PGlite, and on PostgreSQL when one is reachable.
 */
export async function benchWebPicker(count = 150_000, only?: 'pglite' | 'postgres'): Promise<void> {
  const pack = withSyntheticPlaces(loadPack('kz'), count);
  const page = await buildPickerPage();
  const drivers: ('pglite' | 'postgres')[] = only ? [only] : ['pglite'];
  if (!only && (await serverAvailable())) drivers.push('postgres');
  const browser = await launchBrowser();
  // The browser, the server and the database share two cores with everything else: say how busy they were.
  process.stdout.write(`# load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  try {
    for (const driver of drivers) {
      const scratch = await scratchDb(driver);
      try {
        const t0 = performance.now();
        await loadPackIntoDb(scratch.db, pack);
        process.stdout.write(`# ${driver}: ${pack.places.length} places loaded in ${round((performance.now() - t0) / 1000, 1)} s\n`);
        const served = await serve(scratch.db, page);
        try {
          const { paced, firstKeys, fast } = await typeWords(browser, served.url);
          for (const list of [paced, firstKeys, fast]) list.sort((a, b) => a - b);
          process.stdout.write(
            `# ${paced.length} keystrokes at a person's pace, ${fast.length} bursts; the first key of a word (one letter, on a page just opened) p50 ${round(percentile(firstKeys, 50), 1)} ms, p95 ${round(percentile(firstKeys, 95), 1)} ms\n`,
          );
          report(`web.picker.keystroke.${driver}.p50_ms`, round(percentile(paced, 50), 1));
          report(`web.picker.keystroke.${driver}.p95_ms`, round(percentile(paced, 95), 1));
          report(`web.picker.burst_last_key.${driver}.p50_ms`, round(percentile(fast, 50), 1));
          report(`web.picker.burst_last_key.${driver}.p95_ms`, round(percentile(fast, 95), 1));
        } finally {
          await served.close();
        }
      } finally {
        await scratch.drop();
      }
    }
  } finally {
    await browser.close();
  }
}

// tsx bench/web-picker.ts [places] [pglite|postgres]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv[3];
  await benchWebPicker(Number(process.argv[2] ?? 150_000), only === 'pglite' || only === 'postgres' ? only : undefined);
}
