/**
 * HTML of the sandbox's OAuth2 pages: the consent page (Allow / Deny as a plain form
 * POST, so it works without JavaScript) and the error page for requests that must not
 * be redirected. Self-contained: inline CSS and SVG, no external fonts or scripts.
 */
import { groupInfo } from './templates';

/** One permission line as the user reads it. */
export interface ScopeLine {
  title: string;
  detail: string;
}

/** Scopes in words, as Exist lists them on its authorisation page; profile access always comes first. */
export function describeScopes(scopes: readonly string[]): ScopeLine[] {
  const lines: ScopeLine[] = [{ title: 'Read your profile details', detail: '(not including email address)' }];
  for (const scope of scopes) {
    if (scope === 'manual_read') {
      lines.push({ title: 'Read manual attributes', detail: 'Read data for any attribute you track manually' });
    } else if (scope === 'manual_write') {
      lines.push({ title: 'Write manual attributes', detail: 'Write data to any attribute you track manually' });
    } else {
      const m = /^([a-z]+)_(read|write)$/.exec(scope);
      if (m === null) continue;
      const label = groupInfo(m[1] ?? '').label;
      lines.push(
        m[2] === 'read'
          ? {
              title: `Read ${label} group`,
              detail: 'Read data, averages, correlations and insights for attributes in the group',
            }
          : {
              title: `Write ${label} group`,
              detail: 'Create new attributes and write data to attributes in the group',
            },
      );
    }
  }
  return lines;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LOGO = `<svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="9" fill="var(--brand)"/><path d="M9 21.5c2.2-6.6 4.4-11 7-11s3.3 5.8 4.6 8.4c.8 1.7 1.7 2.6 2.4 2.6" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/><circle cx="9" cy="21.5" r="2" fill="#fff"/></svg>`;

const CHECK = `<svg class="check" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="10" fill="var(--ok-bg)"/><path d="M6 10.4l2.6 2.6L14 7.6" fill="none" stroke="var(--ok)" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const STYLE = `
:root{color-scheme:light dark;--bg:#f3f5f9;--card:#fff;--text:#161b26;--muted:#5b6476;--line:#e3e7ef;--brand:#2f6bff;--brand-strong:#1f55d8;--brand-text:#fff;--ok:#16865a;--ok-bg:#e3f5ec;--chip:#eef2ff;--chip-text:#3149a8;--shadow:0 1px 2px rgba(16,24,40,.06),0 12px 32px rgba(16,24,40,.08)}
@media (prefers-color-scheme:dark){:root{--bg:#0e1117;--card:#171b24;--text:#e8ebf2;--muted:#9aa3b5;--line:#272d3a;--brand:#5b8cff;--brand-strong:#7aa2ff;--brand-text:#0b1020;--ok:#4fd39b;--ok-bg:#123326;--chip:#1d2640;--chip-text:#a9bcff;--shadow:0 1px 2px rgba(0,0,0,.4),0 12px 32px rgba(0,0,0,.35)}}
*{box-sizing:border-box}
html,body{margin:0}
body{min-height:100vh;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased;display:flex;flex-direction:column;align-items:center}
.top{width:100%;max-width:960px;display:flex;align-items:center;justify-content:space-between;padding:20px 24px}
.brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:20px;letter-spacing:-.01em;color:var(--text);text-decoration:none}
.logo{width:32px;height:32px;display:block}
.badge{font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:var(--chip-text);background:var(--chip);border-radius:999px;padding:4px 10px}
main{width:100%;max-width:520px;padding:8px 16px 32px}
.card{background:var(--card);border:1px solid var(--line);border-radius:16px;box-shadow:var(--shadow);padding:32px}
.pair{display:flex;align-items:center;justify-content:center;gap:14px;margin-bottom:20px}
.app{width:56px;height:56px;border-radius:14px;display:grid;place-items:center;font-weight:700;font-size:20px;color:#fff;background:linear-gradient(135deg,#f59e0b,#ef4444)}
.pair .logo{width:56px;height:56px}
.dots{display:flex;gap:5px}.dots i{width:6px;height:6px;border-radius:50%;background:var(--line)}
h1{font-size:22px;line-height:1.3;letter-spacing:-.01em;text-align:center;margin:0 0 8px;font-weight:650}
.who{text-align:center;color:var(--muted);margin:0 0 24px;font-size:15px}
.who b{color:var(--text);font-weight:600}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 10px;font-weight:600}
ul{list-style:none;margin:0 0 24px;padding:0;border-top:1px solid var(--line)}
li{display:flex;gap:12px;align-items:flex-start;padding:14px 2px;border-bottom:1px solid var(--line)}
.check{flex:0 0 20px;width:20px;height:20px;margin-top:2px}
li strong{display:block;font-weight:600}
li span{display:block;color:var(--muted);font-size:14.5px}
.actions{display:flex;gap:12px}
button{flex:1;font:inherit;font-weight:600;border-radius:10px;padding:12px 18px;cursor:pointer;border:1px solid transparent;transition:background .15s,border-color .15s}
button:focus-visible{outline:3px solid color-mix(in srgb,var(--brand) 45%,transparent);outline-offset:2px}
.deny{background:transparent;color:var(--text);border-color:var(--line)}
.deny:hover{border-color:var(--muted)}
.allow{background:var(--brand);color:var(--brand-text)}
.allow:hover{background:var(--brand-strong)}
.fine{color:var(--muted);font-size:13.5px;margin:20px 0 0;text-align:center}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--chip);color:var(--chip-text);padding:2px 6px;border-radius:6px;word-break:break-all}
footer{color:var(--muted);font-size:13px;padding:0 16px 28px;text-align:center}
.error h1{margin-bottom:12px}
.error p{color:var(--muted);text-align:center;margin:0}
`;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><span class="brand">${LOGO}Exist</span><span class="badge" title="A local Exist-compatible server: nothing here reaches exist.io">Sandbox</span></header>
<main>
${body}
</main>
<footer>Local Exist sandbox for development and demos. Nothing you do here is sent to exist.io.</footer>
</body>
</html>`;
}

