/// <reference lib="dom" />
// Callbacks passed to page.evaluate and addInitScript run in the browser.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureWebBuild } from '../src/cli/commands/web.ts';
import { createLogger } from '../src/core/logger.ts';
import { launchBrowser } from '../test/web/support/browser.ts';
import { percentile, report, round, scratchDb } from './support.ts';
import { appDir, serve } from './web-server.ts';

/** The issue's slow line: 400 kbit/s each way, 400 ms round trip (Chrome DevTools' emulation). */
export const slowLine = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };

type Target = 'field' | 'heading';

/** The username field as a password manager finds it: by its autocomplete token, name or label. */
const usernameField = `Array.from(document.querySelectorAll('input')).find((input) => !input.disabled && input.getClientRects().length > 0
  && (/username/.test(input.autocomplete) || input.name === 'username' || /user ?name/i.test(input.labels?.[0]?.textContent ?? '')))`;

/**
 * Set in the page before its scripts: notes the time (from the start of navigation) of the first
 * frame painted after the target appeared — the username field, visible and enabled, or the
 * screen's heading when the sign-in screen has no username field yet. A string, not a function:
 * tsx would wrap a function's inner functions in a helper the page does not have.
 */
function probe(target: Target): string {
  const found = target === 'field' ? usernameField : `document.querySelector('h1')?.textContent`;
  return `new MutationObserver(() => {
    if (window.tirkeuSeen || !(${found})) return;
    window.tirkeuSeen = true;
    requestAnimationFrame(() => setTimeout(() => { window.tirkeuReady = performance.now(); }, 0));
  }).observe(document, { childList: true, subtree: true, attributes: true });`;
}

async function visit(context: BrowserContext, url: string, target: Target): Promise<{ ms: number; scriptBytes: number; page: Awaited<ReturnType<BrowserContext['newPage']>> }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', slowLine);
  const scripts = new Set<string>();
  let scriptBytes = 0;
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scripts.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (scripts.has(event.requestId)) scriptBytes += event.encodedDataLength;
  });
  await page.addInitScript({ content: probe(target) });
  await page.goto(`${url}/sign-in`, { waitUntil: 'commit', timeout: 60_000 });
  const ready = await page.waitForFunction(() => (window as unknown as { tirkeuReady?: number }).tirkeuReady, null, { timeout: 60_000, polling: 50 });
  return { ms: (await ready.jsonValue()) as number, scriptBytes, page };
}

/** Whether the sign-in screen has a username field to time (it is the sign-in feature's to build). */
async function pickTarget(browser: Browser, url: string): Promise<Target> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`, { waitUntil: 'networkidle' });
  const hasField = Boolean(await page.evaluate(usernameField));
  await context.close();
  return hasField ? 'field' : 'heading';
}

/**
 * Time to interactive of /sign-in on a slow line in Debian's chromium: a first visit (empty
 * profile, nothing cached) and a return visit (same profile, the service worker installed), from
 * the start of navigation to the first frame with the username field usable. Medians of `runs`.
 */
export async function benchWebTti(runs = 5): Promise<void> {
  await ensureWebBuild(appDir, createLogger('warn'));
  const scratch = await scratchDb('pglite');
  const served = await serve(scratch.db, appDir);
  const browser = await launchBrowser();
  try {
    const target = await pickTarget(browser, served.url);
    // The browser competes for two cores with everything else on the machine: say how busy it was.
    process.stdout.write(`# load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    process.stdout.write(
      target === 'field'
        ? '# timed to: the username field usable\n'
        : '# timed to: the sign-in heading (this build has no username field yet)\n',
    );
    const first: number[] = [];
    const back: number[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
      const a = await visit(context, served.url, target);
      first.push(a.ms);
      bytes.push(a.scriptBytes);
      // The service worker installs (precaching the shell) after the page has loaded.
      await a.page.waitForLoadState('load');
      await a.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await a.page.close();
      const b = await visit(context, served.url, target);
      back.push(b.ms);
      await context.close();
    }
    const sorted = (list: number[]) => [...list].sort((x, y) => x - y);
    process.stdout.write(`# first visits ms: ${first.map((v) => Math.round(v)).join(', ')}; return visits ms: ${back.map((v) => Math.round(v)).join(', ')}\n`);
    report('web.tti.sign_in.first_visit.p50_ms', Math.round(percentile(sorted(first), 50)));
    report('web.tti.sign_in.return_visit.p50_ms', Math.round(percentile(sorted(back), 50)));
    report('web.tti.sign_in.first_visit.script_transferred_kib', round(percentile(sorted(bytes), 50) / 1024, 1));
  } finally {
    await browser.close();
    await served.close();
    await scratch.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchWebTti(Number(process.argv[2] ?? 5));
