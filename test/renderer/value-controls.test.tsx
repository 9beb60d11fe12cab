import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValueControls, type ValueControlProps } from '../../src/renderer/src/components/ValueControls';
import type { ValueTypeCode } from '../../src/shared/domain';
import type { DisplayUnit } from '../../src/core/values';
import { displayUnitFor } from '../../src/core/values';

afterEach(cleanup);

function setup(valueType: ValueTypeCode, extra: Partial<ValueControlProps['attr']> = {}, unit?: DisplayUnit) {
  const onSet = vi.fn(async (_v: number | string): Promise<string | null> => null);
  const onIncrement = vi.fn(async (_d: number): Promise<string | null> => null);
  const attr = {
    name: 'thing',
    label: 'Thing',
    valueType,
    value: null,
    prefs: { visible: true, steps: [], order: 0 },
    ...extra,
  };
  render(<ValueControls attr={attr} unit={unit} timeZone="UTC" onSet={onSet} onIncrement={onIncrement} />);
  return { onSet, onIncrement };
}

async function typeAndSave(field: string, text: string, button: string) {
  fireEvent.change(screen.getByRole('textbox', { name: field }), { target: { value: text } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: button }));
  });
}

describe('quantity (integer)', () => {
  it('+1 and the configured steps increment by their amounts', async () => {
    const { onIncrement } = setup(0, {
      label: 'Pages read',
      name: 'pages_read',
      prefs: { visible: true, steps: [5, 10], order: 0 },
    });
    expect(screen.getByRole('button', { name: 'Add 1 to Pages read' }).textContent).toBe('+1');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add 10 to Pages read' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add 1 to Pages read' })));
    expect(onIncrement.mock.calls.map((c) => c[0])).toEqual([10, 1]);
    expect(screen.getByRole('button', { name: 'Add 5 to Pages read' })).toBeTruthy();
  });

  it('sets a typed total and clears the field', async () => {
    const { onSet } = setup(0);
    await typeAndSave('Total for Thing', '1,200', 'Save total for Thing');
    expect(onSet).toHaveBeenCalledWith(1200);
    expect((screen.getByRole('textbox', { name: 'Total for Thing' }) as HTMLInputElement).value).toBe('');
  });

  it('rejects a fraction and a negative total with a message tied to the field', async () => {
    const { onSet } = setup(0);
    await typeAndSave('Total for Thing', '2.5', 'Save total for Thing');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/whole number/);
    const input = screen.getByRole('textbox', { name: 'Total for Thing' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(alert.id);
    await typeAndSave('Total for Thing', '-3', 'Save total for Thing');
    expect(screen.getByRole('alert').textContent).toMatch(/negative/);
    expect(onSet).not.toHaveBeenCalled();
  });

  it('keeps the typed text and shows the write error when the write is refused', async () => {
    const onSet = vi.fn(async () => 'Exist Tray is not connected');
    const attr = {
      name: 'x',
      label: 'Thing',
      valueType: 0 as const,
      value: null,
      prefs: { visible: true, steps: [], order: 0 },
    };
    render(<ValueControls attr={attr} onSet={onSet} onIncrement={async () => null} />);
    await typeAndSave('Total for Thing', '7', 'Save total for Thing');
    expect(screen.getByRole('alert').textContent).toBe('Exist Tray is not connected');
    expect((screen.getByRole('textbox', { name: 'Total for Thing' }) as HTMLInputElement).value).toBe('7');
  });
});

describe('quantity (decimal with an imperial unit)', () => {
  it('reads miles and stores kilometres', async () => {
    const unit = displayUnitFor(
      { name: 'steps_distance', template: 'steps_distance', value_type: 1, value_type_description: 'Float (km)' },
      {
        imperial_distance: true,
        imperial_weight: false,
        imperial_energy: false,
        imperial_liquid: false,
        imperial_temperature: false,
      },
    );
    const { onSet } = setup(1, {}, unit);
    await typeAndSave('Total for Thing', '10', 'Save total for Thing');
    expect(onSet.mock.calls[0]?.[0]).toBeCloseTo(16.09344, 4);
  });
});

