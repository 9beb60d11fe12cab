/**
 * Sentence hygiene for the one mapper: every message leaves core/errors through here.
 * Exist's own text often ends with "." and our sentences add one ("Invalid value for
 * pages_read.."), so the end is normalised once, here, not at each call site. A real
 * ellipsis ("..." or "…") is kept.
 */

/** Collapses runs of spaces, a doubled period (". ." or "..") and "?." / "!." into one mark. */
export function tidySentence(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?<!\.)\.\s*\.(?!\.)/g, '.')
    .replace(/([!?])\s*\.(?!\.)/g, '$1');
}

/** True when a text carries what a person must not be shown: an HTTP status or an API path. */
export const looksTechnical = (s: string): boolean => /\bHTTP\b|\/api\/|\/oauth2\/|https?:\/\//i.test(s);
