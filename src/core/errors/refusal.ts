/**
 * A write Exist refused, in words (the Sync tab's Failed list, the popover row, the
 * notification). Two sources reach the outbox's failed list with `{code, message}`:
 * - one object of a batch, with Exist's own `error_code` (`validation`, `missing_field`,
 *   `unauthorised`, …) and Exist's own text, which is meant for people: kept, tidied;
 * - the whole call, with the client's error kind (`bad-request`, `forbidden`, …) and the
 *   client's raw message ("Exist rejected the request (HTTP 400, /api/…): <Exist's text>."):
 *   only Exist's text is kept, never the status or path.
 * Each gets what to do next. The raw text is `detail`. Messages stored by an older version
 * (already raw) are worded the same way, at display time.
 */
import type { AppError } from '../../shared/result';
import { NOT_OWNER } from '../../shared/domain';
import { looksTechnical, tidySentence } from './words';

const TODO: Record<string, string> = {
  validation: 'Check the value, then retry or discard it.',
  'bad-request': 'Check the value, then retry or discard it.',
  missing_field: 'Exist Tray sent an incomplete write: discard it, and report it with the details.',
  unauthorised: 'Exist Tray no longer owns this attribute in Exist: add it again in Settings → Attributes, then retry.',
  [NOT_OWNER]: 'Take it back, or stop tracking it, in Settings → Sync.',
  forbidden:
    'Exist Tray lacks the permission for it: reconnect with that permission in Settings → Account, then retry.',
  'not-found':
    'It may have been removed or renamed in Exist: add it again in Settings → Attributes, or discard the write.',
  not_found:
    'It may have been removed or renamed in Exist: add it again in Settings → Attributes, or discard the write.',
};
const TODO_OTHER = 'Retry or discard it in Settings → Sync.';

/** Exist's own text inside a client error message ("…(HTTP 400, /api/…): text."), if any. */
function existText(raw: string): string | null {
  const m =
    /^(?:Exist rejected the request \([^)]*\)|The token lacks a scope for \S+|Not found: \S+|Exist refused the access token \([^)]*\)):\s*(.+)$/s.exec(
      raw.trim(),
    );
  const text = m ? m[1]! : raw;
  // The outbox's own stand-in when Exist gave no text ("Exist rejected the value (validation).").
  if (/^Exist rejected the value \(/.test(text)) return null;
  return text.trim() === '' || looksTechnical(text) ? null : text;
}

export function describeRefusedWrite(error: { code: string; message: string }): AppError {
  // The outbox's own sentence naming the service that took the attribute over
  // (src/core/outbox/exist-write-api.ts notOwnerMessage): already says Exist refused it.
  if (error.code === NOT_OWNER)
    return { code: error.code, message: tidySentence(`${error.message} ${TODO[NOT_OWNER]}`), detail: error.message };
  const text = existText(error.message);
  const todo = (Object.hasOwn(TODO, error.code) ? TODO[error.code] : undefined) ?? TODO_OTHER;
  const said = text ? `Exist refused it: ${tidySentence(text)}.` : 'Exist refused it.';
  return { code: error.code, message: tidySentence(`${said} ${todo}`), detail: error.message };
}
