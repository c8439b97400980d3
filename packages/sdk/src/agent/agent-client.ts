import type { ParleyClient } from '../client.js';
import { RestClient } from '../rest.js';
import { TokenProvider, type GetToken } from '../token.js';

/**
 * What the agent tools need from a client: its REST calls, made with the user's own
 * token. A `ParleyClient` is one; so is `createRestAgentClient()` for agents that
 * never open a socket (an MCP server, a server-side assistant).
 */
export type AgentClient = Pick<ParleyClient, 'rest'>;

export interface RestAgentClientOptions {
  /** Base URL of the Parley server. */
  url: string;
  /** The user's token, or a function returning a fresh one. */
  token?: string;
  getToken?: GetToken;
  fetch?: typeof fetch;
}

/** A REST-only client for agents: no socket, no stores, nothing to destroy. */
export function createRestAgentClient(options: RestAgentClientOptions): AgentClient {
  const { token, getToken } = options;
  const source: GetToken | undefined = getToken ?? (token ? () => token : undefined);
  if (!source) throw new TypeError('createRestAgentClient: pass token or getToken');
  return { rest: new RestClient(options.url, new TokenProvider(source), options.fetch) };
}
