// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The architecture as lint rules (GitHub Desktop's idea: a layering mistake is a build
 * error, not a review comment). test/lint/ proves each rule fires, with fixtures.
 *
 * 1. The electron-free core: only the Electron glue (src/main, src/preload) may import
 *    electron or an electron-* runtime package. Everything else runs under plain Node
 *    (CLI, sandbox, browser host, tests), where importing electron tries to download a
 *    binary. Build tools (electron-vite, electron-builder) are allowed in config files only.
 * 2. Import boundaries: src/core and src/shared import nothing from the hosts (src/main,
 *    src/host, src/cli, src/preload) or the renderer; the renderer imports src/shared and
 *    the isomorphic value layer (src/core/values) only.
 * 3. IPC in one file each side: ipcMain and webContents.send only in src/main/ipc.ts,
 *    ipcRenderer only in src/preload/index.ts.
 * 4. Value types only through the registry (src/core/values/registry.ts): no numeric
 *    value-type comparisons or switches anywhere else.
 * 5. react-hooks rules in the renderer; promises handled (type-aware no-floating-promises
 *    and no-misused-promises) in src/.
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

/** src/core and src/shared never reach up into a host or the renderer. */
export const coreBoundaryPatterns = [
  {
    group: ['**/main', '**/main/**', '**/host', '**/host/**', '**/cli', '**/cli/**', '**/preload', '**/preload/**'],
    message:
      'src/core and src/shared are the electron-free core: they import no host (src/main, src/host, src/cli, src/preload). Give the core a port (src/core/ports.ts) or a dependency the host passes in.',
  },
  {
    group: ['**/renderer', '**/renderer/**', '**/sandbox', '**/sandbox/**'],
    message: 'src/core and src/shared import neither the renderer nor the sandbox (hosts wire the sandbox in).',
  },
];

const VT = '/^(valueType|value_type)$/';
const VALUE_TYPE_MESSAGE =
  'Value types go through the registry (src/core/values/registry.ts: valueTypeSpec(code).control / .text / .incrementable …), never a raw code comparison or switch.';
/** Numeric value-type comparisons and switches (the registry is the one place allowed). */
export const valueTypeSelectors = [
  `BinaryExpression:matches([left.name=${VT}], [left.property.name=${VT}]):matches([right.type='Literal'], [right.object.name='VALUE_TYPES'])`,
  `BinaryExpression:matches([right.name=${VT}], [right.property.name=${VT}]):matches([left.type='Literal'], [left.object.name='VALUE_TYPES'])`,
  `BinaryExpression[left.name='code'][right.type='Literal'][right.value=8]`,
  `SwitchStatement:matches([discriminant.name=${VT}], [discriminant.property.name=${VT}])`,
  `SwitchCase[test.object.name='VALUE_TYPES']`,
  `CallExpression[callee.property.name='includes']:matches([arguments.0.name=${VT}], [arguments.0.property.name=${VT}])`,
].map((selector) => ({ selector, message: VALUE_TYPE_MESSAGE }));

const WEBCONTENTS_MESSAGE =
  'Main → renderer messages go through src/main/ipc.ts (pushTo / the core push loop), so every push is a typed contract channel.';
export const webContentsSelectors = [
  `CallExpression[callee.property.name='send'][callee.object.property.name='webContents']`,
  `CallExpression[callee.property.name='send'][callee.object.name='webContents']`,
].map((selector) => ({ selector, message: WEBCONTENTS_MESSAGE }));

const REGISTRY = 'src/core/values/registry.ts';
const IPC_MAIN = 'src/main/ipc.ts';

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
      // Node for the core, hosts, tests and scripts; the browser for the renderer and the host page scripts.
      globals: { ...globals.node, ...globals.browser },
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
    // Promises are awaited, returned, or handed off with an explicit `void … .catch()`.
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src/main/**', 'src/preload/index.ts', 'test/main/**', 'test/stubs/**', 'test/e2e-electron/**'],
    rules: { 'no-restricted-imports': electronImportRule },
  },
  {
    files: ['src/core/**/*.{ts,tsx}', 'src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronImportRule[1].paths,
          patterns: [...electronImportRule[1].patterns, ...coreBoundaryPatterns],
        },
      ],
    },
  },
  {
    // Only src/main/ipc.ts touches ipcMain, and only src/preload/index.ts touches ipcRenderer.
    // (Other preload files fall under the electron-free rule above, which forbids electron entirely.)
    files: ['src/main/**/*.ts'],
    ignores: [IPC_MAIN],
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
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
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
            {
              group: ['**/main/**', '**/host/**', '**/cli/**', '**/preload/**', '**/sandbox/**'],
              message:
                'The renderer imports src/shared and src/core/values only; everything else is behind the IPC contract.',
            },
          ],
        },
      ],
    },
  },
  // No raw value-type codes outside the registry; webContents.send only in src/main/ipc.ts.
  // (One no-restricted-syntax per file: the blocks below give each file the selectors that apply to it.)
  {
    files: ['src/**/*.{ts,tsx,js,mjs}'],
    ignores: [REGISTRY, IPC_MAIN],
    rules: { 'no-restricted-syntax': ['error', ...valueTypeSelectors, ...webContentsSelectors] },
  },
  { files: [IPC_MAIN], rules: { 'no-restricted-syntax': ['error', ...valueTypeSelectors] } },
  { files: [REGISTRY], rules: { 'no-restricted-syntax': ['error', ...webContentsSelectors] } },
);
