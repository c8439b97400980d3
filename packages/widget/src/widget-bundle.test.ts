import type { MessagingShareButton } from './components/share-button/share-button.component.js';
import { assert, assertEqual, waitFor } from './test-support/assert.js';
import { deep } from './test-support/fixture.js';
import { testUser } from './test-support/parley.js';

/** Load the built dist/widget.js with a classic script tag, as a host page does. */
function loadScript(attributes: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${attributes['src']}`));
    document.head.append(script);
  });
}

describe('dist/widget.js (script tag)', () => {
  it('auto-mounts one drawer from its data attributes, even when included twice', async function () {
    const built = await fetch('/dist/widget.js', { method: 'HEAD' });
    if (!built.ok) {
      console.warn('dist/widget.js is not built: run `npm run build -w @parley/widget` first; skipping');
      return;
    }
    const alice = await testUser('Alice');
    // The token route answers { token, server }; the widget reads `token`.
    const attributes = {
      src: '/dist/widget.js',
      'data-token-url': `/__parley/token?sub=${encodeURIComponent(alice.id)}&name=Alice`,
      'data-server': alice.server,
    };
    await loadScript(attributes);
    await loadScript(attributes);
    await waitFor(() => document.querySelector('messaging-drawer'), 'a mounted drawer');
    assertEqual(document.querySelectorAll('messaging-drawer').length, 1, 'one drawer despite two script tags');
    const drawer = document.querySelector('messaging-drawer')!;
    assert(window.Parley?.version, 'window.Parley.version');
    await waitFor(() => drawer.activeClient?.user?.id === alice.id, 'connected with the token from data-token-url');
    assert(deep(drawer, '[part=button]'), 'button rendered');

    // Parts of the widget are chunks next to widget.js, sharing its Lit: the room view is fetched at
    // start (beside the token and the room list), the rarely used parts on first use.
    const loaded = (chunk: string) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => new RegExp(`/dist/widget-${chunk}-[\\w-]+\\.js$`).test(e.name)).length;
    await waitFor(() => loaded('room-view') === 1, 'the room view chunk fetched at start');
    assertEqual(loaded('new-conversation') + loaded('share'), 0, 'no rarely used chunk loaded before use');
    await drawer.show();
    (await waitFor(() => deep<HTMLButtonElement>(drawer, '[part=new-conversation-button]'), 'the + button')).click();
    await waitFor(() => deep(drawer, 'messaging-new-conversation', '[part=search]'), 'the new-conversation flow');
    const shared = window.Parley.share({
      content: 'from the bundle',
      source_conversation_id: 'c',
      source_message_id: 'm',
    });
    const picker = await waitFor(
      () => document.querySelector<MessagingShareButton>('messaging-share-button[hide-button]'),
      'the share picker',
    );
    await waitFor(() => picker.shadowRoot?.querySelector('dialog[open] [part=search]'), 'the picker shown');
    picker.hide();
    assertEqual(await shared, null, 'closed without sending');
    assertEqual(
      JSON.stringify([loaded('new-conversation'), loaded('share'), loaded('room-view')]),
      '[1,1,1]',
      'each chunk once',
    );
    drawer.remove();
  });
});
