#!/usr/bin/env node
// An AI assistant's tool loop over Parley's agent tools, with a scripted stand-in for the
// model so it runs offline. Swap `scriptedModel` for your LLM: give it `toolkit.tools`
// (or toOpenAITools / toAnthropicTools of them) and feed each tool result back.
//
//   PARLEY_URL=http://localhost:3000 PARLEY_TOKEN=$(npx parley token --sub alice --name Alice) \
//     node examples/agent/assistant.mjs "Send a message to Bob: lunch at 12?"
//
// The draft is shown and sent only after you answer "y" (or pass --yes).
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import {
  createAgentToolkit,
  createDirectorySendIntentParser,
  createRestAgentClient,
  isToolError,
} from '@parley/sdk/agent';

/**
 * The stand-in model: a generator that yields tool calls and receives their results,
 * as an LLM would across turns. It acts on one kind of request, a parsed send intent.
 */
export function* scriptedModel(intent) {
  if (intent.kind !== 'send') {
    return 'I can send messages for you: try "Send a message to Bob: lunch at 12?"';
  }
  const name = intent.recipient.name;
  const { rooms } = yield { tool: 'get_user_rooms', args: { query: name, limit: 5 } };
  let roomId = rooms?.find((r) => r.name.toLowerCase() === name.toLowerCase())?.id;
  if (!roomId && intent.recipient.type !== 'room') {
    const { users } = yield { tool: 'find_user', args: { query: name } };
    if (!users?.length) return `I could not find anyone called ${name}.`;
    if (users.length > 1) return `Which ${name}? ${users.map((u) => u.name).join(', ')}`;
    const opened = yield { tool: 'create_direct_room', args: { user_id: users[0].id } };
    if (isToolError(opened)) return `I could not open a conversation with ${name}: ${opened.error.message}`;
    roomId = opened.room.id;
  }
  if (!roomId) return `I could not find a room called ${name}.`;
  // An empty content ("tell Bob") is sent too: the toolkit answers with the question to ask.
  const draft = yield { tool: 'send_room_message', args: { room_id: roomId, content: intent.content } };
  if (isToolError(draft) && draft.error.code === 'content_required') return draft.question;
  if (isToolError(draft)) return `I could not prepare the message: ${draft.error.message}`;
  if (draft.status === 'sent') return `Sent to ${draft.recipient}.`;
  const note = intent.note ? ` (${intent.note})` : '';
  const approved = yield { ask: `Send "${draft.content}" to ${draft.recipient}?${note}` };
  if (!approved) return 'OK, I did not send it.';
  const sent = yield { tool: 'confirm_send', args: { draft_id: draft.draft_id } };
  return isToolError(sent) ? `Sending failed: ${sent.error.message}` : `Sent to ${sent.recipient}.`;
}

/**
 * The tool loop: read the request, then run the model's calls through the toolkit until
 * it answers. `parser` is any SendIntentParser (your LLM's, say); by default the one that
 * matches names against the user's directory ("tell Ann Lee thanks" → Ann Lee, "thanks").
 */
export async function runAssistant({ url, token, utterance, approve, log = console.log, parser }) {
  const client = createRestAgentClient({ url, token });
  const toolkit = createAgentToolkit({ client, agentName: 'example-assistant' });
  const intent = await (parser ?? createDirectorySendIntentParser(client)).parse(utterance);
  const model = scriptedModel(intent);
  let step = model.next();
  while (!step.done) {
    const request = step.value;
    let reply;
    if ('ask' in request) {
      reply = await approve(request.ask);
      log(`? ${request.ask} ${reply ? 'yes' : 'no'}`);
    } else {
      reply = await toolkit.call(request.tool, request.args);
      log(`→ ${request.tool}(${JSON.stringify(request.args)})\n← ${JSON.stringify(reply)}`);
    }
    step = model.next(reply);
  }
  log(`assistant: ${step.value}`);
  return step.value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.PARLEY_URL ?? 'http://localhost:3000';
  const token = process.env.PARLEY_TOKEN;
  if (!token) {
    console.error('Set PARLEY_TOKEN (mint one with: npx parley token --sub alice --name Alice)');
    process.exit(1);
  }
  const args = process.argv.slice(2);
  const yes = args.includes('--yes');
  const utterance = args.filter((a) => a !== '--yes').join(' ') || 'Send a message to Bob: lunch at 12?';
  console.log(`user: ${utterance}`);
  const approve = async (question) => {
    if (yes) return true;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`${question} [y/N] `);
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
  };
  await runAssistant({ url, token, utterance, approve });
}
