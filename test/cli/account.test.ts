/**
 * `exist-tray login | status | refresh | logout | templates`: real processes against a
 * spawned sandbox (the callback moved off port 8000 through EXIST_TRAY_REDIRECT_URI),
 * plus in-process runs through `runCli` for usage errors and `--json` shapes.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import {
  canListen,
  cleanEnv,
  freePort,
  runCliProcess,
  runInProcess,
  spawnCli,
  spawnSandbox,
  type SpawnedSandbox,
} from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exist-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The stored account the CLI keeps in <data-dir>/cli-secrets.json, or undefined. */
function storedAccount(dataDir: string): { accessToken: string; refreshToken: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(join(dataDir, 'cli-secrets.json'), 'utf8');
  } catch {
    return undefined;
  }
  const all = JSON.parse(raw) as Record<string, string>;
  return all['exist-account']
    ? (JSON.parse(all['exist-account']) as { accessToken: string; refreshToken: string })
    : undefined;
}

const profileStatus = async (base: string, token: string) =>
  (await fetch(`${base}/api/2/accounts/profile/`, { headers: { Authorization: `Bearer ${token}` } })).status;

describe.sequential('real processes against the spawned sandbox', () => {
  let sb: SpawnedSandbox;
  let port: number;
  let env: Record<string, string | undefined>;
  const cli = (dataDir: string, ...args: string[]) => ['--data-dir', dataDir, '--exist-url', sb.url, ...args];

  beforeAll(async () => {
    port = await freePort();
    sb = await spawnSandbox(['--auto-approve', '--redirect-uri', `http://127.0.0.1:${port}/`]);
    env = cleanEnv({ EXIST_TRAY_REDIRECT_URI: sb.redirectUri });
  }, 15_000);
  afterAll(async () => {
    await sb?.stop();
  });

  /** Starts `login`, follows the printed URL like a browser would, and returns the result. */
  async function login(dataDir: string, args: string[], loginEnv = env) {
    const p = spawnCli(cli(dataDir, 'login', '--no-browser', ...args), loginEnv);
    const url = await p.waitFor(/^https?:\/\/\S+\/oauth2\/authorize\?/);
    const page = await fetch(url); // auto-approve → redirect to the callback listener
    const result = await p.exited;
    return { page, pageText: await page.text(), result, url };
  }

  it('login, status, refresh (old token refused), logout', async () => {
    const data = join(dir, 'data');
    // The secret from the environment, not the command line (test/cli/secret.test.ts covers the other ways).
    const first = await login(data, ['--client-id', sb.clientId], { ...env, EXIST_CLIENT_SECRET: sb.clientSecret });
    expect(first.result.stderr).toBe('');
    expect(first.result.code).toBe(0);
    expect(new URL(first.url).searchParams.get('redirect_uri')).toBe(sb.redirectUri);
    expect(first.page.status).toBe(200);
    expect(first.pageText).toContain('Connected to Exist as demo');
    const lines = first.result.stdout.trimEnd().split('\n');
    expect(lines).toContain(first.url); // the URL is a line of its own
    expect(lines.at(-1)).toMatch(
      /^Connected to Exist as demo \(Demo User\), scopes: media_write; token valid until \d{4}-\d\d-\d\d$/,
    );
    expect(statSync(join(data, 'cli-secrets.json')).mode & 0o777).toBe(0o600);
    const before = storedAccount(data);
    expect(before).toBeDefined();
    expect(await profileStatus(sb.url, before!.accessToken)).toBe(200);

    const human = await runCliProcess(cli(data, 'status'), env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/connected as demo \(Demo User\)/);
    expect(human.stdout).toContain(sb.url);
    expect(human.stdout).toMatch(/Pending writes: 0/);

    const refresh = await runCliProcess(cli(data, 'refresh'), env);
    expect(refresh.stderr).toBe('');
    expect(refresh.code).toBe(0);
    expect(refresh.stdout).toMatch(/^Token renewed for demo \(Demo User\); valid until \d{4}-\d\d-\d\d$/m);
    const after = storedAccount(data)!;
    expect(after.accessToken).not.toBe(before!.accessToken);
    expect(await profileStatus(sb.url, before!.accessToken)).toBe(401);
    expect(await profileStatus(sb.url, after.accessToken)).toBe(200);

    const logout = await runCliProcess(cli(data, 'logout'), env);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toMatch(/Disconnected from Exist/);
    expect(storedAccount(data)).toBeUndefined();
    const gone = await runCliProcess(cli(data, 'status'), env);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/not connected/);
  }, 30_000);

  it('Ctrl-C while waiting cancels the attempt and frees the callback port', async () => {
    const data = join(dir, 'data');
    const p = spawnCli(cli(data, 'login', '--no-browser', '--client-id', sb.clientId, '--client-secret-stdin'), env);
    p.child.stdin.end(`${sb.clientSecret}\n`);
    await p.waitFor(/Waiting for Exist/);
    expect(await canListen(port)).toBe(false); // the listener holds it while waiting
    p.child.kill('SIGINT');
    const r = await p.exited;
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['exist-tray: Login cancelled; nothing was changed.']);
    expect(await canListen(port)).toBe(true);
    expect(storedAccount(data)).toBeUndefined();
  }, 15_000);
});

