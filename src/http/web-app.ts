import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { AppError } from '../core/errors.ts';
import type { App } from './types.ts';

/** Vite names every asset by its content hash: a browser may keep it for a year. */
const immutable = 'public, max-age=31536000, immutable';
/** index.html, the service worker and the manifest name the current assets: always ask again. */
const revalidate = 'no-cache';

export const webAppRoute = '/*';

/**
 * Serves the built web app at / from one route: a real file when the path names one, index.html
 * for any other page path (the app's router takes it from there). /api is never shadowed, and a
 * missing .js or .css file is a 404, never index.html served as a script.
 */
export async function registerWebApp(app: App, webDir: string): Promise<void> {
  const built = fs.existsSync(path.join(webDir, 'index.html'));
  await app.register(fastifyStatic, { root: webDir, serve: false, preCompressed: true, cacheControl: false });
  app.get(
    webAppRoute,
    { config: { scope: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        throw new AppError('not_found', `no route ${request.method} ${pathname}`, { hint: 'see the API reference at /api/docs' });
      }
      if (!built) {
        throw new AppError('not_found', 'the web app is not built', { hint: 'run npm run build:web, or npm start with TIRKEU_WEB_BUILD=auto' });
      }
      const file = decodeURIComponent(pathname).replace(/^\/+/, '');
      const isFile = /\.[a-z0-9]{1,8}$/i.test(file);
      if (!isFile) {
        reply.header('cache-control', revalidate);
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
      const resolved = path.resolve(webDir, file);
      if (!resolved.startsWith(webDir + path.sep) || !fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
        throw new AppError('not_found', `no file ${pathname}`, { hint: 'reload the page: the app may have been updated' });
      }
      reply.header('cache-control', file.startsWith('assets/') ? immutable : revalidate);
      return reply.sendFile(file);
    },
  );
}
