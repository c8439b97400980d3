-- Unread counts kept as counters on room_participants instead of counted on
-- every change. Counting made each message's unread push cost, for every member,
-- a scan of the unread messages in all of that member's rooms (their total), so
-- sends slowed down as backlogs grew (bench/RESULTS.md). The rule is unchanged:
-- others' undeleted, non-system messages after the reader's marker. Kept in the
-- writing transaction: +1 for the others on a new message, -1 for those who had
-- not read a message when it is deleted, recounted for one room on a read.

alter table room_participants add column unread_count integer not null default 0;

update room_participants rp
set unread_count = (
  select count(*)
  from chat_messages m
  where m.room_id = rp.room_id
    and m.seq > rp.last_read_seq
    and m.deleted_at is null
    and m.message_type <> 'system'
    and m.sender_id is distinct from rp.user_id
);

-- The caller's own message at `p_message_seq` was created (+1) or deleted (-1):
-- adjust the counters of the other members who had not read up to it. SECURITY
-- DEFINER because members may update only their own participant row; it acts
-- only for a member, on the caller's own messages' room, never on the caller.
create function parley_adjust_unread(p_room_id uuid, p_message_seq bigint, p_delta integer) returns void
  language sql volatile security definer
  set search_path from current
  as $$
    update room_participants
    set unread_count = greatest(0, unread_count + p_delta)
    where room_id = p_room_id
      and user_id is distinct from parley_current_user()
      and last_read_seq < p_message_seq
      and p_delta in (-1, 1)
      and parley_is_member(p_room_id)
  $$;
revoke all on function parley_adjust_unread(uuid, bigint, integer) from public;
grant execute on function parley_adjust_unread(uuid, bigint, integer) to parley_app;


-- Same answer as before (003), now read from the counters.
create or replace function parley_unread_of_room_members(p_room_id uuid)
  returns table (user_id text, room_unread integer, total_unread integer)
  language sql stable security definer
  set search_path from current
  as $$
    select rp.user_id,
           coalesce(sum(rp.unread_count) filter (where rp.room_id = p_room_id), 0)::integer,
           coalesce(sum(rp.unread_count), 0)::integer
    from room_participants rp
    where parley_is_member(p_room_id)
      and rp.user_id in (select x.user_id from room_participants x where x.room_id = p_room_id)
    group by rp.user_id
  $$;
