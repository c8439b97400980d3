import { describe, expect, it } from 'vitest';
import { makeMessage, makeRoom } from './fixtures.test-helpers.js';
import {
  applyRoomEventToRooms,
  INITIAL_ROOMS,
  removeParticipant,
  removeRoom,
  selectRoomList,
  selectTotalUnread,
  setMuted,
  setUnread,
  upsertRooms,
} from './rooms.js';

describe('rooms store reducers', () => {
  it('sorts rooms by latest activity', () => {
    const state = upsertRooms(INITIAL_ROOMS, [
      makeRoom({ id: 'old', last_message_at: '2026-01-01T00:00:00Z' }),
      makeRoom({ id: 'new', last_message_at: '2026-03-01T00:00:00Z' }),
      makeRoom({ id: 'mid', last_message_at: '2026-02-01T00:00:00Z' }),
    ]);
    expect(state.order).toEqual(['new', 'mid', 'old']);
  });

  it('moves a room to the top, sets the preview and counts unread on a message from someone else', () => {
    let state = upsertRooms(INITIAL_ROOMS, [
      makeRoom({ id: 'r1', last_message_at: '2026-01-01T00:00:00Z' }),
      makeRoom({ id: 'r2', last_message_at: '2026-02-01T00:00:00Z' }),
    ]);
    const message = makeMessage({ room_id: 'r1', seq: 5, created_at: '2026-04-01T00:00:00Z' });
    state = applyRoomEventToRooms(
      state,
      { room_id: 'r1', seq: 5, kind: 'message.created', at: '', data: { message } },
      'alice',
    );
    expect(state.order).toEqual(['r1', 'r2']);
    expect(state.byId.r1).toMatchObject({ unread_count: 1, last_seq: 5, last_message: { id: message.id } });
  });

  it('does not count my own or system messages as unread', () => {
    let state = upsertRooms(INITIAL_ROOMS, [makeRoom()]);
    const mine = makeMessage({ sender_id: 'alice', seq: 1 });
    const system = makeMessage({ sender_id: null, type: 'system', seq: 2 });
    state = applyRoomEventToRooms(
      state,
      { room_id: 'r1', seq: 1, kind: 'message.created', at: '', data: { message: mine } },
      'alice',
    );
    state = applyRoomEventToRooms(
      state,
      { room_id: 'r1', seq: 2, kind: 'message.created', at: '', data: { message: system } },
      'alice',
    );
    expect(state.byId.r1!.unread_count).toBe(0);
  });

  it('totals unread across rooms and takes the server count as truth', () => {
    let state = upsertRooms(INITIAL_ROOMS, [
      makeRoom({ id: 'a', unread_count: 2 }),
      makeRoom({ id: 'b', unread_count: 3 }),
    ]);
    expect(selectTotalUnread(state)).toBe(5);
    state = setUnread(state, 'a', 0);
    expect(selectTotalUnread(state)).toBe(3);
    expect(setUnread(state, 'a', 0)).toBe(state);
  });

  it('leaves muted rooms out of the total; their own count stays', () => {
    let state = upsertRooms(INITIAL_ROOMS, [
      makeRoom({ id: 'a', unread_count: 2 }),
      makeRoom({ id: 'b', unread_count: 3, muted: true }),
    ]);
    expect(selectTotalUnread(state)).toBe(2);
    state = setMuted(state, 'a', true);
    expect(selectTotalUnread(state)).toBe(0);
    expect(state.byId.a!.unread_count).toBe(2);
    state = setMuted(state, 'b', false);
    expect(selectTotalUnread(state)).toBe(3);
    expect(setMuted(state, 'b', false)).toBe(state);
    expect(setMuted(state, 'unknown', true)).toBe(state);
  });

  it('removes a participant from a room, once', () => {
    let state = upsertRooms(INITIAL_ROOMS, [makeRoom()]);
    state = removeParticipant(state, 'r1', 'bob');
    expect(state.byId.r1!.participants.map((p) => p.id)).toEqual(['alice']);
    expect(removeParticipant(state, 'r1', 'bob')).toBe(state);
    expect(removeParticipant(state, 'unknown', 'alice')).toBe(state);
  });

  it('records read markers and membership changes', () => {
    let state = upsertRooms(INITIAL_ROOMS, [makeRoom()]);
    state = applyRoomEventToRooms(
      state,
      {
        room_id: 'r1',
        seq: 3,
        kind: 'read.updated',
        at: '',
        data: { user_id: 'bob', last_read_seq: 3, last_read_at: '2026-01-01T00:01:00Z' },
      },
      'alice',
    );
    expect(state.byId.r1!.participants.find((p) => p.id === 'bob')!.last_read_seq).toBe(3);
    state = applyRoomEventToRooms(
      state,
      {
        room_id: 'r1',
        seq: 4,
        kind: 'member.joined',
        at: '2026-01-01T00:02:00Z',
        data: { user: { id: 'carol', name: 'Carol', avatar_url: null }, added_by: 'alice' },
      },
      'alice',
    );
    expect(state.byId.r1!.participants.map((p) => p.id)).toEqual(['alice', 'bob', 'carol']);
    state = applyRoomEventToRooms(
      state,
      { room_id: 'r1', seq: 5, kind: 'member.left', at: '', data: { user_id: 'bob', removed_by: null } },
      'alice',
    );
    expect(state.byId.r1!.participants.map((p) => p.id)).toEqual(['alice', 'carol']);
    expect(selectRoomList(removeRoom(state, 'r1'))).toEqual([]);
  });

  it('keeps the newer copy when a fetched room is older than what the socket delivered', () => {
    let state = upsertRooms(INITIAL_ROOMS, [makeRoom({ last_seq: 9, unread_count: 4 })]);
    state = upsertRooms(state, [makeRoom({ last_seq: 7, unread_count: 2 })]);
    expect(state.byId.r1).toMatchObject({ last_seq: 9, unread_count: 4 });
  });
});
