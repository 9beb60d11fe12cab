/**
 * `npm run sandbox -- [options]`: runs the Exist sandbox until SIGINT/SIGTERM and prints
 * its base URL, the client credentials and the developer's personal token.
 * Bad arguments print one error line and exit with status 2.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { isHttpUrl } from './core';
import { startSandbox } from './server';
import type { SandboxOptions } from './types';

const USAGE =
  'usage: sandbox [--port 0] [--host 127.0.0.1] [--client-id ID --client-secret S --redirect-uri http://localhost:8000/] ' +
  '[--client-name NAME] [--auto-approve] [--token-ttl SECONDS] [--rate-limit N] [--rate-window SECONDS] ' +
  '[--timezone TZ] [--data FILE] [--no-seed] [--json]';

/** Thrown for arguments the user must fix; the message is the one line printed. */
export class UsageError extends Error {}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new UsageError(`--${name} must be a whole number >= ${min} (got '${v}')`);
  return Number(v);
}

/** Parses CLI arguments into sandbox options; throws UsageError with a one-line message. */
export function parseCliArgs(argv: string[]): { options: SandboxOptions; json: boolean; help: boolean } {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'client-name': { type: 'string' },
        'redirect-uri': { type: 'string' },
        'auto-approve': { type: 'boolean' },
        'token-ttl': { type: 'string' },
        'rate-limit': { type: 'string' },
        'rate-window': { type: 'string' },
        timezone: { type: 'string' },
        data: { type: 'string' },
        'no-seed': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  const port = int('port', values.port, 0);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be 0 to 65535 (got ${port})`);
  const redirectUri = values['redirect-uri'];
  if (redirectUri !== undefined && !isHttpUrl(redirectUri)) {
    throw new UsageError(`--redirect-uri must be an absolute http(s) URL (got '${redirectUri}')`);
  }
  if (values.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: values.timezone });
    } catch {
      throw new UsageError(`--timezone '${values.timezone}' is not an IANA timezone (e.g. Europe/Berlin)`);
    }
  }
  const options: SandboxOptions = {};
  const set = <K extends keyof SandboxOptions>(k: K, v: SandboxOptions[K] | undefined): void => {
    if (v !== undefined) options[k] = v;
  };
  set('port', port);
  set('host', values.host);
  set('clientId', values['client-id']);
  set('clientSecret', values['client-secret']);
  set('clientName', values['client-name']);
  set('redirectUri', redirectUri);
  set('autoApprove', values['auto-approve']);
  set('tokenTtlSeconds', int('token-ttl', values['token-ttl'], 1));
  set('rateLimit', int('rate-limit', values['rate-limit'], 1));
  set('rateWindowSeconds', int('rate-window', values['rate-window'], 1));
  set('timezone', values.timezone);
  set('dataFile', values.data);
  if (values['no-seed'] === true) options.seed = false;
  return { options, json: values.json === true, help: values.help === true };
}

/** Runs the CLI; resolves with the exit code once the sandbox has stopped (or failed to start). */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sandbox: ${e.message} (see --help)\n`);
      return 2;
    }
    throw e;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let sandbox;
  try {
    sandbox = await startSandbox(parsed.options);
  } catch (e) {
    process.stderr.write(`sandbox: ${(e as Error).message}\n`);
    return 1;
  }
  if (parsed.json) {
    process.stdout.write(
      `${JSON.stringify({
        url: sandbox.url,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        redirectUri: sandbox.redirectUri,
        personalToken: sandbox.personalToken,
      })}\n`,
    );
  } else {
    process.stdout.write(
      [
        sandbox.url,
        `Exist sandbox listening on ${sandbox.url} (API ${sandbox.url}/api/2/, OAuth2 ${sandbox.url}/oauth2/)`,
        `Client ID:      ${sandbox.clientId}`,
        `Client secret:  ${sandbox.clientSecret}`,
        `Redirect URI:   ${sandbox.redirectUri}`,
        `Personal token: ${sandbox.personalToken}`,
        parsed.options.autoApprove === true ? 'Auto-approve:   on (authorize redirects straight back with a code)' : '',
        'Press Ctrl+C to stop.',
        '',
      ]
        .filter((l, i, a) => l !== '' || i === a.length - 1)
        .join('\n'),
    );
  }
  const running = sandbox;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`sandbox: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
