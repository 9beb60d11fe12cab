import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const stub = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Unit and integration tests. Node tests for the electron-free core, CLI and sandbox;
 * happy-dom tests for renderer components. `electron` and `electron-store` are aliased
 * to stubs: importing the real packages under vitest tries to download Electron.
 */
export default defineConfig({
  test: {
    projects: [
      {
        resolve: {
          alias: {
            electron: stub('./test/stubs/electron.ts'),
            'electron-store': stub('./test/stubs/electron-store.ts'),
          },
        },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', 'node_modules/**'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          testTimeout: 10_000,
        },
      },
    ],
  },
});
