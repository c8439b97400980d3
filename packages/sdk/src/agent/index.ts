/**
 * @parley/sdk/agent — messaging for AI assistants.
 *
 * Tools an assistant calls for its user (through the user's own token), a two-phase
 * send that the user confirms, the server-side audit trail, a model-free parser for
 * "send a message to Alice: …", recipient resolution, and share-to-room. No heavy
 * dependencies; the MCP server lives apart in `@parley/sdk/agent/mcp`.
 */
export {
  createAgentToolkit,
  type AgentToolkit,
  type AgentToolkitOptions,
  type AgentToolDefinition,
} from './toolkit.js';
export { createRestAgentClient, type AgentClient, type RestAgentClientOptions } from './agent-client.js';
export { AGENT_TOOLS, DEFAULT_DRAFT_TTL_MS, type AgentToolSpec, type ToolContext, type ToolOutcome } from './tools.js';
export { isToolError, type AgentErrorCode, type ToolError, type ToolResult } from './results.js';
export { validateJson, type JsonSchema, type ObjectSchema } from './json-schema.js';
export { listAgentActions, recordAgentAction, summarizeArguments } from './audit.js';
export { toAnthropicTools, toOpenAITools } from './formats.js';
export { shareToRoom, type ShareSource } from './share.js';
export {
  deterministicSendIntentParser,
  parseSendIntent,
  type SendIntent,
  type SendIntentParser,
  type SendRecipient,
} from './intent/send-intent.js';
export { createDirectorySendIntentParser, parseSendIntentWith } from './intent/directory-send-intent.js';
export type { DirectoryClient } from './intent/directory.js';
export { resolveRecipient, type RecipientChoice, type RecipientResolution } from './intent/resolve-recipient.js';
