/**
 * The verb phrases of a send request ("send a message to …", "tell …", "dm …"),
 * and today's punctuation rules for where the name ends when no directory says so.
 */
import type { SendRecipient } from './send-intent.js';

/** The words of reported speech that the content may be reworded from (see reported-speech.ts). */
export type SpeechVerb = 'ask' | 'tell';

export interface Frame {
  /**
   * Captures `recipient` and `content` when the wording bounds the name ("send Bob a
   * message: …", "let Bob know …"), or `rest` — the name, then the content — when it
   * does not ("tell Ann Lee thanks"). May capture `verb` and `sep` (the separator).
   */
  regex: RegExp;
  /** The recipient kind the verb implies when the name carries no marker. */
  implies: SendRecipient['type'];
  /** For `rest`, in order: punctuation rules that capture `recipient`, maybe `sep` and `content`. */
  splits?: RegExp[];
  /** A separator this verb adds to the common ones ("tell Bob that …", "chat with Bob about …"). */
  lead?: RegExp;
  /** The content is reported speech that may be reworded into what the user would write. */
  speech?: SpeechVerb;
}

/** Between the name and the content: a colon, a dash, a comma, or "saying" and its kin. */
export const SEPARATOR = String.raw`\s*(?::|—|–|\s-\s|,)\s*|\s+(?:saying|that says|to say|and say|and tell (?:them|him|her)|and ask (?:them|him|her))\s*:?\s*`;

/** A quoted message: straight, curly, low or guillemet quotes; single quotes only around whole words. */
export const QUOTED = String.raw`(?:"[^"]+"|“[^”]+”|„[^“”]+[“”]|«[^»]+»|‘[^’]+’|(?<![\p{L}\p{N}])'[^']+(?:'\p{L}[^']*)*'(?![\p{L}\p{N}]))`;
/** Politeness after a quote or a name is addressed to the assistant, not part of the message. */
export const POLITE_TAIL = String.raw`(?:[\s,]*(?:please|pls|plz|thanks|thank you|thx)[.!]*)?`;

/** A name that ends at the quote after it: `tell Ann Lee "thanks"`, `message Bob saying “ok”`. */
export const QUOTE_SPLIT = new RegExp(
  String.raw`^(?<recipient>[^"“„«‘]+?)(?<sep>\s*(?::|—|–|-|,)\s*|\s+(?:saying|that says|to say|and say)\s+|\s+)(?<content>${QUOTED}${POLITE_TAIL})$`,
  'isu',
);

/** A greeting after a short name starts the message: "dm ann hey, got a minute?". */
const GREETING_SPLIT =
  /^(?<recipient>[^\s,:;]+(?:\s+[^\s,:;]+){0,2}?)\s+(?<content>(?:hey|hi|hello|hiya|yo|morning|good (?:morning|afternoon|evening))(?=[\s,!.]|$).*)$/is;

/** Words that cannot be a recipient: pronouns, the nouns of questions about messages, other languages' "to". */
export const NOT_A_RECIPIENT = new Set([
  'me',
  'myself',
  'i',
  'we',
  'he',
  'she',
  'they',
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
  'à',
  'pour',
  'para',
  'für',
]);

