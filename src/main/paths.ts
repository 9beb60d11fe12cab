/** Where the shell finds its pieces: data folder, icons, the renderer, the preload, the dev server. */
import { join } from 'node:path';
import type { App } from 'electron';

export interface ShellPaths {
  dataDir: string;
  buildDir: string;
  appIcon: string;
  rendererDir: string;
  preloadPath: string;
  devServerUrl: string | undefined;
}

/** `mainDir`: the folder of the main bundle (out/main), from the entry's own `import.meta.url`. */
export function shellPaths(app: App, mainDir: string, env: NodeJS.ProcessEnv = process.env): ShellPaths {
  const here = mainDir;
  const buildDir = app.isPackaged ? join(process.resourcesPath, 'build') : join(app.getAppPath(), 'build');
  return {
    dataDir: app.getPath('userData'),
    buildDir,
    appIcon: join(buildDir, 'icon.png'),
    rendererDir: join(here, '../renderer'),
    preloadPath: join(here, '../preload/index.cjs'),
    devServerUrl: !app.isPackaged ? env.ELECTRON_RENDERER_URL : undefined,
  };
}
