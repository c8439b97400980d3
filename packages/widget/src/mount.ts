import type { GetToken, ParleyClient } from '@parley/sdk';
import { MessagingDrawer } from './components/drawer/drawer.component.js';
import type { StringOverrides } from './i18n.js';

export interface MountOptions {
  /** Parley server base URL (ignored when `client` is given). */
  server?: string;
  /** Returns a JWT for the signed-in user. */
  getToken?: GetToken;
  /** Or: the host app's endpoint answering `{"token": "…"}` (GET, cookies included). */
  tokenUrl?: string;
  /** Or: a client the host made and owns. */
  client?: ParleyClient;
  /** Where to append the drawer: an element or a selector; default `document.body`. */
  target?: Element | string;
  theme?: 'light' | 'dark';
  strings?: StringOverrides;
  locale?: string;
  /** Open the drawer at once. */
  open?: boolean;
}

/** Create a `<messaging-drawer>`, configure it and append it to `target`. Returns the element. */
export function mount(options: MountOptions): MessagingDrawer {
  // The drawer registers what it renders; not defineAll(), which would pull every element into widget.js.
  MessagingDrawer.define('messaging-drawer');
  const target =
    typeof options.target === 'string' ? document.querySelector(options.target) : (options.target ?? document.body);
  if (!target) throw new Error(`Parley.mount: no element matches ${options.target as string}`);
  const drawer = document.createElement('messaging-drawer');
  // Properties, not attributes: getToken and client are objects, and no attribute reflection is needed.
  if (options.client) drawer.client = options.client;
  if (options.server) drawer.server = options.server;
  if (options.getToken) drawer.getToken = options.getToken;
  if (options.tokenUrl) drawer.tokenUrl = options.tokenUrl;
  if (options.theme) drawer.theme = options.theme;
  if (options.strings) drawer.strings = options.strings;
  if (options.locale) drawer.locale = options.locale;
  if (options.open) drawer.open = true;
  target.append(drawer);
  return drawer;
}
