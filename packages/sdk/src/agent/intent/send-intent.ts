/**
 * "Send a message to Alice: lunch at 12?" → who and what, without a model.
 *
 * A deterministic parser for the common phrasings of a send request. It answers
 * `not_send` whenever it is not sure (questions about messages, "tell me …"),
 * because a wrong "send" is worse than asking the user. Hosts with an LLM plug
 * their own parser in behind the same `SendIntentParser` interface.
 */

/** Who the user named, and what kind of recipient the wording implies. */
export interface SendRecipient {
  /** As the user wrote it, minus articles and markers ("the Design team" → "Design team", "room Ops" → "Ops"). */
  name: string;
  /** `user` for person verbs (tell, ask, dm), `room` for room markers (room, channel, team, #), else `unknown`. */
  type: 'user' | 'room' | 'unknown';
}

export type SendIntent =
  /** `content` may be empty ("chat with Bob"): the host then asks what to write. */
  { kind: 'send'; recipient: SendRecipient; content: string } | { kind: 'not_send' };

/** Anything that turns an utterance into a send intent: this parser, or a host's LLM. */
export interface SendIntentParser {
  parse(text: string): SendIntent | Promise<SendIntent>;
}

const NOT_SEND: SendIntent = { kind: 'not_send' };

/** Words that cannot be a recipient: pronouns and the nouns of questions about messages. */
const NOT_A_RECIPIENT = new Set([
  'me',
  'myself',
  'us',
  'you',
  'yourself',
  'him',
  'her',
  'them',
  'it',
  'this',
  'that',
  'everyone',
  'everybody',
  'a',
  'an',
  'the',
  'my',
  'our',
  'your',
  'his',
  'their',
  'some',
  'any',
  'history',
  'histories',
  'log',
  'logs',
  'thread',
  'threads',
  'list',
  'inbox',
  'from',
  'about',
  'back',
]);

