/** Attributes → create a new custom attribute: label, group, value type, manual. */
import { useId, useState, type FormEvent } from 'react';
import { ATTRIBUTE_GROUPS, CREATABLE_VALUE_TYPES, type CreatableValueTypeName } from '../../../../shared/domain';
import type { OwnedAttributeView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { groupLabel } from '../scopes';
import { TYPE_LABELS } from './steps';

export function CustomAttributeForm(props: {
  notice: string | null;
  onStart(): void;
  onCreated(a: OwnedAttributeView): void;
}) {
  const [custom, setCustom] = useState<{
    label: string;
    group: string;
    valueType: CreatableValueTypeName;
    manual: boolean;
  }>({ label: '', group: 'custom', valueType: 'integer', manual: true });
  const [customError, setCustomError] = useState<string | null>(null);
  const ids = { label: useId(), group: useId(), type: useId(), customErr: useId() };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const label = custom.label.trim();
    if (label === '') return setCustomError('Enter a label, like “Time reading”');
    if (label.length > 100) return setCustomError('A label is at most 100 characters');
    props.onStart();
    const r = await getApi().attributes.create({ ...custom, label });
    if (!r.ok) return setCustomError(r.error.message);
    setCustomError(null);
    setCustom((c) => ({ ...c, label: '' }));
    props.onCreated(r.value);
  };

  return (
    <>
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
        {props.notice && (
          <p role="status" className="notice span">
            {props.notice}
          </p>
        )}
        <ErrorText id={ids.customErr} message={customError} className="span" />
      </form>
    </>
  );
}
