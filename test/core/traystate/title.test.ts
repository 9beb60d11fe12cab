/** The macOS tray title's text: today's value of the chosen attribute, short and label-free. */
import { describe, expect, it } from 'vitest';
import { trayState } from '../../../src/core/traystate';
import { TITLE_MAX, trayTitleText } from '../../../src/core/traystate/title';

describe('trayTitleText', () => {
  it('a count reads as its number; nothing logged yet is 0', () => {
    expect(trayTitleText({ valueType: 0, value: 12 })).toBe('12');
    expect(trayTitleText({ valueType: 0, value: null })).toBe('0');
  });
  it('durations, scales and percentages read as the popover shows them', () => {
    expect(trayTitleText({ valueType: 3, value: 80 })).toBe('1h 20m');
    expect(trayTitleText({ valueType: 8, value: 7 })).toBe('7 / 9');
    expect(trayTitleText({ valueType: 5, value: 0.45 })).toBe('45%');
  });
  it('a scale or a text with nothing logged is a dash, not 0', () => {
    expect(trayTitleText({ valueType: 8, value: null })).toBe('–');
    expect(trayTitleText({ valueType: 2, value: '' })).toBe('–');
  });
  it('long text is cut to the menu bar’s room', () => {
    const t = trayTitleText({ valueType: 2, value: 'a very long note about the day' });
    expect(t).toHaveLength(TITLE_MAX);
    expect(t.endsWith('…')).toBe(true);
  });
  it('the tray state carries it as its title, and no title when none is chosen', () => {
    const base = { account: 'connected' as const, pending: 1, failed: 0, stopCode: null, pausedUntil: null };
    expect(trayState({ ...base, titleValue: '12' }).title).toBe('12');
    expect(trayState(base).title).toBe('');
  });
});
