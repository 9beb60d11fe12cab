/**
 * The sandbox's routes outside API v2 and the admin API: the OAuth pages and token
 * endpoint (./oauth), the profile avatar and the plain-text index at `/`.
 */
import type { IncomingMessage } from 'node:http';
import { detail } from './api';
import type { ApiCalls } from './api-calls';
import type { SandboxContext } from './context';
import type { Reply } from './core';
import { authorizeGet, authorizePost, tokenPost } from './oauth';

const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="32" fill="#2f6bff"/><text x="32" y="41" font-family="system-ui,sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">DU</text></svg>`;

/** Answers a non-admin request by path; API paths go through `api` (the server sends them there first). */
export function createPageRoutes(
  ctx: SandboxContext,
  api: Pick<ApiCalls, 'admitApi' | 'applyApi'>,
): (req: IncomingMessage, url: URL, body: string) => Reply {
  const { config, core } = ctx;
  const { admitApi, applyApi } = api;
  const route = (req: IncomingMessage, url: URL, body: string): Reply => {
    const p = url.pathname;
    if (p.startsWith('/api/')) {
      const a = admitApi(req, url, true);
      return 'def' in a ? applyApi(a, req, url, body, { arrivedAt: core.now(), late: false }) : a;
    }
    if (p === '/oauth2/authorize' || p === '/oauth2/authorize/') {
      if (req.method === 'GET') return authorizeGet(core, url.searchParams);
      if (req.method === 'POST') return authorizePost(core, req.headers, body);
      return detail(405, `Method "${req.method ?? ''}" not allowed.`, { Allow: 'GET, POST' });
    }
    if (p === '/oauth2/access_token' || p === '/oauth2/access_token/') {
      if (req.method !== 'POST') return detail(405, `Method "${req.method ?? ''}" not allowed.`, { Allow: 'POST' });
      return tokenPost(core, req.headers, body);
    }
    if (p === '/static/avatar.svg') return { status: 200, raw: { contentType: 'image/svg+xml', body: AVATAR } };
    if (p === '/' && req.method === 'GET') {
      return {
        status: 200,
        raw: {
          contentType: 'text/plain; charset=utf-8',
          body: `Exist sandbox\nAPI: ${ctx.baseUrl}/api/2/\nOAuth2: ${ctx.baseUrl}/oauth2/authorize\nClient ID: ${config.clientId}\n`,
        },
      };
    }
    return detail(404, 'Not found.');
  };

  return route;
}
