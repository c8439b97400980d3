import type { AgentAction, AgentActionOutcome, AgentActionPage, RecordAgentActionBody } from '../protocol.js';
import type { AgentClient } from './agent-client.js';

/** Record one action in the user's server-side audit trail (`POST /agent-actions`). */
export function recordAgentAction(client: AgentClient, body: RecordAgentActionBody): Promise<AgentAction> {
  return client.rest.request('POST', '/agent-actions', { body });
}

/** The user's own agent actions, newest first (`GET /agent-actions`). */
export function listAgentActions(
  client: AgentClient,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<AgentActionPage> {
  return client.rest.request('GET', '/agent-actions', { query: { limit: options.limit, cursor: options.cursor } });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_VALUE_CHARS = 80;

/**
 * What the trail keeps of a call's arguments: ids and short values as given,
 * message text only as a short preview plus its length, so the audit shows what
 * happened without becoming a second copy of every message.
 */
export function summarizeArguments(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return {};
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args as Record<string, unknown>).slice(0, 10)) {
    if (key === 'text' && typeof value === 'string') {
      // A whole request ("tell Ann …") holds the message, and the server drops previews of
      // `content` only: with encryption at rest, a preview of `text` would be plaintext.
      summary['text_length'] = [...value].length;
    } else if (typeof value === 'string') {
      const chars = [...value];
      if (key === 'content' || chars.length > MAX_VALUE_CHARS) {
        summary[key] = chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : value;
        summary[`${key}_length`] = chars.length;
      } else {
        summary[key] = value;
      }
    } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
      summary[key] = value;
    } else {
      summary[key] = `[${Array.isArray(value) ? 'array' : typeof value}]`;
    }
  }
  return summary;
}

/** An id as the audit's uuid columns accept it, or null (a bad id stays visible in the arguments summary). */
export function auditId(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

export interface AuditEntry {
  tool: string;
  args: unknown;
  outcome: AgentActionOutcome;
  errorCode: string | null;
  roomId: string | null;
  messageId: string | null;
  startedAt: Date;
  finishedAt: Date;
}

export function toRecordBody(entry: AuditEntry, agent: string | null): RecordAgentActionBody {
  return {
    tool: entry.tool,
    arguments: summarizeArguments(entry.args),
    outcome: entry.outcome,
    error_code: entry.errorCode,
    room_id: auditId(entry.roomId),
    message_id: auditId(entry.messageId),
    agent,
    started_at: entry.startedAt.toISOString(),
    finished_at: entry.finishedAt.toISOString(),
  };
}
