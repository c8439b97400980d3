import { describe, expect, it } from 'vitest';
import { isSingleEmoji } from './emoji.js';

describe('isSingleEmoji', () => {
  it.each([
    ['👍', 'simple pictograph'],
    ['❤️', 'with variation selector'],
    ['👍🏽', 'with skin tone'],
    ['👩‍👩‍👧‍👦', 'ZWJ family'],
    ['🏳️‍🌈', 'ZWJ flag'],
    ['🇫🇷', 'regional indicator flag'],
    ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'subdivision tag flag'],
    ['1️⃣', 'keycap'],
    ['#⃣', 'keycap without variation selector'],
  ])('accepts %s (%s)', (emoji) => {
    expect(isSingleEmoji(emoji)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['ok', 'text'],
    ['<b>', 'markup'],
    ['a', 'one letter'],
    ['1', 'a digit (Emoji property, but text)'],
    ['👍👍', 'two emoji'],
    ['👍 ', 'emoji and a space'],
    ['🇫', 'a lone regional indicator'],
    ['👍\u0301', 'emoji with a combining accent'],
    ['\u200D', 'a bare joiner'],
  ])('rejects %j (%s)', (value) => {
    expect(isSingleEmoji(value)).toBe(false);
  });
});
