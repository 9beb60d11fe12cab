/**
 * Ownership made visible (issue 18): before acquiring, the core says whether the attribute
 * exists, its type and which service owns it now (`attributes:ownership`). Taking one over
 * from another service is confirmed in one sentence; creating a new one or taking an
 * unowned one goes ahead and the sentence is shown as a notice. If Exist cannot be asked,
 * acquiring goes ahead as before (Exist itself decides).
 */
import { useCallback, useRef, useState, type ReactNode } from 'react';
import type { OwnershipView } from '../../../../shared/features';
import { getApi } from '../../api';

export function useOwnershipCheck(): {
  ask(by: 'template' | 'name', name: string): Promise<boolean>;
  dialog: ReactNode;
} {
  const [asking, setAsking] = useState<OwnershipView | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  const ask = useCallback(async (by: 'template' | 'name', name: string) => {
    let r: Awaited<ReturnType<ReturnType<typeof getApi>['attributes']['ownership']>>;
    try {
      r = await getApi().attributes.ownership({ by, name });
    } catch {
      return true; // an older host without the channel: Exist decides, as before
    }
    if (!r.ok || !r.value.confirm) return true;
    setAsking(r.value);
    return new Promise<boolean>((resolve) => {
      answer.current = resolve;
    });
  }, []);
  const close = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = null;
    setAsking(null);
  };
  const dialog = asking && (
    <div
      role="alertdialog"
      aria-labelledby="ownership-title"
      aria-describedby="ownership-text"
      className="card confirm"
    >
      <h4 id="ownership-title">Take over {asking.label ?? asking.name}?</h4>
      <p id="ownership-text">{asking.sentence}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => close(true)}>
          Take it over
        </button>
        <button type="button" onClick={() => close(false)} autoFocus>
          Cancel
        </button>
      </div>
    </div>
  );
  return { ask, dialog };
}
