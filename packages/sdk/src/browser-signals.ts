/** What the browser says about the network and the page, as the connection reacts to it. */
export interface BrowserSignals {
  online(): void;
  offline(): void;
  /** The page was hidden (only with `pauseWhenHidden`). */
  hidden(): void;
  /** The page is visible again (only with `pauseWhenHidden`). */
  visible(): void;
}

/**
 * Listens to `online` / `offline` (and, with `pauseWhenHidden`, `visibilitychange`) where the
 * environment has them — browsers; Node has none and gets a no-op. Returns the cleanup.
 */
export function watchBrowser(on: BrowserSignals, { pauseWhenHidden }: { pauseWhenHidden: boolean }): () => void {
  const target = globalThis as unknown as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>> & {
    document?: Document;
  };
  const { addEventListener: add, removeEventListener: remove } = target;
  if (typeof add !== 'function' || typeof remove !== 'function') return () => {};
  const online = () => on.online();
  const offline = () => on.offline();
  add.call(target, 'online', online);
  add.call(target, 'offline', offline);
  const cleanups = [() => remove.call(target, 'online', online), () => remove.call(target, 'offline', offline)];
  const doc = target.document;
  if (pauseWhenHidden && doc) {
    const visibility = () => (doc.visibilityState === 'hidden' ? on.hidden() : on.visible());
    doc.addEventListener('visibilitychange', visibility);
    cleanups.push(() => doc.removeEventListener('visibilitychange', visibility));
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}

/** The browser knows it has no network (`navigator.onLine === false`); elsewhere, never. */
export function isBrowserOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return nav?.onLine === false;
}