describe('duration', () => {
  it('accepts "1h 20m" as 80 minutes and names steps in minutes', async () => {
    const { onSet, onIncrement } = setup(3, {
      label: 'Time reading',
      prefs: { visible: true, steps: [15, 60], order: 0 },
    });
    await typeAndSave('Total for Time reading', '1h 20m', 'Save total for Time reading');
    expect(onSet).toHaveBeenCalledWith(80);
    expect(screen.getByRole('button', { name: 'Add 15 minutes to Time reading' }).textContent).toBe('+15m');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add 1 hour to Time reading' })));
    expect(onIncrement).toHaveBeenCalledWith(60);
  });

  it('rejects "abc" minutes', async () => {
    const { onSet } = setup(3);
    await typeAndSave('Total for Thing', 'abc', 'Save total for Thing');
    expect(screen.getByRole('alert').textContent).toMatch(/Couldn.t read “abc” as a duration/);
    expect(onSet).not.toHaveBeenCalled();
  });

  it('rejects more than a day', async () => {
    const { onSet } = setup(3);
    await typeAndSave('Total for Thing', '25h', 'Save total for Thing');
    expect(screen.getByRole('alert').textContent).toMatch(/more than a day/);
    expect(onSet).not.toHaveBeenCalled();
  });
});

describe('time of day', () => {
  it('accepts 10:30pm as minutes from midnight and rejects 25:00', async () => {
    const { onSet } = setup(4, { label: 'Bedtime' });
    await typeAndSave('Time for Bedtime', '10:30pm', 'Save time for Bedtime');
    expect(onSet).toHaveBeenCalledWith(22 * 60 + 30);
    await typeAndSave('Time for Bedtime', '25:00', 'Save time for Bedtime');
    expect(screen.getByRole('alert').textContent).toMatch(/00:00 to 23:59/);
    expect(onSet).toHaveBeenCalledTimes(1);
  });
});

describe('percentage', () => {
  it('sends 45% as 0.45 and rejects 150', async () => {
    const { onSet } = setup(5, { label: 'Focus' });
    await typeAndSave('Total for Focus', '45%', 'Save total for Focus');
    expect(onSet).toHaveBeenCalledWith(0.45);
    await typeAndSave('Total for Focus', '150', 'Save total for Focus');
    expect(screen.getByRole('alert').textContent).toMatch(/0 to 100/);
    expect(onSet).toHaveBeenCalledTimes(1);
  });
  it('has no increment buttons', () => {
    setup(5, { label: 'Focus' });
    expect(screen.queryByRole('button', { name: /^Add 1 to/ })).toBeNull();
  });
});

describe('text', () => {
  it('counts characters and refuses a 1001-character note', async () => {
    const { onSet } = setup(2, { name: 'mood_note', label: 'Mood note' });
    const box = screen.getByRole('textbox', { name: 'Text for Mood note' });
    fireEvent.change(box, { target: { value: 'x'.repeat(1001) } });
    expect(screen.getByText('1001 / 1000')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save text for Mood note' })));
    expect(screen.getByRole('alert').textContent).toMatch(/at most 1000 characters \(this one is 1001\)/);
    expect(onSet).not.toHaveBeenCalled();
    expect((box as HTMLTextAreaElement).value).toHaveLength(1001);
  });

  it('Enter saves exactly 1000 characters; Shift+Enter does not submit', async () => {
    const { onSet } = setup(2, { name: 'mood_note', label: 'Mood note' });
    const box = screen.getByRole('textbox', { name: 'Text for Mood note' });
    fireEvent.change(box, { target: { value: 'y'.repeat(1000) } });
    await act(async () => fireEvent.keyDown(box, { key: 'Enter', shiftKey: true }));
    expect(onSet).not.toHaveBeenCalled();
    await act(async () => fireEvent.keyDown(box, { key: 'Enter' }));
    expect(onSet).toHaveBeenCalledWith('y'.repeat(1000));
  });
});

describe('boolean', () => {
  it('is a switch that sets 1 then reflects the value', async () => {
    const { onSet } = setup(7, { label: 'Meditated', value: 0 });
    const sw = screen.getByRole('switch', { name: 'Meditated' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await act(async () => fireEvent.click(sw));
    expect(onSet).toHaveBeenCalledWith(1);
    cleanup();
    const second = setup(7, { label: 'Meditated', value: 1 });
    await act(async () => fireEvent.click(screen.getByRole('switch', { name: 'Meditated' })));
    expect(second.onSet).toHaveBeenCalledWith(0);
  });
});

describe('scale', () => {
  it('offers 1–9 and marks the current rating', async () => {
    const { onSet } = setup(8, { label: 'Mood', value: 6 });
    expect(screen.getAllByRole('button', { name: /^Set Mood to \d$/ })).toHaveLength(9);
    expect(screen.getByRole('button', { name: 'Set Mood to 6' }).getAttribute('aria-pressed')).toBe('true');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Set Mood to 8' })));
    expect(onSet).toHaveBeenCalledWith(8);
  });

  it('is the 1–9 buttons only: no second field for the same value (so no 12 can be typed)', () => {
    setup(8, { label: 'Mood' });
    expect(screen.getAllByRole('button', { name: /^Set Mood to [1-9]$/ })).toHaveLength(9);
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
