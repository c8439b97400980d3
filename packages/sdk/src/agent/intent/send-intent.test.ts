import { describe, expect, it } from 'vitest';
import { deterministicSendIntentParser, parseSendIntent, type SendRecipient } from './send-intent.js';

/** `noted`: the content is reported speech kept as said, and the intent carries a note for the draft. */
type Case = [utterance: string, recipient: string, type: SendRecipient['type'], content: string, noted?: 'noted'];

/** Phrasings that are requests to send, with who and what. */
const SENDS: Case[] = [
  ['Send a message to Alice: lunch at 12?', 'Alice', 'unknown', 'lunch at 12?'],
  ['send a message to alice: lunch at 12?', 'alice', 'unknown', 'lunch at 12?'],
  ['Send a quick message to Bob: running 5 min late', 'Bob', 'unknown', 'running 5 min late'],
  ['send a note to Carol saying the deck is ready', 'Carol', 'unknown', 'the deck is ready'],
  ['Write a message to the Design team: new mocks are up', 'Design team', 'room', 'new mocks are up'],
  ['send a message to Bob Smith: see you at 3', 'Bob Smith', 'unknown', 'see you at 3'],
  ['Send a DM to Carol - standup moved to 10', 'Carol', 'unknown', 'standup moved to 10'],
  ['send a message to Alice — “can you review PR 42?”', 'Alice', 'unknown', 'can you review PR 42?'],
  ['send a message to Alice: "lunch at 12?"', 'Alice', 'unknown', 'lunch at 12?'],
  ['Send a message to Alice', 'Alice', 'unknown', ''],
  ['send a text to Bob that says I am outside', 'Bob', 'unknown', 'I am outside'],
  ['Please send a message to Alice: lunch at 12?', 'Alice', 'unknown', 'lunch at 12?'],
  ['Can you send a message to Bob: the build is green', 'Bob', 'unknown', 'the build is green'],
  ['hey, could you please send a message to Carol: thanks!', 'Carol', 'unknown', 'thanks!'],
  ['Send Alice a message: lunch at 12?', 'Alice', 'unknown', 'lunch at 12?'],
  ['send Bob a quick note saying I pushed the fix', 'Bob', 'unknown', 'I pushed the fix'],
  ['write Carol a message: call me back', 'Carol', 'unknown', 'call me back'],
  ['send to room Ops: deploy done', 'Ops', 'room', 'deploy done'],
  ['Send to the channel General: office closed Friday', 'General', 'room', 'office closed Friday'],
  ['post in #ops: rollback complete', 'ops', 'room', 'rollback complete'],
  ['send to Alice: hi there', 'Alice', 'unknown', 'hi there'],
  ['send this to the Design team: looks good', 'Design team', 'room', 'looks good'],
  ['post to group Book Club: next meeting Tuesday', 'Book Club', 'room', 'next meeting Tuesday'],
  ['Tell Bob that the build is green', 'Bob', 'user', 'the build is green'],
  ['tell bob the build is green', 'bob', 'user', 'the build is green'],
  ['tell Bob: the build is green', 'Bob', 'user', 'the build is green'],
  ['Tell Bob Smith that I will be late', 'Bob Smith', 'user', 'I will be late'],
  ['tell the Ops team that the deploy is done', 'Ops team', 'room', 'the deploy is done'],
  ['please tell Carol, meeting is cancelled', 'Carol', 'user', 'meeting is cancelled'],
  ['dm Carol: are you free at 4?', 'Carol', 'user', 'are you free at 4?'],
  ['DM Carol are you free at 4?', 'Carol', 'user', 'are you free at 4?'],
  ['pm Alice the wifi password changed', 'Alice', 'user', 'the wifi password changed'],
  ['dm Bob', 'Bob', 'user', ''],
  ['message the Design team: new mocks are up', 'Design team', 'room', 'new mocks are up'],
  ['Message Alice: lunch at 12?', 'Alice', 'unknown', 'lunch at 12?'],
  ['message Bob saying the review is done', 'Bob', 'unknown', 'the review is done'],
  ['msg Carol: ok', 'Carol', 'unknown', 'ok'],
  ['message room Ops: pager is quiet', 'Ops', 'room', 'pager is quiet'],
  ['ping Carol: build is green', 'Carol', 'unknown', 'build is green'],
  ['ping Bob about the invoice', 'Bob', 'unknown', 'about the invoice'],
  ['ping #support, customer is waiting', 'support', 'room', 'customer is waiting'],
  ['text Alice I am on my way', 'Alice', 'unknown', 'I am on my way'],
  ['chat with Bob', 'Bob', 'user', ''],
  ['Chat with Alice about the offsite', 'Alice', 'user', 'the offsite'],
  ['talk to Carol: can we sync?', 'Carol', 'user', 'can we sync?'],
  ['chat with the Ops channel', 'Ops channel', 'room', ''],
  ['ask Bob whether the deploy is done', 'Bob', 'user', 'Is the deploy done?'],
  ['Ask Alice if she wants lunch', 'Alice', 'user', 'if she wants lunch', 'noted'],
  ['ask Carol: are you joining?', 'Carol', 'user', 'are you joining?'],
  ['ask Bob when the release is', 'Bob', 'user', 'when the release is', 'noted'],
  ['ask the Design team, which font?', 'Design team', 'room', 'which font?'],
  ['let Alice know that I am running late', 'Alice', 'user', 'I am running late'],
  ['Let Bob know the build is green', 'Bob', 'user', 'the build is green'],
  ['let the Ops team know: deploy at 5', 'Ops team', 'room', 'deploy at 5'],
  ['reply to Bob: sounds good', 'Bob', 'unknown', 'sounds good'],
  ['respond to the Ops room: ack', 'Ops room', 'room', 'ack'],
  ['ok assistant, message Alice: done', 'Alice', 'unknown', 'done'],
  // Without a directory, a name ends at punctuation, a quote or a greeting.
  ['send "on my way" to Alice', 'Alice', 'unknown', 'on my way'],
  ['tell Bob Smith “see you at 3”', 'Bob Smith', 'user', 'see you at 3'],
  ['dm carol hey, got a minute?', 'carol', 'user', 'hey, got a minute?'],
  ['say hi to Alice for me', 'Alice', 'unknown', 'hi'],
  ['ask Alice if she can join at 4', 'Alice', 'user', 'Can you join at 4?'],
  ['tell Bob to call me', 'Bob', 'user', 'Please call me'],
  ['tell Bob', 'Bob', 'user', ''],
  ['ask Carol', 'Carol', 'user', ''],
  ['let Alice know', 'Alice', 'user', ''],
];

