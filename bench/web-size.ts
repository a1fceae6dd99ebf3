import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { ensureWebBuild } from '../src/cli/commands/web.ts';
import { createLogger } from '../src/core/logger.ts';
import { report, round } from './support.ts';
import { appDir } from './web-server.ts';

/** The screens the budget is about, by the source file of their lazy chunk. */
export const routes: Record<string, string> = {
  sign_in: 'src/features/sign-in/SignInPage.tsx',
  queues: 'src/features/queues/QueuesPage.tsx',
};

interface Chunk {
  file: string;
  imports?: string[];
  css?: string[];
}

const gzip = (body: Buffer) => zlib.gzipSync(body, { level: 9 }).length;
const brotli = (body: Buffer) =>
  zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kib = (bytes: number) => round(bytes / 1024, 1);

/** A chunk's file and the files of everything it imports statically, transitively. */
function closure(manifest: Record<string, Chunk>, key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`the build manifest has no chunk for ${key}`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, into);
  return into;
}

/** Scripts index.html loads itself: the entry, modulepreloads, and the service worker's registration. */
function pageScripts(html: string): string[] {
  const tags = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)];
  return tags.map((m) => (m[1] ?? m[2]!).replace(/^\//, ''));
}

/**
 * Initial JavaScript per screen, from the build as `npm start` serves it: what a first visit to the
 * screen downloads — the scripts index.html names, the entry's static imports, and the screen's lazy
 * chunk with its own imports — compressed as the server sends it (gzip -9; brotli q11 where the
 * browser takes it). Also the app's stylesheet and everything the service worker precaches.
 */
export async function benchWebSize(): Promise<void> {
  await ensureWebBuild(appDir, createLogger('warn'));
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const html = fs.readFileSync(path.join(appDir, 'index.html'), 'utf8');
  const read = (file: string) => fs.readFileSync(path.join(appDir, file));
  for (const [route, source] of Object.entries(routes)) {
    const files = new Set([...pageScripts(html), ...closure(manifest, 'index.html'), ...closure(manifest, source)]);
    const sizes = [...files].map((file) => ({ file, gzip: gzip(read(file)), brotli: brotli(read(file)) }));
    process.stdout.write(`# ${route}: ${sizes.map((s) => `${s.file} ${kib(s.gzip)}`).join(', ')} (KiB gzipped)\n`);
    report(`web.initial_js.${route}.gzip_kib`, kib(sizes.reduce((sum, s) => sum + s.gzip, 0)));
    report(`web.initial_js.${route}.brotli_kib`, kib(sizes.reduce((sum, s) => sum + s.brotli, 0)));
    report(`web.initial_js.${route}.raw_kib`, kib([...files].reduce((sum, file) => sum + read(file).length, 0)));
  }
  const css = new Set(Object.values(manifest).flatMap((chunk) => (chunk === manifest['index.html'] ? (chunk.css ?? []) : [])));
  report('web.initial_css.gzip_kib', kib([...css].reduce((sum, file) => sum + gzip(read(file)), 0)));
  // What the service worker fetches after the first visit, so that the next one needs no network.
  const precached = fs
    .readdirSync(appDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(js|css|html|svg|webmanifest)$/.test(file) && !file.startsWith('.vite'));
  report('web.precache.gzip_kib', kib(precached.reduce((sum, file) => sum + gzip(read(file)), 0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchWebSize();
