/**
 * The shell's log: a rotating file in the data folder (a packaged tray app started from
 * the desktop has no stderr) plus stderr. electron-log's plain-Node build writes the
 * file (1 MiB, then one `main.old.log`), so this works under the Electron model too;
 * every line goes through the core's `redact` first: no token, code, secret or callback
 * URL ever reaches the file. Messages and error messages only, never payloads.
 */
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import { redact } from '../core/log/redact';

export type Log = (message: string, error?: unknown) => void;

export const LOG_MAX_BYTES = 1024 * 1024;

const line = (message: string, error?: unknown) =>
  redact(
    `${message}${error instanceof Error ? `: ${error.message}` : error !== undefined ? `: ${String(error)}` : ''}`,
  );

/** Before the data folder is known: stderr only. */
export const log: Log = (message, error) => console.error(`[exist-tray] ${line(message, error)}`);

/** Opens `<dataDir>/logs/main.log` and answers the logger the shell uses from then on. */
export function openLogFile(dataDir: string): { log: Log; file: string } {
  const file = join(dataDir, 'logs', 'main.log');
  electronLog.transports.file.resolvePathFn = () => file;
  electronLog.transports.file.maxSize = LOG_MAX_BYTES;
  electronLog.transports.file.level = 'info';
  electronLog.transports.console.level = false;
  electronLog.hooks.push((msg) => ({
    ...msg,
    data: msg.data.map((d: unknown) => (typeof d === 'string' ? redact(d) : d)),
  }));
  return {
    file,
    log: (message, error) => {
      const text = line(message, error);
      console.error(`[exist-tray] ${text}`);
      electronLog.warn(text);
    },
  };
}
