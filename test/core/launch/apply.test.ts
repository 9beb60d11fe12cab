/**
 * The launch decisions moved out of src/main/index.ts: what a launch means, the
 * words of the notification, and the socket's command applier on a fake core.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createCommandApplier,
  createLaunchHandler,
  decideLaunch,
  describeCommand,
  type CommandApplier,
} from '../../../src/core/launch/apply';
import { INTERNAL_MESSAGE, UserError } from '../../../src/core/errors';

const exe = ['/opt/Exist Tray/exist-tray'];
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('decideLaunch', () => {
  it('a plain first start shows the popover; a login start (--hidden) shows nothing', () => {
    expect(decideLaunch(exe, false)).toEqual({ kind: 'show-popover' });
    expect(decideLaunch([...exe, '--hidden'], false)).toEqual({ kind: 'none' });
  });
  it('a second plain launch shows the popover even with --hidden', () => {
    expect(decideLaunch([...exe, '--hidden'], true)).toEqual({ kind: 'show-popover' });
  });
  it('a command or a link is applied; bad input is refused in words', () => {
    expect(decideLaunch([...exe, 'increment', 'pages_read'], true)).toEqual({
      kind: 'apply',
      command: { command: 'increment', args: { name: 'pages_read', delta: 1 } },
    });
    expect(decideLaunch(['', 'exist-tray://sync'], true)).toEqual({
      kind: 'apply',
      command: { command: 'sync', args: {} },
    });
    expect(decideLaunch(['', 'exist-tray://nope'], true)).toMatchObject({ kind: 'refuse' });
  });
});

describe('describeCommand', () => {
  it('says each command in words', () => {
    expect(describeCommand({ command: 'increment', args: { name: 'pages_read', delta: 2, date: '2026-11-30' } })).toBe(
      'pages_read +2 on 2026-11-30',
    );
    expect(describeCommand({ command: 'increment', args: { name: 'pages_read', delta: -1 } })).toBe('pages_read -1');
    expect(describeCommand({ command: 'set', args: { name: 'mood', value: 7 } })).toBe('mood set to 7');
    expect(describeCommand({ command: 'sync', args: {} })).toBe('Sync');
    expect(describeCommand({ command: 'status', args: {} })).toBe('Status');
  });
});

describe('createLaunchHandler', () => {
  const setup = (apply: CommandApplier) => {
    const notes: { title: string; body: string }[] = [];
    const showPopover = vi.fn();
    const handle = createLaunchHandler({ apply, notifier: { notify: (n) => notes.push(n) }, showPopover });
    return { notes, showPopover, handle };
  };

  it('applies a command and says it was queued', async () => {
    const apply = vi.fn(() => Promise.resolve({ id: 'x' }));
    const { notes, handle, showPopover } = setup(apply);
    handle([...exe, 'increment', 'pages_read', '2'], true);
    await flush();
    expect(apply).toHaveBeenCalledWith({ command: 'increment', args: { name: 'pages_read', delta: 2 } });
    expect(notes).toEqual([{ kind: 'info', title: 'Exist Tray', body: 'pages_read +2: queued' }]);
    expect(showPopover).not.toHaveBeenCalled();
  });

  it('a refused command says why, and never throws', async () => {
    const { notes, handle } = setup(() =>
      Promise.reject(new UserError('not-owned', 'pages_read is not an attribute Exist Tray writes')),
    );
    expect(() => handle(['', 'exist-tray://increment?attribute=pages_read'], true)).not.toThrow();
    handle(['', 'exist-tray://bogus'], true);
    await flush();
    expect(notes.map((n) => n.body)).toEqual([
      expect.stringMatching(/Unknown action "bogus"/),
      'pages_read is not an attribute Exist Tray writes',
    ]);
  });

  it('an unexpected failure is told in the one mapper’s words, never its raw text', async () => {
    const raw = 'EACCES: open /home/u/.config/exist-tray/secrets.json (token abc123)';
    const { notes, handle } = setup(() => Promise.reject(new Error(raw)));
    handle([...exe, 'increment', 'pages_read', '2'], true);
    await flush();
    expect(notes.map((n) => n.body)).toEqual([INTERNAL_MESSAGE]);
    expect(JSON.stringify(notes)).not.toMatch(/abc123|secrets\.json|EACCES/);
  });

  it('a plain second launch shows the popover', () => {
    const { handle, showPopover } = setup(() => Promise.resolve());
    handle(exe, true);
    expect(showPopover).toHaveBeenCalledTimes(1);
  });
});

describe('createCommandApplier', () => {
  const fakeCore = () => {
    const calls: unknown[][] = [];
    const core = {
      commands: {
        increment: (...a: unknown[]) => (calls.push(['increment', ...a]), Promise.resolve({ id: '1' })),
        set: (...a: unknown[]) => (calls.push(['set', ...a]), Promise.resolve({ id: '2' })),
        syncNow: () => (calls.push(['syncNow']), Promise.resolve()),
        wake: () => Promise.resolve(),
      },
      invoke: {
        'sync:get': () => Promise.resolve({ pending: 3, failed: [{}], lastSyncAt: 5 }),
        'account:get': () => Promise.resolve({ status: 'connected' }),
      },
    };
    return { calls, core: core as unknown as Parameters<typeof createCommandApplier>[0] };
  };

  it('runs each command on the core and answers status in the CLI’s shape', async () => {
    const { calls, core } = fakeCore();
    const apply = createCommandApplier(core);
    await apply({ command: 'increment', args: { name: 'pages_read', delta: 2, date: '2026-11-30' } });
    await apply({ command: 'set', args: { name: 'mood', value: 7 } });
    expect(await apply({ command: 'sync', args: {} })).toMatchObject({ pending: 3 });
    expect(await apply({ command: 'status', args: {} })).toEqual({
      running: true,
      account: 'connected',
      pending: 3,
      failed: 1,
      lastSyncAt: 5,
    });
    expect(calls).toEqual([['increment', 'pages_read', 2, '2026-11-30'], ['set', 'mood', 7, undefined], ['syncNow']]);
  });
});
