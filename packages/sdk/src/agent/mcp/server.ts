import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { isToolError } from '../results.js';
import type { AgentToolkit } from '../toolkit.js';

/** Tools that change something: MCP clients may ask the user before calling them. */
const WRITING_TOOLS = new Set(['send_room_message', 'confirm_send', 'create_direct_room']);

const INSTRUCTIONS =
  'Parley messaging for the signed-in user. You act as the user: you see only their rooms. ' +
  'For a request in the user’s words ("tell Ann thanks"), parse_send_request finds the recipient, their room and the message, and sends nothing. ' +
  'send_room_message returns a draft unless confirmation is disabled: show the draft to the user and call confirm_send only after they approve it. ' +
  'Errors come back as {"error":{"code","message"}}; fix the arguments or tell the user.';

/**
 * An MCP server exposing the agent toolkit's tools. Results are the toolkit's JSON,
 * as text (every client reads it) and as structured content; tool errors set `isError`.
 */
export function createParleyMcpServer(toolkit: AgentToolkit, info: { name?: string; version?: string } = {}): Server {
  const server = new Server(
    { name: info.name ?? 'parley', version: info.version ?? '0.1.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: toolkit.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: { readOnlyHint: !WRITING_TOOLS.has(tool.name), destructiveHint: false, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const result = await toolkit.call(request.params.name, request.params.arguments ?? {});
    return {
      content: [{ type: 'text' as const, text: JSON.stringify(result) }],
      structuredContent: result,
      isError: isToolError(result),
    };
  });
  return server;
}
