/**
 * Preferences that are not secrets: general settings, the chosen server, and each
 * owned attribute's tray preferences. One JSON file in the data dir, validated on
 * load; a corrupt file is set aside (never deleted) and defaults are used, with a
 * warning for the user. Writes go through core/fs (atomic, 0600, in call order).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { reminderRule } from '../../shared/ipc-schemas';
import type { AttributePrefs, ServerKind, Settings } from '../../shared/ipc-contract';
import { serial, setAside, writeFileAtomic } from '../fs';
import { defaultStepsFor } from '../values';

export const DEFAULT_SETTINGS: Settings = {
  launchAtLogin: false,
  globalShortcut: 'CommandOrControl+Shift+E',
  notifications: { tokenRefreshed: true, reconnectNeeded: true, writesFailing: true },
  allowPlaintextSecrets: false,
  applyLinksWithoutAsking: false,
};

const prefsSchema = z.object({
  visible: z.boolean(),
  steps: z.array(z.number().finite().positive()).max(4),
  order: z.number().finite(),
  reminder: reminderRule.nullable().optional(),
});

const fileSchema = z.object({
  version: z.literal(1),
  settings: z.object({
    launchAtLogin: z.boolean(),
    globalShortcut: z.string().nullable(),
    notifications: z.object({ tokenRefreshed: z.boolean(), reconnectNeeded: z.boolean(), writesFailing: z.boolean() }),
    allowPlaintextSecrets: z.boolean(),
    applyLinksWithoutAsking: z.boolean().optional(),
    trayTitleAttribute: z.string().nullable().optional(),
  }),
  server: z.object({ kind: z.enum(['exist', 'sandbox']), baseUrl: z.string() }).nullable(),
  /** Which account's outbox is in use (see accountKey in src/core/app). */
  accountKey: z.string().nullable().default(null),
  attributes: z.record(z.string(), prefsSchema),
});

export interface PersistedPrefs {
  version: 1;
  settings: Settings;
  server: { kind: ServerKind; baseUrl: string } | null;
  accountKey: string | null;
  attributes: Record<string, AttributePrefs>;
}

export interface PrefsStore {
  get(): PersistedPrefs;
  update(change: (p: PersistedPrefs) => PersistedPrefs): Promise<PersistedPrefs>;
  /** A problem found at load (corrupt file set aside), for a one-time warning. */
  readonly loadWarning: string | null;
}

const defaults = (): PersistedPrefs => ({
  version: 1,
  settings: structuredClone(DEFAULT_SETTINGS),
  server: null,
  accountKey: null,
  attributes: {},
});

export function openPrefsStore(path: string, now: () => number = Date.now): PrefsStore {
  let current = defaults();
  let loadWarning: string | null = null;
  if (existsSync(path)) {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
      current = parsed.data;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      loadWarning = `${setAside(path, 'Your settings file', reason, now()).message} Defaults are in use.`;
    }
  }
  const run = serial();
  return {
    get: () => current,
    loadWarning,
    update(change) {
      const next = change(structuredClone(current));
      current = next;
      return run(() => writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`)).then(() => next);
    },
  };
}

/** Steps a new attribute starts with, in its stored unit. */
export function defaultSteps(valueType: number): number[] {
  return defaultStepsFor(valueType);
}
