import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. `chromium`: the real renderer in Debian's Chromium, served by the
 * browser host (src/host) with the real core and the Exist sandbox behind it.
 * `electron`: the packaged-app smoke test, which skips itself when the Electron binary
 * could not be downloaded. One worker: OAuth callbacks share port 8000.
 * Never run `playwright install`: the browser is /usr/bin/chromium from apt.
 */
export default defineConfig({
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results/playwright-artifacts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testDir: './test/e2e',
      testMatch: '**/*.spec.ts',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'electron',
      testDir: './test/e2e-electron',
      testMatch: '**/*.spec.ts',
    },
  ],
});
