/** Exist documents this cap for mood_note. */
export const MOOD_NOTE_MAX_LENGTH = 1000;
/**
 * Cap for every other string attribute. Exist documents no other limit; we use the
 * mood_note cap so an unknown server-side limit can't reject a queued value later.
 */
export const DEFAULT_TEXT_MAX_LENGTH = 1000;

/** The character limit the text control counts down from. */
export function maxTextLength(attributeName?: string): number {
  return attributeName === 'mood_note' ? MOOD_NOTE_MAX_LENGTH : DEFAULT_TEXT_MAX_LENGTH;
}

/** Characters as Exist counts them (Unicode code points, so an emoji is one). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LOCATION = /^(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$/;

/**
 * Checks text that is about to be stored; returns the (normalised) text or a message.
 * Shared by `parseValue` (after trimming) and `validateStoredValue`.
 */
export function checkText(
  text: string,
  attributeName?: string,
): { ok: true; value: string } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'Enter some text' };
  if (CONTROL.test(text)) return { ok: false, message: 'The text contains control characters that can’t be saved' };
  if (LONE_SURROGATE.test(text)) {
    return { ok: false, message: 'The text contains a broken character — try typing or pasting it again' };
  }
  const max = maxTextLength(attributeName);
  const length = textLength(text);
  if (length > max) {
    const what = attributeName === 'mood_note' ? 'A note' : 'Text';
    return { ok: false, message: `${what} can be at most ${max} characters (this one is ${length})` };
  }
  if (attributeName === 'location') {
    const m = LOCATION.exec(text.trim());
    const lat = Number(m?.[1]);
    const lng = Number(m?.[2]);
    if (m === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return { ok: false, message: 'A location is “latitude,longitude”, like 51.5072,-0.1276' };
    }
    return { ok: true, value: `${m[1]},${m[2]}` };
  }
  return { ok: true, value: text };
}
