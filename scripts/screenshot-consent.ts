/**
 * Screenshots of the sandbox's OAuth consent page (light and dark) for the docs:
 * `npx tsx scripts/screenshot-consent.ts` → docs/screenshots/consent.png, consent-dark.png.
 * Uses Debian's chromium (no Playwright browser download).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startSandbox } from '../src/sandbox/index';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const sandbox = await startSandbox({ seed: true });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const q = new URLSearchParams({
      client_id: sandbox.clientId,
      response_type: 'code',
      redirect_uri: sandbox.redirectUri,
      scope: 'media_write',
      state: 'screenshot',
    });
    const url = `${sandbox.url}/oauth2/authorize?${q.toString()}`;
    for (const [scheme, file] of [
      ['light', 'consent.png'],
      ['dark', 'consent-dark.png'],
    ] as const) {
      const page = await browser.newPage({
        viewport: { width: 900, height: 760 },
        colorScheme: scheme,
        deviceScaleFactor: 1,
      });
      const res = await page.goto(url);
      if (res?.status() !== 200) throw new Error(`consent page answered ${res?.status() ?? 'nothing'}`);
      await page.screenshot({ path: `${outDir}${file}`, fullPage: true });
      await page.close();
      process.stdout.write(`wrote ${outDir}${file}\n`);
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-consent: ${(e as Error).message}\n`);
  process.exit(1);
});
