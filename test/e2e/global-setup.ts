/**
 * Builds the renderer and the bridge once per run (when stale), so each test's host
 * starts on the fast path and parallel host starts never race on out/.
 */
import { ensureBridgeBuilt, ensureRendererBuilt } from '../../src/host/build';

export default async function globalSetup(): Promise<void> {
  const { built, outDir } = await ensureRendererBuilt({ mode: 'auto' });
  if (built) console.log(`Built the renderer into ${outDir}`);
  await ensureBridgeBuilt({ mode: 'auto' });
}
