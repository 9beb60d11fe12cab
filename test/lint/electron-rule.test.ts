import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const fixture = readFileSync(new URL('../fixtures/lint/core-imports-electron.ts', import.meta.url), 'utf8');
// Text linted under a made-up path has no TypeScript program: the type-aware rules are off here.
const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function restrictedImportErrors(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
}

describe('the electron-free core lint rule', () => {
  it.each([
    'src/core/outbox/x.ts',
    'src/cli/x.ts',
    'src/sandbox/x.ts',
    'src/shared/x.ts',
    'src/host/x.ts',
    'src/preload/build-api.ts',
  ])('fires when %s imports electron', async (path) => {
    const errors = await restrictedImportErrors(fixture, path);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/plain Node/);
  });

  it.each([
    `import Store from 'electron-store';`,
    `import x from 'electron-updater';`,
    `import { BrowserWindow } from 'electron/main';`,
  ])('fires on other Electron runtime packages in the core: %s', async (line) => {
    expect((await restrictedImportErrors(`${line}\nvoid 0;\n`, 'src/core/x.ts')).length).toBeGreaterThan(0);
  });

  it('allows the Electron glue in src/main and the preload entry', async () => {
    expect(await restrictedImportErrors(fixture, 'src/main/x.ts')).toHaveLength(0);
    expect(await restrictedImportErrors(fixture, 'src/preload/index.ts')).toHaveLength(0);
  });

  it('keeps the renderer away from Node and the core, except the value layer', async () => {
    expect(
      await restrictedImportErrors(`import { readFile } from 'node:fs';\nvoid readFile;\n`, 'src/renderer/src/x.tsx'),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        `import { createOutbox } from '../../core/outbox';\nvoid createOutbox;\n`,
        'src/renderer/src/x.tsx',
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        `import { parseValue } from '../../core/values';\nvoid parseValue;\n`,
        'src/renderer/src/x.tsx',
      ),
    ).toHaveLength(0);
  });
});

describe('the one-IPC-file rule', () => {
  it('lets only src/main/ipc.ts import ipcMain', async () => {
    const code = `import { ipcMain } from 'electron';\nvoid ipcMain;\n`;
    expect(await restrictedImportErrors(code, 'src/main/ipc.ts')).toHaveLength(0);
    expect(await restrictedImportErrors(code, 'src/main/tray.ts')).toHaveLength(1);
  });

  it('lets only src/preload/index.ts import ipcRenderer', async () => {
    const code = `import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n`;
    expect(await restrictedImportErrors(code, 'src/preload/index.ts')).toHaveLength(0);
    expect(await restrictedImportErrors(code, 'src/preload/other.ts')).toHaveLength(1);
  });
});

describe('the real source tree', () => {
  it('obeys the electron-free core rule', async () => {
    const results = await eslint.lintFiles(['src/**/*.{ts,tsx}']);
    const offenders = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(offenders).toEqual([]);
  }, 180_000); // the whole tree: slow on a loaded 2-core machine
});
