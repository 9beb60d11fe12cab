/**
 * What every CLI command gets: resolved global options and output helpers.
 * Exit codes: 0 ok, 1 failure, 2 usage. Errors are one clear line on stderr.
 */
import { homedir } from 'node:os';
import { defaultAppDataDir } from '../core/paths';
import { DEFAULT_EXIST_URL } from '../shared/domain';

export interface GlobalOptions {
  dataDir?: string;
  existUrl?: string;
  json?: boolean;
}

export interface CliIO {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
}

export interface CliContext {
  dataDir: string;
  existUrl: string;
  json: boolean;
  io: CliIO;
  /** Print a result: JSON when --json, else the human lines. */
  print(value: unknown, human: () => string | string[]): void;
}

/** Usage errors exit 2; everything else that is the user's to fix exits 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The app's own user-data folder, so the CLI shares the account and finds a running app. */
export const defaultDataDir = (env: Record<string, string | undefined> = process.env): string =>
  defaultAppDataDir(process.platform, env, homedir());

export function makeContext(opts: GlobalOptions, io: CliIO): CliContext {
  const json = Boolean(opts.json);
  return {
    dataDir: opts.dataDir ?? io.env.EXIST_TRAY_DATA_DIR ?? defaultDataDir(io.env),
    existUrl: (opts.existUrl ?? io.env.EXIST_URL ?? DEFAULT_EXIST_URL).replace(/\/+$/, ''),
    json,
    io,
    print(value, human) {
      if (json) io.stdout(JSON.stringify(value));
      else for (const l of ([] as string[]).concat(human())) io.stdout(l);
    },
  };
}
