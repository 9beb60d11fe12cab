/**
 * One installation of Exist Tray as the multi-writer tests need it: its own data folder,
 * its own token pair (same OAuth client, same sandbox account), its own rate budget wired
 * to the Exist client's meter (as the app wires it), and its own outbox — all on the
 * shared virtual clock.
 */
import { createTokenManager } from '../../src/core/auth/token-manager';
import { createExistClient, type ExistClient } from '../../src/core/exist/client';
import { createOutbox, type Outbox, type OutboxOptions } from '../../src/core/outbox/index';
import { createRateBudget, type RateBudget } from '../../src/core/rate/budget';
import type { Sandbox } from '../../src/sandbox';
import { accountFor, existWriteApi, memoryAccountStore, tempDir, type VirtualClock } from './harness';

export interface Installation {
  name: string;
  dir: string;
  outbox: Outbox;
  client: ExistClient;
  /** The same client with a 5 s timeout, for set-up calls (a cold first answer is not under test). */
  setupClient: ExistClient;
  budget: RateBudget;
  /** The access token in use now (it changes on refresh). */
  accessToken(): Promise<string>;
  close(): Promise<void>;
}

export interface InstallationOptions {
  name: string;
  sandbox: Sandbox;
  clock: VirtualClock;
  scopes: string[];
  /** Client timeout (real milliseconds; a hang costs this much). */
  timeoutMs?: number;
  random?: () => number;
  /** Defaults to Exist's 300 an hour. */
  budget?: RateBudget;
  outbox?: Partial<Pick<OutboxOptions, 'probeWithZeroIncrement' | 'graceMs' | 'onEvent'>>;
}

export async function openInstallation(o: InstallationOptions): Promise<Installation> {
  const { sandbox, clock } = o;
  const { dir, cleanup } = tempDir(`exist-writer-${o.name}-`);
  const pair = sandbox.issueToken(o.scopes);
  const store = memoryAccountStore(accountFor(sandbox, pair, o.scopes, clock.now()));
  const budget = o.budget ?? createRateBudget({ clock, ...(o.random ? { random: o.random } : {}) });
  const oauth = createExistClient({ baseUrl: sandbox.url, timeoutMs: 5_000 });
  const tokens = createTokenManager({ store, oauth, clock });
  const client = createExistClient({
    baseUrl: sandbox.url,
    timeoutMs: o.timeoutMs ?? 250,
    auth: tokens,
    meter: budget.meter,
  });
  const setupClient = createExistClient({ baseUrl: sandbox.url, timeoutMs: 5_000, auth: tokens, meter: budget.meter });
  const outbox = await createOutbox({
    dir,
    api: existWriteApi(client),
    clock,
    budget,
    keepSynced: 100_000,
    ...(o.random ? { random: o.random } : {}),
    ...o.outbox,
  });
  return {
    name: o.name,
    dir,
    outbox,
    client,
    setupClient,
    budget,
    accessToken: async () => (await store.load())!.accessToken,
    async close() {
      await outbox.close();
      cleanup();
    },
  };
}

/** Flushes until the outbox is drained or stops for good, moving the virtual clock as it asks. */
export async function drain(inst: Installation, clock: VirtualClock, maxAttempts = 200): Promise<void> {
  for (let i = 0; i < maxAttempts; i++) {
    const r = await inst.outbox.flush();
    const s = inst.outbox.snapshot();
    if (!r.stopped && s.pending.length === 0 && s.sending.length === 0) return;
    if (s.failed.length > 0 && s.pending.length === 0 && s.sending.length === 0) return;
    if (r.stopped?.reason === 'auth' || r.stopped?.reason === 'journal') throw new Error(r.stopped.message);
    clock.advanceTo(r.stopped?.retryAt ?? clock.now() + 1_000);
  }
  throw new Error(`${inst.name}: the outbox did not drain in ${maxAttempts} attempts`);
}
