-- Edits, deletes and reactions in one round trip each (docs/architecture.md,
-- "The write path").
--
-- Each was a transaction of 8–11 statements from the server (BEGIN, the
-- caller, membership, the room lock, the message, the change, the log entry,
-- last_seq, the recipients, COMMIT). parley_change_message does the same work
-- as one statement in its own transaction, as the caller under row-level
-- security (it switches to parley_app and sets parley.user_id before touching
-- a table, like parley_write_batch), with the same rules and answers.
-- They do not join the sends' group commit: they are rare, and each takes its
-- room's row lock in the order parley_lock_rooms takes it, so they queue
-- behind a batch that writes the room and never deadlock with one.

-- A message's reactions as p_viewer sees them: per emoji its count and whether
-- the viewer is among the reactors, first reacted first (db/reactions.ts).
create function parley_reaction_summary(p_message_id uuid, p_viewer text) returns jsonb
  language sql stable
  as $$
    select coalesce(jsonb_agg(jsonb_build_object('emoji', s.emoji, 'count', s.n, 'me', s.me) order by s.first_at, s.emoji), '[]'::jsonb)
    from (
      select r.emoji, count(*)::integer as n, bool_or(r.user_id = p_viewer) as me, min(r.created_at) as first_at
      from message_reactions r where r.message_id = p_message_id
      group by r.emoji
    ) s
  $$;
grant execute on function parley_reaction_summary(uuid, text) to parley_app;

-- A message as the API answers it (db/messages.ts toMessage): reactions as
-- p_viewer sees them, first reacted first; a tombstone keeps its place only.
-- `content` is the stored form; the server opens it where encryption is on.
create function parley_api_message(m chat_messages, p_viewer text) returns jsonb
  language sql stable
  as $$
    select jsonb_build_object(
      'id', m.id, 'room_id', m.room_id, 'seq', m.seq, 'sender_id', m.sender_id, 'type', m.message_type,
      'content', case when m.deleted_at is null then m.content end,
      'metadata', case when m.deleted_at is null then coalesce(m.metadata, '{}'::jsonb) else '{}'::jsonb end,
      'reactions', case when m.deleted_at is null then parley_reaction_summary(m.id, p_viewer) else '[]'::jsonb end,
      'client_id', m.client_id, 'created_at', parley_iso(m.created_at),
      'edited_at', parley_iso(m.edited_at), 'deleted_at', parley_iso(m.deleted_at))
  $$;
grant execute on function parley_api_message(chat_messages, text) to parley_app;

-- p: {op, user, room, message} and, for 'edit', `content` (stored form), for
-- 'react' / 'unreact', `emoji`. Answers {"error": code} (room_not_found,
-- message_not_found, forbidden, conflict), or what the server needs:
--   message   the message after the change, from the caller's side
--   summary   (reactions) the message's reactions from the caller's side
--   event     {seq, kind, data, at} of the room_events row, when something changed
--   recipients the room's members, for the event
--   unread    (delete) [[user_id, room_unread, total_unread], …] of the members
create function parley_change_message(p jsonb) returns jsonb
  language plpgsql volatile
  as $$
declare
  v_user text := p->>'user';
  v_room uuid := (p->>'room')::uuid;
  v_op text := p->>'op';
  v_now timestamptz := now()::timestamptz(3);
  v_seq bigint;
  m chat_messages%rowtype;
  v_kind text;
  v_data jsonb;
  v_answer jsonb;
  v_count integer;
  v_changed boolean;
begin
  perform set_config('role', 'parley_app', true);
  perform set_config('parley.user_id', v_user, true);
  if v_op not in ('edit', 'delete', 'react', 'unreact') then
    return jsonb_build_object('error', 'bad_request');
  end if;
  if not parley_is_member(v_room) then
    return jsonb_build_object('error', 'room_not_found');
  end if;
  -- The room's lock orders this change with the room's sends, edits, deletes and reactions.
  select l.last_seq + 1 into v_seq from parley_lock_rooms(array[v_room]) l;
  if v_seq is null then
    return jsonb_build_object('error', 'room_not_found');
  end if;
  -- An id that is not a UUID names no message (a 404, like any other unknown id).
  if p->>'message' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select * into m from chat_messages where room_id = v_room and id = (p->>'message')::uuid;
  end if;
  if m.id is null then
    return jsonb_build_object('error', 'message_not_found');
  end if;

  if v_op in ('edit', 'delete') then
    -- Only the sender edits or deletes a message (system messages have none).
    if m.sender_id is distinct from v_user then
      return jsonb_build_object('error', 'forbidden');
    end if;
    if m.deleted_at is not null then
      if v_op = 'edit' then
        return jsonb_build_object('error', 'conflict');
      end if;
      -- Deleting again answers the tombstone and changes nothing.
      return jsonb_build_object('message', parley_api_message(m, v_user));
    end if;
    if v_op = 'edit' then
      update chat_messages set content = p->>'content', edited_at = v_now where id = m.id returning * into m;
      v_kind := 'message.updated';
    else
      -- The words and metadata are erased from storage, not just hidden; the row keeps its seq.
      update chat_messages set content = null, metadata = '{}', deleted_at = v_now where id = m.id returning * into m;
      -- Sent messages are never `system` (those have no sender), so the deleted one was counted.
      perform parley_adjust_unread(v_room, m.seq, -1);
      perform parley_scrub_deleted_message_events(m.id);
      v_kind := 'message.deleted';
    end if;
    v_answer := jsonb_build_object('message', parley_api_message(m, v_user));
    v_data := v_answer;
  else
    if m.deleted_at is not null then
      return jsonb_build_object('error', 'conflict');
    end if;
    if v_op = 'react' then
      insert into message_reactions (message_id, room_id, user_id, emoji)
        values (m.id, v_room, v_user, p->>'emoji')
        on conflict (message_id, user_id, emoji) do nothing;
      v_changed := found;
      v_kind := 'reaction.added';
    else
      delete from message_reactions where message_id = m.id and user_id = v_user and emoji = p->>'emoji';
      v_changed := found;
      v_kind := 'reaction.removed';
    end if;
    v_answer := jsonb_build_object('summary', parley_reaction_summary(m.id, v_user));
    if not v_changed then
      -- Already there / already gone: nothing to log.
      return v_answer;
    end if;
    select count(*)::integer into v_count from message_reactions where message_id = m.id and emoji = p->>'emoji';
    v_data := jsonb_build_object('message_id', m.id, 'user_id', v_user, 'emoji', p->>'emoji', 'count', v_count);
  end if;

  insert into room_events (room_id, seq, kind, data, created_at) values (v_room, v_seq, v_kind, v_data, v_now);
  -- Only a new message moves last_message_at: an edit or a reaction must not lift an old conversation.
  update chat_rooms set last_seq = v_seq, updated_at = v_now where id = v_room;
  v_answer := v_answer || jsonb_build_object(
    'event', jsonb_build_object('seq', v_seq, 'kind', v_kind, 'data', v_data, 'at', parley_iso(v_now)),
    'recipients', (select coalesce(jsonb_agg(rp.user_id), '[]'::jsonb) from room_participants rp where rp.room_id = v_room));
  if v_op = 'delete' then
    v_answer := v_answer || jsonb_build_object('unread',
      (select coalesce(jsonb_agg(jsonb_build_array(u.user_id, u.room_unread, u.total_unread)), '[]'::jsonb)
       from parley_unread_of_room_members(v_room) u));
  end if;
  return v_answer;
end
$$;
revoke all on function parley_change_message(jsonb) from public;
grant execute on function parley_change_message(jsonb) to parley_app;
