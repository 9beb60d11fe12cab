/**
 * Vite config for building only the renderer (the two pages) without electron-vite,
 * whose `build` always builds main and preload too. `electron.vite.config.ts` takes its
 * renderer section from here (root, React plugin, the two inputs, relative base so the
 * same output also loads from file:// in Electron). Used by the browser host; also
 * runnable as `vite build -c src/host/vite.renderer.config.ts`.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type InlineConfig } from 'vite';

/** The renderer build settings, rooted at `repoRoot`, writing to `outDir`. */
export function rendererViteConfig(repoRoot: string, outDir = resolve(repoRoot, 'out/renderer')): InlineConfig {
  return {
    configFile: false,
    root: resolve(repoRoot, 'src/renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      rollupOptions: {
        input: {
          popover: resolve(repoRoot, 'src/renderer/popover.html'),
          settings: resolve(repoRoot, 'src/renderer/settings.html'),
        },
      },
    },
  };
}

export default defineConfig(rendererViteConfig(resolve(import.meta.dirname, '../..')));
