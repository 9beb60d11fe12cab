/**
 * Test helpers for the sandbox contract tests: a sandbox with a controllable clock,
 * and small fetch wrappers that keep the real HTTP path.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index';

/** Parsed JSON answer; loosely typed so contract tests can assert on any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = { status: number; json: any; headers: Headers };

export interface TestSandbox {
  sb: Sandbox;
  /** Current simulated time. */
  clock: { t: number };
  /** GET an API path with a bearer token (default: the personal token; null: none). */
  get(path: string, token?: string | null): Promise<Answer>;
  /** POST a JSON body to an API path with a bearer token. */
  post(path: string, body: unknown, token?: string | null, headers?: Record<string, string>): Promise<Answer>;
  /** POST a form to the token endpoint. */
  token(form: Record<string, string>, headers?: Record<string, string>): Promise<Answer>;
}

/** 2024-03-10 10:00 UTC = 2024-03-11 00:00 in Kiritimati (UTC+14): the two dates differ. */
export const T0 = Date.parse('2024-03-10T10:00:00Z');

export async function startTestSandbox(opts: SandboxOptions = {}): Promise<TestSandbox> {
  const clock = { t: T0 };
  const sb = await startSandbox({ now: () => clock.t, ...opts });
  const parse = async (r: Response): Promise<Answer> => {
    const text = await r.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // leave as text
    }
    return { status: r.status, json, headers: r.headers };
  };
  /** `null` sends no Authorization header; omitted uses the personal token. */
  const auth = (token: string | null): Record<string, string> =>
    token === null ? {} : { Authorization: `Bearer ${token}` };
  return {
    sb,
    clock,
    get: async (path, token = sb.personalToken) => parse(await fetch(`${sb.url}${path}`, { headers: auth(token) })),
    post: async (path, body, token = sb.personalToken, headers = {}) =>
      parse(
        await fetch(`${sb.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth(token), ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    token: async (form, headers = {}) =>
      parse(
        await fetch(`${sb.url}/oauth2/access_token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(form).toString(),
        }),
      ),
  };
}

/** The authorize URL for the sandbox's client. */
export function authorizeUrl(sb: Sandbox, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  const all: Record<string, string | undefined> = {
    client_id: sb.clientId,
    response_type: 'code',
    redirect_uri: sb.redirectUri,
    scope: 'media_write',
    state: 'st4te',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
  return `${sb.url}/oauth2/authorize?${q.toString()}`;
}

/** Strips tags and collapses whitespace, for asserting what a page says. */
export const pageText = (html: string): string =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/ :/g, ':')
    .trim();
