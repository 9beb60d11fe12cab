/**
 * Linux window association: the installed `.desktop` entry and the running window must name
 * the same app, or the dock shows a generic icon, does not group the windows under the
 * launcher, and xdg-desktop-portal (the Wayland global shortcut) cannot resolve the app.
 * Electron 45 takes `desktopName` from the packed package.json (else a slug of the app's
 * name) and uses it, minus `.desktop`, as the Wayland app_id and the X11 WM_CLASS
 * (electron/electron lib/browser/init.ts `app.setDesktopName(packageJson.desktopName ||
 * defaultDesktopName(app.name))`; shell/browser/native_window_views.cc: `wm_class_class =
 * GetXdgAppId() or the app name`; docs/api/app.md setDesktopName: "This must match the base
 * filename of the app's installed .desktop file" … "used as … the XDG application ID (app_id)
 * on Wayland and WM_CLASS on X11"). So: StartupWMClass = that id, and the entry's file name =
 * `<id>.desktop`. The entry itself is computed by electron-builder's own LinuxTargetHelper
 * (what the deb and AppImage targets write), from the packager of a real `electron-builder`
 * run (./pack-desktop-entry.cjs, an afterPack hook) or, in the test, from the config.
 */

/** Electron's lib/browser/desktop-name.ts defaultDesktopName, for a package.json without desktopName. */
function defaultDesktopName(name) {
  const slug =
    name &&
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return slug ? `${slug}.desktop` : null;
}

/** The id the running app reports (app_id on Wayland, WM_CLASS class on X11), from the packed package.json. */
export function electronAppId(pkg) {
  const name = String(pkg.productName ?? pkg.name ?? '').trim();
  const desktopName = pkg.desktopName || defaultDesktopName(name);
  return desktopName ? desktopName.replace(/\.desktop$/, '') : null;
}

/** Problems with the entry `{ fileName, text }` for the app whose packed package.json is `pkg`. */
export function desktopEntryProblems(pkg, entry) {
  const id = electronAppId(pkg);
  const wmClass = /^StartupWMClass=(.*)$/m.exec(entry.text)?.[1] ?? null;
  const from = pkg.desktopName
    ? `desktopName ${pkg.desktopName}`
    : `no desktopName: a slug of "${pkg.productName ?? pkg.name}"`;
  const problems = [];
  if (wmClass !== id)
    problems.push(
      `the .desktop entry's StartupWMClass is ${wmClass === null ? 'missing' : `"${wmClass}"`}, but the window reports "${id}" (${from})`,
    );
  if (entry.fileName !== `${id}.desktop`)
    problems.push(`the .desktop file is installed as ${entry.fileName}, but Electron's app id is "${id}" (${from})`);
  return problems;
}
