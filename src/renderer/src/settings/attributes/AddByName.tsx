/** Attributes → take over an attribute you already have, by its name (checked before sending). */
import { useId, useState, type FormEvent } from 'react';
import { ErrorText } from '../../components/ErrorText';

export function AddByName(props: { notice: string | null; acquire(name: string): Promise<string | null> }) {
  const [byName, setByName] = useState('');
  const [byNameError, setByNameError] = useState<string | null>(null);
  const ids = { byName: useId(), byNameErr: useId() };
  const addByName = async (e: FormEvent) => {
    e.preventDefault();
    const name = byName.trim();
    if (name === '') return setByNameError('Enter the attribute name, like pages_read');
    if (!/^[a-z0-9_]+$/.test(name)) {
      return setByNameError(
        'Attribute names use only a–z, 0–9 and _ (the name, not the label: “time_reading”, not “Time reading”)',
      );
    }
    const failure = await props.acquire(name);
    setByNameError(failure);
    if (failure === null) setByName('');
  };

  return (
    <>
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
        {props.notice && (
          <span role="status" className="notice">
            {props.notice}
          </span>
        )}
        <ErrorText id={ids.byNameErr} message={byNameError} />
      </form>
    </>
  );
}
