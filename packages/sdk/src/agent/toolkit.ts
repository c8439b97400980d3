import type { User } from '../protocol.js';
import type { AgentClient } from './agent-client.js';
import { recordAgentAction, toRecordBody } from './audit.js';
import { DraftStore } from './drafts.js';
import { validateJson, type ObjectSchema } from './json-schema.js';
import { isToolError, toolError, toToolError, type ToolResult } from './results.js';
import { AGENT_TOOLS, DEFAULT_DRAFT_TTL_MS, type AgentToolSpec, type ToolContext, type ToolOutcome } from './tools.js';

export interface AgentToolkitOptions {
  /** A client signed in as the user the assistant works for (a `ParleyClient`, or `createRestAgentClient()`). */
  client: AgentClient;
  /**
   * Writing tools only draft; `confirm_send` sends after the user approved (default true).
   * Set false for trusted flows where the user already approved the exact text.
   */
  requireConfirmation?: boolean;
  /** How long a draft can be confirmed. Default 5 minutes. */
  draftTtlMs?: number;
  /** Recorded with each action in the audit trail (e.g. `mcp`, your assistant's name). */
  agentName?: string | null;
  /** Record every call in the server-side audit trail (default true). */
  audit?: boolean;
  /** Told when an audit record could not be written; the tool's own result is unaffected. */
  onAuditError?: (error: unknown) => void;
  now?: () => number;
}

/** A tool as a model sees it: plain JSON, ready for MCP, OpenAI or Anthropic tool lists. */
export interface AgentToolDefinition {
  name: string;
  description: string;
  inputSchema: ObjectSchema;
}

export interface AgentToolkit {
  readonly tools: readonly AgentToolDefinition[];
  /**
   * Runs one tool call as the user. Never throws: bad arguments, refusals and
   * failures come back as `{ error: { code, message } }` for the model to read.
   */
  call(name: string, args: unknown): Promise<ToolResult>;
}

/**
 * The messaging tools for one assistant session of one user. Everything runs
 * through the user's own token, so the assistant can do exactly what the user
 * can: a room the user is not in answers `room_not_found`, as it would to them.
 */
export function createAgentToolkit(options: AgentToolkitOptions): AgentToolkit {
  const requireConfirmation = options.requireConfirmation ?? true;
  const now = options.now ?? Date.now;
  const specs = AGENT_TOOLS.filter((t) => requireConfirmation || t.name !== 'confirm_send');
  const byName = new Map<string, AgentToolSpec>(specs.map((t) => [t.name, t]));
  let me: Promise<User> | null = null;
  const context: ToolContext = {
    client: options.client,
    drafts: new DraftStore(options.draftTtlMs ?? DEFAULT_DRAFT_TTL_MS, now),
    requireConfirmation,
    me: () => {
      me ??= options.client.rest.me().catch((error: unknown) => {
        me = null; // a failed lookup is retried on the next call
        throw error;
      });
      return me;
    },
    messageMetadata: { via: 'agent' },
  };

  async function audit(tool: string, args: unknown, outcome: ToolOutcome, startedAt: Date): Promise<void> {
    if (options.audit === false) return;
    const failed = isToolError(outcome.result);
    try {
      await recordAgentAction(
        options.client,
        toRecordBody(
          {
            tool,
            args,
            outcome: failed ? 'error' : outcome.drafted ? 'drafted' : 'ok',
            errorCode: failed ? (outcome.result as { error: { code: string } }).error.code : null,
            roomId: outcome.roomId ?? (args as { room_id?: string } | null)?.room_id ?? null,
            messageId: outcome.messageId ?? null,
            startedAt,
            finishedAt: new Date(now()),
          },
          options.agentName ?? null,
        ),
      );
    } catch (error) {
      options.onAuditError?.(error);
    }
  }

  return {
    tools: specs.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),

    async call(name, rawArgs) {
      const startedAt = new Date(now());
      const spec = byName.get(name);
      // Unknown tools are not audited: the audit column only holds tool names.
      if (!spec)
        return toolError(
          'unknown_tool',
          `No tool named ${JSON.stringify(name)}; available: ${[...byName.keys()].join(', ')}`,
        );
      const args = rawArgs ?? {};
      const problem = validateJson(spec.inputSchema, args);
      let outcome: ToolOutcome;
      if (problem) {
        outcome = { result: toolError('invalid_arguments', problem) };
      } else {
        try {
          outcome = await spec.execute(args as Record<string, unknown>, context);
        } catch (error) {
          outcome = { result: toToolError(error) };
        }
      }
      await audit(name, args, outcome, startedAt);
      return outcome.result;
    },
  };
}
