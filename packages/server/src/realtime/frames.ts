import type { RawData } from 'ws';
import { z } from 'zod';
import type { ClientFrame, ErrorCode } from '@parley/sdk/protocol';

const ref = z.string().max(100).optional();

/** Runtime check of client frames; mirrors `ClientFrame` in protocol.ts. */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('auth'),
    token: z.string().min(1).max(8192),
    resume: z.record(z.string(), z.number().int().min(0)).optional(),
    ref,
    rooms: z.object({ limit: z.number().int().min(1).max(100) }).optional(),
  }),
  z.object({
    type: z.literal('send'),
    ref,
    room_id: z.string().min(1).max(100),
    content: z.string(),
    message_type: z.enum(['text', 'ai_share']).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    client_id: z.string().trim().min(1).max(100).optional(),
  }),
  z.object({ type: z.literal('typing'), room_id: z.string().min(1).max(100), state: z.enum(['start', 'stop']) }),
  z.object({
    type: z.literal('presence'),
    status: z.enum(['online', 'away']),
    status_message: z.string().max(200).nullable().optional(),
  }),
  z.object({
    type: z.literal('read'),
    room_id: z.string().min(1).max(100),
    seq: z.number().int().min(0).optional(),
    ref,
  }),
  z.object({ type: z.literal('ping'), ref }),
]) satisfies z.ZodType<ClientFrame>;

export const FRAME_TYPES = new Set(['auth', 'send', 'typing', 'presence', 'read', 'ping']);

/** A client frame that could not be taken: the error to answer, with the frame's `ref` when it had one. */
export interface FrameRefusal {
  code: ErrorCode;
  message: string;
  ref?: string;
}

/** Reads one socket message as a client frame: JSON text, a known type, the type's shape. */
export function parseClientFrame(data: RawData, isBinary: boolean): { frame: ClientFrame } | { refused: FrameRefusal } {
  let raw: unknown;
  try {
    if (isBinary) throw new Error('binary');
    // binaryType 'nodebuffer' (ws's default): a message is one Buffer, its fragments joined.
    raw = JSON.parse((data as Buffer).toString());
  } catch {
    return { refused: { code: 'bad_request', message: 'Frames are JSON text' } };
  }
  const type = (raw as { type?: unknown })?.type;
  const ref = typeof (raw as { ref?: unknown })?.ref === 'string' ? (raw as { ref: string }).ref : undefined;
  const withRef = ref !== undefined ? { ref } : {};
  if (typeof type !== 'string' || !FRAME_TYPES.has(type)) {
    return {
      refused: { code: 'unknown_frame', message: `Unknown frame type ${JSON.stringify(type ?? null)}`, ...withRef },
    };
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      refused: {
        code: 'validation_failed',
        message: `${issue?.path.join('.') || type}: ${issue?.message}`,
        ...withRef,
      },
    };
  }
  return { frame: parsed.data };
}

/** Socket close codes (4000–4999 are the application's). */
export const CloseCode = {
  /**
   * Bad or missing token, a token that expired and was not renewed within the grace period, a re-`auth`
   * for another user, or a first frame that was not `auth`. Get a new token before reconnecting.
   */
  unauthorized: 4401,
  /** No `auth` frame in time. */
  authTimeout: 4408,
  /**
   * The user opened more sockets on this node than PARLEY_MAX_SOCKETS_PER_USER: this one, their oldest,
   * made room for the newest. Do not reconnect on your own (it would close another of the user's tabs).
   */
  replaced: 4409,
  /** Silent past PRESENCE_OFFLINE_THRESHOLD_SECONDS. */
  idle: 4000,
  /** The client does not read fast enough (unsent data over the limit, or too many events held for it); reconnect and resume. */
  slowConsumer: 4429,
  /**
   * The server cannot serve the socket right now (the database is down: sign-in or resume failed);
   * reconnect with backoff. RFC 6455 §7.4.2 registry: 1013 "Try Again Later".
   */
  tryAgainLater: 1013,
  /** The server is shutting down; reconnect (to another node). */
  goingAway: 1001,
} as const;
