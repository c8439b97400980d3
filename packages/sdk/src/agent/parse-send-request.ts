/**
 * parse_send_request: the directory-aware send-intent parser as a tool, so a model
 * (or an MCP client) hands over the user's words and gets back who and what, checked
 * against the user's people and rooms, instead of guessing where a name ends.
 */
import { parseSendIntentWith } from './intent/directory-send-intent.js';
import { resolveRecipient, type RecipientChoice, type RecipientResolution } from './intent/resolve-recipient.js';
import { contentRequired, toolError, type ToolResult } from './results.js';
import type { AgentToolSpec, ToolOutcome } from './tools.js';

type Choices = Extract<RecipientResolution, { kind: 'choices' }>;
type RoomRef = Extract<RecipientResolution, { kind: 'resolved' }>['room'];

/**
 * Where the message goes, or the choices. The tool only reads, so it never opens a
 * direct room: resolveRecipient then answers a person the user has never written to
 * as `not_found` with that person as the only choice, i.e. found but with no room yet.
 */
function destination(resolution: RecipientResolution): { recipient: RecipientChoice; room?: RoomRef } | Choices {
  if (resolution.kind === 'resolved') return { recipient: resolution.matched, room: resolution.room };
  const [only, ...more] = resolution.choices;
  if (resolution.reason === 'not_found' && only?.type === 'user' && !more.length) return { recipient: only };
  return resolution;
}

/** Who the user may have meant, for the user to pick: never a guess. */
function recipientChoices(resolution: Choices, content: string, note: string | undefined): ToolResult {
  const { reason, name, choices } = resolution;
  const extra = { name, choices, content, ...(note ? { note } : {}) };
  if (reason === 'ambiguous')
    return toolError(
      'recipient_ambiguous',
      `"${name}" does not name one person or room: ask the user which of the choices they mean.`,
      extra,
    );
  return toolError(
    'recipient_not_found',
    `No person or room called "${name}": ask the user who they mean (find_user searches by name).`,
    extra,
  );
}

export const parseSendRequest: AgentToolSpec = {
  name: 'parse_send_request',
  description:
    'Read a send request in the user’s words ("tell Ann Lee thanks for the review") against their people and rooms: who it is for, their room and the message. Sends and drafts nothing.',
  inputSchema: {
    type: 'object',
    properties: {
      // Room for a whole message (4000 characters) and the words that ask for it.
      text: { type: 'string', description: 'The user’s request, as they wrote it', minLength: 1, maxLength: 4100 },
    },
    required: ['text'],
    additionalProperties: false,
  },
  async execute(args, context): Promise<ToolOutcome> {
    const intent = await parseSendIntentWith(context.client, args['text'] as string);
    if (intent.kind === 'not_send') return { result: { kind: 'not_send' } };
    const { content, note } = intent;
    const to = destination(await resolveRecipient(context.client, intent.recipient, { openDirectRoom: false }));
    if ('kind' in to) return { result: recipientChoices(to, content, note) };
    const { recipient, room } = to;
    const roomId = room?.id ?? null;
    if (!content) {
      const question = contentRequired(recipient.name, { direct: recipient.type === 'user', room });
      // Without a room yet, the user id is what create_direct_room needs once the user answers.
      return { result: room ? question : { ...question, user_id: recipient.id }, roomId };
    }
    const next = room
      ? {
          room: { id: room.id, name: room.display_name },
          next_step: 'Call send_room_message with room.id and content.',
        }
      : {
          next_step: 'Call create_direct_room with recipient.id, then send_room_message with its room id and content.',
        };
    return { result: { kind: 'send', recipient, content, ...(note ? { note } : {}), ...next }, roomId };
  },
};
