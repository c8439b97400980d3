import type { ParleyClientEvents } from './client-events.js';
import type { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
import type { RoomPage, ServerFrame } from './protocol.js';
import type { RoomSync } from './room-sync.js';
import type { SendQueue } from './send-queue.js';
import type { ClientStores } from './store/client-stores.js';
import type { Typing } from './typing.js';

/** The client's parts a server frame can be for. */
export interface FrameTargets {
  readonly state: ClientStores;
  readonly events: Emitter<ParleyClientEvents>;
  readonly sync: RoomSync;
  readonly sends: SendQueue;
  readonly typing: Typing;
  /** The room list's first page arrived (here: the socket's `rooms` frame). */
  takeFirstPage(page: RoomPage): void;
}

/**
 * Hands one server frame to the part it is for (the stores, room sync, the send queue, typing) and
 * announces it as the client's typed event. The switch is exhaustive (lint: `switch-exhaustiveness-check`),
 * so a new frame type in protocol.ts fails `npm run lint` until it is routed here.
 */
export function routeFrame(frame: ServerFrame, to: FrameTargets): void {
  const { state, events, sync, sends, typing } = to;
  switch (frame.type) {
    case 'rooms':
      to.takeFirstPage(frame.page);
      break;
    case 'ready':
      state.setUser(frame.user, frame.limits);
      sync.resumed(frame.resume);
      events.emit('ready', { user: frame.user, resume: frame.resume });
      for (const [roomId, outcome] of Object.entries(frame.resume))
        events.emit('resumed', { room_id: roomId, outcome });
      sends.flush(true);
      break;
    case 'event': {
      const { type: _type, ...event } = frame;
      if (!sync.apply(event)) break;
      if (event.kind === 'message.created') {
        const { message } = event.data;
        // The echo of the user's own send can overtake its ack: either one settles it.
        if (message.sender_id === state.me) sends.settle(message.client_id ?? undefined, message);
        events.emit('message.new', { message });
      }
      events.emit('room.event', event);
      break;
    }
    case 'resync':
      void sync.resync(frame.room_id);
      break;
    case 'ack':
      sends.settle(frame.ref, frame.message);
      break;
    case 'error':
      if (!sends.refused(frame)) events.emit('error', { error: new ParleyError(frame.code, frame.message) });
      break;
    case 'typing':
      typing.received(frame.room_id, frame.user_id, frame.state === 'start');
      events.emit('typing', { room_id: frame.room_id, user_id: frame.user_id, state: frame.state });
      break;
    case 'presence': {
      const { type: _type, ...record } = frame;
      state.applyPresence([record]);
      events.emit('presence', record);
      break;
    }
    case 'unread':
      state.setUnread(frame.room_id, frame.unread_count);
      events.emit('unread', { room_id: frame.room_id, unread_count: frame.unread_count, total: frame.total });
      break;
    case 'mute':
      state.setMuted(frame.room_id, frame.muted);
      events.emit('mute', { room_id: frame.room_id, muted: frame.muted, total: frame.total });
      break;
    case 'reads':
      state.applyReads(frame.room_id, frame.reads);
      events.emit('reads', { room_id: frame.room_id, reads: frame.reads });
      break;
    case 'pong':
      break;
  }
}
