/*
 * The desk page's script (browser host): draws the tray icon, its menu, the popover
 * and settings "windows", notifications and opened links from the host's messages
 * (window.existTrayHost, set up by bridge.js) and talks to the core through the same
 * window.existTray API the renderer uses. Plain JS, served as is.
 */
(function () {
  'use strict';
  const host = window.existTrayHost;
  const api = window.existTray;
  const $ = (id) => document.getElementById(id);
  const trayIcon = $('tray-icon');
  const badge = $('tray-badge');
  const menuButton = $('tray-menu-button');
  const menu = $('tray-menu');
  const popover = $('popover');
  const settingsWindow = $('settings-window');
  const notifications = $('notifications');
  const opened = $('opened');
  const status = $('host-status');
  let openInBrowser = false;

  const items = () => Array.from(menu.querySelectorAll('[role="menuitem"]:not([aria-disabled="true"])'));

  function positionPopover() {
    const r = trayIcon.getBoundingClientRect();
    const width = 360;
    const left = Math.max(
      8,
      Math.min(r.left + r.width / 2 - width / 2, document.documentElement.clientWidth - width - 8),
    );
    popover.style.left = `${Math.round(left)}px`;
    popover.style.top = `${Math.round(r.bottom + 6)}px`;
  }

  /** `returnFocus`: closed with Esc, so focus goes back to the tray button (a click elsewhere keeps its own focus). */
  function setPopover(open, returnFocus = false) {
    if (open) {
      positionPopover();
      popover.hidden = false;
      trayIcon.setAttribute('aria-expanded', 'true');
      popover.querySelector('iframe').focus();
    } else {
      popover.hidden = true;
      trayIcon.setAttribute('aria-expanded', 'false');
      if (returnFocus) trayIcon.focus();
    }
  }

  function openMenu(x, y) {
    const r = menuButton.getBoundingClientRect();
    menu.hidden = false;
    const width = menu.offsetWidth;
    const left = Math.max(8, Math.min(x ?? r.right - width, document.documentElement.clientWidth - width - 8));
    menu.style.left = `${Math.round(left)}px`;
    menu.style.top = `${Math.round(y ?? r.bottom + 4)}px`;
    menuButton.setAttribute('aria-expanded', 'true');
    items()[0].focus();
  }

  function closeMenu() {
    if (menu.hidden) return;
    menu.hidden = true;
    menuButton.setAttribute('aria-expanded', 'false');
  }

  function showStatus(text) {
    status.textContent = text;
  }

  function run(action) {
    closeMenu();
    switch (action) {
      case 'open':
        setPopover(true);
        break;
      case 'settings':
        api.window.openSettings({});
        break;
      case 'sync-now':
        showStatus('Syncing…');
        host.command('sync-now').then((r) => showStatus(r.ok ? 'Sync finished' : `Sync failed: ${r.error.message}`));
        break;
      case 'quit':
        host.command('quit').then((r) => showStatus(r.ok ? 'Exist Tray quit' : `Quit failed: ${r.error.message}`));
        break;
      default:
        break;
    }
  }

  let trayStateShown = false;
  /** The tray's state (issue 18): tooltip, icon variant and the menu's first, disabled item. */
  function setTrayState(s) {
    if (!s) return;
    trayStateShown = true;
    trayIcon.title = s.tooltip;
    trayIcon.dataset.variant = s.iconVariant;
    const header = $('tray-menu-header');
    header.textContent = s.menuHeader;
    header.hidden = false;
    $('tray-state').textContent = s.tooltip;
  }

  function setPending(count) {
    if (!trayStateShown) trayIcon.title = count > 0 ? `Exist Tray — ${count} pending` : 'Exist Tray';
    badge.textContent = count > 0 ? String(count) : '';
    badge.hidden = !(count > 0);
  }

  function addNotification(n) {
    const li = document.createElement('li');
    li.dataset.kind = n.kind;
    const title = document.createElement('strong');
    title.textContent = n.title;
    const body = document.createElement('span');
    body.textContent = n.body;
    const time = document.createElement('time');
    time.dateTime = new Date(n.at).toISOString();
    time.textContent = new Date(n.at).toLocaleTimeString();
    li.append(title, ' ', body, ' ', time);
    if (n.ref && Array.isArray(n.actions)) {
      for (const a of n.actions) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = a.label;
        b.addEventListener('click', () => {
          api.reminders.act({ attribute: n.ref, action: a.id }).then((r) => {
            showStatus(r.ok ? r.value.message : r.error.message);
            if (r.ok) li.querySelectorAll('button').forEach((x) => (x.disabled = true));
          });
        });
        li.append(' ', b);
      }
    }
    notifications.append(li);
  }

  function addOpened(url, fresh) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = url;
    li.append(a);
    opened.append(li);
    if (fresh && openInBrowser) window.open(url, '_blank', 'noopener');
  }

  host.onMessage((m) => {
    switch (m.host) {
      case 'snapshot':
        openInBrowser = m.snapshot.openInBrowser;
        setPending(m.snapshot.pendingCount);
        setTrayState(m.snapshot.trayState);
        notifications.replaceChildren();
        opened.replaceChildren();
        m.snapshot.notifications.forEach(addNotification);
        m.snapshot.opened.forEach((u) => addOpened(u, false));
        break;
      case 'close-popover': // Esc in the popover (window:close)
        setPopover(false, true);
        break;
      case 'open-settings': {
        settingsWindow.hidden = false;
        const frame = settingsWindow.querySelector('iframe');
        // The tab also goes in the page's hash: a show-tab push sent before the page
        // listens (right after load) would be lost; the hash is read on load and on change.
        if (m.tab && frame.contentWindow) frame.contentWindow.location.hash = m.tab;
        frame.focus();
        break;
      }
      case 'pending-count':
        setPending(m.count);
        break;
      case 'tray-state':
        setTrayState(m.state);
        break;
      case 'open-popover':
        setPopover(true);
        break;
      case 'notification':
        addNotification(m.notification);
        break;
      case 'opened':
        addOpened(m.url, true);
        break;
      case 'quit':
        setPopover(false);
        settingsWindow.hidden = true;
        showStatus('Exist Tray quit');
        break;
      default:
        break;
    }
  });

  trayIcon.addEventListener('click', () => setPopover(popover.hidden));
  trayIcon.addEventListener('contextmenu', (e) => {
    e.preventDefault();
    openMenu(e.clientX, e.clientY);
  });
  menuButton.addEventListener('click', () => (menu.hidden ? openMenu() : closeMenu()));
  menu.addEventListener('click', (e) => {
    const item = e.target.closest('[role="menuitem"]');
    if (item) run(item.dataset.action);
  });
  menu.addEventListener('keydown', (e) => {
    const list = items();
    const i = list.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') list[(i + 1) % list.length].focus();
    else if (e.key === 'ArrowUp') list[(i - 1 + list.length) % list.length].focus();
    else if (e.key === 'Home') list[0].focus();
    else if (e.key === 'End') list[list.length - 1].focus();
    else if (e.key === 'Enter' || e.key === ' ') {
      if (i >= 0) run(list[i].dataset.action);
    } else if (e.key === 'Escape') {
      closeMenu();
      menuButton.focus();
    } else return;
    e.preventDefault();
  });
  $('settings-close').addEventListener('click', () => {
    settingsWindow.hidden = true;
  });
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!menu.hidden && !menu.contains(t) && !menuButton.contains(t)) closeMenu();
    // Like a tray popover losing focus: a click elsewhere on the desktop closes it.
    if (
      !popover.hidden &&
      !popover.contains(t) &&
      !trayIcon.contains(t) &&
      !menu.contains(t) &&
      !menuButton.contains(t)
    ) {
      setPopover(false);
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !popover.hidden) setPopover(false, true);
  });
  window.addEventListener('resize', () => {
    if (!popover.hidden) positionPopover();
  });
})();