const ROOM_MARKER = /^(?:the\s+)?(?:room|channel|group|chat)\s+(.+)$/i;
const ROOM_SUFFIX = /\s+(?:team|channel|room|group|squad|crew)$/i;
/** Spoken politely or to the assistant: stripped before parsing. */
const LEADING_FILLER =
  /^(?:(?:hey|hi|ok|okay|so|assistant|parley)\b[\s,!.]*)*(?:(?:please|pls|kindly|can you|could you|would you|will you|go ahead and|i want you to|i'd like you to|i need you to)\s+)*/i;
/** Names are at most five words ("the" or "room" may come before them). */
export const MAX_NAME_WORDS = 6;

const NAME_THEN_SEP = (sep: string, content = '.*', optional = false) =>
  new RegExp(
    String.raw`^(?<recipient>.+?)${optional ? '(?:' : ''}(?<sep>${sep})(?<content>${content})${optional ? ')?' : ''}$`,
    'is',
  );
/** A bounded name in "send Bob: …": it cannot run across "to", "in" or "for", which other frames own. */
const SEND_NAME = String.raw`(?<recipient>(?:(?!\s(?:to|in|into|for|a|an)\s)[^:—–"“„«])+?)`;

// Order matters: specific forms first.
export const FRAMES: Frame[] = [
  // "on my way" to Ann · send "on my way" to Ann please · say hi to Ann Lee for me
  {
    regex: new RegExp(
      String.raw`^(?:(?:send|post|write|text|message|say|tell)\s+)?(?<content>${QUOTED})\s+(?:to|in|into|for)\s+(?<recipient>.+?)(?:\s+for\s+me)?${POLITE_TAIL}$`,
      'isu',
    ),
    implies: 'unknown',
  },
  {
    regex: new RegExp(String.raw`^say\s+(?<content>.+?)\s+to\s+(?<recipient>.+?)(?:\s+for\s+me)?${POLITE_TAIL}$`, 'is'),
    implies: 'unknown',
  },
  // send to room Ops: deploy done · post in the Ops channel: … · send to Alice: …
  {
    regex: /^(?:send|post|write)(?:\s+(?:this|that|it))?\s+(?:to|in|into)\s+(?<rest>.+)$/is,
    implies: 'unknown',
    splits: [NAME_THEN_SEP(SEPARATOR)],
  },
  // send a (quick) message to Alice: … · write a note to the Design team saying …
  {
    regex:
      /^(?:send|write|shoot|drop|compose)\s+(?:a|an|one)?\s*(?:quick\s+|short\s+|brief\s+|new\s+|direct\s+)?(?:message|msg|note|dm|text|line|chat message)\s+(?:to|for)\s+(?<rest>.+)$/is,
    implies: 'unknown',
    splits: [NAME_THEN_SEP(SEPARATOR, '.*', true)],
  },
  // send Alice a message: … · write Bob a note saying …
  {
    regex: new RegExp(
      String.raw`^(?:send|write|shoot|drop)\s+(?<recipient>.+?)\s+(?:a|an)\s+(?:quick\s+|short\s+)?(?:message|msg|note|dm|text|line)(?:(?<sep>${SEPARATOR})(?<content>.*)|\s+(?<bare>.+))?$`,
      'is',
    ),
    implies: 'unknown',
  },
  // send Bob: on my way · send Ann Lee "on my way"
  {
    regex: new RegExp(String.raw`^(?:send|write)\s+${SEND_NAME}(?<sep>\s*[:—–]\s*)(?<content>.+)$`, 'is'),
    implies: 'unknown',
  },
  {
    regex: new RegExp(String.raw`^(?:send|write)\s+${SEND_NAME}\s+(?<content>${QUOTED}${POLITE_TAIL})$`, 'isu'),
    implies: 'unknown',
  },
  // reply to Bob: … · respond to the Ops room: …
  {
    regex: /^(?:reply|respond|answer|write back)\s+to\s+(?<rest>.+)$/is,
    implies: 'unknown',
    splits: [NAME_THEN_SEP(SEPARATOR, '.+')],
  },
  // let Alice know (that) … · let Alice know
  {
    regex: /^let\s+(?<recipient>.+?)\s+know(?:(?<sep>\s*[:,]\s*|\s+that\s+|\s+)(?<content>.+))?$/is,
    implies: 'user',
    speech: 'tell',
  },
  // tell Bob (that) … · tell Bob: … · tell Bob
  {
    regex: /^tell\s+(?<rest>.+)$/is,
    implies: 'user',
    splits: [
      GREETING_SPLIT,
      NAME_THEN_SEP(String.raw`\s*[:,]\s*|\s+that\s+`, '.+'),
      /^(?<recipient>\S+)\s+(?<content>.+)$/is,
      /^(?<recipient>\S+)$/s,
    ],
    lead: /^\s+that\s+/i,
    speech: 'tell',
  },
  // ask Bob whether … · ask Carol: … · ask Carol
  {
    regex: /^ask\s+(?<rest>.+)$/is,
    implies: 'user',
    splits: [
      NAME_THEN_SEP(String.raw`\s*[:,]\s*`, '.+'),
      /^(?<recipient>\S+)\s+(?<content>(?:whether|if|when|what|where|who|why|how|about|to)\b.+)$/is,
      /^(?<recipient>\S+)$/s,
    ],
    speech: 'ask',
  },
  // chat with Bob (about …) · talk to Alice: …
  {
    regex: /^(?:chat|talk|speak)\s+(?:with|to)\s+(?<rest>.+)$/is,
    implies: 'user',
    splits: [NAME_THEN_SEP(String.raw`\s*[:,]\s*|\s+about\s+`, '.*', true)],
    lead: /^\s+about\s+/i,
  },
  // dm Carol: … · message the Design team: … · ping Carol build is green · dm Bob
  {
    regex: /^(?<verb>dm|pm|message|msg|ping|text|email)\s+(?<rest>.+)$/is,
    implies: 'unknown',
    splits: [GREETING_SPLIT, NAME_THEN_SEP(SEPARATOR), /^(?<recipient>#?[\p{L}\p{N}._'-]+)(?:\s+(?<content>.+))?$/isu],
  },
];

/** The utterance without the politeness in front of it; `asked` when it was put as a question ("can you …"). */
export function prepareUtterance(text: string): { text: string; asked: boolean } {
  const trimmed = text.trim();
  const stripped = trimmed.replace(LEADING_FILLER, '').trim();
  const filler = trimmed.slice(0, trimmed.length - stripped.length);
  return { text: stripped, asked: /\b(?:can|could|would|will) you\b/i.test(filler) };
}

/** The frames whose verb phrase fits, in order, with what they captured. */
export function* matchingFrames(utterance: string): Generator<{ frame: Frame; groups: Record<string, string> }> {
  for (const frame of FRAMES) {
    const groups = frame.regex.exec(utterance)?.groups;
    if (groups) yield { frame, groups: definedGroups(groups) };
  }
}

function definedGroups(groups: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(groups).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A name and its message, as written. */
export interface Split {
  recipient: string;
  content: string;
  /** What stood between them (`:`, `that`, ` `…), when known. */
  sep: string;
}

/** Where the wording alone puts the end of the name: bounded by the frame, or by punctuation; null if nowhere. */
export function splitByWording(frame: Frame, groups: Record<string, string>): Split | null {
  const rest = groups['rest'];
  return rest === undefined ? boundedSplit(groups) : splitByPunctuation(frame, rest);
}

/** Today's punctuation rules for a frame's `rest`: the first that fits, or null. */
function splitByPunctuation(frame: Frame, rest: string): Split | null {
  for (const rule of [QUOTE_SPLIT, ...(frame.splits ?? [])]) {
    const groups = rule.exec(rest)?.groups;
    if (groups?.['recipient'] !== undefined)
      return { recipient: groups['recipient'], content: groups['content'] ?? '', sep: groups['sep'] ?? ' ' };
  }
  return null;
}

/** The name and message a frame bounded itself ("let Bob know …"). */
function boundedSplit(groups: Record<string, string>): Split {
  return {
    recipient: groups['recipient'] ?? '',
    content: groups['content'] ?? groups['bare'] ?? '',
    sep: groups['sep'] ?? ' ',
  };
}

export interface RecipientText {
  recipient: SendRecipient;
  /** The wording fixed the kind (a room marker, "dm"): the directory may not change it. */
  firm: boolean;
}

/** Turns the recipient as written into a name and kind, or null when it cannot be one. */
export function toRecipient(
  raw: string,
  implies: SendRecipient['type'],
  verb: string | undefined,
): RecipientText | null {
  let name = raw.trim().replace(/[.,;:!?]+$/, '');
  let type: SendRecipient['type'] = implies;
  let firm = true;
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
    else firm = false;
  }
  name = name.trim().replace(/\s+/g, ' ');
  const words = name.split(' ');
  if (!name || words.length > 5) return null;
  if (words.some((w) => NOT_A_RECIPIENT.has(w.toLowerCase()))) return null;
  if (/[?!;:"“”«»]/.test(name)) return null;
  return { recipient: { name, type }, firm };
}
