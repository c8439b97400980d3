-- Messaging domain (issue 3): system messages, who may remove members, and
-- unread counts for a whole room in one query.

-- System messages ("Alice added Carol") are written by the server inside the
-- acting member's transaction. They have no sender, so messages_insert_own
-- (sender_id = caller) cannot admit them: a member may insert a sender-less
-- 'system' message into a room they are in. The API never lets a client
-- choose the type 'system' (400), so this only opens what the server does.
create policy messages_insert_system on chat_messages for insert to parley_app
  with check (sender_id is null and message_type = 'system' and parley_is_member(room_id));

-- Removing someone from a group: a member may remove themselves (leave); only
-- the room's creator removes others (docs/architecture.md, "Messaging domain").
-- SECURITY DEFINER for the same reason as parley_is_member: no policy recursion.
create function parley_is_room_creator(p_room_id uuid) returns boolean
  language sql stable security definer
  set search_path from current
  as $$
    select exists (
      select 1 from chat_rooms where id = p_room_id and created_by = parley_current_user()
    )
  $$;
revoke all on function parley_is_room_creator(uuid) from public;
grant execute on function parley_is_room_creator(uuid) to parley_app;

drop policy participants_delete on room_participants;
create policy participants_delete on room_participants for delete to parley_app
  using (
    parley_is_member(room_id)
    and (user_id = parley_current_user() or parley_is_room_creator(room_id))
  );

-- Unread counts of every member of a room: this room's and their total over
-- all their rooms, in one query. A message changes other people's counts, and
-- the writer's transaction cannot see those people's other rooms under RLS, so
-- this runs as the definer. It answers only a member of the room, and only
-- counts (never content), for the server to push as `unread` frames.
-- Unread = others' undeleted, non-system messages above the read marker.
create function parley_unread_of_room_members(p_room_id uuid)
  returns table (user_id text, room_unread integer, total_unread integer)
  language sql stable security definer
  set search_path from current
  as $$
    select rp.user_id,
           coalesce(sum(c.n) filter (where rp.room_id = p_room_id), 0)::integer,
           coalesce(sum(c.n), 0)::integer
    from room_participants rp
    cross join lateral (
      select count(*) as n
      from chat_messages m
      where m.room_id = rp.room_id
        and m.seq > rp.last_read_seq
        and m.deleted_at is null
        and m.message_type <> 'system'
        and m.sender_id is distinct from rp.user_id
    ) c
    where parley_is_member(p_room_id)
      and rp.user_id in (select x.user_id from room_participants x where x.room_id = p_room_id)
    group by rp.user_id
  $$;
revoke all on function parley_unread_of_room_members(uuid) from public;
grant execute on function parley_unread_of_room_members(uuid) to parley_app;

-- Deleting a message erases its words from the log too: resume replays
-- room_events, and the message.created / message.updated events of a deleted
-- message must not bring its content back. Only the message's sender, once it
-- is deleted, may scrub; parley_app has no UPDATE on room_events otherwise.
create function parley_scrub_deleted_message_events(p_message_id uuid) returns void
  language sql volatile security definer
  set search_path from current
  as $$
    update room_events e
    set data = jsonb_set(
      e.data, '{message}',
      (e.data -> 'message') || jsonb_build_object('content', null, 'metadata', '{}'::jsonb, 'reactions', '[]'::jsonb)
    )
    from chat_messages m
    where m.id = p_message_id
      and m.deleted_at is not null
      and m.sender_id = parley_current_user()
      and e.room_id = m.room_id
      and e.seq >= m.seq
      and e.kind in ('message.created', 'message.updated')
      and e.data -> 'message' ->> 'id' = p_message_id::text
  $$;
revoke all on function parley_scrub_deleted_message_events(uuid) from public;
grant execute on function parley_scrub_deleted_message_events(uuid) to parley_app;

-- The SECURITY DEFINER functions above (and parley_is_member in 002) read
-- these tables as their owner. FORCE ROW LEVEL SECURITY subjects a
-- non-superuser owner (e.g. a managed database's admin user) to the policies,
-- which all target parley_app, so those functions would see no rows and
-- nobody could reach their rooms. The owner is used only by migrations,
-- maintenance and these functions; every request runs as parley_app, which
-- stays under RLS.
alter table room_participants no force row level security;
alter table chat_rooms no force row level security;
alter table chat_messages no force row level security;
alter table room_events no force row level security;
