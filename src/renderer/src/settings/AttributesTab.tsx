/**
 * Attributes: the owned ones (tray visibility, order, quick steps, release), and three
 * ways to add one — from a template, by name, or a new custom attribute.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import {
  ATTRIBUTE_GROUPS,
  CREATABLE_VALUE_TYPES,
  type CreatableValueTypeName,
  type ValueTypeCode,
} from '../../../shared/domain';
import type { OwnedAttributeView, TemplateView } from '../../../shared/ipc-contract';
import { getApi } from '../api';
import { useSubscriptions } from '../hooks/useSubscriptions';
import { formatDelta, isIncrementable, parseDelta, valueTypeLabel } from '../values';
import { groupLabel } from './scopes';
import { ErrorText } from '../components/ErrorText';

/** The template-vs-name rule, in one sentence (shown where people choose). */
export const ACQUIRE_RULE =
  "Adding from a template gives you Exist's own attribute with its type, creating it if needed; adding by name takes over an attribute you already have, whatever its type.";

const TYPE_LABELS: Record<CreatableValueTypeName, string> = {
  integer: 'Whole number',
  decimal: 'Decimal number',
  string: 'Text',
  duration: 'Duration (minutes)',
  time: 'Time of day',
  percentage: 'Percentage',
  boolean: 'Yes/no (tag)',
  scale: 'Scale 1–9',
};

/** Reads "5, 10" or "5m, 15m, 1h" into steps in the stored unit; a message on bad input. */
export function parseSteps(
  attr: Pick<OwnedAttributeView, 'valueType'>,
  input: string,
): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = input
    .split(/[,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length > 4) return { ok: false, message: 'At most 4 steps besides +1' };
  const out: number[] = [];
  for (const part of parts) {
    const r = parseDelta(attr.valueType, part);
    if (!r.ok) return { ok: false, message: `${part}: ${r.message}` };
    const n = r.value as number;
    if (n <= 0) return { ok: false, message: `${part}: steps add, so they must be more than 0` };
    if (n > 100_000) return { ok: false, message: `${part}: a step is at most 100,000` };
    if (!out.includes(n)) out.push(n);
  }
  return { ok: true, value: out };
}

/**
 * The value type in words: "Whole number", "Decimal (km)", "Time of day" — not Exist's
 * API descriptions ("Time of day (minutes from midday as integer)"), which are for developers.
 */
export function friendlyType(valueType: ValueTypeCode, description: string): string {
  const base = valueType === 8 ? 'Scale 1–9' : valueTypeLabel(valueType);
  const unit = /\(([^()`"=]{1,32})\)$/.exec(description)?.[1];
  if ((valueType === 0 || valueType === 1) && unit && !unit.includes('percentage')) {
    return `${base} (${unit === "user's local currency unit" ? 'your currency' : unit})`;
  }
  return base;
}

function stepsText(attr: OwnedAttributeView): string {
  return attr.prefs.steps.map((s) => formatDelta(attr.valueType, s).replace(/^\+/, '')).join(', ');
}

function OwnedRow(props: {
  attr: OwnedAttributeView;
  first: boolean;
  last: boolean;
  onMove(dir: -1 | 1): void;
  onChanged(a: OwnedAttributeView): void;
  onReleased(name: string): void;
}) {
  const { attr } = props;
  const [steps, setSteps] = useState(stepsText(attr));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmRelease, setConfirmRelease] = useState(false);
  const errId = useId();
  const stepsId = useId();
  useEffect(() => setSteps(stepsText(attr)), [attr]);

  const saveSteps = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = parseSteps(attr, steps);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    const res = await getApi().attributes.setPrefs({ name: attr.name, steps: r.value });
    if (!res.ok) setError(res.error.message);
    else {
      setError(null);
      setSaved(true);
      props.onChanged(res.value);
    }
  };

  const setVisible = async (visible: boolean) => {
    const res = await getApi().attributes.setPrefs({ name: attr.name, visible });
    if (!res.ok) setError(res.error.message);
    else props.onChanged(res.value);
  };

  const release = async () => {
    setConfirmRelease(false);
    const res = await getApi().attributes.release({ name: attr.name });
    if (!res.ok) setError(res.error.message);
    else props.onReleased(attr.name);
  };

  return (
    <li className="owned" data-attribute={attr.name}>
      <div className="owned-head">
        <label className="check" title="Show in the tray">
          <input
            type="checkbox"
            checked={attr.prefs.visible}
            onChange={(e) => void setVisible(e.target.checked)}
            aria-label={`Show ${attr.label} in the tray`}
          />
        </label>
        <span className="owned-label">
          <strong>{attr.label}</strong>
          <span className="muted">{` · ${attr.group.label} · ${friendlyType(attr.valueType, attr.valueTypeDescription)}${attr.template ? '' : ' · custom'}`}</span>
        </span>
        <button
          type="button"
          aria-label={`Move ${attr.label} up`}
          disabled={props.first}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move ${attr.label} down`}
          disabled={props.last}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        {!confirmRelease ? (
          <button
            type="button"
            className="danger"
            aria-label={`Release ${attr.label}`}
            onClick={() => setConfirmRelease(true)}
          >
            Release
          </button>
        ) : null}
      </div>
      {confirmRelease && (
        <div className="confirm" role="group" aria-label={`Confirm release of ${attr.label}`}>
          <span>Release {attr.label}? Exist keeps its data, but Exist Tray stops writing to it.</span>
          <button type="button" className="danger" onClick={() => void release()}>
            Yes, release
          </button>
          <button type="button" onClick={() => setConfirmRelease(false)}>
            Cancel
          </button>
        </div>
      )}
      {isIncrementable(attr.valueType) && (
        <form className="steps-form" onSubmit={(e) => void saveSteps(e)} noValidate>
          <label htmlFor={stepsId}>Quick steps besides +1</label>
          <input
            id={stepsId}
            type="text"
            value={steps}
            placeholder={attr.valueType === 3 ? '5m, 15m' : '5, 10'}
            aria-label={`Steps for ${attr.label}`}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errId : undefined}
            onChange={(e) => {
              setSteps(e.target.value);
              setSaved(false);
            }}
          />
          <button type="submit" aria-label={`Save steps for ${attr.label}`}>
            Save
          </button>
          {saved && (
            <span className="muted" role="status">
              Saved
            </span>
          )}
        </form>
      )}
      <ErrorText id={errId} message={error} />
    </li>
  );
}

