import type { Message, ReadMarker, RoomEvent } from '@parley/sdk/protocol';
import type { BusMessage } from '../bus/bus.js';
import { databaseKind } from '../db/database.js';
import {
  writeBatch,
  type BatchAnswer,
  type ElementAnswer,
  type ReadElement,
  type SendElement,
  type WriteElement,
} from '../db/write-batch.js';
import { translateDbError } from '../db/errors.js';
import { ParleyError, roomNotFound } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { ServiceDeps } from './deps.js';
import { GroupCommit, type GroupCommitStats, type Settled } from './group-commit.js';
import { unreadFrame } from './unread.js';

/** A send as the services hand it over: the element for the database, and the plaintext for the API. */
export interface PendingSend {
  element: SendElement;
  content: string;
}

export type WriteRequest = PendingSend | { element: ReadElement };

export type WriteOutcome =
  | { kind: 'sent'; message: Message; event: RoomEvent }
  | { kind: 'duplicate'; messageId: string }
  | { kind: 'read'; moved: boolean; unread_count: number; total_unread: number };

export interface WritePath {
  submit(request: PendingSend): Promise<Extract<WriteOutcome, { kind: 'sent' | 'duplicate' }>>;
  submit(request: { element: ReadElement }): Promise<Extract<WriteOutcome, { kind: 'read' }>>;
  readonly stats: GroupCommitStats;
}

/** SQLSTATE classes that say "the connection or server failed", not "this batch is wrong". */
const INFRASTRUCTURE = /^(08|53|57|58|XX)/;
const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_RETRIES = 3;

/**
 * The write path (docs/architecture.md): sends and read markers go through one
 * group commit into parley_write_batch; after the commit, the batch's events
 * and per-user frames are published to the bus together, and only then is
 * each element acknowledged.
 */
