/**
 * What may reach the log file: never a token, an OAuth code or state, a client secret
 * or a callback URL (BRIEF: "never a token, code, secret or callback URL in a log").
 * Redaction happens on the formatted line, so a secret is caught wherever it hides (a
 * message, an error's text, a URL). Pure and Electron-free; the log file itself is
 * src/main/log.ts. Tests: test/core/log/redact.test.ts.
 */

/** Query/form/JSON keys whose values are secrets. */
const SECRET_KEYS = [
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'code',
  'state',
  'token',
  'password',
];
const keys = SECRET_KEYS.join('|');

const RULES: [RegExp, string][] = [
  // A loopback callback URL (http://localhost:8000/?code=…): the whole URL goes.
  [
    /https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?\/[^\s"'<>]*[?&](?:code|state|error)=[^\s"'<>]*/gi,
    '[callback URL]',
  ],
  // key=value in URLs and forms; "key": "value" in JSON; key: value in text.
  [new RegExp(`\\b(${keys})=([^&\\s"'<>]+)`, 'g'), '$1=[redacted]'],
  [new RegExp(`("(?:${keys})"\\s*:\\s*)"[^"]*"`, 'g'), '$1"[redacted]"'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  // Anything that looks like a long opaque credential (hex/base64url ≥ 24 chars).
  [/\b[A-Za-z0-9_-]{24,}\b/g, '[redacted]'],
];

export function redact(line: string): string {
  let out = line;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}
