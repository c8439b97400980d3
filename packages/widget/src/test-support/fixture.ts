import type { MessagingDrawer } from '../components/drawer/drawer.component.js';
import { closeClients, type TestUser } from './parley.js';
import { waitFor } from './assert.js';

const mounted = new Set<Element>();

/** A `<messaging-drawer>` for `user` that builds its own client from `server` + `getToken`. */
export async function drawerFor(user: TestUser): Promise<MessagingDrawer> {
  const drawer = document.createElement('messaging-drawer');
  drawer.server = user.server;
  drawer.getToken = () => user.token;
  const ready = new Promise<void>((resolve, reject) => {
    drawer.addEventListener('messaging-ready', () => resolve(), { once: true });
    drawer.addEventListener('messaging-error', (e) => reject(e.detail.error as Error), { once: true });
  });
  document.body.append(drawer);
  mounted.add(drawer);
  await ready;
  await drawer.updateComplete;
  return drawer;
}

/** Remove every fixture (their own clients are destroyed on removal) and the other users' clients. */
export function cleanup(): void {
  for (const el of mounted) el.remove();
  mounted.clear();
  closeClients();
}

/** Query inside a chain of shadow roots: `deep(drawer, 'messaging-room-list', '[part~=room]')`. */
export function deep<T extends Element = HTMLElement>(root: Element, ...selectors: string[]): T | null {
  let current: Element | null = root;
  for (const selector of selectors) {
    const scope: ParentNode | null | undefined = current?.shadowRoot ?? current;
    current = scope?.querySelector(selector) ?? null;
    if (!current) return null;
  }
  return current as T | null;
}

export function deepAll<T extends Element = HTMLElement>(root: Element, ...selectors: string[]): T[] {
  const last = selectors.pop()!;
  const parent = selectors.length ? deep(root, ...selectors) : root;
  return parent ? [...(parent.shadowRoot ?? parent).querySelectorAll<T>(last)] : [];
}

/** The open room's message list element. */
export function messageList(drawer: MessagingDrawer): HTMLElement {
  const list = deep(drawer, 'messaging-room-view', 'messaging-message-list');
  if (!list) throw new Error('no message list: open a room first');
  return list;
}

/** The message rows (`[part~=message]`) of the open room, in order. */
export function messageRows(drawer: MessagingDrawer): HTMLElement[] {
  return deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part~=message]');
}

/** The open room's row for the message whose text is `text`. */
export function rowWithText(drawer: MessagingDrawer, text: string): HTMLElement | undefined {
  return messageRows(drawer).find((row) => row.querySelector('[part~=bubble]')?.textContent?.includes(text));
}

/** The bubbles of the open room, in order. */
export function bubbles(drawer: MessagingDrawer): HTMLElement[] {
  return deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part~=bubble]');
}

/** Open the drawer and the room named `name`; resolves when its messages are loaded. */
export async function openRoom(drawer: MessagingDrawer, name: string): Promise<void> {
  await drawer.show();
  const button = await waitFor(
    () =>
      deepAll(drawer, 'messaging-room-list', '[part~=room]').find((b) => deep(b, '[part=name]')?.textContent === name),
    `room "${name}" in the list`,
  );
  button.click();
  await waitFor(() => deep(drawer, 'messaging-room-view'), 'the room view');
}

/** From the open room: back to the list, open a new conversation and type `query` into its directory search. */
export async function searchDirectory(drawer: MessagingDrawer, query: string): Promise<void> {
  deep(drawer, 'messaging-room-view', '[part=back-button]')!.click();
  await waitFor(() => deep(drawer, '[part=new-conversation-button]'), 'the list');
  deep(drawer, '[part=new-conversation-button]')!.click();
  const search = await waitFor(
    () => deep<HTMLInputElement>(drawer, 'messaging-new-conversation', '[part=search]'),
    'search',
  );
  search.value = query;
  search.dispatchEvent(new Event('input'));
}
