#!/usr/bin/env node
// The `exist-tray` command: runs the built CLI (out/main/cli.js, made by `npm run build`),
// or, in a source checkout that has not been built, the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write('exist-tray: the CLI is not built. Run `npm run build` first.\n');
    process.exit(1);
  }
  await import(new URL('../src/cli/index.ts', import.meta.url).href);
}
