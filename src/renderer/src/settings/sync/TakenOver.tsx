/**
 * Writes Exist refused because another service took the attribute over (issue 18: "on
 * 'not owner' errors, offer to re-acquire rather than failing silently"). One row per
 * attribute says so in the core's words and offers:
 * - **Take it back**: the same confirmation as acquiring ("… is written by Fitbit now; take
 *   it over …?", OwnershipConfirm), then `attributes:take-back`, which acquires it again
 *   and sends the refused writes once more;
 * - **Stop tracking**: `attributes:stop-tracking` — the other service keeps it, the refused
 *   writes are discarded.
 * The core never takes an attribute back from another service without this click.
 */
import { useState } from 'react';
import type { FailedWriteView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import type { OwnedByName } from '../../data/hooks';
import { useOwnershipCheck } from '../attributes/OwnershipConfirm';

export function TakenOverList(props: { items: FailedWriteView[]; owned: OwnedByName; onDone(): void }) {
  const { ask, dialog } = useOwnershipCheck();
  const [said, setSaid] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const byName = new Map<string, FailedWriteView[]>();
  for (const i of props.items) byName.set(i.name, [...(byName.get(i.name) ?? []), i]);
  if (byName.size === 0 && !said) return null;

  const act = async (name: string, kind: 'take-back' | 'stop') => {
    setBusy(name);
    try {
      if (kind === 'take-back' && !(await ask('name', name))) return;
      const api = getApi().attributes;
      const r = kind === 'take-back' ? await api.takeBack({ name }) : await api.stopTracking({ name });
      setSaid(r.ok ? { text: r.value.message, error: false } : { text: r.error.message, error: true });
      props.onDone();
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-label="Taken over by another service" className="failed taken-over">
      {byName.size > 0 && (
        <>
          <h3>Taken over by another service</h3>
          <ul>
            {[...byName].map(([name, items]) => {
              const label = props.owned.get(name)?.label ?? name;
              const n = items.length;
              return (
                <li key={name} data-testid={`taken-over-${name}`}>
                  <span>
                    <strong title={name}>{label}</strong>
                    {` · ${n} write${n === 1 ? '' : 's'} refused`}
                    <br />
                    <span className="error">{items[0]?.message}</span>
                  </span>
                  <button
                    type="button"
                    className="primary"
                    aria-label={`Take ${label} back`}
                    disabled={busy !== null}
                    onClick={() => void act(name, 'take-back')}
                  >
                    Take it back
                  </button>
                  <button
                    type="button"
                    aria-label={`Stop tracking ${label}`}
                    disabled={busy !== null}
                    onClick={() => void act(name, 'stop')}
                  >
                    Stop tracking
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {dialog}
      {said && (
        <p className={said.error ? 'error' : 'notice'} role={said.error ? 'alert' : 'status'}>
          {said.text}
        </p>
      )}
    </section>
  );
}
