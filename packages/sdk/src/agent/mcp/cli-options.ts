import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createRestAgentClient } from '../agent-client.js';
import { createAgentToolkit } from '../toolkit.js';
import { createParleyMcpServer } from './server.js';

export interface McpCliOptions {
  server: string;
  token: string;
  requireConfirmation: boolean;
  agentName: string;
}

export const MCP_USAGE = `Usage: parley-mcp --server <url> --token <jwt> [--no-confirm] [--agent-name <name>]

Serves Parley's messaging tools over MCP (stdio) as the user the token belongs to.
  --server       Parley server base URL (or PARLEY_URL)
  --token        the user's JWT (or PARLEY_TOKEN; prefer the variable: arguments show in process lists)
  --no-confirm   send_room_message sends at once instead of drafting for confirm_send
  --agent-name   name recorded in the user's audit trail (default "mcp")`;

/** Reads flags, falling back to PARLEY_URL / PARLEY_TOKEN. Throws a usage message when something is missing. */
export function parseMcpArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): McpCliOptions {
  const options: Partial<McpCliOptions> = { requireConfirmation: true, agentName: 'mcp' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value\n\n${MCP_USAGE}`);
      return v;
    };
    if (name === '--server') options.server = value();
    else if (name === '--token') options.token = value();
    else if (name === '--agent-name') options.agentName = value();
    else if (name === '--no-confirm') options.requireConfirmation = false;
    else if (name === '--help' || name === '-h') throw new Error(MCP_USAGE);
    else throw new Error(`Unknown option ${name}\n\n${MCP_USAGE}`);
  }
  options.server ??= env['PARLEY_URL'];
  options.token ??= env['PARLEY_TOKEN'];
  if (!options.server) throw new Error(`--server (or PARLEY_URL) is required\n\n${MCP_USAGE}`);
  if (!options.token) throw new Error(`--token (or PARLEY_TOKEN) is required\n\n${MCP_USAGE}`);
  try {
    new URL(options.server);
  } catch {
    throw new Error(`--server: not a URL: ${options.server}`);
  }
  return options as McpCliOptions;
}

/** Runs the MCP server on stdin/stdout until the client closes it. */
export async function runMcpServer(options: McpCliOptions): Promise<void> {
  const toolkit = createAgentToolkit({
    client: createRestAgentClient({ url: options.server, token: options.token }),
    requireConfirmation: options.requireConfirmation,
    agentName: options.agentName,
    // stdout is the protocol channel: diagnostics go to stderr.
    onAuditError: (error) => process.stderr.write(`parley-mcp: audit record failed: ${(error as Error).message}\n`),
  });
  const server = createParleyMcpServer(toolkit);
  await server.connect(new StdioServerTransport());
}
