import { toParleyError } from '../errors.js';

/** Codes the toolkit itself answers with, besides the server's error codes. */
export type AgentErrorCode =
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'draft_not_found'
  | 'draft_expired'
  | 'recipient_not_found'
  | 'recipient_ambiguous'
  /** A send with no text ("tell Bob"): the result carries the `question` to ask the user. */
  | 'content_required';

/**
 * What a tool call answers: a small plain JSON object. Failures are results too
 * (`{ error: { code, message } }`), never exceptions, so a model loop can show
 * them to the model, which can then correct itself.
 */
export type ToolResult = Record<string, unknown>;
export interface ToolError {
  error: { code: string; message: string; retryable?: boolean };
  [key: string]: unknown;
}

export function toolError(code: string, message: string, extra: Record<string, unknown> = {}): ToolError {
  return { error: { code, message }, ...extra };
}

/**
 * The answer to an empty message ("tell Bob"): the question to ask the user, and
 * where the message will go once they say (no `room` yet for a person never written to).
 */
export function contentRequired(
  recipient: string,
  to: { direct: boolean; room?: { id: string; display_name: string } },
): ToolError {
  const question = to.direct ? `What should I tell ${recipient}?` : `What should I post in ${recipient}?`;
  return toolError('content_required', `${question} The message is empty: ask the user, then draft it again.`, {
    question,
    ...(to.room ? { room: { id: to.room.id, display_name: to.room.display_name } } : {}),
    recipient,
  });
}

export function isToolError(result: ToolResult): result is ToolError {
  const error = (result as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Anything thrown by the SDK (a ParleyError from the server, a network failure) as a tool error. */
export function toToolError(thrown: unknown): ToolError {
  const error = toParleyError(thrown);
  return { error: { code: error.code, message: error.message, ...(error.retryable ? { retryable: true } : {}) } };
}

/** At most `max` characters, with an ellipsis when cut: results stay small for the model's context. */
export function snippet(text: string | null, max = 280): string | null {
  if (text === null) return null;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
