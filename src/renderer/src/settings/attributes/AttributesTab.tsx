/**
 * Attributes: the owned ones (tray visibility, order, quick steps, release), and three
 * ways to add one — from a template, by name, or a new custom attribute (each its own file).
 */
import { useMemo, useState } from 'react';
import type { OwnedAttributeView } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { useJobs, useOwnedList } from '../../data/hooks';
import { AddByName } from './AddByName';
import { CustomAttributeForm } from './CustomAttributeForm';
import { OwnedRow } from './OwnedRow';
import { ACQUIRE_RULE } from './steps';
import { TemplatePicker } from './TemplatePicker';

export { ACQUIRE_RULE, friendlyType, parseSteps } from './steps';

type Where = 'template' | 'name' | 'custom';

export function AttributesTab() {
  const ownedList = useOwnedList();
  const jobs = useJobs().data;
  const owned = ownedList.data;
  const setOwned = ownedList.set;
  // Said next to the form that did it: the card is long and its top is often scrolled away.
  const [addNotice, setAddNotice] = useState<{ where: Where; text: string } | null>(null);
  const [actionError, setListError] = useState<string | null>(null);
  const listError = actionError ?? ownedList.error?.message ?? null;
  const noticeFor = (where: Where) => (addNotice?.where === where ? addNotice.text : null);

  const sorted = useMemo(
    () =>
      [...(owned ?? [])].sort(
        (a, b) => a.prefs.order - b.prefs.order || a.group.priority - b.group.priority || a.priority - b.priority,
      ),
    [owned],
  );

  const replace = (a: OwnedAttributeView) => setOwned((list) => (list ?? []).map((x) => (x.name === a.name ? a : x)));
  const added = (a: OwnedAttributeView) => setOwned((list) => [...(list ?? []).filter((x) => x.name !== a.name), a]);

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
    added(r.value);
    setAddNotice({ where: by, text: `Added ${r.value.label} — it is in the tray now` });
    return null;
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
                fedByJob={jobs?.some((j) => j.attribute === a.name) ?? false}
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
        <TemplatePicker notice={noticeFor('template')} acquire={(name) => acquire('template', name)} />
        <AddByName notice={noticeFor('name')} acquire={(name) => acquire('name', name)} />
        <CustomAttributeForm
          notice={noticeFor('custom')}
          onStart={() => setAddNotice(null)}
          onCreated={(a) => {
            added(a);
            setAddNotice({ where: 'custom', text: `Created ${a.label} (${a.name}) — it is in the tray now` });
          }}
        />
      </section>
    </>
  );
}
