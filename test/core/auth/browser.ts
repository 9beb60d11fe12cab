/** A scripted "browser" for login tests: follows the authorize URL, answers the consent form, visits the callback. */

export interface BrowserVisit {
  /** The callback URL the browser was sent to. */
  callbackUrl: string;
  status: number;
  text: string;
}

/**
 * Opens `authorizeUrl` like a browser. If the sandbox shows its consent page, posts the
 * form with `decision`; then follows the redirect to the app's callback and returns that page.
 * `rewriteCallback` lets a test tamper with the callback URL (wrong state, no code).
 */
export async function browse(
  authorizeUrl: string,
  opts: { decision?: 'allow' | 'deny'; rewriteCallback?: (u: URL) => void } = {},
): Promise<BrowserVisit> {
  let r = await fetch(authorizeUrl, { redirect: 'manual' });
  if (r.status === 200) {
    const html = await r.text();
    const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!consent || !action) throw new Error('browse: no consent form on the authorize page');
    r = await fetch(new URL(action, authorizeUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent, decision: opts.decision ?? 'allow' }).toString(),
      redirect: 'manual',
    });
  }
  if (r.status < 300 || r.status > 399)
    throw new Error(`browse: expected a redirect, got HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`);
  const location = r.headers.get('location');
  if (!location) throw new Error('browse: redirect without Location');
  const cb = new URL(location, authorizeUrl);
  opts.rewriteCallback?.(cb);
  const page = await fetch(cb);
  return { callbackUrl: cb.toString(), status: page.status, text: await page.text() };
}