const ROOM_MARKER = /^(?:the\s+)?(?:room|channel|group|chat)\s+(.+)$/i;
const ROOM_SUFFIX = /\s+(?:team|channel|room|group|squad|crew)$/i;
/** Spoken politely or to the assistant: stripped before parsing. */
const LEADING_FILLER =
  /^(?:(?:hey|hi|ok|okay|so|assistant|parley)\b[\s,!.]*)*(?:(?:please|pls|kindly|can you|could you|would you|will you|go ahead and|i want you to|i'd like you to|i need you to)\s+)*/i;

/** Separators between recipient and content, and the verbs of reported speech. */
const SEPARATOR = String.raw`\s*(?::|—|–|\s-\s|,)\s*|\s+(?:saying|that says|to say|and say|and tell (?:them|him|her)|and ask (?:them|him|her))\s*:?\s*`;

interface Pattern {
  /** Must capture `recipient` and may capture `content`. */
  regex: RegExp;
  /** The recipient kind the verb implies when the name carries no marker. */
  implies: SendRecipient['type'];
}

// Order matters: specific forms first. Named groups keep each pattern readable.
const PATTERNS: Pattern[] = [
  // send to room Ops: deploy done · post in the Ops channel: … · send to Alice: …
  {
    regex: new RegExp(
      String.raw`^(?:send|post|write)(?:\s+(?:this|that|it))?\s+(?:to|in|into)\s+(?<recipient>.+?)(?:${SEPARATOR})(?<content>.*)$`,
      'is',
    ),
    implies: 'unknown',
  },
  // send a (quick) message to Alice: … · write a note to the Design team saying …
  {
    regex: new RegExp(
      String.raw`^(?:send|write|shoot|drop|compose)\s+(?:a|an|one)?\s*(?:quick\s+|short\s+|brief\s+|new\s+|direct\s+)?(?:message|msg|note|dm|text|line|chat message)\s+(?:to|for)\s+(?<recipient>.+?)(?:(?:${SEPARATOR})(?<content>.*))?$`,
      'is',
    ),
    implies: 'unknown',
  },
  // send Alice a message: … · write Bob a note saying …
  {
    regex: new RegExp(
      String.raw`^(?:send|write|shoot|drop)\s+(?<recipient>.+?)\s+(?:a|an)\s+(?:quick\s+|short\s+)?(?:message|msg|note|dm|text|line)(?:(?:${SEPARATOR})(?<content>.*)|\s+(?<bare>.+))?$`,
      'is',
    ),
    implies: 'unknown',
  },
  // reply to Bob: … · respond to the Ops room: …
  {
    regex: new RegExp(
      String.raw`^(?:reply|respond|answer|write back)\s+to\s+(?<recipient>.+?)(?:${SEPARATOR})(?<content>.+)$`,
      'is',
    ),
    implies: 'unknown',
  },
  // let Alice know (that) …
  { regex: /^let\s+(?<recipient>.+?)\s+know(?:\s*[:,]\s*|\s+that\s+|\s+)(?<content>.+)$/is, implies: 'user' },
  // tell Bob (that) … · tell Bob: …
  { regex: /^tell\s+(?<recipient>.+?)(?:\s*[:,]\s*|\s+that\s+)(?<content>.+)$/is, implies: 'user' },
  { regex: /^tell\s+(?<recipient>\S+)\s+(?<content>.+)$/is, implies: 'user' },
  // ask Bob whether … · ask Carol: …
  { regex: /^ask\s+(?<recipient>.+?)(?:\s*[:,]\s*)(?<content>.+)$/is, implies: 'user' },
  {
    regex: /^ask\s+(?<recipient>\S+)\s+(?<content>(?:whether|if|when|what|where|who|why|how|about|to)\b.+)$/is,
    implies: 'user',
  },
  // chat with Bob (about …) · talk to Alice: …
  {
    regex: /^(?:chat|talk|speak)\s+(?:with|to)\s+(?<recipient>.+?)(?:(?:\s*[:,]\s*|\s+about\s+)(?<content>.*))?$/is,
    implies: 'user',
  },
  // dm Carol: … · message the Design team: … · ping Carol build is green
  {
    regex: new RegExp(
      String.raw`^(?<verb>dm|pm|message|msg|ping|text|email)\s+(?<recipient>.+?)(?:${SEPARATOR})(?<content>.*)$`,
      'is',
    ),
    implies: 'unknown',
  },
  {
    regex: /^(?<verb>dm|pm|message|msg|ping|text)\s+(?<recipient>#?[\p{L}\p{N}._'-]+)(?:\s+(?<content>.+))?$/isu,
    implies: 'unknown',
  },
];

function stripQuotes(text: string): string {
  const match = /^["“'‘«](.*)["”'’»]$/s.exec(text);
  return (match ? match[1]! : text).trim();
}

/** Turns the captured recipient text into a name and kind, or null when it cannot be one. */
function toRecipient(raw: string, implies: SendRecipient['type'], verb: string | undefined): SendRecipient | null {
  let name = raw.trim().replace(/[.,;:!?]+$/, '');
  let type: SendRecipient['type'] = implies;
  const marked = ROOM_MARKER.exec(name);
  if (marked) {
    name = marked[1]!;
    type = 'room';
  } else if (name.startsWith('#')) {
    name = name.slice(1);
    type = 'room';
  } else {
    name = name.replace(/^the\s+/i, '');
    if (ROOM_SUFFIX.test(name)) type = 'room';
    else if (verb && /^(dm|pm)$/i.test(verb)) type = 'user';
  }
  name = name.trim();
  const words = name.split(/\s+/);
  if (!name || words.length > 5) return null;
  if (words.some((w) => NOT_A_RECIPIENT.has(w.toLowerCase()))) return null;
  if (/[?!;]/.test(name)) return null;
  return { name, type };
}

/** The deterministic parser; see the table-driven corpus in `send-intent.test.ts` for what it understands. */
export function parseSendIntent(text: string): SendIntent {
  const utterance = text.trim().replace(LEADING_FILLER, '').trim();
  if (!utterance) return NOT_SEND;
  for (const { regex, implies } of PATTERNS) {
    const match = regex.exec(utterance);
    if (!match?.groups) continue;
    const recipient = toRecipient(match.groups['recipient'] ?? '', implies, match.groups['verb']);
    if (!recipient) return NOT_SEND;
    const content = stripQuotes((match.groups['content'] ?? match.groups['bare'] ?? '').trim());
    return { kind: 'send', recipient, content };
  }
  return NOT_SEND;
}

/** `parseSendIntent` behind the pluggable interface. */
export const deterministicSendIntentParser: SendIntentParser = { parse: parseSendIntent };
