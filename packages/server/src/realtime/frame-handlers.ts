import type { ClientFrame, ServerFrame } from '@parley/sdk/protocol';
import type { Services } from '../domain/services.js';
import type { Logger } from '../logger.js';

/** Sends queued for a commit but not yet acknowledged; past this the socket waits for the oldest. */
const MAX_SENDS_IN_FLIGHT = 64;

/** The frames an authenticated socket may send besides `auth`. */
export type SessionFrame = Exclude<ClientFrame, { type: 'auth' }>;

/** Where the handlers answer: their socket (the connection itself, so an idle socket carries no extra closures). */
export interface FrameSink {
  send(frame: ServerFrame): void;
  /** The `error` frame for a frame that failed. */
  answerError(thrown: unknown, type: string, ref: string | undefined): void;
  /** Logs as the socket (its lines carry its id). */
  readonly log: Logger;
}

/**
 * The frames of one authenticated socket after `auth`: sends (pipelined:
 * acks follow their commits, in order), reads, typing, presence, ping. Also
 * remembers where the socket is typing, so that closing it stops them.
 */
export class SessionFrames {
  /** Acks of sends still waiting for their commit, oldest first (they settle in this order). */
  private readonly sendsInFlight: Promise<void>[] = [];
  /** Rooms where this socket said `typing: start` and not yet `stop`. */
  private typingIn: Set<string> | null = null;

  constructor(
    /** Shared by every socket of the node. */
    private readonly deps: { services: Services },
    private readonly sink: FrameSink,
  ) {}

  async handle(userId: string, frame: SessionFrame): Promise<void> {
    const { services } = this.deps;
    switch (frame.type) {
      case 'ping':
        this.sink.send({ type: 'pong', ...(frame.ref !== undefined ? { ref: frame.ref } : {}) });
        void services.presence.heartbeat(userId).catch((err) => this.sink.log.warn({ err }, 'heartbeat failed'));
        return;
      case 'send':
        return this.submitSend(userId, frame);
      case 'read': {
        // No answer on success: the counts arrive as `unread` frames on all the user's sockets.
        const written = services.reads.markReadSoon(userId, frame.room_id, frame.seq ?? null);
        void written.catch((err: unknown) => this.sink.answerError(err, 'read', frame.ref));
        return;
      }
      case 'typing':
        await services.typing.relay(userId, frame.room_id, frame.state);
        if (frame.state === 'start') (this.typingIn ??= new Set()).add(frame.room_id);
        else this.typingIn?.delete(frame.room_id);
        return;
      case 'presence':
        await services.presence.set(userId, frame.status, frame.status_message);
        return;
    }
  }

  /** The socket is gone: a socket that dies mid-word stops its typing indicators. */
  closed(userId: string): void {
    for (const roomId of this.typingIn ?? []) {
      void this.deps.services.typing.relay(userId, roomId, 'stop').catch(() => undefined);
    }
    this.typingIn = null;
  }

  /**
   * A send is queued for the next group commit in frame order, and the socket
   * goes on reading while it commits: the ack (or error) follows the commit.
   * A room's batches commit in order (one lane per room), so within a room the
   * seqs and the acks keep the order of the sends.
   */
  private async submitSend(userId: string, frame: Extract<ClientFrame, { type: 'send' }>): Promise<void> {
    if (this.sendsInFlight.length >= MAX_SENDS_IN_FLIGHT) await this.sendsInFlight[0];
    const { committed } = await this.deps.services.messages.submit(userId, frame.room_id, {
      content: frame.content,
      type: frame.message_type ?? 'text',
      metadata: frame.metadata ?? {},
      clientId: frame.client_id ?? null,
    });
    this.typingIn?.delete(frame.room_id);
    const ref = frame.ref !== undefined ? { ref: frame.ref } : {};
    const settled = committed.then(
      ({ message }) => this.sink.send({ type: 'ack', ...ref, message }),
      (err: unknown) => this.sink.answerError(err, 'send', frame.ref),
    );
    this.sendsInFlight.push(settled);
    void settled.finally(() => this.sendsInFlight.splice(this.sendsInFlight.indexOf(settled), 1));
  }
}
