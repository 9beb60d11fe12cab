/**
 * Who may use the browser host. The host listens on 127.0.0.1, where every local
 * process and every web page the user visits can reach it, so nothing is handed out
 * for asking:
 *
 * - **Launch tokens.** The terminal that started the host prints one URL with a
 *   one-time token (`/?launch=…`). Opening it trades the token for the session cookie
 *   (HttpOnly, SameSite=Strict) and redirects to the clean URL, so the token is neither
 *   in the history nor reusable. `GET /` without the cookie gets a page saying how to
 *   open the app — never a cookie. The session secret itself never leaves the process.
 * - **Command jobs.** A job whose source is a command runs a shell command as the user;
 *   over the bridge it is refused unless the host was started with
 *   `--allow-command-jobs` (the Electron app has no such bridge, so it is unaffected).
 *
 * Decisions: tokens are 32 random bytes (base64url) compared in constant time; a launch
 * token is deleted on first use whether or not the exchange then succeeds; the help
 * page is static HTML with a `default-src 'none'` CSP, so it cannot run anything.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../core/errors';
import type { InvokeHandlers, JobSpec, SenderInfo } from '../shared/ipc-contract';
import { tokenMatches } from './bridge-server';

export const newSecret = (): string => randomBytes(32).toString('base64url');

/** One-time launch tokens: issued to whoever started the host, each good for one exchange. */
export interface LaunchTokens {
  issue(): string;
  /** True once per issued token; the token is gone afterwards. */
  consume(token: string | null): boolean;
}

export function createLaunchTokens(): LaunchTokens {
  const live = new Set<string>();
  return {
    issue() {
      const t = newSecret();
      live.add(t);
      return t;
    },
    consume(token) {
      if (token === null) return false;
      for (const t of live) {
        if (tokenMatches(t, token)) {
          live.delete(t);
          return true;
        }
      }
      return false;
    },
  };
}

/** CSP of the help page: nothing but its own inline-free HTML. */
export const HELP_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page for a browser without the session: how to open the app, and nothing else. */
export function helpPageHtml(reason: 'no-session' | 'used-link'): string {
  const why =
    reason === 'used-link'
      ? '<p>This start link was already used, or it is not one this browser host issued. Each link works once.</p>'
      : '<p>This browser has not been let in to this Exist Tray browser host.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="UTF-8"><title>Exist Tray — open it from your terminal</title></head>
<body>
<h1>Open Exist Tray from your terminal</h1>
${why}
<p>Open the link that <code>npm run dev:browser</code> printed when it started (it ends in
<code>?launch=…</code>). To get a new link, stop the browser host with Ctrl-C and start it again.</p>
</body></html>`;
}

/** Message of a refused command job. */
export const COMMAND_JOBS_REFUSED =
  'Command jobs run a program as you, so the browser host refuses them unless it was started with --allow-command-jobs.';

/**
 * The core's invoke handlers with command jobs refused: `jobs:add` of a command source
 * and `jobs:run` of an existing command job (e.g. one added by the CLI) throw.
 */
export function withoutCommandJobs(invoke: InvokeHandlers): InvokeHandlers {
  const refuse = () => {
    throw new UserError('not-allowed', COMMAND_JOBS_REFUSED);
  };
  return {
    ...invoke,
    'jobs:add': async (spec: JobSpec, sender: SenderInfo) => {
      if (spec.source.kind === 'command') refuse();
      return invoke['jobs:add'](spec, sender);
    },
    'jobs:run': async (req: { id: string }, sender: SenderInfo) => {
      const job = (await invoke['jobs:list']({}, sender)).find((j) => j.id === req.id);
      if (job?.source.kind === 'command') refuse();
      return invoke['jobs:run'](req, sender);
    },
  };
}