export function AttributesTab() {
  const [owned, setOwned] = useState<OwnedAttributeView[] | null>(null);
  const [templates, setTemplates] = useState<TemplateView[] | null>(null);
  const [filter, setFilter] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  // Said next to the form that did it: the card is long and its top is often scrolled away.
  const [addNotice, setAddNotice] = useState<{ where: 'template' | 'name' | 'custom'; text: string } | null>(null);
  const [byName, setByName] = useState('');
  const [byNameError, setByNameError] = useState<string | null>(null);
  const [custom, setCustom] = useState<{
    label: string;
    group: string;
    valueType: CreatableValueTypeName;
    manual: boolean;
  }>({
    label: '',
    group: 'custom',
    valueType: 'integer',
    manual: true,
  });
  const [customError, setCustomError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const ids = {
    byName: useId(),
    byNameErr: useId(),
    label: useId(),
    group: useId(),
    type: useId(),
    customErr: useId(),
    filter: useId(),
  };

  const loadTemplates = async () => {
    const r = await getApi().attributes.listTemplates({});
    if (r.ok) setTemplates(r.value);
    else setAddError(r.error.message);
  };

  useEffect(() => {
    void getApi()
      .attributes.listOwned({})
      .then((r) => (r.ok ? setOwned(r.value) : setListError(r.error.message)));
    void loadTemplates();
  }, []);
  useSubscriptions((api) => [
    api.attributes.onChanged((list) => {
      setOwned(list);
      void loadTemplates();
    }),
  ]);

  const sorted = useMemo(
    () =>
      [...(owned ?? [])].sort(
        (a, b) => a.prefs.order - b.prefs.order || a.group.priority - b.group.priority || a.priority - b.priority,
      ),
    [owned],
  );

  const templateGroups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const map = new Map<string, TemplateView[]>();
    for (const t of templates ?? []) {
      if (f && !t.label.toLowerCase().includes(f) && !t.name.includes(f)) continue;
      const list = map.get(t.group) ?? [];
      list.push(t);
      map.set(t.group, list);
    }
    return [...map.entries()];
  }, [templates, filter]);

  const replace = (a: OwnedAttributeView) => setOwned((list) => (list ?? []).map((x) => (x.name === a.name ? a : x)));

  const move = async (index: number, dir: -1 | 1) => {
    const names = sorted.map((a) => a.name);
    const j = index + dir;
    if (j < 0 || j >= names.length) return;
    [names[index], names[j]] = [names[j] as string, names[index] as string];
    const r = await getApi().attributes.reorder({ names });
    if (r.ok) setOwned(r.value);
    else setListError(r.error.message);
  };

  const acquire = async (by: 'template' | 'name', name: string): Promise<string | null> => {
    setAddNotice(null);
    const r = await getApi().attributes.acquire({ by, name });
    if (!r.ok) return r.error.message;
    setOwned((list) => [...(list ?? []).filter((a) => a.name !== r.value.name), r.value]);
    setAddNotice({ where: by, text: `Added ${r.value.label} — it is in the tray now` });
    void loadTemplates();
    return null;
  };

  const addByName = async (e: FormEvent) => {
    e.preventDefault();
    const name = byName.trim();
    if (name === '') return setByNameError('Enter the attribute name, like pages_read');
    if (!/^[a-z0-9_]+$/.test(name)) {
      return setByNameError(
        'Attribute names use only a–z, 0–9 and _ (the name, not the label: “time_reading”, not “Time reading”)',
      );
    }
    const failure = await acquire('name', name);
    setByNameError(failure);
    if (failure === null) setByName('');
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const label = custom.label.trim();
    if (label === '') return setCustomError('Enter a label, like “Time reading”');
    if (label.length > 100) return setCustomError('A label is at most 100 characters');
    setAddNotice(null);
    const r = await getApi().attributes.create({ ...custom, label });
    if (!r.ok) return setCustomError(r.error.message);
    setCustomError(null);
    setCustom((c) => ({ ...c, label: '' }));
    setOwned((list) => [...(list ?? []).filter((a) => a.name !== r.value.name), r.value]);
    setAddNotice({ where: 'custom', text: `Created ${r.value.label} (${r.value.name}) — it is in the tray now` });
  };

  return (
    <>
      <section className="card" aria-labelledby="owned-title">
        <h2 id="owned-title">Your attributes in Exist Tray</h2>
        <ErrorText message={listError} />
        {owned === null ? (
          <p className="muted">Loading…</p>
        ) : sorted.length === 0 ? (
          <p className="muted">None yet. Add one below — Pages read is a good start.</p>
        ) : (
          <ul className="owned-list">
            {sorted.map((a, i) => (
              <OwnedRow
                key={a.name}
                attr={a}
                first={i === 0}
                last={i === sorted.length - 1}
                onMove={(d) => void move(i, d)}
                onChanged={replace}
                onReleased={(name) => setOwned((list) => (list ?? []).filter((x) => x.name !== name))}
              />
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title">Add an attribute</h2>
        <p className="rule">{ACQUIRE_RULE}</p>
        <h3>From a template</h3>
        {addNotice?.where === 'template' && (
          <p role="status" className="notice">
            {addNotice.text}
          </p>
        )}
        <label htmlFor={ids.filter} className="visually-hidden">
          Filter templates
        </label>
        <input
          id={ids.filter}
          type="search"
          placeholder="Filter templates"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <ErrorText message={addError} />
        <div className="templates">
          {templates === null
            ? !addError && <p className="muted">Loading templates…</p>
            : templateGroups.map(([group, list]) => (
                <section key={group} aria-label={groupLabel(group)} className="template-group">
                  <h4>{groupLabel(group)}</h4>
                  <ul>
                    {list.map((t) => (
                      <li key={t.name}>
                        <span>{t.label}</span>
                        <span className="muted" title={t.value_type_description}>
                          {friendlyType(t.value_type, t.value_type_description)}
                        </span>
                        <button
                          type="button"
                          aria-label={t.owned ? `${t.label} added` : `Add ${t.label}`}
                          disabled={t.owned}
                          onClick={() => void acquire('template', t.name).then((m) => setAddError(m))}
                        >
                          {t.owned ? 'Added' : 'Add'}
                        </button>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
        </div>

        <h3>An attribute you already have, by name</h3>
        <form className="inline-form" onSubmit={(e) => void addByName(e)} noValidate>
          <label htmlFor={ids.byName}>Attribute name</label>
          <input
            id={ids.byName}
            type="text"
            placeholder="time_reading"
            spellCheck={false}
            value={byName}
            aria-invalid={byNameError ? true : undefined}
            aria-describedby={byNameError ? ids.byNameErr : undefined}
            onChange={(e) => {
              setByName(e.target.value);
              setByNameError(null);
            }}
          />
          <button type="submit">Add by name</button>
          {addNotice?.where === 'name' && (
            <span role="status" className="notice">
              {addNotice.text}
            </span>
          )}
          <ErrorText id={ids.byNameErr} message={byNameError} />
        </form>

        <h3>A new custom attribute</h3>
        <form className="grid-form" onSubmit={(e) => void create(e)} noValidate>
          <label htmlFor={ids.label}>Label</label>
          <input
            id={ids.label}
            type="text"
            placeholder="Time reading"
            value={custom.label}
            aria-invalid={customError ? true : undefined}
            aria-describedby={customError ? ids.customErr : undefined}
            onChange={(e) => {
              setCustom({ ...custom, label: e.target.value });
              setCustomError(null);
            }}
          />
          <label htmlFor={ids.group}>Group</label>
          <select id={ids.group} value={custom.group} onChange={(e) => setCustom({ ...custom, group: e.target.value })}>
            {ATTRIBUTE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {groupLabel(g)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.type}>Value type</label>
          <select
            id={ids.type}
            value={custom.valueType}
            onChange={(e) => setCustom({ ...custom, valueType: e.target.value as CreatableValueTypeName })}
          >
            {CREATABLE_VALUE_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <label className="check span">
            <input
              type="checkbox"
              checked={custom.manual}
              onChange={(e) => setCustom({ ...custom, manual: e.target.checked })}
            />
            Tracked by hand (manual)
          </label>
          <button type="submit" className="span">
            Create attribute
          </button>
          {addNotice?.where === 'custom' && (
            <p role="status" className="notice span">
              {addNotice.text}
            </p>
          )}
          <ErrorText id={ids.customErr} message={customError} className="span" />
        </form>
      </section>
    </>
  );
}
