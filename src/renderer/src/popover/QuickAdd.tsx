/**
 * The popover's typed quick-add (issue 18): "20 pages", "+1h reading", "mood 7 yesterday".
 * The core reads the text (`quickadd:preview`, the same grammar as `exist-tray add`) and
 * the field shows the write it would make before Enter, or why nothing matches. ↑ / ↓ walk
 * the history of this session's entries. Focused when the popover opens.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { QuickAddPreview } from '../../../shared/features';
import type { WriteReceipt } from '../../../shared/ipc-contract';
import { getApi } from '../api';

const history: string[] = [];

export function QuickAdd(props: { onWritten(receipt: WriteReceipt): void; enabled: boolean }) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<QuickAddPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [at, setAt] = useState(history.length);
  const input = useRef<HTMLInputElement>(null);

  // Focused when the popover opens (the window gains focus) and when it becomes usable.
  useEffect(() => {
    if (!props.enabled) return;
    const focus = () => {
      if (document.activeElement === document.body || document.activeElement === null) input.current?.focus();
    };
    focus();
    window.addEventListener('focus', focus);
    return () => window.removeEventListener('focus', focus);
  }, [props.enabled]);

  useEffect(() => {
    if (text.trim() === '') {
      setPreview(null);
      return;
    }
    let live = true;
    void getApi()
      .quickadd.preview({ text })
      .then((r) => live && setPreview(r.ok ? r.value : { ok: false, message: r.error.message }));
    return () => {
      live = false;
    };
  }, [text]);

  const submit = async () => {
    if (text.trim() === '') return;
    const r = await getApi().quickadd.submit({ text });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    history.push(text);
    setAt(history.length);
    setText('');
    setError(null);
    props.onWritten(r.value);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    } else if (e.key === 'ArrowUp' && at > 0) {
      e.preventDefault();
      setAt(at - 1);
      setText(history[at - 1] ?? '');
    } else if (e.key === 'ArrowDown' && at < history.length) {
      e.preventDefault();
      setAt(at + 1);
      setText(history[at + 1] ?? '');
    }
  };

  const hint = error ?? (preview === null ? null : preview.ok ? preview.description : preview.message);
  const bad = error !== null || (preview !== null && !preview.ok);
  return (
    <div className="quick-add">
      <input
        ref={input}
        type="text"
        className="quick-add-input"
        aria-label="Quick add"
        aria-describedby="quick-add-hint"
        placeholder="Quick add: 20 pages, mood 7 yesterday…"
        value={text}
        disabled={!props.enabled}
        maxLength={200}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={onKey}
      />
      <p
        id="quick-add-hint"
        className={`quick-add-hint${bad ? ' error' : ' muted'}`}
        aria-live="polite"
        data-testid="quick-add-hint"
      >
        {hint ?? ''}
      </p>
    </div>
  );
}
