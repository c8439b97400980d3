import { describe, expect, it } from 'vitest';
import { makeMessage } from './fixtures.test-helpers.js';
import {
  addPending,
  applyRoomEventToMessages,
  setPendingStatus,
  upsertMessages,
  type LocalMessage,
  type MessagesState,
} from './messages.js';

const pendingFrom = (clientId: string, content: string): LocalMessage => ({
  ...makeMessage({ id: `local:${clientId}`, seq: 0, sender_id: 'alice', content, client_id: clientId }),
  status: 'pending',
});

describe('messages store reducers', () => {
  it('orders by seq and dedupes by id', () => {
    const a = makeMessage({ seq: 2 });
    const b = makeMessage({ seq: 1 });
    let state: MessagesState = upsertMessages({}, 'r1', [a, b]);
    state = upsertMessages(state, 'r1', [a]);
    expect(state.r1!.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('keeps pending sends after stored messages and replaces them by the server copy with the same client_id', () => {
    let state: MessagesState = upsertMessages({}, 'r1', [makeMessage({ seq: 1, content: 'one' })]);
    state = addPending(state, pendingFrom('c1', 'first'));
    state = addPending(state, pendingFrom('c2', 'second'));
    state = upsertMessages(state, 'r1', [makeMessage({ seq: 2, content: 'two' })]);
    expect(state.r1!.messages.map((m) => m.status)).toEqual(['sent', 'sent', 'pending', 'pending']);

    const stored = makeMessage({ seq: 3, sender_id: 'alice', content: 'first', client_id: 'c1' });
    state = upsertMessages(state, 'r1', [stored]);
    expect(state.r1!.messages.map((m) => m.content)).toEqual(['one', 'two', 'first', 'second']);
    expect(state.r1!.messages.filter((m) => m.client_id === 'c1')).toHaveLength(1);
    // The same server copy arriving again (ack and event) changes nothing.
    const again = upsertMessages(state, 'r1', [stored]);
    expect(again.r1!.messages).toHaveLength(4);
  });

  it('marks a pending send failed and back to pending for a retry', () => {
    let state = addPending({}, pendingFrom('c1', 'x'));
    state = setPendingStatus(state, 'r1', 'c1', 'failed', { code: 'message_too_long', message: 'too long' });
    expect(state.r1!.messages[0]).toMatchObject({ status: 'failed', error: { code: 'message_too_long' } });
    state = setPendingStatus(state, 'r1', 'c1', 'pending');
    expect(state.r1!.messages[0]!.status).toBe('pending');
    expect(state.r1!.messages[0]!.error).toBeUndefined();
  });

  it('applies reaction deltas and tracks whether the viewer reacted', () => {
    const target = makeMessage({ seq: 1 });
    let state: MessagesState = upsertMessages({}, 'r1', [target]);
    const reaction = (kind: 'reaction.added' | 'reaction.removed', user: string, seq: number, count: number) =>
      applyRoomEventToMessages(
        state,
        { room_id: 'r1', seq, kind, at: '', data: { message_id: target.id, user_id: user, emoji: '👍', count } },
        'alice',
      );
    state = reaction('reaction.added', 'bob', 2, 1);
    state = reaction('reaction.added', 'alice', 3, 2);
    expect(state.r1!.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    // Applying the same change twice (a replay overlapping a REST answer) leaves the same counts.
    state = reaction('reaction.added', 'alice', 3, 2);
    expect(state.r1!.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    state = reaction('reaction.removed', 'alice', 4, 1);
    expect(state.r1!.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 1, me: false }]);
    state = reaction('reaction.removed', 'bob', 5, 0);
    expect(state.r1!.messages[0]!.reactions).toEqual([]);
  });

  it('turns a deleted message into a tombstone in place', () => {
    const target = makeMessage({ seq: 1 });
    let state: MessagesState = upsertMessages({}, 'r1', [target, makeMessage({ seq: 2 })]);
    const tombstone = { ...target, content: null, deleted_at: '2026-01-02T00:00:00Z' };
    state = applyRoomEventToMessages(
      state,
      { room_id: 'r1', seq: 3, kind: 'message.deleted', at: '', data: { message: tombstone } },
      'alice',
    );
    expect(state.r1!.messages[0]).toMatchObject({ id: target.id, content: null, deleted_at: '2026-01-02T00:00:00Z' });
    expect(state.r1!.messages).toHaveLength(2);
  });

  it('ignores created events for rooms whose history was never loaded', () => {
    const state = applyRoomEventToMessages(
      {},
      { room_id: 'r9', seq: 1, kind: 'message.created', at: '', data: { message: makeMessage({ room_id: 'r9' }) } },
      'alice',
    );
    expect(state).toEqual({});
  });
});
