/**
 * On-demand builds for the browser host: the renderer (the same Vite settings as
 * electron-vite's renderer section, see vite.renderer.config.ts) and the in-page
 * bridge script. Each is rebuilt only when missing or older than its sources, so a
 * test run builds once and every later host start takes the fast path.
 */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Vite is loaded only when something must be built: it is slow to import, and most host starts build nothing. */
const loadVite = () => import('vite');

/** The repository root (this file lives in src/host). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** `auto`: build when stale; `always`: rebuild; `never`: use what is there (fail if missing). */
export type BuildMode = 'auto' | 'always' | 'never';

const STAMP = '.browser-host-build';

async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  const visit = async (p: string): Promise<void> => {
    let st;
    try {
      st = await fs.stat(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of await fs.readdir(p)) await visit(join(p, entry));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const p of paths) await visit(p);
  return newest;
}

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await fs.stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

function rendererSources(root: string): string[] {
  return [
    join(root, 'src/renderer'),
    join(root, 'src/shared'),
    join(root, 'src/core/values'),
    join(root, 'src/host/vite.renderer.config.ts'),
  ];
}

/**
 * Makes sure `outDir` (default out/renderer) holds a renderer build at least as new as
 * its sources. Returns whether it built. Not safe to run twice at once on the same
 * outDir: test runs call it once from Playwright's global setup.
 */
export async function ensureRendererBuilt(
  opts: { root?: string; outDir?: string; mode?: BuildMode; log?: (line: string) => void } = {},
): Promise<{ built: boolean; outDir: string }> {
  const root = opts.root ?? REPO_ROOT;
  const outDir = opts.outDir ?? join(root, 'out/renderer');
  const mode = opts.mode ?? 'auto';
  const stamp = await mtimeOf(join(outDir, STAMP));
  const pages = await Promise.all(['popover.html', 'settings.html'].map((p) => mtimeOf(join(outDir, p))));
  const present = stamp !== null && pages.every((m) => m !== null);
  if (mode === 'never') {
    if (pages.some((m) => m === null)) {
      throw new Error(`No renderer build in ${outDir}. Run: npx vite build -c src/host/vite.renderer.config.ts`);
    }
    return { built: false, outDir };
  }
  if (mode === 'auto' && present && stamp >= (await newestMtime(rendererSources(root))))
    return { built: false, outDir };
  opts.log?.(`Building the renderer into ${outDir} ...`);
  const [{ build }, { rendererViteConfig }] = await Promise.all([loadVite(), import('./vite.renderer.config')]);
  await build(rendererViteConfig(root, outDir));
  await fs.writeFile(join(outDir, STAMP), `${new Date().toISOString()}\n`);
  return { built: true, outDir };
}

function bridgeSources(root: string): string[] {
  return [
    join(root, 'src/host/client'),
    join(root, 'src/host/protocol.ts'),
    join(root, 'src/preload/build-api.ts'),
    join(root, 'src/shared'),
  ];
}

/**
 * Returns the bridge script (an IIFE bundling src/host/client/bridge.ts), cached in
 * out/host/bridge.js and rebuilt when older than its sources. The cache is written
 * atomically, so concurrent hosts (parallel test files) can share it.
 */
export async function ensureBridgeBuilt(opts: { root?: string; mode?: BuildMode } = {}): Promise<string> {
  const root = opts.root ?? REPO_ROOT;
  const file = join(root, 'out/host/bridge.js');
  const mode = opts.mode ?? 'auto';
  const cached = await mtimeOf(file);
  if (
    cached !== null &&
    (mode === 'never' || (mode === 'auto' && cached >= (await newestMtime(bridgeSources(root)))))
  ) {
    return fs.readFile(file, 'utf8');
  }
  const { build } = await loadVite();
  const output = await build({
    configFile: false,
    root,
    publicDir: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      copyPublicDir: false,
      lib: {
        entry: join(root, 'src/host/client/bridge.ts'),
        formats: ['iife'],
        name: 'existTrayBridge',
        fileName: () => 'bridge.js',
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  let code: string | undefined;
  for (const o of outputs) {
    if (!('output' in o)) continue;
    for (const chunk of o.output) if (chunk.type === 'chunk' && chunk.isEntry) code = chunk.code;
  }
  if (code === undefined) throw new Error('Building the browser host bridge produced no script');
  await fs.mkdir(join(root, 'out/host'), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, code);
  await fs.rename(tmp, file);
  return code;
}
