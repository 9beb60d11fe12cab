/**
 * The seed tutorial's own Python scripts (test/sandbox/seed-scripts/, verbatim but for
 * `{{EXIST_URL}}` in place of https://exist.io and the credentials filled in here) run
 * against the sandbox CLI with --auto-approve and print what the tutorial says they print.
 * receive_authorisation.py binds 127.0.0.1:8000 itself, so this file runs sequentially.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const scriptsDir = fileURLToPath(new URL('./seed-scripts/', import.meta.url));

const probe = spawnSync('python3', ['-c', 'import requests'], { encoding: 'utf8' });
const skipReason =
  probe.error !== undefined
    ? 'python3 is not installed'
    : probe.status !== 0
      ? "python3's requests module is not installed (pip install requests)"
      : undefined;
if (skipReason !== undefined) console.warn(`seed-scripts test skipped: ${skipReason}`);

const env = { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', PYTHONUNBUFFERED: '1' };

/** Fills `NAME = ''` / `NAME = "[your_id]"` lines; fails loudly if the script no longer has them. */
function fill(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`^${name} = (['"]).*\\1$`, 'm');
    expect(re.test(out), `${name} line in script`).toBe(true);
    out = out.replace(re, `${name} = ${JSON.stringify(value)}`);
  }
  return out;
}

function run(script: string, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Whether something listens on TCP `port`, from /proc/net/tcp{,6}; undefined where /proc is missing. */
function listening(port: number): boolean | undefined {
  const files = ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => existsSync(f));
  if (files.length === 0) return undefined;
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return files.some((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .slice(1)
      .some((l) => {
        const cols = l.trim().split(/\s+/);
        return (cols[1] ?? '').endsWith(hex) && cols[3] === '0A';
      }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean | undefined, what: string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const v = cond();
    if (v === undefined) {
      await sleep(1500); // no /proc: give the listener time to start
      return;
    }
    if (v) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A browser's GET of the redirect, raw: the tutorial's handler answers without ending its headers. */
function browserGet(location: string): Promise<string> {
  const u = new URL(location);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), '127.0.0.1');
    let got = '';
    s.on('connect', () =>
      s.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`),
    );
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('end', () => resolve(got));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe.sequential('seed tutorial scripts against the sandbox CLI (--auto-approve)', () => {
  let cli: ChildProcessWithoutNullStreams | undefined;
  let sandbox: { url: string; clientId: string; clientSecret: string; redirectUri: string };
  let work: string;
  let tokens: { access: string; refresh: string };
  const script = (name: string, values: Record<string, string>): string => {
    const text = readFileSync(join(scriptsDir, name), 'utf8');
    expect(text).toContain('{{EXIST_URL}}');
    const path = join(work, name);
    writeFileSync(path, fill(text.replaceAll('{{EXIST_URL}}', sandbox.url), values));
    return path;
  };

  beforeAll(async () => {
    if (skipReason !== undefined) return;
    work = mkdtempSync(join(tmpdir(), 'seed-scripts-'));
    cli = spawn(
      join(repo, 'node_modules/.bin/tsx'),
      ['src/sandbox/cli.ts', '--', '--port', '0', '--auto-approve', '--json'],
      { cwd: repo, env },
    );
    const first = await createInterface({ input: cli.stdout })[Symbol.asyncIterator]().next();
    sandbox = JSON.parse(String(first.value)) as typeof sandbox;
  });
  afterAll(async () => {
    if (cli !== undefined && cli.exitCode === null) {
      const exited = new Promise((r) => cli?.on('exit', r));
      cli.kill('SIGTERM');
      await exited;
    }
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skipReason !== undefined)(
    'request_authorisation.py prints the authorisation URL',
    { timeout: 60_000 },
    async () => {
      const r = await run(script('request_authorisation.py', { CLIENT_ID: sandbox.clientId }));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const url = new URL(r.stdout.trim());
      expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.url}/oauth2/authorize`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: sandbox.clientId,
        response_type: 'code',
        redirect_uri: 'http://localhost:8000/',
        scope: 'media_write',
      });
    },
  );

  it.skipIf(skipReason !== undefined)(
    'receive_authorisation.py gets the code on port 8000 and prints the tokens',
    { timeout: 60_000 },
    async () => {
      const authUrl = (await run(script('request_authorisation.py', { CLIENT_ID: sandbox.clientId }))).stdout.trim();
      await waitFor(() => (listening(8000) === undefined ? undefined : !listening(8000)), 'port 8000 to be free');
      const receiver = run(
        script('receive_authorisation.py', {
          CLIENT_ID: sandbox.clientId,
          CLIENT_SECRET: sandbox.clientSecret,
          REDIRECT_URI: sandbox.redirectUri,
        }),
      );
      await waitFor(() => listening(8000), 'receive_authorisation.py to listen on 8000');
      // The "browser": follow the authorisation URL; the sandbox redirects to localhost:8000.
      const res = await fetch(authUrl, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = res.headers.get('location') ?? '';
      expect(location).toMatch(/^http:\/\/localhost:8000\/\?code=/);
      const page = await browserGet(location);
      expect(page).toContain('OK!');
      const r = await receiver;
      // BaseHTTPRequestHandler logs each request to stderr; nothing else may appear there.
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/"GET \/\?code=[^ ]+ HTTP\/1\.1" 200 -$/)]);
      expect(r.code).toBe(0);
      const m = /^Access token: {2}([0-9a-f]{40})\nRefresh token: ([0-9a-f]{40})\n$/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      tokens = { access: m?.[1] ?? '', refresh: m?.[2] ?? '' };
      const profile = await fetch(`${sandbox.url}/api/2/accounts/profile/`, {
        headers: { Authorization: `Bearer ${tokens.access}` },
      });
      expect(profile.status).toBe(200);
    },
  );

  it.skipIf(skipReason !== undefined)(
    'refresh_token.py prints NEW TOKENS, and the old access token stops working',
    { timeout: 60_000 },
    async () => {
      expect(tokens, 'needs the tokens from receive_authorisation.py').toBeDefined();
      const r = await run(
        script('refresh_token.py', { CLIENT_ID: sandbox.clientId, CLIENT_SECRET: sandbox.clientSecret }),
        `${tokens.refresh}\n`,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const m = /^Refresh token: \nNEW TOKENS\nAccess token: {2}([0-9a-f]{40})\nRefresh token: ([0-9a-f]{40})\n$/.exec(
        r.stdout,
      );
      expect(m, r.stdout).not.toBeNull();
      const fresh = { access: m?.[1] ?? '', refresh: m?.[2] ?? '' };
      expect(fresh.access).not.toBe(tokens.access);
      expect(fresh.refresh).not.toBe(tokens.refresh);
      const old = await fetch(`${sandbox.url}/api/2/accounts/profile/`, {
        headers: { Authorization: `Bearer ${tokens.access}` },
      });
      expect(old.status).toBe(401);
      tokens = fresh;
    },
  );

  it.skipIf(skipReason !== undefined)(
    'acquire_pages_read.py prints "Acquired successfully." and the client owns pages_read',
    { timeout: 60_000 },
    async () => {
      expect(tokens, 'needs the tokens from refresh_token.py').toBeDefined();
      const r = await run(script('acquire_pages_read.py', { TOKEN: tokens.access }));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('Acquired successfully.\n');
      const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as {
        attributes: Array<{ name: string; owner: string | null; value_type: number; template: string | null }>;
      };
      expect(state.attributes.find((a) => a.name === 'pages_read')).toMatchObject({
        owner: sandbox.clientId,
        value_type: 0,
        template: 'pages_read',
      });
    },
  );
});
