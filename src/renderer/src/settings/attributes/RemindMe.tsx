/**
 * Settings → Attributes → Remind me (issue 18): times of day and weekdays, in the user's
 * Exist timezone, and when to remind — always, only if nothing is logged today, or while
 * today is below a number. Saved in the attribute's preferences; the core's scheduler
 * (src/core/reminders) re-reads them at once.
 */
import { useId, useState } from 'react';
import type { ReminderRule } from '../../../../shared/features';
import type { OwnedAttributeView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:00, 21:30" → minutes, or a message. */
export function parseTimes(text: string): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = text.split(/[,\s]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, message: 'Enter a time, like 21:30' };
  const out: number[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(p);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return { ok: false, message: `“${p}” isn't a time like 21:30` };
    out.push(Number(m[1]) * 60 + Number(m[2]));
  }
  return { ok: true, value: [...new Set(out)].sort((a, b) => a - b) };
}

export function RemindMe(props: { attr: OwnedAttributeView; onChanged(a: OwnedAttributeView): void }) {
  const { attr } = props;
  const rule = attr.prefs.reminder ?? null;
  const [on, setOn] = useState(rule !== null);
  const [times, setTimes] = useState(rule ? rule.times.map(hhmm).join(', ') : '21:00');
  const [days, setDays] = useState<number[]>(rule?.weekdays ?? [0, 1, 2, 3, 4, 5, 6]);
  const [condition, setCondition] = useState<ReminderRule['condition']>(rule?.condition ?? 'nothing-logged');
  const [below, setBelow] = useState(String(rule?.below ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();

  const save = async (enabled: boolean) => {
    setSaved(false);
    let reminder: ReminderRule | null = null;
    if (enabled) {
      const t = parseTimes(times);
      if (!t.ok) return setError(t.message);
      if (days.length === 0) return setError('Choose at least one day');
      const n = Number(below);
      if (condition === 'below' && (below.trim() === '' || !Number.isFinite(n))) return setError('Enter a number');
      reminder = { times: t.value, weekdays: days, condition, ...(condition === 'below' ? { below: n } : {}) };
    }
    const r = await getApi().attributes.setPrefs({ name: attr.name, reminder });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setSaved(true);
    props.onChanged(r.value);
  };

  return (
    <fieldset className="remind-me" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`}>
        <label className="check">
          <input
            type="checkbox"
            checked={on}
            aria-label={`Remind me about ${attr.label}`}
            onChange={(e) => {
              setOn(e.target.checked);
              if (!e.target.checked) void save(false);
            }}
          />
          Remind me
        </label>
      </legend>
      {on && (
        <div className="remind-fields">
          <input
            type="text"
            value={times}
            aria-label={`Reminder times for ${attr.label}`}
            placeholder="21:00, 09:30"
            onChange={(e) => setTimes(e.target.value)}
          />
          <span className="days" role="group" aria-label="Days">
            {DAYS.map((d, i) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={days.includes(i)}
                  onChange={(e) => setDays(e.target.checked ? [...days, i].sort() : days.filter((x) => x !== i))}
                />
                {d}
              </label>
            ))}
          </span>
          <select
            value={condition}
            aria-label={`When to remind about ${attr.label}`}
            onChange={(e) => setCondition(e.target.value as ReminderRule['condition'])}
          >
            <option value="nothing-logged">only if nothing is logged today</option>
            <option value="below">only while today is below…</option>
            <option value="always">always</option>
          </select>
          {condition === 'below' && (
            <input type="number" value={below} aria-label="Below" onChange={(e) => setBelow(e.target.value)} />
          )}
          <button type="button" aria-label={`Save reminder for ${attr.label}`} onClick={() => void save(true)}>
            Save
          </button>
          {saved && (
            <span className="muted" role="status">
              Saved — in your Exist timezone
            </span>
          )}
        </div>
      )}
      <ErrorText message={error} />
    </fieldset>
  );
}
