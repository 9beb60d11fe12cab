/**
 * Attributes → add from a template: a filter and the templates by group. The list is
 * fetched once per window and again only when the owned attributes change (a push), not
 * after each add as well; the added template is marked at once from the answer.
 */
import { useId, useMemo, useState } from 'react';
import type { TemplateView } from '../../../../shared/ipc-contract';
import { ErrorText } from '../../components/ErrorText';
import { useChannel } from '../../data/useChannel';
import { groupLabel } from '../scopes';
import { friendlyType } from './steps';
import { useOwnershipCheck } from './OwnershipConfirm';

export function TemplatePicker(props: { notice: string | null; acquire(name: string): Promise<string | null> }) {
  const templates = useChannel('attributes:list-templates', {}, null, ['attributes:changed']);
  const [filter, setFilter] = useState('');
  const [actionError, setAddError] = useState<string | null>(null);
  const addError = actionError ?? templates.error?.message ?? null;
  const ids = { filter: useId() };
  const ownership = useOwnershipCheck();
  const templateGroups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const map = new Map<string, TemplateView[]>();
    for (const t of templates.data ?? []) {
      if (f && !t.label.toLowerCase().includes(f) && !t.name.includes(f)) continue;
      const list = map.get(t.group) ?? [];
      list.push(t);
      map.set(t.group, list);
    }
    return [...map.entries()];
  }, [templates.data, filter]);
  const add = async (name: string) => {
    if (!(await ownership.ask('template', name))) return;
    const failure = await props.acquire(name);
    setAddError(failure);
    if (failure === null)
      templates.set((list) => (list ?? []).map((t) => (t.name === name ? { ...t, owned: true } : t)));
  };
  return (
    <>
      <h3>From a template</h3>
      {props.notice && (
        <p role="status" className="notice">
          {props.notice}
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
      {ownership.dialog}
      <div className="templates">
        {templates.data === null
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
                        onClick={() => void add(t.name)}
                      >
                        {t.owned ? 'Added' : 'Add'}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
      </div>
    </>
  );
}
