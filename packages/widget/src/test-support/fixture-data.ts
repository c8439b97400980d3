import type { Message, Participant, Room, User } from '@parley/sdk';

/**
 * Protocol objects for the stub client (stub-client.ts), typed by the SDK's `protocol.ts` so that
 * fixtures change when the wire shapes do. Only what a test cares about is an argument.
 *
 * The SDK's agent tests spell a room out the same way (sdk/src/agent/intent/fake-directory.test-helpers.ts):
 * fixtures, kept per package on purpose, as the SDK publishes no test helpers for the widget to import.
 */

/** A user; the id is the lowercased name unless given. */
export function user(name: string, id = name.toLowerCase()): User {
  return { id, name, avatar_url: null };
}

/** A participant who joined long ago; `last_read_seq` says how far they have read. */
export function participant(member: User, lastReadSeq = 0, lastReadAt: string | null = null): Participant {
  return { ...member, joined_at: '2024-01-01T00:00:00.000Z', last_read_seq: lastReadSeq, last_read_at: lastReadAt };
}

/** A group room; `last_seq`, `last_message` and the times are filled in by the stub from its messages. */
export function groupRoom(id: string, name: string, members: readonly (User | Participant)[]): Room {
  return {
    id,
    type: 'group',
    name,
    display_name: name,
    participants: members.map((m) => ('joined_at' in m ? m : participant(m))),
    last_message: null,
    last_message_at: null,
    unread_count: 0,
    created_by: null,
    muted: false,
    last_seq: 0,
    created_at: '2024-01-01T00:00:00.000Z',
  };
}

/** A local time of day as ISO, e.g. `at(2024, 3, 5, 9, 30)` (month 1–12): day separators follow local days. */
export function at(year: number, month: number, day: number, hour: number, minute = 0): string {
  return new Date(year, month - 1, day, hour, minute).toISOString();
}

/** A text message; `seq` is numbered by the stub in the order its room's messages are listed. */
export function message(
  roomId: string,
  sender: User | null,
  content: string,
  createdAt: string,
  extra: Partial<Message> = {},
): Message {
  return {
    id: `m-${crypto.randomUUID().slice(0, 8)}`,
    room_id: roomId,
    seq: 0,
    sender_id: sender?.id ?? null,
    type: 'text',
    content,
    metadata: {},
    reactions: [],
    client_id: null,
    created_at: createdAt,
    edited_at: null,
    deleted_at: null,
    ...extra,
  };
}

/** A `system` note that someone joined (the server writes these; the widget words them). */
export function joinedNote(roomId: string, member: User, createdAt: string): Message {
  return message(roomId, null, `${member.name} joined`, createdAt, {
    type: 'system',
    metadata: { event: 'member.joined', user_id: member.id, user_name: member.name },
  });
}
