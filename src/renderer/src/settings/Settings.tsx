/**
 * The settings window: four tabs (WAI-ARIA tabs pattern: arrows move between tabs).
 * `window:show-tab` pushes switch tabs, so the tray can open it at the right place.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SettingsTab } from '../../../shared/ipc-contract';
import { assertNever } from '../../../shared/result';
import { useSubscriptions } from '../hooks/useSubscriptions';
import { ChannelProvider } from '../data/useChannel';
import { AccountTab } from './account/AccountTab';
import { AttributesTab } from './attributes/AttributesTab';
import { GeneralTab } from './general/GeneralTab';
import { SyncTab } from './sync/SyncTab';

const TABS: { id: SettingsTab; label: string }[] = [
  { id: 'account', label: 'Account' },
  { id: 'attributes', label: 'Attributes' },
  { id: 'sync', label: 'Sync' },
  { id: 'general', label: 'General' },
];

/** The tab named in the page URL (`settings.html#attributes` or `?tab=attributes`), if any. */
export function tabFromLocation(loc: Pick<Location, 'hash' | 'search'>): SettingsTab | null {
  const raw = loc.hash.replace(/^#/, '') || new URLSearchParams(loc.search).get('tab') || '';
  return TABS.some((t) => t.id === raw) ? (raw as SettingsTab) : null;
}

function Panel({ tab }: { tab: SettingsTab }) {
  switch (tab) {
    case 'account':
      return <AccountTab />;
    case 'attributes':
      return <AttributesTab />;
    case 'sync':
      return <SyncTab />;
    case 'general':
      return <GeneralTab />;
    default:
      return assertNever(tab, 'tab');
  }
}

export function SettingsWindow({ initialTab = 'account' }: { initialTab?: SettingsTab }) {
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const tabRefs = useRef(new Map<SettingsTab, HTMLButtonElement>());
  useSubscriptions((api) => [api.window.onShowTab(({ tab: t }) => setTab(t))]);
  // `settings.html#sync` names a tab too, also after load (the browser host sets it then).
  useEffect(() => {
    const onHash = () => {
      const t = tabFromLocation(window.location);
      if (t) setTab(t);
    };
    onHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === tab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const id = (TABS[next] as (typeof TABS)[number]).id;
    setTab(id);
    tabRefs.current.get(id)?.focus();
  };

  return (
    <ChannelProvider>
      <div className="settings">
        <header className="settings-header">
          <h1>Exist Tray settings</h1>
          <div role="tablist" aria-label="Settings" className="tabs" onKeyDown={onKeyDown}>
            {TABS.map((t) => (
              <button
                key={t.id}
                ref={(el) => {
                  if (el) tabRefs.current.set(t.id, el);
                }}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
        </header>
        <main role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel" tabIndex={-1}>
          <Panel key={tab} tab={tab} />
        </main>
      </div>
    </ChannelProvider>
  );
}
