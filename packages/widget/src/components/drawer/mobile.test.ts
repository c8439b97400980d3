import './drawer.js';
import { setViewport } from '@web/test-runner-commands';
import { waitFor } from '../../test-support/assert.js';
import { cleanup, deep, drawerFor } from '../../test-support/fixture.js';
import { testUser } from '../../test-support/parley.js';

describe('the drawer on a phone', () => {
  afterEach(async () => {
    cleanup();
    await setViewport({ width: 800, height: 600 });
  });

  it('sizes the sheet to the visible viewport and follows it as it shrinks (an on-screen keyboard)', async () => {
    await setViewport({ width: 390, height: 700 });
    const alice = await testUser('Alice');
    const drawer = await drawerFor(alice);
    await drawer.show();
    const panel = deep(drawer, '[part=panel]')!;
    const fits = () => {
      const rect = panel.getBoundingClientRect();
      const viewport = window.visualViewport!;
      return Math.abs(rect.height - viewport.height) < 1 && Math.abs(rect.top - viewport.offsetTop) < 1;
    };
    await waitFor(fits, 'the sheet fills the visible viewport');
    // The visible part shrinks, as when the keyboard comes up: the sheet, and so the composer, follow.
    await setViewport({ width: 390, height: 420 });
    await waitFor(() => fits() && panel.getBoundingClientRect().height < 430, 'the sheet follows the smaller viewport');
    // From visualViewport's resize event (the CSS fallback, 100dvh, would follow the layout viewport only).
    await waitFor(
      () => drawer.style.getPropertyValue('--messaging-viewport-height') === `${window.visualViewport!.height}px`,
      'tracked from visualViewport',
    );
  });
});
