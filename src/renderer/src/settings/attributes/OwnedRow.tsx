/** One owned attribute in Settings: tray visibility, order, quick steps, release (confirmed). */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { OwnedAttributeView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { isIncrementable, valueTypeSpec } from '../../values';
import { friendlyType, parseSteps, stepsText } from './steps';
import { RemindMe } from './RemindMe';

export function OwnedRow(props: {
  attr: OwnedAttributeView;
  /** A scheduled job sends this attribute's totals. */
  fedByJob: boolean;
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
          <span className="muted">{` · ${attr.group.label} · ${friendlyType(attr.valueType, attr.valueTypeDescription)}${attr.template ? '' : ' · custom'}${props.fedByJob ? ' · filled by a scheduled job' : ''}`}</span>
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
            placeholder={valueTypeSpec(attr.valueType).stepsExample || '5, 10'}
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
      <RemindMe attr={attr} onChanged={props.onChanged} />
      <ErrorText id={errId} message={error} />
    </li>
  );
}
