import type { AgentToolDefinition } from './toolkit.js';

// The same tools in the shapes today's model APIs expect. Their schemas are plain JSON
// Schema already, so these only rename fields.

/** OpenAI Chat Completions / Responses `tools`. */
export function toOpenAITools(tools: readonly AgentToolDefinition[]) {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: t.inputSchema },
  }));
}

/** Anthropic Messages API `tools`. */
export function toAnthropicTools(tools: readonly AgentToolDefinition[]) {
  return tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }));
}
