/**
 * The desk page (`/`): a stand-in for the desktop around the tray app, so a person or
 * Playwright can do in a browser what they would do on the OS: click the tray icon,
 * open its menu, see notifications and the pages the app opened in the browser. The
 * popover and settings "windows" are iframes of the real renderer pages.
 */
import { BRIDGE_PATH } from './protocol';

/** CSP for the desk page: same-origin scripts, frames and socket only. */
export const DESK_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const trayIconSvg =
  '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><rect x="1.5" y="8" width="3" height="6" rx="1"/><rect x="6.5" y="5" width="3" height="9" rx="1"/><rect x="11.5" y="2" width="3" height="12" rx="1"/></svg>';

/** The desk page HTML. */
export function deskPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Exist Tray — browser host</title>
<link rel="stylesheet" href="/__host/desk.css">
<script src="${BRIDGE_PATH}" data-role="desk"></script>
<script src="/__host/desk.js" defer></script>
</head>
<body>
<header class="menubar">
  <span class="menubar-title">Desktop <small>(Exist Tray browser host)</small></span>
  <span id="tray-state" class="tray-state" aria-live="polite"></span>
  <div class="tray" role="group" aria-label="System tray">
    <button type="button" id="tray-icon" class="tray-icon" aria-label="Exist Tray" title="Exist Tray" aria-haspopup="dialog" aria-expanded="false" aria-controls="popover">${trayIconSvg}<span id="tray-badge" class="badge" aria-hidden="true" hidden></span></button>
    <button type="button" id="tray-menu-button" class="tray-menu-button" aria-label="Exist Tray menu" aria-haspopup="menu" aria-expanded="false" aria-controls="tray-menu">⋯</button>
    <ul id="tray-menu" class="menu" role="menu" aria-label="Exist Tray menu" hidden>
      <li role="menuitem" aria-disabled="true" id="tray-menu-header" class="menu-header" hidden></li>
      <li role="menuitem" tabindex="-1" data-action="open">Open</li>
      <li role="menuitem" tabindex="-1" data-action="settings">Settings</li>
      <li role="menuitem" tabindex="-1" data-action="sync-now">Sync now</li>
      <li role="separator"></li>
      <li role="menuitem" tabindex="-1" data-action="quit">Quit</li>
    </ul>
  </div>
</header>
<main class="desktop" id="desktop">
  <section id="popover" class="popover" role="dialog" aria-label="Exist Tray popover" hidden>
    <iframe name="popover" title="Exist Tray" src="/popover.html" width="360" height="480"></iframe>
  </section>
  <section id="settings-window" class="window" role="dialog" aria-labelledby="settings-title" hidden>
    <div class="titlebar">
      <span id="settings-title">Exist Tray Settings</span>
      <button type="button" id="settings-close" class="window-close" aria-label="Close Settings">×</button>
    </div>
    <iframe name="settings" title="Exist Tray Settings" src="/settings.html"></iframe>
  </section>
  <aside class="side">
    <p id="host-status" class="host-status" role="status"></p>
    <section class="panel">
      <h2 id="notifications-title">Notifications</h2>
      <ol id="notifications" class="notifications" role="log" aria-label="Notifications" aria-live="polite"></ol>
    </section>
    <section class="panel">
      <h2 id="opened-title">Opened in browser</h2>
      <ul id="opened" class="opened" aria-label="Opened in browser"></ul>
    </section>
  </aside>
</main>
</body>
</html>
`;
}
