/**
 * Validation of Electron accelerators ("CommandOrControl+Shift+E") for the global
 * shortcut field, so a typo is caught here rather than silently ignored by the OS.
 */
const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

const NAMED_KEYS = new Set([
  'plus',
  'space',
  'tab',
  'capslock',
  'numlock',
  'scrolllock',
  'backspace',
  'delete',
  'insert',
  'return',
  'enter',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'escape',
  'esc',
  'volumeup',
  'volumedown',
  'volumemute',
  'medianexttrack',
  'mediaprevioustrack',
  'mediastop',
  'mediaplaypause',
  'printscreen',
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
]);

function isKey(k: string): boolean {
  const l = k.toLowerCase();
  if (/^[a-z0-9]$/.test(l)) return true;
  if (/^f([1-9]|1[0-9]|2[0-4])$/.test(l)) return true;
  if (/^num[0-9]$/.test(l)) return true;
  if (NAMED_KEYS.has(l)) return true;
  return /^[)!@#$%^&*(:;<>=_\-,.?/~`{}[\]|\\'"]$/.test(k);
}

/** A message when `input` is not a usable global shortcut; null when it is. Empty means "no shortcut". */
export function checkAccelerator(input: string): string | null {
  const s = input.trim();
  if (s === '') return null;
  const parts = s.split('+');
  // "Ctrl++" splits into ["Ctrl", "", ""]: a literal plus key.
  if (parts.length >= 3 && parts.at(-1) === '' && parts.at(-2) === '') parts.splice(-2, 2, 'Plus');
  if (parts.some((p) => p.trim() === '')) return 'Join keys with +, like CommandOrControl+Shift+E';
  const key = parts.at(-1) as string;
  const mods = parts.slice(0, -1);
  const unknown = mods.find((m) => !MODIFIERS.has(m.trim().toLowerCase()));
  if (unknown !== undefined) return `“${unknown}” is not a modifier — use CommandOrControl, Alt, Shift or Super`;
  if (MODIFIERS.has(key.trim().toLowerCase())) return 'End the shortcut with a key, like E or F5';
  if (!isKey(key.trim())) return `“${key}” is not a key Exist Tray can listen for`;
  const lowered = mods.map((m) => m.trim().toLowerCase());
  if (new Set(lowered).size !== lowered.length) return 'Each modifier may appear only once';
  const isFunctionKey = /^f([1-9]|1[0-9]|2[0-4])$/i.test(key.trim());
  if (!isFunctionKey && lowered.every((m) => m === 'shift')) {
    return 'A global shortcut needs CommandOrControl, Alt or Super, or it would take over ordinary typing';
  }
  return null;
}