describe('in-process: usage errors, missing credentials, --json shapes', () => {
  const base = () => ['--data-dir', join(dir, 'data'), '--exist-url', 'http://127.0.0.1:9'];

  it.each([
    [['login', '--scopes', 'media_write,flying_write']],
    [['login', '--scopes', ',']],
    [['login', '--bogus']],
    [['templates', '--group', 'nope']],
    [['frobnicate']],
  ])('exit 2 for %j', async (args) => {
    const r = await runInProcess([...base(), ...args], {});
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr.length).toBeGreaterThan(0);
  });

  it('exit 2 for a malformed EXIST_TRAY_REDIRECT_URI', async () => {
    const r = await runInProcess([...base(), 'login', '--client-id', 'a', '--client-secret', 'b'], {
      EXIST_TRAY_REDIRECT_URI: 'localhost:8000',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/EXIST_TRAY_REDIRECT_URI/)]);
  });

  it('missing client ID or secret: exit 1 with one line', async () => {
    const noId = await runInProcess([...base(), 'login', '--no-browser'], {});
    expect(noId.code).toBe(1);
    expect(noId.stderr).toEqual([
      expect.stringMatching(/^exist-tray: No client ID: pass --client-id or set EXIST_CLIENT_ID/),
    ]);
    const noSecret = await runInProcess([...base(), 'login', '--no-browser'], { EXIST_CLIENT_ID: 'abc' });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toEqual([expect.stringMatching(/^exist-tray: No client secret/)]);
  });

  it('refresh and templates when not connected: exit 1 with one line', async () => {
    for (const cmd of ['refresh', 'templates']) {
      const r = await runInProcess([...base(), cmd], {});
      expect(r.code).toBe(1);
      expect(r.stderr).toEqual(['exist-tray: Not connected to Exist. Run `exist-tray login` first.']);
    }
  });

  it('status and logout --json when not connected', async () => {
    const s = await runInProcess([...base(), '--json', 'status'], {});
    expect(s.code).toBe(0);
    expect(s.stdout).toHaveLength(1);
    const v = JSON.parse(s.stdout[0]!);
    expect(v.account).toMatchObject({
      status: 'disconnected',
      server: { baseUrl: 'http://127.0.0.1:9' },
      scopes: [],
      profile: null,
    });
    expect(v.attributes).toEqual([]);
    expect(v.sync).toMatchObject({ pending: 0, failed: [], maybeDoubled: [] });
    const l = await runInProcess([...base(), '--json', 'logout'], {});
    expect(l.code).toBe(0);
    expect(JSON.parse(l.stdout[0]!)).toMatchObject({ status: 'disconnected' });
  });

  describe('connected to an in-process sandbox', () => {
    let sandbox: Sandbox;
    let redirect: string;
    beforeEach(async () => {
      redirect = `http://127.0.0.1:${await freePort()}/`;
      sandbox = await startSandbox({ port: 0, autoApprove: true, redirectUri: redirect });
    });
    afterEach(async () => {
      await sandbox.close();
    });

    /** `login` in-process; `follow` plays the browser once the authorize URL is printed. */
    async function loginInProcess(argv: string[], env: Record<string, string>, follow: (url: URL) => Promise<unknown>) {
      let followed: Promise<unknown> | undefined;
      const onLine = (l: string) => {
        if (/^https?:\/\/\S+\/oauth2\/authorize\?/.test(l)) followed = follow(new URL(l.trim()));
      };
      const r = await runInProcess([...argv, 'login', '--no-browser'], env, { onStdout: onLine, onStderr: onLine });
      await followed;
      return { ...r, followed: followed !== undefined };
    }
    const allow = (url: URL) => fetch(url);

    it('client from the environment first, then remembered from the stored account', async () => {
      const argv = ['--data-dir', join(dir, 'data'), '--exist-url', sandbox.url];
      const env = {
        EXIST_TRAY_REDIRECT_URI: redirect,
        EXIST_CLIENT_ID: sandbox.clientId,
        EXIST_CLIENT_SECRET: sandbox.clientSecret,
      };
      const first = await loginInProcess(argv, env, allow);
      expect(first.code).toBe(0);
      expect(first.stdout.at(-1)).toMatch(/^Connected to Exist as demo/);
      let asked: URL | undefined;
      const again = await loginInProcess(argv, { EXIST_TRAY_REDIRECT_URI: redirect }, (u) => ((asked = u), allow(u)));
      expect(again.stderr).toEqual([]);
      expect(again.code).toBe(0);
      expect(asked?.searchParams.get('client_id')).toBe(sandbox.clientId);
      expect(asked?.searchParams.get('scope')).toBe('media_write'); // the scopes granted last time
    });

    it('the client is remembered across logout: login again needs no flags', async () => {
      const argv = ['--data-dir', join(dir, 'data'), '--exist-url', sandbox.url];
      const env = {
        EXIST_TRAY_REDIRECT_URI: redirect,
        EXIST_CLIENT_ID: sandbox.clientId,
        EXIST_CLIENT_SECRET: sandbox.clientSecret,
      };
      expect((await loginInProcess(argv, env, allow)).code).toBe(0);
      expect((await runInProcess([...argv, 'logout'], { EXIST_TRAY_REDIRECT_URI: redirect })).code).toBe(0);
      let asked: URL | undefined;
      const again = await loginInProcess(argv, { EXIST_TRAY_REDIRECT_URI: redirect }, (u) => ((asked = u), allow(u)));
      expect(again.stderr).toEqual([]);
      expect(again.code).toBe(0);
      expect(asked?.searchParams.get('client_id')).toBe(sandbox.clientId);
    });

    it('access denied: exit 1, one stderr line, nothing stored', async () => {
      const data = join(dir, 'data');
      const env = {
        EXIST_TRAY_REDIRECT_URI: redirect,
        EXIST_CLIENT_ID: sandbox.clientId,
        EXIST_CLIENT_SECRET: sandbox.clientSecret,
      };
      const r = await loginInProcess(['--data-dir', data, '--exist-url', sandbox.url], env, (u) => {
        // Where Exist sends the browser when the user clicks Deny.
        const cb = new URL(redirect);
        cb.searchParams.set('error', 'access_denied');
        cb.searchParams.set('state', u.searchParams.get('state')!);
        return fetch(cb);
      });
      expect(r.followed).toBe(true);
      expect(r.code).toBe(1);
      expect(r.stderr).toEqual([expect.stringMatching(/^exist-tray: You chose not to allow Exist Tray/)]);
      expect(storedAccount(data)).toBeUndefined();
    });

    it('a busy callback port: exit 1, one clear stderr line', async () => {
      const port = Number(new URL(redirect).port);
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      try {
        const env = {
          EXIST_TRAY_REDIRECT_URI: redirect,
          EXIST_CLIENT_ID: sandbox.clientId,
          EXIST_CLIENT_SECRET: sandbox.clientSecret,
        };
        const r = await loginInProcess(['--data-dir', join(dir, 'data'), '--exist-url', sandbox.url], env, allow);
        expect(r.followed).toBe(false);
        expect(r.code).toBe(1);
        expect(r.stderr).toEqual([expect.stringMatching(new RegExp(`^exist-tray: Port ${port} is in use`))]);
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });

    it('login/status/templates/refresh --json print one JSON document each', async () => {
      const argv = ['--data-dir', join(dir, 'data'), '--exist-url', sandbox.url, '--json'];
      const env = {
        EXIST_TRAY_REDIRECT_URI: redirect,
        EXIST_CLIENT_ID: sandbox.clientId,
        EXIST_CLIENT_SECRET: sandbox.clientSecret,
      };
      let followed: Promise<Response> | undefined;
      const login = await runInProcess([...argv, 'login', '--no-browser', '--scopes', 'media_write,media_read'], env, {
        onStderr: (l) => {
          if (/\/oauth2\/authorize\?/.test(l)) followed = fetch(l.trim());
        },
      });
      expect(followed).toBeDefined();
      expect((await followed!).status).toBe(200);
      expect(login.code).toBe(0);
      expect(login.stdout).toHaveLength(1); // in --json mode the URL goes to stderr
      const view = JSON.parse(login.stdout[0]!);
      expect(view).toMatchObject({
        status: 'connected',
        scopes: ['media_write', 'media_read'],
        profile: { username: 'demo' },
        error: null,
      });
      expect(view).not.toHaveProperty('clientSecret');

      const status = await runInProcess([...argv, 'status'], {});
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout[0]!)).toMatchObject({ account: { status: 'connected' }, sync: { pending: 0 } });

      const templates = await runInProcess([...argv, 'templates', '--group', 'media'], {});
      expect(templates.code).toBe(0);
      const list = JSON.parse(templates.stdout[0]!) as { name: string; group: string; owned: boolean }[];
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((t) => t.group === 'media' && typeof t.owned === 'boolean')).toBe(true);

      const refresh = await runInProcess([...argv, 'refresh'], {});
      expect(refresh.code).toBe(0);
      expect(JSON.parse(refresh.stdout[0]!)).toMatchObject({ status: 'connected', profile: { username: 'demo' } });
    }, 15_000);
  });
});
