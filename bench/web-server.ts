import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asProduction } from '../src/cli/commands/web.ts';
import { systemClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import type { Db } from '../src/core/db/types.ts';
import { buildApp } from '../src/http/app.ts';

/**
 * What the web benchmarks (and the pickers' browser test) serve: the real server on a database they
 * chose, with either the app as `npm start` builds it (web/dist) or the page that holds the pickers
 * alone (web/src/features/places/harness), built apart into a temporary directory.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
export const appDir = path.join(root, 'web', 'dist');
const harnessRoot = path.join(root, 'web', 'src', 'features', 'places', 'harness');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Builds the pickers' page once per version of the app's sources; returns the directory to serve. */
export async function buildPickerPage(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(path.join(root, 'web', 'src')), path.join(root, 'package-lock.json')]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  const outDir = path.join(os.tmpdir(), `tirkeu-pickers-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(outDir, 'index.html'))) return outDir;
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  await asProduction(() => build({
    configFile: false,
    root: harnessRoot,
    base: '/',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  }));
  return outDir;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** The registry on `db`, listening on a free local port, serving the web files in `webDir`. */
export async function serve(db: Db, webDir: string): Promise<Served> {
  const config = loadConfig({
    TIRKEU_DATA_DIR: '/nonexistent',
    TIRKEU_WEB_DIR: webDir,
    TIRKEU_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
  });
  const app = await buildApp({ db, config, clock: systemClock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
