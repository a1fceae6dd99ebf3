// Lint: ESLint's and typescript-eslint's recommended rules. (Biome was the first choice, but this
// registry carries only its Linux binaries, so a lockfile with it cannot pass `npm ci`.)
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The import direction (DESIGN.md): http and cli → modules → core. Core imports no module; no
 * module imports http or cli; a module reaches another through its exported functions (there are
 * no private folders yet, so any of its files). server.ts wires everything; tests and benchmarks
 * may import anything. A wrong arrow fails `npm run lint`.
 */
const layers = [
  { type: 'core', pattern: 'src/core' },
  { type: 'module', pattern: 'src/(access|places|births|certificates|linkage|protection)', capture: ['module'] },
  { type: 'http', pattern: 'src/http' },
  { type: 'cli', pattern: 'src/cli' },
  { type: 'test', pattern: '(test|bench)' },
  // What is left in src/ (server.ts) is the composition root.
  { type: 'server', pattern: 'src' },
].map((element) => ({ partialMatch: false, ...element }));

const may = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: to } } } } });

export default tseslint.config(
  { ignores: ['node_modules/', '.ci/node24/', 'data/', 'dist/', 'web/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    plugins: { boundaries },
    settings: { 'boundaries/elements': layers },
    rules: {
      // Every file belongs to a layer, so no import escapes the rule through an unclassified file.
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            may('core', ['core']),
            may('module', ['core', 'module']),
            may('http', ['core', 'module', 'http']),
            may('cli', ['core', 'module', 'cli', 'server']),
            may('server', ['core', 'module', 'http']),
            may('test', ['core', 'module', 'http', 'cli', 'server', 'test']),
          ],
        },
      ],
    },
  },
  {
    // The browser app talks to the API only: it may take the API's types from src/ (erased at build),
    // never its code.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // gitignore-style: a folder's contents can be let back in only if the folder itself is.
              group: ['**/src/**', '!**/src/certificates/', '!**/src/certificates/codec/', '!**/src/certificates/codec/**'],
              message: 'web/ imports only types from src/ (import type …), and code only from src/certificates/codec/',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The QR codec runs in the browser (the verification page, offline) and on the server: only
    // Web APIs (crypto.subtle, TextEncoder) and the browser-safe libraries, nothing of Node or the rest of src/.
    files: ['src/certificates/codec/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', '../*', '!./*'], message: 'the codec runs in browsers too: Web APIs and codec files only' }] },
      ],
    },
  },
);
