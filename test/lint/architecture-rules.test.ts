/**
 * The architecture lint rules of eslint.config.js fire (fixtures in test/fixtures/lint):
 * import boundaries (core/shared → no host or renderer), webContents.send only in
 * src/main/ipc.ts, no raw value-type codes outside the registry, react-hooks in the
 * renderer — and the real tree obeys them.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/lint/${name}`, import.meta.url), 'utf8');
const cwd = new URL('../..', import.meta.url).pathname;
// Text linted under a made-up path has no TypeScript program: the type-aware rules are
// proved by the real tree (npx eslint .), the syntax and import rules here.
const eslint = new ESLint({
  cwd,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function errors(code: string, filePath: string, ruleId: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId);
}

describe('import boundaries', () => {
  it.each(['src/core/outbox/x.ts', 'src/core/x.ts', 'src/shared/x.ts'])('refuse a host import in %s', async (path) => {
    const found = await errors(fixture('core-imports-host.ts'), path, 'no-restricted-imports');
    expect(found).toHaveLength(2);
    expect(found[0]!.message).toMatch(/import no host/);
  });

  it('refuse the renderer and the sandbox in the core', async () => {
    const code = `import { Popover } from '../../renderer/src/popover/Popover';\nimport { startSandbox } from '../../sandbox';\nvoid Popover;\nvoid startSandbox;\n`;
    expect(await errors(code, 'src/core/app/x.ts', 'no-restricted-imports')).toHaveLength(2);
  });

  it('let the hosts import the core', async () => {
    const code = `import { createAppCore } from '../core/app';\nvoid createAppCore;\n`;
    expect(await errors(code, 'src/host/x.ts', 'no-restricted-imports')).toHaveLength(0);
    expect(await errors(code, 'src/cli/x.ts', 'no-restricted-imports')).toHaveLength(0);
  });

  it('keep the renderer to shared and the value layer', async () => {
    const host = `import { startBrowserHost } from '../../host/host';\nvoid startBrowserHost;\n`;
    expect(await errors(host, 'src/renderer/src/x.tsx', 'no-restricted-imports')).toHaveLength(1);
    const shared = `import { VALUE_TYPES } from '../../shared/domain';\nvoid VALUE_TYPES;\n`;
    expect(await errors(shared, 'src/renderer/src/x.tsx', 'no-restricted-imports')).toHaveLength(0);
  });
});

describe('webContents.send only in src/main/ipc.ts', () => {
  it('refuses a raw send elsewhere in main', async () => {
    const found = await errors(fixture('raw-webcontents-send.ts'), 'src/main/windows.ts', 'no-restricted-syntax');
    expect(found).toHaveLength(2);
    expect(found[0]!.message).toMatch(/src\/main\/ipc\.ts/);
  });

  it('allows it in src/main/ipc.ts', async () => {
    expect(await errors(fixture('raw-webcontents-send.ts'), 'src/main/ipc.ts', 'no-restricted-syntax')).toHaveLength(0);
  });
});

describe('value types only through the registry', () => {
  it('refuses every raw comparison and switch outside it', async () => {
    const found = await errors(fixture('value-type-compare.ts'), 'src/renderer/src/x.ts', 'no-restricted-syntax');
    expect(found.map((m) => m.line)).toEqual([6, 7, 8, 9, 10, 12, 21]);
    expect(found[0]!.message).toMatch(/registry/);
    expect(await errors(fixture('value-type-compare.ts'), 'src/sandbox/x.ts', 'no-restricted-syntax')).toHaveLength(7);
  });

  it('allows them in the registry itself', async () => {
    expect(
      await errors(fixture('value-type-compare.ts'), 'src/core/values/registry.ts', 'no-restricted-syntax'),
    ).toHaveLength(0);
  });
});

describe('react-hooks in the renderer', () => {
  it('refuses a hook called conditionally', async () => {
    const code = `import { useState } from 'react';\nexport function C({ on }: { on: boolean }) {\n  if (on) {\n    const [x] = useState(0);\n    return x;\n  }\n  return null;\n}\n`;
    expect(await errors(code, 'src/renderer/src/x.tsx', 'react-hooks/rules-of-hooks')).toHaveLength(1);
  });
});

describe('the real source tree', () => {
  it('obeys the boundary, IPC and value-type rules', async () => {
    const results = await eslint.lintFiles(['src/**/*.{ts,tsx}']);
    const offenders = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
        .map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(offenders).toEqual([]);
  }, 180_000); // the whole tree: slow on a loaded 2-core machine
});
