/**
 * The send-intent parser that knows the user's people and rooms: "tell Ann Lee
 * thanks for …" splits after "Ann Lee" because the directory holds an Ann Lee,
 * where punctuation alone would cut at "Ann". Names that fit nobody fall back to
 * the punctuation rules of `parseSendIntent`.
 */
import { readDirectory, type Directory, type DirectoryClient } from './directory.js';
import { FIRST_NAME, scoreRecipient, topChoices, type ScoredChoice } from './recipient-match.js';
import { contentAfterName } from './send-content.js';
import { MAX_NAME_WORDS, matchingFrames, prepareUtterance, splitByWording, toRecipient } from './send-frames.js';
import type { Frame, RecipientText, Split } from './send-frames.js';
import { NOT_SEND, toIntent, type SendIntent, type SendIntentParser, type SendRecipient } from './send-intent.js';

/**
 * After a known name, the name goes on: one or two capitalised words (not "I", "I'm")
 * before a colon or a dash ("to Bob Smith: …" with only a Bob known), or "and" another
 * name ("Ann Lee and Bob: …"), which is not one recipient.
 */
const NAME_RUNS_ON = [
  /^(?:\s+(?!I(?:['’]|\s|$))\p{Lu}[\p{L}'’-]*){1,2}\s*(?::|—|–|\s-\s)/u,
  /^\s*,?\s+(?:and|&)\s+(?!(?:ask|tell|say)\b)/i,
];

/** A name the text may start with: the words up to `end`. */
interface NameSpan {
  raw: string;
  end: number;
  text: RecipientText;
}

/** The longer prefixes of `rest` that could be a name; a name never runs past punctuation or a quote. */
function nameSpans(rest: string, frame: Frame, verb: string | undefined): NameSpan[] {
  const spans: NameSpan[] = [];
  let words = 0;
  for (const word of rest.matchAll(/\S+/g)) {
    if (/^(?:[-—–:]+|["“„«‘].*)$/.test(word[0])) break;
    const bare = word[0].replace(/[.,;:!?…]+$/u, '');
    const end = word.index + bare.length;
    const text = bare ? toRecipient(rest.slice(0, end), frame.implies, verb) : null;
    if (text) spans.push({ raw: rest.slice(0, end), end, text });
    if (bare.length < word[0].length || ++words >= MAX_NAME_WORDS) break;
  }
  return spans;
}

/** A name as the directory is asked about it: the wording's kind only when the wording fixed it. */
function asLookup(text: RecipientText): SendRecipient {
  return text.firm ? text.recipient : { name: text.recipient.name, type: 'unknown' };
}

/** The kind the best fits share ("Ann" → people, "Design" → a room); `unknown` when they differ. */
function withDirectoryKind(text: RecipientText, top: ScoredChoice[]): RecipientText {
  if (text.firm || !top[0]) return text;
  const kinds = new Set(top.map((s) => s.choice.type));
  const type = kinds.size === 1 ? top[0].choice.type : 'unknown';
  return { recipient: { ...text.recipient, type }, firm: false };
}

function firstWord(name: string): string {
  return name.split(/\s+/)[0] ?? '';
}

/** Reads the directory once per set of first words for one utterance. */
function directoryReader(client: DirectoryClient): (words: string[]) => Promise<Directory> {
  const read = new Map<string, Promise<Directory>>();
  return (words) => {
    const key = [...new Set(words)].sort().join(' ');
    let directory = read.get(key);
    if (!directory) read.set(key, (directory = readDirectory(client, [...new Set(words)])));
    return directory;
  };
}

/**
 * The longest name in the directory that `rest` starts with, and the content after
 * it. An exact or first-name fit beats a loose one ("Ann" over "Ann a" for Ann
 * Andrews); a loose one still counts, and resolution then offers it as a choice.
 */
async function splitAtKnownName(
  frame: Frame,
  rest: string,
  verb: string | undefined,
  directoryFor: (words: string[]) => Promise<Directory>,
): Promise<{ split: Split; text: RecipientText } | null> {
  const spans = nameSpans(rest, frame, verb);
  if (!spans.length) return null;
  const directory = await directoryFor(spans.map((s) => firstWord(s.text.recipient.name)));
  let best: { span: NameSpan; top: ScoredChoice[]; strong: boolean } | null = null;
  for (const span of spans) {
    const top = topChoices(scoreRecipient(directory, asLookup(span.text)));
    if (!top[0]) continue;
    const strong = top[0].score >= FIRST_NAME;
    if (!best || strong || !best.strong) best = { span, top, strong };
  }
  if (!best) return null;
  // The punctuation rules keep such a name whole, and resolution then asks about it.
  const tail = rest.slice(best.span.end);
  if (NAME_RUNS_ON.some((runsOn) => runsOn.test(tail))) return null;
  const after = contentAfterName(tail, frame);
  if (!after) return null;
  return {
    split: { recipient: best.span.raw, content: after.content, sep: after.sep },
    text: withDirectoryKind(best.span.text, best.top),
  };
}

/**
 * Parses a send request against the user's directory (their rooms and the user
 * search): the longest known name after the verb is the recipient, the rest is the
 * content. Ties and loose fits are kept as written for `resolveRecipient` to turn
 * into choices; never a guess.
 */
export async function parseSendIntentWith(client: DirectoryClient, text: string): Promise<SendIntent> {
  const utterance = prepareUtterance(text);
  if (!utterance.text) return NOT_SEND;
  const directoryFor = directoryReader(client);
  for (const { frame, groups } of matchingFrames(utterance.text)) {
    const rest = groups['rest'];
    const known = rest === undefined ? null : await splitAtKnownName(frame, rest, groups['verb'], directoryFor);
    if (known) return toIntent(frame, groups, known.split, utterance.asked, known.text);
    const split = splitByWording(frame, groups);
    if (!split) continue;
    const named = toRecipient(split.recipient, frame.implies, groups['verb']);
    if (!named) return NOT_SEND;
    const directory = await directoryFor([firstWord(named.recipient.name)]);
    const top = topChoices(scoreRecipient(directory, asLookup(named)));
    return toIntent(frame, groups, split, utterance.asked, withDirectoryKind(named, top));
  }
  return NOT_SEND;
}

/** `parseSendIntentWith(client, …)` behind the pluggable `SendIntentParser` interface. */
export function createDirectorySendIntentParser(client: DirectoryClient): SendIntentParser {
  return { parse: (text) => parseSendIntentWith(client, text) };
}