export function createWritePath(deps: ServiceDeps, metrics: Metrics): WritePath {
  const { config, db, bus, logger } = deps;

  /** One batch's transaction, timed for /metrics (retries included, failures too). */
  async function write(elements: WriteElement[]): Promise<BatchAnswer> {
    const startedAt = performance.now();
    try {
      return await writeWithRetries(elements);
    } finally {
      metrics.batchWritten(elements.length, startedAt);
    }
  }

  /** The fast path first; a batch an element broke is written again with each element isolated. */
  async function writeWithRetries(elements: WriteElement[]): Promise<BatchAnswer> {
    let isolate = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await writeBatch(db, elements, isolate);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
        if (sqlstate && RETRYABLE.has(sqlstate) && attempt < MAX_RETRIES) continue;
        if (sqlstate && !INFRASTRUCTURE.test(sqlstate) && !isolate && elements.length > 1) {
          isolate = true;
          continue;
        }
        throw translateDbError(err);
      }
    }
  }

  async function fanOut(requests: WriteRequest[], answer: BatchAnswer): Promise<Settled<WriteOutcome>[]> {
    const publish: BusMessage[] = [];
    /** Per user and room, the last `unread` frame of the batch. */
    const unread = new Map<string, BusMessage>();
    /** Per room, each reader's moved marker. */
    const markers = new Map<string, Map<string, ReadMarker>>();
    const sendersByRoom = new Map<string, Set<string>>();
    // One recipient list per room, shared by all of the room's messages of the batch.
    const membersByRoom = new Map<string, string[]>();
    const members = (roomId: string) => {
      let ids = membersByRoom.get(roomId);
      if (!ids) membersByRoom.set(roomId, (ids = (answer.audience[roomId] ?? []).map(([userId]) => userId)));
      return ids;
    };

    const settled = requests.map((request, i): Settled<WriteOutcome> => {
      const result: ElementAnswer | undefined = answer.results[i];
      const { element } = request;
      if (!result) return { error: new ParleyError('internal', 'Internal error') };
      if ('error' in result) return { error: elementError(result) };
      if (element.op === 'send' && 'seq' in result) {
        const message = apiMessage(element, (request as PendingSend).content, result);
        const event = {
          room_id: element.room,
          seq: result.seq,
          kind: 'message.created',
          data: { message },
          at: result.at,
        } as RoomEvent;
        publish.push({ type: 'room_event', event, recipients: members(element.room) });
        let senders = sendersByRoom.get(element.room);
        if (!senders) sendersByRoom.set(element.room, (senders = new Set()));
        senders.add(element.user);
        metrics.messagesSent++;
        return { value: { kind: 'sent', message, event } };
      }
      if (element.op === 'send' && 'duplicate' in result)
        return { value: { kind: 'duplicate', messageId: result.duplicate } };
      if (element.op === 'read' && 'moved' in result) {
        const total = answer.totals[element.user] ?? 0;
        if (result.moved) {
          unread.set(
            `${element.user}\n${element.room}`,
            unreadFrame(element.user, element.room, result.unread_count, total),
          );
          let room = markers.get(element.room);
          if (!room) markers.set(element.room, (room = new Map<string, ReadMarker>()));
          room.set(element.user, {
            user_id: element.user,
            last_read_seq: result.last_read_seq,
            last_read_at: result.last_read_at,
          });
        }
        return { value: { kind: 'read', moved: result.moved, unread_count: result.unread_count, total_unread: total } };
      }
      return { error: new ParleyError('internal', 'Internal error') };
    });

    // One `unread` frame per member and room per batch, with the counts after the
    // commit, for members who got a message from someone else in it. A member who
    // also moved their marker there keeps their read's frame (counted after the
    // sends); a reader's total is the one read last ("totals").
    for (const [roomId, senders] of sendersByRoom) {
      const readers = markers.get(roomId);
      for (const [userId, roomUnread, total] of answer.audience[roomId] ?? []) {
        if ((senders.size === 1 && senders.has(userId)) || readers?.has(userId)) continue;
        unread.set(
          `${userId}\n${roomId}`,
          unreadFrame(userId, roomId, roomUnread ?? 0, answer.totals[userId] ?? total ?? 0),
        );
      }
    }
    publish.push(...unread.values());
    for (const [roomId, reads] of markers) {
      publish.push({
        type: 'user_frame',
        frame: { type: 'reads', room_id: roomId, reads: [...reads.values()] },
        recipients: members(roomId),
      });
    }
    if (publish.length > 0) {
      // Best effort: the batch is committed; resume repairs a lost event, the next frame a lost count.
      await bus.publishBatch(publish).catch((err) => logger.error({ err }, 'bus publish failed'));
    }
    return settled;
  }

  // Lanes: rooms are spread over PARLEY_GROUP_COMMIT_LANES group commits, each with
  // one batch in the database at a time. A room always goes to the same lane, so its
  // changes still commit in submission order; lanes share no rooms, hence no row
  // locks (participant rows belong to one room), and write in parallel. PGlite has
  // one connection: one lane.
  const laneCount = databaseKind(db) === 'pglite' ? 1 : config.groupCommitLanes;
  const lanes = Array.from(
    { length: laneCount },
    () =>
      new GroupCommit<WriteRequest, WriteOutcome, BatchAnswer>(
        (requests) => write(requests.map((r) => r.element)),
        fanOut,
        {
          maxBatch: config.groupCommitMaxBatch,
          maxWaitMs: config.groupCommitMaxWaitMs,
          maxQueued: config.groupCommitMaxBatch * 32,
          // Read markers ride along with sends, at most an eighth of a batch: a window's
          // worth of coalesced reads must not delay the sends that arrive behind it.
          maxBackgroundPerBatch: Math.max(1, Math.ceil(config.groupCommitMaxBatch / 8)),
        },
      ),
  );
  const laneOf = (roomId: string) => lanes[laneCount === 1 ? 0 : parseInt(roomId.slice(0, 8), 16) % laneCount]!;

  return {
    submit: ((request: WriteRequest) =>
      laneOf(request.element.room).submit(
        request,
        request.element.op === 'read' ? 'background' : 'foreground',
      )) as WritePath['submit'],
    get stats() {
      return lanes.reduce(
        (sum, lane) => ({
          batches: sum.batches + lane.stats.batches,
          elements: sum.elements + lane.stats.elements,
          largestBatch: Math.max(sum.largestBatch, lane.stats.largestBatch),
        }),
        { batches: 0, elements: 0, largestBatch: 0 },
      );
    },
  };
}

/** The API message of a send the database just stored: the same shape db/messages.ts answers. */
function apiMessage(element: SendElement, content: string, stored: { seq: number; at: string }): Message {
  return {
    id: element.id,
    room_id: element.room,
    seq: stored.seq,
    sender_id: element.user,
    type: element.type as Message['type'],
    content,
    metadata: element.metadata,
    reactions: [],
    client_id: element.client_id,
    created_at: stored.at,
    edited_at: null,
    deleted_at: null,
  };
}

function elementError(result: Extract<ElementAnswer, { error: string }>): ParleyError {
  if (result.error === 'room_not_found') return roomNotFound();
  if (result.error === 'refused') {
    const translated = translateDbError({ code: result.sqlstate, message: result.message });
    return translated instanceof ParleyError
      ? translated
      : new ParleyError('internal', 'Internal error', { cause: result });
  }
  return new ParleyError('bad_request', 'Invalid write');
}
