// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The electron-free core rule: only the Electron glue (src/main, src/preload) may
 * import electron or an electron-* runtime package. Everything else runs under plain
 * Node (CLI, sandbox, browser host, tests), where importing electron tries to
 * download a binary. Build tools (electron-vite, electron-builder) are allowed in
 * config files only. test/lint/ proves the rule fires.
 */
export const electronImportRule = [
  'error',
  {
    paths: [
      {
        name: 'electron',
        message:
          'Only src/main and src/preload may import electron: the core must run on plain Node. Add a port in src/core/ports.ts instead.',
      },
      { name: 'electron-store', message: 'Only src/main may use electron-store: wire it in as a SecretStore/adapter.' },
    ],
    patterns: [
      {
        group: ['electron/*', 'electron-*', '@electron/*', '!electron-vite', '!electron-builder'],
        message: 'Only src/main and src/preload may import Electron packages: the core must run on plain Node.',
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/**',
      'docs/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        WebSocket: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        performance: 'readonly',
        crypto: 'readonly',
        FileReader: 'readonly',
        HTMLElement: 'readonly',
        HTMLInputElement: 'readonly',
        KeyboardEvent: 'readonly',
        Event: 'readonly',
        localStorage: 'readonly',
        matchMedia: 'readonly',
        requestAnimationFrame: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src/main/**', 'src/preload/index.ts', 'test/main/**', 'test/stubs/**', 'test/e2e-electron/**'],
    rules: { 'no-restricted-imports': electronImportRule },
  },
  {
    // Only src/main/ipc.ts touches ipcMain, and only src/preload/index.ts touches ipcRenderer.
    // (Other preload files fall under the electron-free rule above, which forbids electron entirely.)
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message:
                'IPC goes through src/main/ipc.ts (main) and src/preload/index.ts (preload) only, so every channel is validated in one place.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer is a web page: no Node, and of the core only the isomorphic value layer.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronImportRule[1].paths,
          patterns: [
            ...electronImportRule[1].patterns,
            {
              group: ['node:*'],
              message: 'The renderer is a web page: no Node modules. Ask main through the IPC contract.',
            },
            {
              group: ['**/core/**', '!**/core/values', '!**/core/values/**'],
              message:
                'The renderer reaches the core only through the IPC contract (src/renderer/src/api.ts); src/core/values is the one isomorphic exception.',
            },
          ],
        },
      ],
    },
  },
);
