/**
 * Electron's half of the `app://` scheme (./app-scheme.ts owns the rules): registered as
 * privileged before `ready` (docs/api/protocol.md: "This method can only be used before
 * the `ready` event of the `app` module gets emitted and can be called only once."), and
 * handled, once the app is ready, on the session our windows use. Our windows set no
 * `partition`, so that is `session.defaultSession` ("If you don't specify a session, then
 * your `protocol` will be applied to the default session that Electron uses").
 */
import { protocol, type Session } from 'electron';
import { APP_PRIVILEGES, APP_SCHEME, createAppSchemeHandler } from './app-scheme';

/** Before `ready`, once (boot.ts). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_PRIVILEGES } }]);
}

/** After `ready`: serve out/renderer as app://renderer/ on `ses`, with the CSP as a response header. */
export function serveAppScheme(ses: Session, rendererDir: string, csp: string): void {
  if (ses.protocol.isProtocolHandled(APP_SCHEME)) return;
  ses.protocol.handle(APP_SCHEME, createAppSchemeHandler({ rendererDir, csp }));
}
