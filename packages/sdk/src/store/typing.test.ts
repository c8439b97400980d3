import { describe, expect, it } from 'vitest';
import { applyTyping, expireTyping, selectTypingUsers, TYPING_TTL_MS } from './typing.js';

describe('typing store reducers', () => {
  it('adds, stops and expires typing users per room', () => {
    let state = applyTyping({}, 'r1', 'bob', true, 1_000);
    state = applyTyping(state, 'r1', 'carol', true, 2_000);
    expect(selectTypingUsers(state, 'r1')).toEqual(['bob', 'carol']);
    state = applyTyping(state, 'r1', 'carol', false, 2_500);
    expect(selectTypingUsers(state, 'r1')).toEqual(['bob']);
    expect(expireTyping(state, 1_000 + TYPING_TTL_MS - 1)).toBe(state);
    state = expireTyping(state, 1_000 + TYPING_TTL_MS);
    expect(selectTypingUsers(state, 'r1')).toEqual([]);
  });

  it('returns the same state when a stop arrives for someone not typing', () => {
    const state = applyTyping({}, 'r1', 'bob', true, 0);
    expect(applyTyping(state, 'r1', 'dave', false, 0)).toBe(state);
  });
});
