// What counts as a reaction: exactly one user-perceived character that is an
// emoji — a pictograph (with skin tones, ZWJ sequences, variation selectors
// and tag sequences such as subdivision flags), a flag of two regional
// indicators, or a keycap. Text such as "ok" or "<b>" is not.

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

const PICTOGRAPHIC = /^\p{Extended_Pictographic}/u;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const KEYCAP = /^[0-9#*]\uFE0F?\u20E3$/u;
/** Every code point a pictographic emoji sequence may contain. */
const PICTOGRAPHIC_PARTS =
  /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|\uFE0F|\uFE0E|[\u{E0020}-\u{E007F}])+$/u;

/** The longest emoji sequences (family ZWJ sequences, tag flags) stay well under this. */
const MAX_EMOJI_LENGTH = 64;

/** Whether `value` is exactly one emoji grapheme. */
export function isSingleEmoji(value: string): boolean {
  if (value.length === 0 || value.length > MAX_EMOJI_LENGTH) return false;
  const graphemes = [...segmenter.segment(value)];
  if (graphemes.length !== 1) return false;
  if (FLAG.test(value) || KEYCAP.test(value)) return true;
  return PICTOGRAPHIC.test(value) && PICTOGRAPHIC_PARTS.test(value);
}
