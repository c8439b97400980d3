import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParleyClient } from '@parley/sdk';

/**
 * What the drawer follows of the page around it: the visible part of the viewport (for the phone
 * sheet) and whether the page is hidden (for presence).
 */
export class PageWatchController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly client: () => ParleyClient | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.visualViewport?.addEventListener('resize', this.followViewport);
    window.visualViewport?.addEventListener('scroll', this.followViewport);
    // Followed from its first change, not read now: reading it forces a style and layout pass over a
    // page still being built (the drawer mounts from the host's first scripts). Until then the sheet
    // is 100dvh, the visible viewport unless a keyboard is up, and tapping the drawer's button to
    // open it closes that keyboard (a resize).
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.visualViewport?.removeEventListener('resize', this.followViewport);
    window.visualViewport?.removeEventListener('scroll', this.followViewport);
  }

  /**
   * An on-screen keyboard shrinks the visual viewport but not the layout one, so without this the
   * composer would sit under the keyboard (iOS Safari, Android Chrome with
   * `interactive-widget=resizes-visual`). Custom properties set through the CSSOM, which a strict
   * CSP (no inline styles) allows.
   */
  private readonly followViewport = (): void => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    this.host.style.setProperty('--messaging-viewport-height', `${viewport.height}px`);
    this.host.style.setProperty('--messaging-viewport-top', `${viewport.offsetTop}px`);
  };

  /** Away while the page is hidden, online when it is back (presence is a hint: never throws). */
  private readonly onVisibilityChange = (): void => {
    const client = this.client();
    if (client?.connectionState === 'open')
      client.setPresence(document.visibilityState === 'hidden' ? 'away' : 'online');
  };
}
