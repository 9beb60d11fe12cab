/**
 * The deep-link policy against the links a hostile page would open: a huge increment,
 * a date before the account or in the future, a text set, an attribute the user does
 * not track. Read-only links act at once; writes are proposed (label, value, date) and
 * only applied when the user turned on "Apply links without asking"; terminal argv
 * commands are not links and still apply.
 */
import { describe, expect, it } from 'vitest';
import { VALUE_TYPES } from '../../../src/shared/domain';
import { INTERNAL_MESSAGE, UserError } from '../../../src/core/errors';
import { createLaunchHandler } from '../../../src/core/launch/apply';
import {
  checkLinkWrite,
  createLinkPolicy,
  LINK_INCREMENT_LIMITS,
  type LinkContext,
  type LinkProposal,
} from '../../../src/core/launch/policy';
import type { RemoteCommand } from '../../../src/core/remote/protocol';

const ATTRS: Record<string, { label: string; valueType: (typeof VALUE_TYPES)[keyof typeof VALUE_TYPES] }> = {
  pages_read: { label: 'Pages read', valueType: VALUE_TYPES.integer },
  reading_min: { label: 'Reading', valueType: VALUE_TYPES.duration },
  mood: { label: 'Mood', valueType: VALUE_TYPES.scale },
  mood_note: { label: 'Mood note', valueType: VALUE_TYPES.string },
};
const ctx: LinkContext = {
  today: '2026-12-01',
  accountSince: '2025-03-10',
  attribute: (n) => ATTRS[n],
};
const link = (q: string) => ['/opt/Exist Tray/exist-tray', `exist-tray://${q}`];

