import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParleyClient, Room } from '@parley/sdk';

/**
 * Marks a room read when the user can actually see its newest messages: the caller says
 * when its view is shown and scrolled to the newest message (`canSee`), and the page must be
 * visible (`document.visibilityState`). Checked after each render (new messages arrive),
 * on scroll (the caller calls `check()`), and when the page becomes visible again.
 */
export class ReadMarker implements ReactiveController {
  private marking = false;
  /** The room seq last marked read: one request per change, even if the server still counts some unread. */
  private markedSeq = -1;
  private markedRoom: string | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => { client: ParleyClient | undefined; room: Room | undefined },
    private readonly canSee: () => boolean,
  ) {
    host.addController(this);
  }

  private readonly onVisibilityChange = () => this.check();

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
  }

  hostUpdated(): void {
    this.check();
  }

  check(): void {
    const { client, room } = this.target();
    if (!client || !room || room.unread_count === 0 || this.marking) return;
    if (room.id === this.markedRoom && room.last_seq === this.markedSeq) return;
    if (document.visibilityState !== 'visible' || !this.canSee()) return;
    this.marking = true;
    this.markedRoom = room.id;
    this.markedSeq = room.last_seq;
    client
      .markRead(room.id)
      .catch(() => undefined)
      .finally(() => {
        this.marking = false;
        // Messages that came in meanwhile (the seq guard stops a loop if nothing changed).
        this.check();
      });
  }
}
