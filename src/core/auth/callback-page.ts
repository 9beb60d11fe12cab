/** The small self-contained HTML page the browser sees after Exist redirects back. */

export interface CallbackPage {
  kind: 'success' | 'failure' | 'info';
  title: string;
  message: string;
}

export type RenderCallbackPage = (page: CallbackPage) => string;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Default page: inline CSS only, no scripts, no external resources (the URL carries the code). */
export const renderCallbackPage: RenderCallbackPage = ({ kind, title, message }) => {
  const colour = kind === 'success' ? '#1f7a4d' : kind === 'failure' ? '#b3261e' : '#44546a';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Exist Tray — ${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;background:#f6f7f9;color:#222}
main{background:#fff;border-radius:12px;padding:2rem 2.5rem;max-width:32rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 .5rem;color:${colour}}p{margin:0}</style></head>
<body><main data-kind="${kind}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>
`;
};
