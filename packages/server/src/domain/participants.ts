import type { ParticipantWithPresence, Room, RoomEvent } from '@parley/sdk/protocol';
import type { BusMessage } from '../bus/bus.js';
import * as presence from '../db/presence.js';
import * as rooms from '../db/rooms.js';
import * as members from '../db/participants.js';
import * as unread from '../db/unread.js';
import * as users from '../db/users.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { publishAll, roomEventMessages } from './publish.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';
import { isRoomId, loadRoom } from './rooms.js';
import { memberChangeMetadata, recordSystemMessage } from './system-messages.js';
import { unreadFrameAfterLeaving } from './unread.js';

export type ParticipantService = ReturnType<typeof createParticipantService>;

/**
 * Group membership. Any member lists and adds people; a member removes
 * themselves (leaving); only the room's creator removes others. Direct rooms
 * keep their two people. Each change is logged (`member.joined` /
 * `member.left`) with a system message, and reaches everyone who was in the
 * room before or after it: the removed person learns they were removed, the
 * added one hears from then on.
 */
export function createParticipantService(deps: ServiceDeps) {
  const { db } = deps;

  return {
    /** The room's people with their read positions and presence (they all share this room with the caller). */
    async list(userId: string, roomId: string): Promise<ParticipantWithPresence[]> {
      if (!isRoomId(roomId)) throw roomNotFound();
      return withUser(db, userId, async (trx) => {
        if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
        const participants = (await members.participantsOfRooms(trx, [roomId])).get(roomId) ?? [];
        const records = new Map(
          (
            await presence.findPresence(
              trx,
              participants.map((p) => p.id),
            )
          ).map((r) => [r.user_id, r]),
        );
        return participants.map((p) => ({
          ...p,
          presence: records.get(p.id) ?? { user_id: p.id, status: 'offline', status_message: null, last_seen_at: null },
        }));
      });
    },

    /** Adds people to a group; those already in it are skipped (no event). Answers the room. */
    async add(actorId: string, roomId: string, userIds: readonly string[]): Promise<Room> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const wanted = [...new Set(userIds.map((id) => id.trim()))];
      const result = await withUser(db, actorId, async (trx) => {
        const row = await rooms.findRoomOfUser(trx, roomId, actorId);
        if (!row) throw roomNotFound();
        if (row.type !== 'group')
          throw new ParleyError('bad_request', 'A direct room keeps its two participants: start a group instead');
        const found = await users.findUsersByIds(trx, [actorId, ...wanted]);
        const byId = new Map(found.map((u) => [u.id, u]));
        const missing = wanted.filter((id) => !byId.has(id));
        if (missing.length > 0) throw new ParleyError('user_not_found', `Unknown user(s): ${missing.join(', ')}`);

        const before = await members.participantIds(trx, roomId);
        const newcomers = wanted.filter((id) => !before.includes(id));
        const events: RoomEvent[] = [];
        if (newcomers.length > 0) {
          // Newcomers' read markers start here: earlier history is not unread for them.
          const locked = await beginRoomChange(trx, roomId);
          await members.insertParticipants(trx, roomId, newcomers, locked.seq - 1);
          const actor = byId.get(actorId)!;
          for (const id of newcomers) {
            const user = byId.get(id)!;
            const change = await beginRoomChange(trx, roomId);
            events.push(await recordRoomEvent(trx, change, 'member.joined', { user, added_by: actorId }));
            events.push(await recordSystemMessage(trx, roomId, memberChangeMetadata('member.joined', user, actor)));
          }
        }
        return { room: (await loadRoom(trx, actorId, roomId))!, events, recipients: [...before, ...newcomers] };
      });
      await publishAll(deps, roomEventMessages(result.events, result.recipients));
      return result.room;
    },

    /**
     * Removes `targetId` from a group: leaving when it is the actor. Answers
     * the room, or null when the actor left (they can no longer see it).
     */
    async remove(actorId: string, roomId: string, targetId: string): Promise<Room | null> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const leaving = targetId === actorId;
      const result = await withUser(db, actorId, async (trx) => {
        const row = await rooms.findRoomOfUser(trx, roomId, actorId);
        if (!row) throw roomNotFound();
        if (row.type !== 'group') throw new ParleyError('bad_request', 'A direct room keeps its two participants');
        if (!leaving && row.created_by !== actorId) {
          throw new ParleyError('forbidden', 'Only the room’s creator removes other participants');
        }
        const before = await members.participantIds(trx, roomId);
        if (!before.includes(targetId)) throw new ParleyError('user_not_found', `${targetId} is not in this room`);
        const people = new Map((await users.findUsersByIds(trx, [actorId, targetId])).map((u) => [u.id, u]));
        const actor = people.get(actorId)!;
        const target = people.get(targetId)!;

        // The removed person's totals before they lose sight of the room.
        const unreadBefore = (await unread.unreadOfRoomMembers(trx, roomId)).find((r) => r.user_id === targetId);
        const targetMuted = unreadBefore ? await members.isMuted(trx, roomId, targetId) : false;
        // System message first, then member.left: the last event the removed
        // person receives from this room is the one telling them they are out.
        const events: RoomEvent[] = [];
        events.push(await recordSystemMessage(trx, roomId, memberChangeMetadata('member.left', target, actor)));
        const change = await beginRoomChange(trx, roomId);
        events.push(
          await recordRoomEvent(trx, change, 'member.left', {
            user_id: targetId,
            removed_by: leaving ? null : actorId,
          }),
        );
        // Last: once the actor has left, RLS no longer lets them touch the room.
        await members.deleteParticipant(trx, roomId, targetId);
        const room = leaving ? null : (await loadRoom(trx, actorId, roomId))!;
        const frames: BusMessage[] = unreadBefore
          ? [
              unreadFrameAfterLeaving(
                targetId,
                roomId,
                unreadBefore.total_unread,
                unreadBefore.room_unread,
                targetMuted,
              ),
            ]
          : [];
        return { room, events, recipients: before, frames };
      });
      await publishAll(deps, [...roomEventMessages(result.events, result.recipients), ...result.frames]);
      return result.room;
    },
  };
}
