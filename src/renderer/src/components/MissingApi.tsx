/**
 * Shown when a page is opened without the app around it (no `window.existTray`),
 * instead of a blank window: the preload or the browser host must inject the API first.
 */
export function hasApi(): boolean {
  return typeof window !== 'undefined' && window.existTray !== undefined;
}

export function MissingApi() {
  return (
    <main className="empty">
      <p role="alert" className="error">
        This page must be opened by Exist Tray: the app's connection (window.existTray) is missing.
      </p>
    </main>
  );
}