/** The "Authorise app" page: who asks, for what, and an Allow / Deny form posting `consent` and `decision`. */
export function consentPage(p: {
  clientName: string;
  scopes: readonly string[];
  user: { username: string; first_name: string; last_name: string };
  redirectUri: string;
  consentId: string;
}): string {
  const initials =
    p.clientName
      .split(/\s+/)
      .filter((w) => /^[A-Za-z0-9]/.test(w))
      .slice(0, 2)
      .map((w) => w.charAt(0).toUpperCase())
      .join('') || '?';
  const items = describeScopes(p.scopes)
    .map(
      (l) =>
        `<li>${CHECK}<div><strong>${escapeHtml(l.title)}:</strong> <span>${escapeHtml(l.detail)}</span></div></li>`,
    )
    .join('\n');
  const name = escapeHtml(p.clientName);
  return shell(
    `Authorise ${p.clientName} – Exist`,
    `<section class="card" aria-labelledby="title">
<div class="pair"><div class="app" aria-hidden="true">${escapeHtml(initials)}</div><div class="dots" aria-hidden="true"><i></i><i></i><i></i></div>${LOGO}</div>
<h1 id="title"><span>${name}</span> wants to access your Exist account</h1>
<p class="who">Signed in as <b>${escapeHtml(`${p.user.first_name} ${p.user.last_name}`.trim())}</b> (${escapeHtml(p.user.username)})</p>
<h2>This will allow ${name} to</h2>
<ul>
${items}
</ul>
<form method="post" action="/oauth2/authorize">
<input type="hidden" name="consent" value="${escapeHtml(p.consentId)}">
<div class="actions">
<button type="submit" name="decision" value="deny" class="deny">Deny</button>
<button type="submit" name="decision" value="allow" class="allow" autofocus>Allow</button>
</div>
</form>
<p class="fine">You will be sent back to <code>${escapeHtml(p.redirectUri)}</code>. You can disconnect ${name} at any time from your account's connected apps.</p>
</section>`,
  );
}

/** Shown (HTTP 400) when the request cannot safely be redirected: unknown client or wrong redirect URI. */
export function errorPage(title: string, message: string): string {
  return shell(
    `${title} – Exist`,
    `<section class="card error" role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></section>`,
  );
}
