/** General: launch at login, the global shortcut (recorded, reserved keys refused), notifications, plaintext-secrets consent. */
import { useState } from 'react';
import type { Settings } from '../../../../shared/ipc-contract';
import { getApi } from '../../api';
import { ErrorText } from '../../components/ErrorText';
import { useSettingsData } from '../../data/hooks';
import { ShortcutRecorder, shortcutWords } from './ShortcutRecorder';
import { ShortcutStatusLine } from './ShortcutStatusLine';
import { TrayTitleSetting } from './TrayTitleSetting';

export function GeneralTab() {
  const { data: settings, error: loadError, set: setSettings } = useSettingsData();
  const [shortcutError, setShortcutError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (patch: Partial<Settings>, what: string): Promise<boolean> => {
    const r = await getApi().settings.set(patch);
    if (!r.ok) {
      setError(r.error.message);
      setSaved(null);
      return false;
    }
    setSettings(r.value);
    setError(null);
    setSaved(what);
    return true;
  };

  const saveShortcut = async (value: string | null) => {
    const r = await getApi().settings.set({ globalShortcut: value });
    if (!r.ok) return setShortcutError(r.error.message);
    setShortcutError(null);
    setSettings(r.value);
    setSaved(value ? `Shortcut set to ${shortcutWords(value)}` : 'Shortcut removed');
  };

  if (settings === null) {
    return error || loadError ? (
      <p role="alert" className="error">
        {error ?? loadError?.message}
      </p>
    ) : (
      <p className="muted">Loading…</p>
    );
  }
  const n = settings.notifications;
  return (
    <section className="card" aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.launchAtLogin}
          onChange={(e) => void save({ launchAtLogin: e.target.checked }, 'Saved')}
        />
        Launch at login
      </label>

      <ShortcutRecorder
        value={settings.globalShortcut}
        error={shortcutError}
        onRecord={(v) => void saveShortcut(v)}
        onRefuse={setShortcutError}
      />
      <ShortcutStatusLine status={settings.shortcutStatus} />

      <TrayTitleSetting settings={settings} save={(patch, what) => void save(patch, what)} />

      <fieldset>
        <legend>Notify me</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={n.tokenRefreshed}
            onChange={(e) => void save({ notifications: { ...n, tokenRefreshed: e.target.checked } }, 'Saved')}
          />
          When the Exist token is renewed
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={n.reconnectNeeded}
            onChange={(e) => void save({ notifications: { ...n, reconnectNeeded: e.target.checked } }, 'Saved')}
          />
          When I need to reconnect
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={n.writesFailing}
            onChange={(e) => void save({ notifications: { ...n, writesFailing: e.target.checked } }, 'Saved')}
          />
          When writes keep failing
        </label>
      </fieldset>

      <fieldset>
        <legend>Links</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.applyLinksWithoutAsking === true}
            onChange={(e) => void save({ applyLinksWithoutAsking: e.target.checked }, 'Saved')}
          />
          Apply links without asking
        </label>
        <p className="muted">
          exist-tray:// links can come from any web page. Off: a link’s write waits in the popover for you to add it.
        </p>
      </fieldset>

      <fieldset>
        <legend>Secrets</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.allowPlaintextSecrets}
            onChange={(e) => void save({ allowPlaintextSecrets: e.target.checked }, 'Saved')}
          />
          Keep the token in a plain file when this system has no secret storage
        </label>
        <p className="muted">
          Only matters on systems without a keychain; anyone who can read your files could then use the token.
        </p>
      </fieldset>
      {saved && (
        <p role="status" className="muted">
          {saved}
        </p>
      )}
      <ErrorText message={error} />
    </section>
  );
}
