/**
 * "ask Ann if she can join at 4" → "Can you join at 4?": reported speech turned
 * into what the user would have written to Ann, for the few forms where the
 * rewrite is certain. Anything else is sent as the user said it, with a note for
 * the draft, which the user reads before confirming.
 */
import type { SpeechVerb } from './send-frames.js';

export interface DirectSpeech {
  content: string;
  /** Set when the clause was kept as written and may read oddly to the recipient. */
  note?: string;
}

/** Pronouns that would need to become "you"/"your", or could mean someone else: no certain rewrite. */
const THIRD_PERSON = /\b(?:she|he|her|hers|him|his|they|them|their|theirs|herself|himself|themselves)\b/i;
/** "ask Ann to lunch" invites; only "ask Ann to <verb> …" asks for something. */
const NOT_A_VERB =
  /^(?:the|a|an|my|our|your|his|her|their|this|that|lunch|dinner|coffee|breakfast|brunch|drinks|tea|it)\b/i;
const YES_NO_QUESTION = new RegExp(
  [
    String.raw`^(?:if|whether)\s+`,
    String.raw`(?<subject>she|he|they|i|we|it|this|that|(?:the|this|that|our|my)\s+[\p{L}\p{N}-]+(?:\s+[\p{L}\p{N}-]+)?)`,
    String.raw`(?:\s+(?<aux>can|could|will|would|should|is|are|was|were)|(?<contracted>['’](?:s|re|m)))`,
    String.raw`\s+(?<rest>.+?)[\s?.!]*$`,
  ].join(''),
  'isu',
);
/** After "she's", these mean "she has": "has she been" is not "are you been". */
const HAS_PARTICIPLE = /^(?:been|got|gotten|had|gone|done|seen|taken|given)\b/i;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "if she can join" → "Can you join?"; null when not certain. */
function yesNoQuestion(clause: string): string | null {
  const groups = YES_NO_QUESTION.exec(clause)?.groups;
  if (!groups) return null;
  const rest = groups['rest']!;
  if (THIRD_PERSON.test(rest)) return null;
  const subject = groups['subject']!;
  const toYou = /^(?:she|he|they)$/i.test(subject);
  const contracted = groups['contracted']?.slice(1).toLowerCase();
  if (contracted === 's' && HAS_PARTICIPLE.test(rest)) return null;
  let aux = groups['aux']?.toLowerCase() ?? { s: 'is', re: 'are', m: 'am' }[contracted!]!;
  if (toYou && /^(?:is|are)$/.test(aux)) aux = 'are';
  if (toYou && /^(?:was|were)$/.test(aux)) aux = 'were';
  const who = toYou ? 'you' : /^i$/i.test(subject) ? 'I' : subject;
  return `${capitalize(aux)} ${who} ${rest}?`;
}

/** "to review PR 42" → the request itself; null when not certain. */
function request(clause: string, verb: SpeechVerb): string | null {
  const match = /^to\s+(?<rest>.+?)[\s?.!]*$/is.exec(clause);
  const rest = match?.groups?.['rest'];
  if (!rest || NOT_A_VERB.test(rest) || THIRD_PERSON.test(rest)) return null;
  return verb === 'ask' ? `Could you ${rest}?` : `Please ${rest}`;
}

/** The message for "ask/tell <recipient> <clause>", reworded only where the rewrite is certain. */
export function toDirectSpeech(verb: SpeechVerb, clause: string, recipientName: string): DirectSpeech {
  const rewritten = (verb === 'ask' ? yesNoQuestion(clause) : null) ?? request(clause, verb);
  if (rewritten) return { content: rewritten };
  // "ask Carol, are you joining?" is already the question itself.
  if (verb === 'ask' && /\?$/.test(clause) && !/^(?:if|whether|to)\s/i.test(clause)) return { content: clause };
  // "tell Bob the build is green" is already what one writes to Bob; "ask Bob when …" or a "she" is not.
  if (verb === 'tell' && !THIRD_PERSON.test(clause) && !/^to\s/i.test(clause)) return { content: clause };
  return {
    content: clause,
    note: `Kept as you said it; reword it if it does not read right to ${recipientName}.`,
  };
}
