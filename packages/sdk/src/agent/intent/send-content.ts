/** What the message says, once the name is known: separators, quotes, politeness and reported speech. */
import { toDirectSpeech } from './reported-speech.js';
import { POLITE_TAIL, QUOTED, SEPARATOR, type Frame, type Split } from './send-frames.js';

export interface Content {
  content: string;
  /** For the draft: the content was kept as said and may need rewording. */
  note?: string;
}

const WHOLLY_QUOTED = new RegExp(String.raw`^(?<quoted>${QUOTED})${POLITE_TAIL}$`, 'isu');
const COMMON_SEPARATOR = new RegExp(String.raw`^(?:${SEPARATOR})`, 'i');
/** A colon, a dash or "saying" sets the user's own words apart: they are sent exactly, never reworded. */
const DIRECT_SEPARATOR = /[:—–]|(?:^|\s)-(?:\s|$)|\bsay(?:ing|s)?\b/i;
/** Said to the assistant rather than to the recipient ("dm Bob please"). */
const ONLY_POLITENESS = /^(?:please|pls|plz|kindly)[.!]*$/i;

/** The content after a name found in the directory; null when the name ended mid-word. */
export function contentAfterName(after: string, frame: Frame): { content: string; sep: string } | null {
  if (!after.trim()) return { content: '', sep: ' ' };
  const sep = COMMON_SEPARATOR.exec(after) ?? frame.lead?.exec(after) ?? /^[.!?;…]*(?:\s+|$)/.exec(after);
  if (!sep?.[0]) return null;
  return { content: after.slice(sep[0].length).trim(), sep: sep[0] };
}

/** The message as it will be drafted for `recipientName`. */
export function finishContent(split: Split, frame: Frame, recipientName: string, asked: boolean): Content {
  let content = split.content.trim();
  const quoted = WHOLLY_QUOTED.exec(content)?.groups?.['quoted'];
  if (quoted) return { content: [...quoted].slice(1, -1).join('').trim() };
  if (DIRECT_SEPARATOR.test(split.sep)) return { content };
  if (ONLY_POLITENESS.test(content)) return { content: '' };
  // "Can you tell Bob I am late?": the question mark asks the assistant, not Bob.
  if (asked) content = content.replace(/(?<!\?)\?$/, '').trim();
  const speech = frame.speech ?? /\band (ask|tell)\b/i.exec(split.sep)?.[1]?.toLowerCase();
  if (!content || (speech !== 'ask' && speech !== 'tell')) return { content };
  return toDirectSpeech(speech, content, recipientName);
}
