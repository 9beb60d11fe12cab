/**
 * Settings → General → "Show in the menu bar" (issue 18: on macOS, today's value of one
 * chosen attribute beside the tray icon, as Toggl shows today's total). The core computes
 * the text (src/core/traystate/title.ts) and the shell calls `tray.setTitle`, which exists
 * on macOS only (Electron docs, docs/api/tray.md: `tray.setTitle(title[, options])`
 * _macOS_). Elsewhere the choice is shown disabled with the reason, so nobody looks for a
 * title their tray cannot draw.
 */
import type { Settings } from '../../../../shared/ipc-contract';
import { useChannel } from '../../data/useChannel';
import { useOwnedList } from '../../data/hooks';

export function TrayTitleSetting(props: { settings: Settings; save(patch: Partial<Settings>, what: string): void }) {
  const { data: info } = useChannel('app:get-info', {});
  const { data: owned } = useOwnedList();
  const mac = info?.platform === 'darwin';
  const chosen = props.settings.trayTitleAttribute ?? '';
  const choices = owned ?? [];
  return (
    <fieldset>
      <legend>Menu bar</legend>
      <label className="menu-bar-choice">
        Show in the menu bar{' '}
        <select
          value={choices.some((a) => a.name === chosen) ? chosen : ''}
          disabled={!mac || info === null}
          aria-describedby="tray-title-why"
          onChange={(e) => {
            const name = e.target.value === '' ? null : e.target.value;
            const label = choices.find((a) => a.name === name)?.label;
            props.save({ trayTitleAttribute: name }, label ? `The menu bar shows today’s ${label}` : 'Saved');
          }}
        >
          <option value="">Nothing (the icon only)</option>
          {choices.map((a) => (
            <option key={a.name} value={a.name}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" id="tray-title-why">
        {mac
          ? 'Today’s value of that attribute, beside the tray icon.'
          : 'macOS only: the Windows and Linux trays have no room for text beside the icon.'}
      </p>
    </fieldset>
  );
}
