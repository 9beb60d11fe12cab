/**
 * The app core against the sandbox over real HTTP: connect through the consent page,
 * acquire, click, undo, set a total for another day, and see Exist agree.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountDir, createAppCore, type AppCore } from '../../../src/core/app';
import { createFileSecretStore } from '../../../src/core/auth';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { systemClock } from '../../../src/core/ports';
import type { NotificationView, PushChannel } from '../../../src/shared/ipc-contract';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { statusLines } from '../../../src/cli/commands/account';
import { trayStateFrom } from '../../../src/core/traystate';
import type { AccountView, SyncView } from '../../../src/shared/ipc-contract';
import type { SyncState } from '../../../src/shared/sync-state';
import { browse } from '../auth/browser';
import { freePort } from '../auth/helpers';
import { quietShell, testInfo } from '../../support/app-core';

const trusted = { url: 'test://', trusted: true };

interface Harness {
  core: AppCore;
  sandbox: Sandbox;
  call: (channel: string, payload?: unknown) => Promise<unknown>;
  pushes: { channel: PushChannel; payload: unknown }[];
  notifications: NotificationView[];
  opened: string[];
  dir: string;
}

const open: Harness[] = [];

async function harness(
  opts: { timezone?: string; decision?: 'allow' | 'deny'; existUrl?: string; port?: number } = {},
): Promise<Harness> {
  const port = opts.port ?? (await freePort());
  const redirectUri = `http://localhost:${port}/`;
  const sandbox = await startSandbox({ redirectUri, timezone: opts.timezone ?? 'Pacific/Kiritimati' });
  const dir = mkdtempSync(join(tmpdir(), 'exist-core-'));
  const opened: string[] = [];
  const notifications: NotificationView[] = [];
  const core = createAppCore({
    dataDir: dir,
    secrets: createFileSecretStore(join(dir, 'secrets.json')),
    notifier: { notify: (n) => void notifications.push({ ...n, at: Date.now() }) },
    opener: {
      openExternal: async (url) => {
        opened.push(url);
        void browse(url, { decision: opts.decision ?? 'allow' }).catch(() => {});
      },
    },
    clock: systemClock,
    shell: quietShell(),
    sandbox: {
      start: async () => ({ url: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }),
      stop: async () => {},
    },
    redirectUri,
    ...(opts.existUrl ? { existUrl: opts.existUrl } : {}),
    flushDebounceMs: 20,
    info: testInfo('browser', '0.0.0'),
  });
  await core.start();
  const dispatcher = createDispatcher(core.invoke, core.send);
  const pushes: Harness['pushes'] = [];
  core.onPush((channel, payload) => pushes.push({ channel, payload }));
  const call = async (channel: string, payload: unknown = {}) => {
    const r = await dispatcher.invoke(channel, payload, trusted);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value;
  };
  const h = { core, sandbox, call, pushes, notifications, opened, dir };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.core.stop();
    await h.sandbox.close();
    rmSync(h.dir, { recursive: true, force: true });
  }
});

const waitFor = async <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function connect(
  h: Harness,
  scopes = ['media_write', 'media_read'],
  server?: { clientId: string; clientSecret: string },
) {
  const view = (await h.call('account:connect', {
    clientId: server?.clientId ?? '',
    clientSecret: server?.clientSecret ?? '',
    scopes,
    server: server ? 'exist' : 'sandbox',
  })) as { status: string; authorizeUrl: string };
  expect(view.status).toBe('connecting');
  expect(view.authorizeUrl).toContain('/oauth2/authorize');
  return waitFor(async () => {
    const v = (await h.call('account:get')) as { status: string };
    return v.status === 'connected' ? v : v.status === 'connecting' ? undefined : v;
  }, 'connected');
}

describe('app core against the sandbox', () => {
  it('an exist-tray:// write from a web page is proposed, not applied, until the user confirms it', async () => {
    const h = await harness();
    await connect(h);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    const decide = h.core.commands.decideLaunch;
    expect(decide).toBeDefined();
    const pending = async () => ((await h.call('sync:get')) as { pending: number }).pending;

    // The link: refused with a reason, nothing queued.
    const hostile = 'exist-tray://increment?attribute=pages_read&value=2147483647&date=2000-01-01';
    expect(decide!(['/exe', hostile], true)).toEqual({ kind: 'show-popover' });
    await waitFor(
      () => (h.notifications.some((n) => /did not apply that link/.test(n.title)) ? true : undefined),
      'refusal',
    );
    expect(await pending()).toBe(0);

    // A sane link: proposed (the popover shows it), still nothing queued.
    expect(decide!(['/exe', 'exist-tray://increment?attribute=pages_read&value=2'], true)).toEqual({
      kind: 'show-popover',
    });
    const proposal = await waitFor(
      async () => ((await h.call('links:get-proposal')) as { id: string; summary: string } | null) ?? undefined,
      'proposal',
    );
    expect(proposal.summary).toMatch(/^Pages read \+2 on \d{4}-\d{2}-\d{2}$/);
    expect(h.pushes.some((p) => p.channel === 'links:proposal' && p.payload !== null)).toBe(true);
    expect(await pending()).toBe(0);

    // One click: written through the normal write path.
    await h.call('links:confirm', { id: proposal.id });
    expect(await h.call('links:get-proposal')).toBeNull();
    const today = ((await h.call('tray:get-view')) as { today: string }).today;
    await waitFor(
      () =>
        h.sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[today] === 2
          ? true
          : undefined,
      'Exist has +2',
    );
  });

  it('connects through the consent page, acquires pages_read and writes +1 ×3, +10 and yesterday’s total', async () => {
    const h = await harness();
    const account = (await connect(h)) as { status: string; profile: { username: string; timezone: string } };
    expect(account.status).toBe('connected');
    expect(account.profile.username).toBe('demo');

    const acquired = (await h.call('attributes:acquire', { by: 'template', name: 'pages_read' })) as {
      name: string;
      valueType: number;
    };
    expect(acquired).toMatchObject({ name: 'pages_read', valueType: 0 });

    for (let i = 0; i < 3; i++) await h.call('values:increment', { name: 'pages_read', delta: 1 });
    await h.call('values:increment', { name: 'pages_read', delta: 10 });
    type View = { today: string; groups: { attributes: { name: string; value: unknown; pendingDelta: unknown }[] }[] };
    const row = async () =>
      ((await h.call('tray:get-view')) as View).groups
        .flatMap((g) => g.attributes)
        .find((a) => a.name === 'pages_read');
    // At once, before Exist answers: the total if the day's base is known already, else the pending +13.
    const first = await row();
    expect(first?.value === 13 || (first?.value === null && first?.pendingDelta === 13)).toBe(true);
    // With a read scope the base is learnt, and the row settles on the total.
    await waitFor(async () => ((await row())?.value === 13 ? true : undefined), 'value 13');
    const view = (await h.call('tray:get-view')) as View;

    const yesterday = (await h.call('tray:get-view')) as { today: string };
    const y = new Date(`${yesterday.today}T00:00:00Z`);
    y.setUTCDate(y.getUTCDate() - 1);
    const yDate = y.toISOString().slice(0, 10);
    await h.call('values:set', { name: 'pages_read', value: 42, date: yDate });

    await h.call('sync:now');
    await waitFor(
      () =>
        h.sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[view.today] === 13
          ? true
          : undefined,
      'sandbox total',
    );
    const state = h.sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')!;
    expect(state.values[view.today]).toBe(13);
    expect(state.values[yDate]).toBe(42);
    // The burst coalesced: far fewer write calls than clicks.
    const writes = h.sandbox.admin
      .getState()
      .calls.filter((c) => c.path.includes('/increment') || c.path.includes('/update'));
    expect(writes.length).toBeLessThan(5);
  });

  it('uses the user’s Exist date, not the machine’s', async () => {
    const h = await harness({ timezone: 'Pacific/Kiritimati' });
    await connect(h);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    const receipt = (await h.call('values:increment', { name: 'pages_read', delta: 1 })) as { date: string };
    const kiritimati = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Pacific/Kiritimati',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
    expect(receipt.date).toBe(kiritimati);
  });

  it('undoes a click before it is sent', async () => {
    const h = await harness();
    await connect(h);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    const r = (await h.call('values:increment', { name: 'pages_read', delta: 5 })) as { id: string };
    const u = (await h.call('values:undo', { id: r.id })) as { undone: boolean };
    expect(u.undone).toBe(true);
    await h.call('sync:now');
    const v = (await h.call('tray:get-view')) as { today: string };
    expect(h.sandbox.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values[v.today] ?? 0).toBe(0);
  });

  it('refuses writes it cannot make, in words', async () => {
    const h = await harness();
    await expect(h.call('values:increment', { name: 'pages_read', delta: 1 })).rejects.toThrow(/does not own/);
    await connect(h, ['media_write']);
    await expect(h.call('attributes:acquire', { by: 'template', name: 'steps' })).rejects.toThrow(/activity_write/);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    await expect(h.call('values:increment', { name: 'pages_read', delta: 1.5 })).rejects.toThrow();
    await expect(h.call('values:increment', { name: 'pages_read', delta: 1, date: '2999-01-01' })).rejects.toThrow(
      /future/,
    );
  });

  it('a Deny on the consent page leaves the account disconnected with a message', async () => {
    const h = await harness({ decision: 'deny' });
    await h.call('account:connect', { clientId: '', clientSecret: '', scopes: ['media_write'], server: 'sandbox' });
    const v = (await waitFor(async () => {
      const a = (await h.call('account:get')) as { status: string; error: { message: string } | null };
      return a.status === 'connecting' ? undefined : a;
    }, 'denied')) as { status: string; error: { message: string } | null };
    expect(v.status).toBe('disconnected');
    expect(v.error?.message).toMatch(/not to allow|den|refus|declin/i);
  });

  it('keeps each account’s queued writes to itself: switching from the sandbox to another server sends none of them there', async () => {
    const port = await freePort();
    const other = await startSandbox({ redirectUri: `http://localhost:${port}/`, timezone: 'Europe/London' });
    try {
      const h = await harness({ existUrl: other.url, port });
      await connect(h);
      await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
      h.sandbox.admin.failNext(1000, { kind: 'status', status: 503 }, { pathPrefix: '/api/2/attributes' });
      await h.call('values:increment', { name: 'pages_read', delta: 7 });
      expect(((await h.call('sync:get')) as { pending: number }).pending).toBe(1);

      // Now a real-Exist-like server (another sandbox) with its own client.
      await connect(h, ['media_write', 'media_read'], { clientId: other.clientId, clientSecret: other.clientSecret });
      expect(((await h.call('sync:get')) as { pending: number }).pending).toBe(0);
      await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
      await h.call('sync:now');
      expect(other.admin.getState().attributes.find((a) => a.name === 'pages_read')?.values ?? {}).toEqual({});
      expect(other.admin.getState().calls.filter((c) => c.path.includes('/increment'))).toEqual([]);
      // The sandbox account's write is still on disk, for when that account is connected again.
      const journal = readFileSync(join(accountDir(h.dir, 'sandbox-demo'), 'outbox', 'journal.jsonl'), 'utf8');
      expect(journal).toContain('"delta":7');
      expect(h.pushes.some((p) => p.channel === 'app:notification' && JSON.stringify(p.payload).includes('kept'))).toBe(
        true,
      );
    } finally {
      await other.close();
    }
  });
});

describe('the sync state (one model for every surface)', () => {
  it('says "1 failed", never "All synced", while Exist refuses a write; then "Disconnected" after a Disconnect', async () => {
    const h = await harness();
    await connect(h);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    type State = { kind: string; label: string; failed: number; queued: number };
    await waitFor(async () => ((await h.call('sync:get-state')) as State).kind === 'synced' || undefined, 'synced');
    h.sandbox.admin.failNext(
      1,
      { kind: 'status', status: 400, body: { detail: 'Invalid value for pages_read.' } },
      { pathPrefix: '/api/2/attributes/increment' },
    );
    await h.call('values:increment', { name: 'pages_read', delta: 1 });
    await h.call('sync:now');
    const failed = await waitFor(async () => {
      const s = (await h.call('sync:get-state')) as State;
      return s.failed === 1 ? s : undefined;
    }, 'failed state');
    expect(failed.kind).toBe('failed');
    expect(failed.label).toBe('1 failed');
    // The refusal in words from the one mapper: Exist's text once, no HTTP status or path; raw text as detail.
    const listed = ((await h.call('sync:get')) as SyncView).failed[0]!;
    expect(listed.message).toMatch(/^Exist refused it: Invalid value for pages_read\. Check the value/);
    expect(listed.message).not.toMatch(/HTTP|\/api\/|\.\./);
    expect(listed.detail).toMatch(/HTTP 400/);
    const notice = h.notifications.find((n) => n.title === 'Exist refused a write');
    expect(notice?.body).toMatch(/^Pages read on \w{3} \d+ \w{3}: Exist refused it: Invalid value/);
    expect(notice?.body).not.toMatch(/pages_read on|HTTP|\.\./);
    await waitFor(
      () =>
        h.pushes.some((p) => p.channel === 'sync:state-changed' && (p.payload as State).kind === 'failed') || undefined,
      'a pushed failed state',
    );
    await h.call('account:disconnect');
    const off = await waitFor(async () => {
      const s = (await h.call('sync:get-state')) as State;
      return s.kind === 'disconnected' ? s : undefined;
    }, 'disconnected');
    expect(off.label).toMatch(/^Disconnected/);
    await waitFor(
      () =>
        h.pushes.some((p) => p.channel === 'sync:state-changed' && (p.payload as State).kind === 'disconnected') ||
        undefined,
      'a pushed disconnected state',
    );
  });

  it('a 503 reads as Exist having trouble, not as "can’t be reached"; a dropped connection reads as offline', async () => {
    const h = await harness();
    await connect(h);
    await h.call('attributes:acquire', { by: 'template', name: 'pages_read' });
    type State = { kind: string; label: string; sentence: string; pauseReason: string | null } & SyncState;
    type View = { pending: number; lastError: { code: string; message: string } | null };
    await waitFor(async () => ((await h.call('sync:get-state')) as State).kind === 'synced' || undefined, 'synced');
    h.sandbox.admin.failNext(1000, { kind: 'status', status: 503 }, { pathPrefix: '/api/2/attributes/update' });
    // A total (update) is safe to resend, so the 503 stops sending without a lost-answer check.
    await h.call('values:set', { name: 'pages_read', value: 12 });
    const surfaces = async () => {
      const view = (await h.call('sync:get')) as View;
      const state = (await h.call('sync:get-state')) as State;
      const account = (await h.call('account:get')) as AccountView;
      return {
        view,
        state,
        words: [
          view.lastError?.message ?? '',
          state.label,
          state.sentence,
          trayStateFrom(state).tooltip,
          ...statusLines(account, [], view as unknown as SyncView, state),
        ].join('\n'),
      };
    };
    // The first stop (a 503 answer), then a flush held back by the back-off: both say why.
    for (const attempt of ['answered 503', 'held back by the back-off']) {
      await h.call('sync:now');
      const s = await waitFor(async () => {
        const x = await surfaces();
        return x.view.lastError ? x : undefined;
      }, `a stop (${attempt})`);
      expect(s.view.lastError?.code, attempt).toBe('server');
      expect(s.state.pauseReason, attempt).toBe('server');
      expect(s.words, attempt).toMatch(/Exist had a problem/);
      expect(s.words, attempt).not.toMatch(/can.t be reached|503|HTTP|\/api\//);
    }
    h.sandbox.admin.clearFaults();
    await h.call('sync:now').catch(() => undefined);
    h.sandbox.admin.failNext(1000, { kind: 'drop-before' }, { pathPrefix: '/api/2/attributes/update' });
    await h.call('values:set', { name: 'pages_read', value: 13 });
    const off = await waitFor(async () => {
      await h.call('sync:now');
      const x = await surfaces();
      return x.view.lastError?.code === 'offline' ? x : undefined;
    }, 'offline');
    expect(off.state.pauseReason).toBe('offline');
    expect(trayStateFrom(off.state).tooltip).toMatch(/Exist can't be reached/);
    expect(off.words).not.toMatch(/Exist had a problem/);
  });
});
