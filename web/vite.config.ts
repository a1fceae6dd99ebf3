import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The browser app. The service worker precaches the app shell (so it opens with no connection) and
 * never answers for /api: the API's answers carry personal data and are never cached by it.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The manifest maps each screen's source to its chunks: bench/web-size.ts reads from it what a
  // first visit to a screen downloads.
  build: { outDir: 'dist', sourcemap: false, target: 'es2022', chunkSizeWarningLimit: 300, manifest: true },
  plugins: [
    react(),
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
      },
    }),
  ],
});
