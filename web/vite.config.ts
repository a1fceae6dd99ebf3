import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The screens on everyone's first path: sign-in, then the work queues. Their lazy chunks are named
 * in index.html (modulepreload), so they download with the entry instead of one round trip after it
 * runs — 0.4 s and more on a slow line.
 */
const firstScreens = ['/src/features/sign-in/SignInPage.tsx', '/src/features/queues/QueuesPage.tsx'];

function preloadFirstScreens(): Plugin {
  return {
    name: 'tirkeu:preload-first-screens',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        return Object.values(bundle ?? {})
          .filter((chunk) => chunk.type === 'chunk' && firstScreens.some((screen) => chunk.facadeModuleId?.endsWith(screen)))
          .map((chunk) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/**
 * The browser app. The service worker precaches the app shell, so it opens with no connection. Of
 * the API it keeps only reference data that holds nothing personal — places, offices, facilities
 * and the documents each legal path needs — so a declaration can be filled in offline with the
 * places already looked up; every other answer of the API is never cached by it.
 */
const referenceData = /\/api\/v1\/(places|offices|facilities|births\/requirements)(\/|\?|$)/;

/**
 * The registry's published public keys, which the verification page checks certificates against:
 * fresh when online, the last ones when not, so a certificate is checked offline once the page
 * has been opened online. Public keys only.
 */
const certificateKeys = /\/api\/v1\/certificates\/keys$/;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The manifest maps each screen's source to its chunks: bench/web-size.ts reads from it what a
  // first visit to a screen downloads.
  build: {
    outDir: 'dist',
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 300,
    manifest: true,
    rolldownOptions: {
      output: {
        // The libraries every screen needs, apart from the app's own code: a release changes the
        // app's chunk only, and a return visit on a slow line downloads that alone. Only libraries
        // the entry loads anyway are named, so no screen's own library is pulled into the first visit.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            { name: 'libs', test: /node_modules[\\/](react-router|@tanstack|i18next|react-i18next|use-sync-external-store)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  plugins: [
    react(),
    preloadFirstScreens(),
    VitePWA({
      registerType: 'autoUpdate',
      // An external registerSW.js: the Content-Security-Policy allows no inline script.
      injectRegister: 'script',
      manifest: {
        name: 'tirkeu — civil registration',
        short_name: 'tirkeu',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f4e5f',
        icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api(\/|$)/],
        cleanupOutdatedCaches: true,
        // The first visit is served from the cache too: a screen opened offline right after signing in loads.
        clientsClaim: true,
        runtimeCaching: [
          {
            // A RegExp, not a function: the service worker is generated from this text. Workbox
            // matches it only on the app's own origin.
            urlPattern: referenceData,
            handler: 'NetworkFirst',
            options: {
              cacheName: 'reference-data',
              networkTimeoutSeconds: 4,
              expiration: { maxEntries: 2000, maxAgeSeconds: 30 * 86_400 },
            },
          },
          {
            urlPattern: certificateKeys,
            handler: 'NetworkFirst',
            options: {
              cacheName: 'certificate-keys',
              networkTimeoutSeconds: 4,
              // Kept a year: a key set is what lets an old certificate be checked far from a connection.
              expiration: { maxEntries: 4, maxAgeSeconds: 365 * 86_400 },
            },
          },
        ],
      },
    }),
  ],
});
