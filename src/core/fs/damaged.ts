/**
 * The one way a damaged file is set aside: renamed (never deleted, never copied again and
 * again) to `<name>.corrupt-<time>` next to it, and the caller gets one sentence naming
 * both, for stderr (CLI) or a notice (app).
 */
import { renameSync } from 'node:fs';
import { basename } from 'node:path';

export interface SetAside {
  /** Where the damaged bytes now are. */
  keptAs: string;
  /** One sentence for the user. */
  message: string;
}

/** Renames the damaged `path` aside; `what` names it for the user ("Your settings file"). */
export function setAside(path: string, what: string, reason: string, now: number = Date.now()): SetAside {
  const keptAs = `${path}.corrupt-${now}`;
  renameSync(path, keptAs);
  return { keptAs, message: `${what} (${basename(path)}) could not be read (${reason}); it was kept as ${keptAs}.` };
}
