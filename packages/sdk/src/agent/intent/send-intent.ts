/**
 * "Send a message to Alice: lunch at 12?" → who and what, without a model.
 *
 * A deterministic parser for the common phrasings of a send request. It answers
 * `not_send` whenever it is not sure (questions about messages, "tell me …"),
 * because a wrong "send" is worse than asking the user. This synchronous parser
 * knows names only by punctuation; `parseSendIntentWith` (directory-send-intent.ts)
 * holds the text against the user's directory to find where a name ends. Hosts
 * with an LLM plug their own parser in behind the same `SendIntentParser` interface.
 */
import { finishContent } from './send-content.js';
import * as frames from './send-frames.js';
import type { Frame, RecipientText, Split } from './send-frames.js';

/** Who the user named, and what kind of recipient the wording implies. */
export interface SendRecipient {
  /** As the user wrote it, minus articles and markers ("the Design team" → "Design team", "room Ops" → "Ops"). */
  name: string;
  /** `user` for person verbs (tell, ask, dm), `room` for room markers (room, channel, team, #), else `unknown`. */
  type: 'user' | 'room' | 'unknown';
}

export type SendIntent =
  | {
      kind: 'send';
      recipient: SendRecipient;
      /** May be empty ("tell Bob", "chat with Bob"): the host then asks what to write. */
      content: string;
      /** For the draft: reported speech kept as said ("ask Bob when …"), which the user may want to reword. */
      note?: string;
    }
  | { kind: 'not_send' };

/** Anything that turns an utterance into a send intent: this parser, the directory-aware one, or a host's LLM. */
export interface SendIntentParser {
  parse(text: string): SendIntent | Promise<SendIntent>;
}

export const NOT_SEND: SendIntent = { kind: 'not_send' };

/**
 * The intent for a frame's split, or `not_send` when the name cannot be a recipient
 * ("tell me …"). `recipient` may override the name read from the split (the
 * directory path has already checked it).
 */
export function toIntent(
  frame: Frame,
  groups: Record<string, string>,
  split: Split,
  asked: boolean,
  recipient: RecipientText | null = frames.toRecipient(split.recipient, frame.implies, groups['verb']),
): SendIntent {
  if (!recipient) return NOT_SEND;
  const { content, note } = finishContent(split, frame, recipient.recipient.name, asked);
  return note
    ? { kind: 'send', recipient: recipient.recipient, content, note }
    : { kind: 'send', recipient: recipient.recipient, content };
}

/** The deterministic parser; see `send-intent.test.ts` and the corpus for what it understands. */
export function parseSendIntent(text: string): SendIntent {
  const utterance = frames.prepareUtterance(text);
  if (!utterance.text) return NOT_SEND;
  for (const { frame, groups } of frames.matchingFrames(utterance.text)) {
    const split = frames.splitByWording(frame, groups);
    if (split) return toIntent(frame, groups, split, utterance.asked);
  }
  return NOT_SEND;
}

/** `parseSendIntent` behind the pluggable interface. */
export const deterministicSendIntentParser: SendIntentParser = { parse: parseSendIntent };
