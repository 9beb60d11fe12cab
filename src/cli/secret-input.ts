/**
 * How `exist-tray login` gets the client secret without putting it on the command line,
 * where every local user can read it in /proc/PID/cmdline (and `ps`) for as long as
 * login waits for the browser:
 *
 *   1. `--client-secret-stdin`: the secret is the first line of stdin
 *      (`pass show exist | exist-tray login --client-secret-stdin`);
 *   2. `EXIST_CLIENT_SECRET` (the environment is readable only by the same user);
 *   3. on a terminal, a prompt that does not echo what is typed;
 *   4. `--client-secret SECRET` still works for old scripts, with a warning on stderr.
 *
 * Hand-written (about forty lines) rather than a prompt library: raw mode on the TTY,
 * no echo, Backspace, Enter, Ctrl-C/Ctrl-D — nothing else is needed.
 */
import { UserError } from '../core/errors';
import { UsageError } from './context';

/** The slice of a stdin the prompt uses (a fake in tests). */
export interface SecretStdin {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  isRaw?: boolean;
  setEncoding(enc: BufferEncoding): unknown;
  on(event: string, l: (chunk: string) => void): unknown;
  off(event: string, l: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export const CMDLINE_SECRET_WARNING =
  'exist-tray: warning: --client-secret puts the secret where every local user can read it (the process list) while login waits; use --client-secret-stdin, EXIST_CLIENT_SECRET or the prompt instead.';

const MAX_SECRET = 4096;

/** The first line of stdin (up to end of input), without the line break. */
export function readSecretLine(stdin: SecretStdin): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.pause();
      const line = buf.split(/\r?\n/)[0] ?? '';
      if (line.trim() === '') reject(new UserError('missing-client-secret', 'No client secret on stdin.'));
      else resolve(line.trim());
    };
    const onData = (chunk: string) => {
      buf += chunk;
      if (buf.includes('\n') || buf.length > MAX_SECRET) finish();
    };
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.on('end', finish);
    stdin.resume();
  });
}

/** Asks for a secret on a terminal without echoing it. */
export function promptHidden(question: string, stdin: SecretStdin, write: (s: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const wasRaw = stdin.isRaw === true;
    let value = '';
    const done = (err: UserError | null) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      write('\n');
      if (err) reject(err);
      else if (value.trim() === '') reject(new UserError('missing-client-secret', 'No client secret entered.'));
      else resolve(value.trim());
    };
    const onEnd = () => done(null);
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new UserError('cancelled', 'Login cancelled; nothing was changed.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ' && value.length < MAX_SECRET) value += ch;
      }
    };
    // Echo off before the question shows, so nothing typed after it can be echoed.
    stdin.setRawMode?.(true);
    write(question);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

export interface SecretSources {
  flag: string | undefined;
  fromStdin: boolean;
  env: string | undefined;
  /** Use the secret the core keeps for this client ('' tells the core so). */
  remembered: boolean;
  stdin: SecretStdin;
  stderr: (line: string) => void;
  /** Raw write for the prompt (no newline). */
  prompt: (s: string) => void;
}

/** The client secret from the first source that has one, or undefined when none does. */
export async function clientSecretFrom(s: SecretSources): Promise<string | undefined> {
  if (s.fromStdin) {
    if (s.flag !== undefined)
      throw new UsageError('give the client secret one way: --client-secret-stdin or --client-secret');
    return readSecretLine(s.stdin);
  }
  if (s.flag !== undefined) {
    s.stderr(CMDLINE_SECRET_WARNING);
    return s.flag;
  }
  if (s.env !== undefined && s.env !== '') return s.env;
  if (s.remembered) return '';
  if (s.stdin.isTTY && s.stdin.setRawMode) return promptHidden('Client secret (not shown): ', s.stdin, s.prompt);
  return undefined;
}
