-- What a connecting socket reads and writes, one statement each
-- (docs/architecture.md, "The write path": Resume, Sign-in and presence).
--
-- Each was a transaction run from the server: BEGIN, the caller, the queries,
-- COMMIT. Every function here is one statement, its own transaction, as the
-- user under row-level security: it switches to parley_app and sets
-- parley.user_id itself, like parley_write_batch.
--
-- The resume read was a transaction of three reads (the user's rooms, the
-- missed events of the rooms the client names, those rooms' read markers):
-- BEGIN, the caller, three queries, COMMIT — six round trips per reconnect,
-- 2,000 of them at once in a reconnect storm. parley_resume is the same three
-- reads as one statement, which is its own transaction (one snapshot, as
-- before), as the user under row-level security: it switches to parley_app
-- and sets parley.user_id itself, like parley_write_batch.
--
-- p_asked: {room_id: last seq the client has}. Answers
--   rooms    {room_id: last_seq} of every room of the user
--   events   the events after the client's seq of each named room that is
--            still the user's and behind, at most p_limit per room, oldest
--            first per room: [{room_id, seq, kind, data, at}]
--   markers  {room_id: [{user_id, last_read_seq, last_read_at}]} of the named
--            rooms that are the user's, for participants who ever read
create function parley_resume(p_user text, p_asked jsonb, p_limit integer) returns jsonb
  language plpgsql volatile
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_rooms jsonb;
begin
  perform set_config('role', 'parley_app', true);
  perform set_config('parley.user_id', p_user, true);
  select coalesce(jsonb_object_agg(r.id, r.last_seq), '{}'::jsonb) into v_rooms
    from room_participants p join chat_rooms r on r.id = p.room_id
    where p.user_id = p_user;
  return (
    -- The named rooms that are still the user's (ids checked against the user's rooms before any cast).
    with named as materialized (
      select a.room::uuid as room_id, a.seen::bigint as seen, (v_rooms ->> a.room)::bigint as last_seq
      from jsonb_each_text(p_asked) a(room, seen)
      where v_rooms -> a.room is not null
    )
    select jsonb_build_object(
      'rooms', v_rooms,
      'events', (
        select coalesce(jsonb_agg(jsonb_build_object('room_id', e.room_id, 'seq', e.seq, 'kind', e.kind, 'data', e.data, 'at', parley_iso(e.created_at))
                                  order by e.room_id, e.seq), '[]'::jsonb)
        from named n
        cross join lateral (
          select * from room_events e
          where e.room_id = n.room_id and e.seq > n.seen
          order by e.seq limit p_limit
        ) e
        where n.seen < n.last_seq),
      'markers', (
        select coalesce(jsonb_object_agg(m.room_id, m.reads), '{}'::jsonb)
        from (
          select p.room_id, jsonb_agg(jsonb_build_object(
                   'user_id', p.user_id, 'last_read_seq', p.last_read_seq, 'last_read_at', parley_iso(p.last_read_at))) as reads
          from named n
          join room_participants p on p.room_id = n.room_id
          where p.last_read_at is not null
          group by p.room_id
        ) m))
  );
end
$$;
revoke all on function parley_resume(text, jsonb, integer) from public;
grant execute on function parley_resume(text, jsonb, integer) to parley_app;

-- Sign-in: the user's row from the token's claims, written only when they
-- changed (db/users.ts upsertUser); answers the stored user.
create function parley_sign_in(p_user text, p_name text, p_avatar_url text) returns jsonb
  language plpgsql volatile
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_user jsonb;
begin
  perform set_config('role', 'parley_app', true);
  perform set_config('parley.user_id', p_user, true);
  insert into users (id, name, avatar_url) values (p_user, p_name, p_avatar_url)
    on conflict (id) do update
      set name = excluded.name, avatar_url = excluded.avatar_url, updated_at = now()
      where users.name is distinct from excluded.name
         or users.avatar_url is distinct from excluded.avatar_url
    returning jsonb_build_object('id', id, 'name', name, 'avatar_url', avatar_url) into v_user;
  return coalesce(v_user, jsonb_build_object('id', p_user, 'name', p_name, 'avatar_url', p_avatar_url));
end
$$;
revoke all on function parley_sign_in(text, text, text) from public;
grant execute on function parley_sign_in(text, text, text) to parley_app;

-- A presence change of the user's own row (db/presence.ts savePresence):
-- p_keep_message keeps the stored status message. Answers the record and its
-- audience — everyone who shares a room with the user, and the user.
create function parley_save_presence(p_user text, p_status text, p_status_message text, p_keep_message boolean, p_at timestamptz)
  returns jsonb
  language plpgsql volatile
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_record jsonb;
begin
  perform set_config('role', 'parley_app', true);
  perform set_config('parley.user_id', p_user, true);
  -- ON CONFLICT is safe here: every authenticated caller may read presence rows.
  insert into user_presence (user_id, status, last_seen_at, status_message)
    values (p_user, p_status, p_at, p_status_message)
    on conflict (user_id) do update
      set status = excluded.status, last_seen_at = excluded.last_seen_at,
          status_message = case when p_keep_message then user_presence.status_message else excluded.status_message end
    returning jsonb_build_object('user_id', user_id, 'status', status, 'status_message', status_message,
                                 'last_seen_at', parley_iso(last_seen_at)) into v_record;
  return jsonb_build_object('record', v_record, 'audience', (
    select coalesce(jsonb_agg(distinct u.id), '[]'::jsonb)
    from (
      select other.user_id as id
      from room_participants mine join room_participants other on other.room_id = mine.room_id
      where mine.user_id = p_user
      union all
      select p_user
    ) u));
end
$$;
revoke all on function parley_save_presence(text, text, text, boolean, timestamptz) from public;
grant execute on function parley_save_presence(text, text, text, boolean, timestamptz) to parley_app;
