import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CreateRoomBody, Room, RoomEvent, RoomPage } from '@parley/sdk/protocol';
import * as rooms from '../db/rooms.js';
import * as members from '../db/participants.js';
import * as unread from '../db/unread.js';
import * as users from '../db/users.js';
import { iso } from '../db/time.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';
import type { ServiceDeps } from './deps.js';
import { displayName } from './display-name.js';
import { isUuid } from './ids.js';
import { publishAll, roomEventMessages } from './publish.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';
import { RoomListCache } from './room-list-cache.js';
import { recordSystemMessage, renameMetadata } from './system-messages.js';
import { muteFrame } from './unread.js';

export type RoomService = ReturnType<typeof createRoomService>;

/** The key that makes a direct room unique per pair: the sorted ids as JSON. */
export function directKey(a: string, b: string): string {
  return JSON.stringify([a, b].sort());
}

/** Room ids are UUIDs; anything else cannot name a room (and must not reach a uuid column). */
export function isRoomId(id: string): boolean {
  return isUuid(id);
}

export function createRoomService(deps: ServiceDeps) {
  const { db } = deps;
  const listCache = deps.config.roomListCacheBytes > 0 ? new RoomListCache(deps.config.roomListCacheBytes) : null;
  /** The caller's rooms, most recently active first. */
  async function list(userId: string, page: { limit: number; cursor: string | null }): Promise<RoomPage> {
    const cursor = page.cursor ? decodeCursor<rooms.RoomCursor>(page.cursor, isRoomCursor) : null;
    return withUser(db, userId, async (trx) => {
      const views = await rooms.listRoomViews(trx, userId, { limit: page.limit + 1, cursor });
      const found = pageOf(views, page.limit, (last) =>
        encodeCursor({ at: iso(last.last_message_at ?? last.created_at), id: last.id }),
      );
      return { rooms: found.items.map((view) => toRoom(view, userId)), next_cursor: found.nextCursor };
    });
  }

  return {
    /**
     * `list` as the JSON body GET /rooms sends, reused while the caller's
     * rooms are unchanged: the stamp is read before the page, so a page that
     * raced a change is kept under the older stamp and never served again.
     */
    async listBody(userId: string, page: { limit: number; cursor: string | null }): Promise<Buffer> {
      if (!listCache) return Buffer.from(JSON.stringify(await list(userId, page)));
      const pageKey = `${page.limit}:${page.cursor ?? ''}`;
      const stamp = await rooms.roomListStamp(db, userId);
      const cached = listCache.get(userId, pageKey, stamp);
      if (cached) return cached;
      const body = Buffer.from(JSON.stringify(await list(userId, page)));
      listCache.set(userId, pageKey, stamp, body);
      return body;
    },

    list,

    async get(userId: string, roomId: string): Promise<Room> {
      if (!isRoomId(roomId)) throw roomNotFound();
      return withUser(db, userId, async (trx) => {
        const room = await loadRoom(trx, userId, roomId);
        if (!room) throw roomNotFound();
        return room;
      });
    },

    /**
     * Renames a group (null or blank clears the name: the auto-name shows).
     * Logs `room.updated` and a system message; an unchanged name logs nothing.
     */
    async rename(userId: string, roomId: string, name: string | null): Promise<Room> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const newName = name?.trim() || null;
      const result = await withUser(db, userId, async (trx) => {
        const row = await rooms.findRoomOfUser(trx, roomId, userId);
        if (!row) throw roomNotFound();
        if (row.type !== 'group') throw new ParleyError('bad_request', 'Only group rooms have a name');
        const events: RoomEvent[] = [];
        if (row.name !== newName) {
          const change = await beginRoomChange(trx, roomId);
          await rooms.updateRoomName(trx, roomId, newName);
          events.push(
            await recordRoomEvent(trx, change, 'room.updated', { room: { id: roomId, name: newName, type: row.type } }),
          );
          const [actor] = await users.findUsersByIds(trx, [userId]);
          events.push(await recordSystemMessage(trx, roomId, renameMetadata(newName, actor!)));
        }
        return { room: (await loadRoom(trx, userId, roomId))!, events };
      });
      await publishAll(
        deps,
        roomEventMessages(
          result.events,
          result.room.participants.map((p) => p.id),
        ),
      );
      return result.room;
    },

    /**
     * Mutes or unmutes the room for the caller only: its messages still arrive
     * and count in its own `unread_count`, but not in the caller's unread
     * total. Not a room event (nobody else sees it): a change sends the caller's
     * sockets a `mute` frame with their new total; setting it again as it is
     * changes and sends nothing. Answers the room as the caller sees it.
     */
    async setMuted(userId: string, roomId: string, muted: boolean): Promise<Room> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const result = await withUser(db, userId, async (trx) => {
        // A non-member's update finds no row of theirs (and RLS allows only their own); loadRoom then answers 404.
        const changed = await members.setMuted(trx, roomId, userId, muted);
        const room = await loadRoom(trx, userId, roomId);
        if (!room) throw roomNotFound();
        return { room, changed, total: changed ? await unread.unreadTotal(trx) : 0 };
      });
      if (result.changed) await publishAll(deps, [muteFrame(userId, roomId, muted, result.total)]);
      return result.room;
    },

    /**
     * Opens a direct room (one per pair: an existing one is returned with
     * `created: false`) or creates a group. Every named user must have signed
     * in at least once (users come only from tokens), else `user_not_found`.
     */
    async create(userId: string, body: CreateRoomBody): Promise<{ room: Room; created: boolean }> {
      const others = [...new Set(body.user_ids.map((id) => id.trim()))].filter((id) => id !== userId);
      if (body.type === 'direct' && others.length !== 1) {
        throw new ParleyError('validation_failed', 'user_ids: a direct room needs exactly one other user');
      }
      return withUser(db, userId, async (trx) => {
        const known = new Set((await users.findUsersByIds(trx, others)).map((u) => u.id));
        const missing = others.filter((id) => !known.has(id));
        if (missing.length > 0) throw new ParleyError('user_not_found', `Unknown user(s): ${missing.join(', ')}`);

        const key = body.type === 'direct' ? directKey(userId, others[0]!) : null;
        let roomId = key ? await rooms.findDirectRoomId(trx, key) : undefined;
        let created = false;
        if (!roomId) {
          const id = randomUUID();
          const name = body.type === 'group' ? body.name?.trim() || null : null;
          const outcome = await rooms.insertRoom(trx, {
            id,
            type: body.type,
            name,
            direct_key: key,
            created_by: userId,
          });
          if (outcome === 'exists') {
            // Lost a race with the other side opening the same pair: use theirs.
            roomId = key ? await rooms.findDirectRoomId(trx, key) : undefined;
            if (!roomId) throw new ParleyError('conflict', 'The direct room exists but is not visible to you');
          } else {
            roomId = id;
            created = true;
            // Creator first: the RLS bootstrap rule lets the creator seat only themselves in an empty room.
            await members.insertParticipants(trx, id, [userId]);
            await members.insertParticipants(trx, id, others);
          }
        }
        const room = await loadRoom(trx, userId, roomId);
        if (!room) throw roomNotFound();
        return { room, created };
      });
    },
  };
}

function isRoomCursor(value: unknown): value is rooms.RoomCursor {
  const v = value as rooms.RoomCursor;
  return typeof v?.at === 'string' && !Number.isNaN(Date.parse(v.at)) && typeof v.id === 'string' && isRoomId(v.id);
}

/** The room as `viewerId` sees it (one query); undefined when they do not participate in it. */
export async function loadRoom(trx: Knex.Transaction, viewerId: string, roomId: string): Promise<Room | undefined> {
  const [view] = await rooms.listRoomViews(trx, viewerId, { roomId });
  return view ? toRoom(view, viewerId) : undefined;
}

function toRoom(view: rooms.RoomView, viewerId: string): Room {
  return {
    id: view.id,
    type: view.type,
    name: view.name,
    display_name: displayName(view, view.participants, viewerId),
    participants: view.participants,
    last_message: view.last_message,
    last_message_at: iso(view.last_message_at),
    unread_count: view.unread_count,
    last_seq: view.last_seq,
    created_at: iso(view.created_at),
    created_by: view.created_by,
    muted: view.muted_at !== null,
  };
}