/** Look-alikes: questions about messages, requests for the user themself, other errands. */
const NOT_SENDS: string[] = [
  'what did Alice tell me?',
  'tell me about Bob',
  'send me the report',
  'message history with Alice?',
  'show my messages from Bob',
  'did Bob message me?',
  'how do I send a message to Alice?',
  'can I send a message to Alice?',
  'summarize my chat with Bob',
  'chat history with Alice',
  'who messaged me today?',
  'ask me anything',
  'ping',
  'message',
  'tell a joke',
  'tell me a joke',
  'send the file to Alice',
  'text me when it is done',
  'let me know if Alice replied',
  'remind me to message Bob',
  'Send a message',
  'messages from Alice',
  'dm me',
  'is Bob online?',
  'what is the weather in Paris?',
  'Alice said lunch at 12',
  '',
  '   ',
  'tell them that we are done',
];

describe('parseSendIntent', () => {
  it('has a corpus of at least 60 phrasings', () => {
    expect(SENDS.length + NOT_SENDS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(SENDS)('%j → send to %j (%s): %j', (utterance, name, type, content, noted) => {
    expect(parseSendIntent(utterance)).toStrictEqual({
      kind: 'send',
      recipient: { name, type },
      content,
      ...(noted ? { note: expect.any(String) } : {}),
    });
  });

  it.each(NOT_SENDS.map((u) => [u]))('%j → not a send', (utterance) => {
    expect(parseSendIntent(utterance)).toEqual({ kind: 'not_send' });
  });

  it('is available behind the pluggable SendIntentParser interface', async () => {
    expect(await deterministicSendIntentParser.parse('dm Carol: hi')).toEqual(parseSendIntent('dm Carol: hi'));
  });
});
