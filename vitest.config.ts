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
    // Two files at a time even on a 2-core CI box (vitest's default there is one): most
    // files wait on child processes, sockets and Chromium rather than on a core.
    maxWorkers: 2,
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
          exclude: ['test/renderer/**', 'test/e2e/**', 'node_modules/**', 'test/**/*.port8000.test.ts'],
          sequence: { groupOrder: 0 },
          // A hang guard, not a speed check: spawn-heavy tests (tsx children, real CLI runs)
          // take 30 s and more on a loaded 2-core machine and pass; a real hang still fails.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Tests that must bind the real OAuth redirect port 8000: one file at a time, after the rest.
        test: {
          name: 'port8000',
          environment: 'node',
          include: ['test/**/*.port8000.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'renderer',
          sequence: { groupOrder: 0 },
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          testTimeout: 10_000,
        },
      },
    ],
  },
});
