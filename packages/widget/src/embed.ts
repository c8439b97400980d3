/**
 * The script-tag entry (bundled into `widget.js`):
 *
 *   <script src="https://chat.example.com/widget.js" data-token-url="/parley/token" defer></script>
 *
 * registers the `messaging-*` tags and appends a `<messaging-drawer>` to the page, talking to
 * the server the script came from (`data-server` overrides; `data-auto-mount="false"` only
 * registers). Hosts that want control use `window.Parley.mount({...})`.
 */
import { ParleyClient } from '@parley/sdk';
import { defineAll } from './define-all.js';
import { mount, type MountOptions } from './mount.js';
import { optionsFromScript } from './script-options.js';
import { VERSION } from './version.js';
import type { MessagingDrawer } from './components/drawer/drawer.component.js';

interface ParleyGlobal {
  mount(options: MountOptions): MessagingDrawer;
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

function whenDomReady(run: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

// Loaded twice (two script tags, or a host bundle plus the script): the first copy wins,
// the second neither re-registers nor mounts a second drawer.
if (!window.Parley) {
  defineAll();
  window.Parley = { mount, defineAll: () => defineAll(), ParleyClient, version: VERSION };
  const script = findScript();
  const options = script ? optionsFromScript(script) : null;
  if (options?.tokenUrl) whenDomReady(() => mount(options));
}
