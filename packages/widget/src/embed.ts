/**
 * The script-tag entry (bundled into `widget.js`):
 *
 *   <script src="https://chat.example.com/widget.js" data-token-url="/parley/token" defer></script>
 *
 * registers the `messaging-*` tags and appends a `<messaging-drawer>` to the page, talking to
 * the server the script came from (`data-server` overrides; `data-auto-mount="false"` only
 * registers). Hosts that want control use `window.Parley.mount({...})`.
 */
import { ParleyClient, type Message } from '@parley/sdk';
import { mount, type MountOptions } from './mount.js';
import { optionsFromScript } from './script-options.js';
import type { ShareOptions } from './components/share-button/open-share-picker.js';
import { VERSION } from './version.js';
import { MessagingDrawer } from './components/drawer/drawer.component.js';

interface ParleyGlobal {
  mount(options: MountOptions): MessagingDrawer;
  /** Open the "Send to room" picker for an AI answer; resolves with the sent message, or null if cancelled. */
  share(options: ShareOptions): Promise<Message | null>;
  defineAll(): void;
  ParleyClient: typeof ParleyClient;
  version: string;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
  }
}

// Only set while this script first runs (null in later callbacks and in modules): capture now.
const ownScript = document.currentScript as HTMLScriptElement | null;

function findScript(): HTMLScriptElement | null {
  return ownScript ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-token-url]');
}

/**
 * The share picker loads on first use: most pages never open it, and widget.js has a 30 KiB
 * budget. In widget.js this is a separate chunk
 * next to it (scripts/lazy-chunks.mjs); through npm, the host's bundler splits it.
 */
function share(options: ShareOptions): Promise<Message | null> {
  return import('./components/share-button/open-share-picker.js').then((chunk) => chunk.openSharePicker(options));
}

/**
 * Register the tags: the drawer and everything it renders. Not `defineAll()` from define-all.ts:
 * that imports every element, and the rarely used ones load lazily here (the drawer registers
 * `<messaging-new-conversation>` on first use, `share()` `<messaging-share-button>`).
 */
function defineAll(): void {
  MessagingDrawer.define('messaging-drawer');
}

function whenDomReady(run: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

// Loaded twice (two script tags, or a host bundle plus the script): the first copy wins,
// the second neither re-registers nor mounts a second drawer.
if (!window.Parley) {
  defineAll();
  window.Parley = { mount, share, defineAll, ParleyClient, version: VERSION };
  const script = findScript();
  const options = script ? optionsFromScript(script) : null;
  if (options?.tokenUrl) whenDomReady(() => mount(options));
}
