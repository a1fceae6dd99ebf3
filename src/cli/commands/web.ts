import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const webSources = path.join(root, 'web');
const stampName = 'build-stamp.txt';
/** Served precompressed: a district office on a slow line downloads a third of the bytes. */
const compressible = /\.(js|css|html|svg|json|webmanifest|txt)$/;

function listFiles(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === skip || entry.name === 'node_modules') continue;
    if (entry.isDirectory()) out.push(...listFiles(full, skip));
    else out.push(full);
  }
  return out.sort();
}

/** A hash of everything the build reads: the app's sources, the locked dependency versions and this recipe. */
function sourceStamp(outDir: string): string {
  const hash = createHash('sha256');
  for (const file of [...listFiles(webSources, outDir), path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function readStamp(outDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(outDir, stampName), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function precompress(outDir: string): void {
  for (const file of listFiles(outDir, '')) {
    if (!compressible.test(file)) continue;
    const body = fs.readFileSync(file);
    if (body.length < 1024) continue;
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

/**
 * Runs a build with NODE_ENV=production. Vite, the React plugin and Workbox take their mode from
 * NODE_ENV, and Vitest sets it to "test": the browser tests' build, left in web/dist for npm start,
 * carried React's and Workbox's development bundles (half as large again, with dev-only checks).
 */
export async function asProduction<T>(build: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await build();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** Builds the web app into outDir with Vite, precompresses it, and writes the source stamp last. */
export async function buildWeb(outDir: string, logger: Logger): Promise<void> {
  const stamp = sourceStamp(outDir);
  const started = Date.now();
  logger.info({ outDir }, 'building the web app');
  // Vite is a build tool: loaded only when a build is needed, so a production image without it still starts.
  const { build } = await import('vite');
  await asProduction(() => build({ configFile: path.join(webSources, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } }));
  precompress(outDir);
  fs.writeFileSync(path.join(outDir, stampName), `${stamp}\n`);
  logger.info({ ms: Date.now() - started }, 'web app built');
}

/** True when the build in outDir was made from the sources as they are now. */
export function webBuildIsCurrent(outDir: string): boolean {
  if (!fs.existsSync(path.join(outDir, 'index.html'))) return false;
  if (!fs.existsSync(webSources)) return true;
  return readStamp(outDir) === sourceStamp(outDir);
}

/** npm start on a fresh clone: build the app once, and again whenever web/ changed since. */
export async function ensureWebBuild(outDir: string, logger: Logger): Promise<void> {
  if (webBuildIsCurrent(outDir)) return;
  await buildWeb(outDir, logger);
}

export function registerWeb(program: Command): void {
  const web = program.command('web').description('the browser app served at /');
  web
    .command('build')
    .description('build the web app (web/ → TIRKEU_WEB_DIR, web/dist by default), precompressed with gzip and brotli')
    .option('--if-stale', 'only when the build is missing or older than the sources')
    .action(async (options: { ifStale?: boolean }) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      if (options.ifStale && webBuildIsCurrent(config.webDir)) {
        logger.info({ outDir: config.webDir }, 'web app build is current');
        return;
      }
      await buildWeb(config.webDir, logger);
    });
}
