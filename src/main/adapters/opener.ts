/**
 * The `Opener` port over `shell.openExternal`, behind `vetExternalUrl`: only https, the
 * configured Exist host, or the loopback sandbox while it runs ever reach the OS.
 */
import { shell } from 'electron';
import { UserError } from '../../core/errors';
import type { Opener } from '../../core/ports';
import { vetExternalUrl, type ExternalUrlPolicy } from '../security';

export function createOpener(
  policy: () => ExternalUrlPolicy,
  open: (url: string) => Promise<void> = (u) => shell.openExternal(u),
): Opener {
  return {
    async openExternal(url) {
      const vetted = vetExternalUrl(url, policy());
      if (!vetted.ok) throw new UserError(vetted.error.code, vetted.error.message);
      await open(vetted.value);
    },
  };
}
