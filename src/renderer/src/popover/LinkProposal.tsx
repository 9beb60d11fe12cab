/**
 * A write an `exist-tray://` link asked for, waiting for the user (src/core/launch/policy.ts):
 * what it would write — attribute, value, date — and one click to add it or dismiss it.
 * Links come from any web page, so nothing is written until the user says so (unless
 * Settings → General → "Apply links without asking" is on, when this never shows).
 */
import { useCallback, useEffect, useState } from 'react';
import type { LinkProposalView, WriteReceipt } from '../../../shared/ipc-contract';
import { getApi } from '../api';
import { ErrorText } from '../components/ErrorText';
import '../styles/link-proposal.css';

export function LinkProposal({ onAdded }: { onAdded?: (receipt: WriteReceipt) => void }) {
  const [proposal, setProposal] = useState<LinkProposalView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const api = getApi();
    let live = true;
    void api.links.getProposal({}).then((r) => {
      if (live && r.ok) setProposal(r.value);
    });
    const off = api.links.onProposal((p) => {
      setProposal(p);
      setError(null);
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const answer = useCallback(
    async (confirm: boolean) => {
      if (!proposal) return;
      setBusy(true);
      const api = getApi();
      const r = confirm ? await api.links.confirm({ id: proposal.id }) : await api.links.dismiss({ id: proposal.id });
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      setProposal(null);
      setError(null);
      if (confirm && onAdded) onAdded(r.value as WriteReceipt);
    },
    [proposal, onAdded],
  );

  if (!proposal) return null;
  return (
    <section className="link-proposal" role="region" aria-label="A link asks to write to Exist">
      <p>
        A link asks to write <strong>{proposal.label}</strong> <strong>{proposal.valueText}</strong> on{' '}
        <strong>{proposal.date}</strong>. Nothing is written unless you add it.
      </p>
      <div className="link-proposal-actions">
        <button type="button" disabled={busy} onClick={() => void answer(true)}>
          Add it
        </button>
        <button type="button" disabled={busy} onClick={() => void answer(false)}>
          Dismiss
        </button>
      </div>
      <ErrorText message={error} />
    </section>
  );
}
