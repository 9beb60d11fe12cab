/**
 * From a key press to an Electron accelerator, and the combinations a global shortcut
 * must never take (the system's or every app's own: Alt+F4 closes windows, Cmd+Q quits,
 * Ctrl+C copies…). Pure, so the recorder and its tests share it.
 */
import { checkAccelerator } from '../accelerator';

export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'OS', 'Super', 'Hyper']);

/** The key part of an accelerator from `code` (layout-independent), or null for a key Electron cannot take. */
function keyName(e: KeyPress): string | null {
  const c = e.code;
  if (/^Key[A-Z]$/.test(c)) return c.slice(3);
  if (/^Digit[0-9]$/.test(c)) return c.slice(5);
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(c)) return c;
  if (/^Numpad[0-9]$/.test(c)) return `num${c.slice(6)}`;
  const named: Record<string, string> = {
    Space: 'Space',
    Enter: 'Enter',
    Tab: 'Tab',
    Backspace: 'Backspace',
    Delete: 'Delete',
    Insert: 'Insert',
    Home: 'Home',
    End: 'End',
    PageUp: 'PageUp',
    PageDown: 'PageDown',
    ArrowUp: 'Up',
    ArrowDown: 'Down',
    ArrowLeft: 'Left',
    ArrowRight: 'Right',
    Escape: 'Escape',
    Minus: '-',
    Equal: '=',
    Comma: ',',
    Period: '.',
    Slash: '/',
    Semicolon: ';',
    Quote: "'",
    BracketLeft: '[',
    BracketRight: ']',
    Backslash: '\\',
    Backquote: '`',
  };
  return named[c] ?? null;
}

/**
 * The accelerator a press makes ("CommandOrControl+Shift+E"), or `pending` while only
 * modifiers are held. `mac` decides whether ⌘ or Ctrl is CommandOrControl.
 */
export function acceleratorFor(e: KeyPress, mac: boolean): { kind: 'pending' } | { kind: 'key'; value: string } | null {
  if (MODIFIER_KEYS.has(e.key)) return { kind: 'pending' };
  const key = keyName(e);
  if (key === null) return null;
  const mods: string[] = [];
  const primary = mac ? e.metaKey : e.ctrlKey;
  if (primary) mods.push('CommandOrControl');
  if (mac && e.ctrlKey) mods.push('Control');
  if (!mac && e.metaKey) mods.push('Super');
  if (e.altKey) mods.push('Alt');
  if (e.shiftKey) mods.push('Shift');
  return { kind: 'key', value: [...mods, key].join('+') };
}

/** Combinations the system or every app already uses. Canonical form: the recorder's output. */
const RESERVED: Record<string, string> = {
  'Alt+F4': 'Alt+F4 closes windows',
  'CommandOrControl+Q': 'it quits apps',
  'CommandOrControl+W': 'it closes windows and tabs',
  'CommandOrControl+H': 'it hides apps on macOS',
  'CommandOrControl+M': 'it minimises windows',
  'CommandOrControl+Tab': 'it switches tabs',
  'Alt+Tab': 'it switches windows',
  'CommandOrControl+Space': 'it opens Spotlight or switches the keyboard layout',
  'CommandOrControl+C': 'it copies',
  'CommandOrControl+V': 'it pastes',
  'CommandOrControl+X': 'it cuts',
  'CommandOrControl+Z': 'it undoes',
  'CommandOrControl+A': 'it selects all',
  'CommandOrControl+S': 'it saves',
  'CommandOrControl+F': 'it finds',
  'CommandOrControl+T': 'it opens tabs',
  'CommandOrControl+N': 'it opens new windows',
  'CommandOrControl+P': 'it prints',
  'CommandOrControl+Alt+Delete': 'it belongs to the system',
  'Control+Alt+Delete': 'it belongs to the system',
  'CommandOrControl+Escape': 'it opens the Start menu',
  'Super+L': 'it locks the screen',
  'Super+D': 'it shows the desktop',
  'Super+Tab': 'it switches windows',
  'CommandOrControl+Shift+Escape': 'it opens the Task Manager',
  'CommandOrControl+Alt+Escape': 'it force-quits apps',
};

const canonical = (accel: string) =>
  accel
    .split('+')
    .map((p) => {
      const l = p.toLowerCase();
      if (['cmdorctrl', 'commandorcontrol', 'command', 'cmd', 'ctrl'].includes(l)) return 'CommandOrControl';
      if (l === 'control') return 'Control';
      if (l === 'option') return 'Alt';
      if (l === 'meta') return 'Super';
      return p.length === 1 ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1);
    })
    .join('+');

/** Why this shortcut can't be used (reserved or malformed); null when it can. */
export function refuseShortcut(accel: string): string | null {
  if (accel.trim() === '') return null;
  const malformed = checkAccelerator(accel);
  if (malformed) return malformed;
  const why = RESERVED[canonical(accel.trim())];
  return why ? `${accel.replace(/CommandOrControl/g, 'Ctrl/Cmd')} is taken: ${why}. Choose another.` : null;
}
