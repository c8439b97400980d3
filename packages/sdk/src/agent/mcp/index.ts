/**
 * @parley/sdk/agent/mcp — the agent tools as a Model Context Protocol server.
 * Needs the optional peer dependency `@modelcontextprotocol/sdk`; the `parley-mcp`
 * command runs it over stdio.
 */
export { createParleyMcpServer } from './server.js';
export { parseMcpArgs, runMcpServer, type McpCliOptions } from './cli-options.js';
