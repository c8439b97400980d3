import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../server/src/testing.js';
import { parseMcpArgs } from './cli-options.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** The JSON a tool call answered (the text content every MCP client reads). */
function json(result: unknown): any {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return JSON.parse(content[0]!.text);
}

describe('parley-mcp over the real stdio protocol', () => {
  let server: TestServer;
  let client: Client;
  let roomId: string;
  let stderr = '';

  beforeAll(async () => {
    server = await startTestServer();
    const bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    await server.request('GET', '/api/v1/me', { token: bob });
    const alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    roomId = (
      await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['bob'] } })
    ).body.id;

    // The command as a user would run it, from source through tsx; the token travels in the environment.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', CLI, '--server', server.url, '--agent-name', 'mcp-test'],
      env: { ...(process.env as Record<string, string>), PARLEY_TOKEN: alice },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    client = new Client({ name: 'parley-test', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('lists the tools with their JSON Schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'get_user_rooms',
      'find_user',
      'get_room_messages',
      'create_direct_room',
      'parse_send_request',
      'send_room_message',
      'confirm_send',
    ]);
    const send = tools.find((t) => t.name === 'send_room_message')!;
    expect(send.inputSchema).toMatchObject({ type: 'object', required: ['room_id', 'content'] });
    expect(send.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'get_user_rooms')!.annotations?.readOnlyHint).toBe(true);
    const parse = tools.find((t) => t.name === 'parse_send_request')!;
    expect(parse.inputSchema).toMatchObject({ type: 'object', required: ['text'] });
    expect(parse.annotations?.readOnlyHint).toBe(true);
  });

  it('answers parse_send_request with the recipient’s room and the message, read against the user’s directory', async () => {
    const result = await client.callTool({ name: 'parse_send_request', arguments: { text: 'tell Bob lunch at 12?' } });
    expect(result.isError).toBe(false);
    expect(json(result)).toMatchObject({
      kind: 'send',
      recipient: { type: 'user', id: 'bob', name: 'Bob' },
      content: 'lunch at 12?',
      room: { id: roomId, name: 'Bob' },
    });
    expect(result.structuredContent).toEqual(json(result));
  });

  it('calls get_user_rooms as the token’s user', async () => {
    const result = await client.callTool({ name: 'get_user_rooms', arguments: {} });
    expect(result.isError).toBe(false);
    expect(json(result).rooms).toEqual([expect.objectContaining({ id: roomId, name: 'Bob', type: 'direct' })]);
  });

  it('drafts with send_room_message, sends with confirm_send, and the stored message says via=agent', async () => {
    const draft = json(
      await client.callTool({ name: 'send_room_message', arguments: { room_id: roomId, content: 'lunch at 12?' } }),
    );
    expect(draft).toMatchObject({ status: 'draft', recipient: 'Bob', content: 'lunch at 12?' });
    const sent = json(await client.callTool({ name: 'confirm_send', arguments: { draft_id: draft.draft_id } }));
    expect(sent).toMatchObject({ status: 'sent', room: { id: roomId } });

    const history = await server.request('GET', `/api/v1/rooms/${roomId}/messages`, {
      token: server.mintToken({ sub: 'bob', name: 'Bob' }),
    });
    expect(history.body.messages[0]).toMatchObject({
      id: sent.message.id,
      sender_id: 'alice',
      content: 'lunch at 12?',
      metadata: { via: 'agent' },
    });
    const audit = await server.request('GET', '/api/v1/agent-actions', {
      token: server.mintToken({ sub: 'alice', name: 'Alice' }),
    });
    expect(audit.body.actions[0]).toMatchObject({
      tool: 'confirm_send',
      outcome: 'ok',
      agent: 'mcp-test',
      message_id: sent.message.id,
    });
  });

  it('reports a tool error with isError and the structured error', async () => {
    const result = await client.callTool({ name: 'get_room_messages', arguments: { room_id: 'not-a-room' } });
    expect(result.isError).toBe(true);
    expect(json(result)).toMatchObject({ error: { code: 'invalid_arguments' } });
    expect(stderr).toBe('');
  });
});

describe('parley-mcp arguments', () => {
  it('takes flags, falls back to PARLEY_URL and PARLEY_TOKEN, and explains what is missing', () => {
    expect(parseMcpArgs(['--server', 'http://x:3000', '--token=t', '--no-confirm'])).toEqual({
      server: 'http://x:3000',
      token: 't',
      requireConfirmation: false,
      agentName: 'mcp',
    });
    expect(parseMcpArgs([], { PARLEY_URL: 'http://y', PARLEY_TOKEN: 'u' })).toMatchObject({
      server: 'http://y',
      token: 'u',
      requireConfirmation: true,
    });
    expect(() => parseMcpArgs(['--server', 'http://x'])).toThrow(/--token \(or PARLEY_TOKEN\) is required/);
    expect(() => parseMcpArgs(['--server', 'nope', '--token', 't'])).toThrow(/not a URL/);
    expect(() => parseMcpArgs(['--bogus'])).toThrow(/Unknown option --bogus/);
  });
});
