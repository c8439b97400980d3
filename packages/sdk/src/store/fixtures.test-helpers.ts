import type { Message, Room } from '../protocol.js';

let counter = 0;

export function makeMessage(overrides: Partial<Message> = {}): Message {
  counter++;
  return {
    id: `m${counter}`,
    room_id: 'r1',
    seq: counter,
    sender_id: 'bob',
    type: 'text',
    content: `hello ${counter}`,
    metadata: {},
    reactions: [],
    client_id: null,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    edited_at: null,
    deleted_at: null,
    ...overrides,
  };
}

export function makeRoom(overrides: Partial<Room> = {}): Room {
  return {
    id: 'r1',
    type: 'group',
    name: 'Ops',
    display_name: 'Ops',
    participants: [
      {
        id: 'alice',
        name: 'Alice',
        avatar_url: null,
        joined_at: '2026-01-01T00:00:00Z',
        last_read_seq: 0,
        last_read_at: null,
      },
      {
        id: 'bob',
        name: 'Bob',
        avatar_url: null,
        joined_at: '2026-01-01T00:00:00Z',
        last_read_seq: 0,
        last_read_at: null,
      },
    ],
    last_message: null,
    last_message_at: null,
    unread_count: 0,
    last_seq: 0,
    created_at: '2026-01-01T00:00:00Z',
    created_by: 'alice',
    muted: false,
    ...overrides,
  };
}
