import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './src/host/vite.renderer.config';

/**
 * Three bundles: main (plus the CLI, which shares the core), preload (CommonJS:
 * sandboxed preloads cannot be ES modules) and the renderer's two pages. The renderer
 * settings are shared with the browser host's build, so both serve the same pages.
 */
const renderer = rendererViteConfig(resolve('.'));

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), cli: resolve('src/cli/index.ts') },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: renderer.root,
    base: renderer.base,
    plugins: renderer.plugins,
    build: { ...renderer.build, outDir: undefined, emptyOutDir: undefined, minify: true },
  },
});
