import { assert, assertEqual, waitFor } from './test-support/assert.js';
import { cleanup, deep } from './test-support/fixture.js';
import { testUser } from './test-support/parley.js';

describe('embed entry (window.Parley)', () => {
  afterEach(cleanup);

  it('registers the tags, exposes Parley.mount, and does not auto-mount without its script tag', async () => {
    await import('./embed.js');
    const parley = window.Parley;
    assert(parley, 'window.Parley is set');
    assert(typeof parley.version === 'string' && typeof parley.ParleyClient === 'function', 'version and ParleyClient');
    assert(customElements.get('messaging-drawer'), 'tag registered');
    assertEqual(document.querySelectorAll('messaging-drawer').length, 0, 'no auto-mount without a script tag');

    const alice = await testUser('Alice');
    const target = document.createElement('div');
    document.body.append(target);
    try {
      const drawer = parley.mount({
        server: alice.server,
        getToken: () => alice.token,
        target,
        theme: 'dark',
        strings: { title: 'Inbox' },
      });
      assertEqual(drawer.parentElement, target, 'mounted into the target');
      await drawer.updateComplete;
      assertEqual(drawer.getAttribute('theme'), 'dark', 'theme reflected');
      await drawer.show();
      await waitFor(() => deep(drawer, '[part=title]')?.textContent === 'Inbox', 'string override used');
      await waitFor(() => drawer.activeClient?.user?.id === alice.id, 'connected as alice');
    } finally {
      target.remove();
    }
  });
});