function harness(opts: { auto?: boolean; connected?: boolean; failApply?: Error } = {}) {
  const applied: RemoteCommand[] = [];
  const proposed: LinkProposal[] = [];
  const told: string[] = [];
  let popovers = 0;
  const policy = createLinkPolicy({
    context: async () => (opts.connected === false ? null : ctx),
    applyWithoutAsking: async () => opts.auto ?? false,
    propose: (p) => proposed.push(p),
    apply: async (c) => {
      if (opts.failApply) throw opts.failApply;
      applied.push(c);
    },
    tell: (_t, body) => told.push(body),
  });
  const handle = createLaunchHandler({
    apply: async (c) => applied.push(c),
    notifier: { notify: (n) => told.push(n.body) },
    showPopover: () => popovers++,
    decide: policy.decide,
  });
  return {
    applied,
    proposed,
    told,
    popovers: () => popovers,
    async open(argv: string[]) {
      handle(argv, true);
      await policy.settled();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('deep links: writes are proposed, never applied silently', () => {
  it('the issue’s link (+2147483647 on 2000-01-01) is refused, not applied', async () => {
    const h = harness();
    await h.open(link('increment?attribute=pages_read&value=2147483647&date=2000-01-01'));
    expect(h.applied).toEqual([]);
    expect(h.proposed).toEqual([]);
    expect(h.told.join('\n')).toMatch(/before your Exist account existed/);
  });

  it('a sane increment opens the popover with the write proposed (label, value, date), not applied', async () => {
    const h = harness();
    await h.open(link('increment?attribute=pages_read&value=2'));
    expect(h.applied).toEqual([]);
    expect(h.popovers()).toBe(1);
    expect(h.proposed).toEqual([
      {
        command: { command: 'increment', args: { name: 'pages_read', delta: 2, date: '2026-12-01' } },
        attribute: 'pages_read',
        label: 'Pages read',
        valueText: '+2',
        date: '2026-12-01',
        summary: 'Pages read +2 on 2026-12-01',
      },
    ]);
  });

  it('a text set (mood_note) is proposed with the text shown, not applied', async () => {
    const h = harness();
    await h.open(link('set?attribute=mood_note&value=I%20was%20hacked&date=2026-11-30'));
    expect(h.applied).toEqual([]);
    expect(h.proposed[0]).toMatchObject({ label: 'Mood note', valueText: '“I was hacked”', date: '2026-11-30' });
  });

  it('with "Apply links without asking" the checked write is applied — still range-checked', async () => {
    const h = harness({ auto: true });
    await h.open(link('increment?attribute=pages_read&value=3'));
    expect(h.applied).toEqual([{ command: 'increment', args: { name: 'pages_read', delta: 3, date: '2026-12-01' } }]);
    await h.open(link('increment?attribute=pages_read&value=2147483647'));
    expect(h.applied).toHaveLength(1);
    expect(h.told.at(-1)).toMatch(/at most 10000/);
  });

  it('read-only links act at once: the popover, sync', async () => {
    const h = harness();
    await h.open(['/opt/Exist Tray/exist-tray']);
    expect(h.popovers()).toBe(1);
    await h.open(link('sync'));
    expect(h.applied).toEqual([{ command: 'sync', args: {} }]);
    expect(h.proposed).toEqual([]);
  });

  it('a command from the terminal (no link) still applies at once', async () => {
    const h = harness();
    await h.open(['/opt/Exist Tray/exist-tray', 'increment', 'pages_read', '2']);
    expect(h.applied).toEqual([{ command: 'increment', args: { name: 'pages_read', delta: 2 } }]);
  });

  it('not connected: nothing is applied or proposed', async () => {
    const h = harness({ connected: false });
    await h.open(link('increment?attribute=pages_read&value=2'));
    expect(h.applied).toEqual([]);
    expect(h.proposed).toEqual([]);
    expect(h.told.at(-1)).toMatch(/Connect to Exist first/);
  });
});

describe('a link that fails while being applied', () => {
  it('is told in the one mapper’s words: no raw error text, path, token or link in the notification', async () => {
    const raw = 'ENOSPC writing /home/u/.config/exist-tray/outbox.jsonl for exist-tray://increment?token=abc123';
    const h = harness({ auto: true, failApply: new Error(raw) });
    await h.open(link('increment?attribute=pages_read&value=2'));
    expect(h.told).toEqual([INTERNAL_MESSAGE]);
    expect(h.told.join('\n')).not.toMatch(/abc123|outbox\.jsonl|ENOSPC|exist-tray:\/\//);
  });
  it('a user error keeps its own words', async () => {
    const h = harness({ auto: true, failApply: new UserError('not-owned', 'Pages read is written by another app.') });
    await h.open(link('increment?attribute=pages_read&value=2'));
    expect(h.told).toEqual(['Pages read is written by another app.']);
  });
});

describe('checkLinkWrite', () => {
  const inc = (name: string, delta: number, date?: string): RemoteCommand & { command: 'increment' } => ({
    command: 'increment',
    args: { name, delta, ...(date ? { date } : {}) },
  });
  const set = (name: string, value: number | string, date?: string): RemoteCommand & { command: 'set' } => ({
    command: 'set',
    args: { name, value, ...(date ? { date } : {}) },
  });
  const reason = (v: ReturnType<typeof checkLinkWrite>) => (v.kind === 'refuse' ? v.message : 'accepted');

  it.each([
    [inc('pages_read', 1, '2026-12-02'), /in the future/],
    [inc('pages_read', 1, '2025-03-09'), /before your Exist account existed \(2025-03-10\)/],
    [inc('pages_read', LINK_INCREMENT_LIMITS[VALUE_TYPES.integer]! + 1), /at most 10000/],
    [inc('pages_read', -20_000), /at most 10000/],
    [inc('pages_read', 0), /adds nothing/],
    [inc('pages_read', 1.5), /whole number/],
    [inc('reading_min', 24 * 60 + 1), /1440/],
    [inc('mood', 1), /can't be incremented/],
    [inc('steps', 1), /not an attribute Exist Tray tracks/],
    [set('mood', 12), /between 1 and 9/],
    [set('mood', 'abc'), /Mood/],
    [set('mood_note', 'x'.repeat(5000)), /Mood note/],
  ])('refuses %j', (cmd, why) => {
    expect(reason(checkLinkWrite(cmd, ctx))).toMatch(why);
  });

  it.each([
    [inc('pages_read', 10_000), 'Pages read +10,000 on 2026-12-01'],
    [inc('pages_read', -3, '2025-03-10'), 'Pages read -3 on 2025-03-10'],
    [set('mood', 7, '2026-12-01'), 'Mood set to 7 / 9 on 2026-12-01'],
    [set('mood', '7'), 'Mood set to 7 / 9 on 2026-12-01'],
  ])('accepts %j', (cmd, summary) => {
    const v = checkLinkWrite(cmd, ctx);
    expect(v.kind === 'checked' ? v.proposal.summary : reason(v)).toBe(summary);
  });

  it('without a known account start, the floor is Exist’s own start', () => {
    const v = checkLinkWrite(inc('pages_read', 1, '2013-12-31'), { ...ctx, accountSince: null });
    expect(reason(v)).toMatch(/before your Exist account existed \(2014-01-01\)/);
  });
});
