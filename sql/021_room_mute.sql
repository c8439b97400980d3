-- Muting a room, per member (PUT /api/v1/rooms/:roomId/mute; `Room.muted` and the `mute`
-- frame in packages/sdk/src/protocol.ts).
--
-- A muted room's messages still arrive and still count in the room's own
-- unread_count; the room only stops counting toward the member's *total*
-- (the badge): GET /unread's `total`, the `total` of `unread` and `mute`
-- frames, POST /read's `total_unread`. The setting is the member's own, on
-- their participant row, so leaving a room forgets it (a member who comes
-- back starts unmuted).
--
-- Row-level security: participants_update_self (sql/002_rls.sql) already
-- lets a member update only their own participant row, so only they can mute
-- or unmute for themselves; no new policy is needed (test/rls.test.ts).
--
-- mute_changes counts the member's mutes and unmutes. The room list's stamp
-- (sql/020) takes it rather than muted_at, because the stamp must never
-- return to an earlier value: a page read while a mute was being written can
-- be kept under the stamp read just before it, and "unmuted, muted, unmuted
-- again" would otherwise give that older stamp back and serve the page with
-- the wrong setting.
alter table room_participants
  add column muted_at timestamptz(3),
  add column mute_changes bigint not null default 0;

-- The totals below leave muted rooms out; each is the same function as before
-- with that one condition (013, 015), same signature, settings and grants.

create or replace function parley_unread_of_room_members(p_room_id uuid)
  returns table (user_id text, room_unread integer, total_unread integer)
  language plpgsql stable security definer
  set search_path from current
  as $$
begin
  if not parley_is_member(p_room_id) then
    return;
  end if;
  -- The room's members by its primary key, each total by the (user_id, room_id) index.
  return query
    select m.user_id, m.unread_count,
           (select coalesce(sum(t.unread_count), 0) from room_participants t
             where t.user_id = m.user_id and t.muted_at is null)::integer
    from room_participants m
    where m.room_id = p_room_id;
end
$$;

create or replace function parley_account_new_messages(p_room_ids uuid[])
  returns table (room_id uuid, user_id text, room_unread integer, total_unread integer)
  language plpgsql volatile security definer
  set search_path from current
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_now timestamptz := now()::timestamptz(3);
  v_rooms uuid[];
  v_from bigint[];
  v_to bigint[];
begin
  select coalesce(array_agg(r.id), '{}'), coalesce(array_agg(r.last_seq), '{}'), coalesce(array_agg(e.last), '{}')
    into v_rooms, v_from, v_to
    from chat_rooms r
    cross join lateral (select max(ev.seq) as last from room_events ev where ev.room_id = r.id) e
    where r.id = any(p_room_ids) and e.last > r.last_seq;

  update room_participants p
  set unread_count = p.unread_count + d.n
  from (
    select rp.room_id, rp.user_id, count(*)::integer as n
    from unnest(v_rooms, v_from) f(room_id, from_seq)
    -- The new messages first, by the (room_id, seq) index from the old last_seq
    -- (as a join, the planner may range over seq from each member's read marker
    -- instead: every unread message, not just the new ones).
    cross join lateral (
      select m.seq, m.sender_id from chat_messages m
      where m.room_id = f.room_id and m.seq > f.from_seq and m.message_type <> 'system' and m.deleted_at is null
      offset 0
    ) m
    join room_participants rp on rp.room_id = f.room_id
    where m.sender_id is distinct from rp.user_id and rp.last_read_seq < m.seq
    group by rp.room_id, rp.user_id
  ) d
  where p.room_id = d.room_id and p.user_id = d.user_id;

  update chat_rooms r
  set last_seq = f.to_seq, updated_at = v_now, last_message_at = v_now
  from unnest(v_rooms, v_to) f(room_id, to_seq)
  where r.id = f.room_id;

  return query
    select m.room_id, m.user_id, m.unread_count,
           (select coalesce(sum(t.unread_count), 0) from room_participants t
             where t.user_id = m.user_id and t.muted_at is null)::integer
    from room_participants m
    where m.room_id = any(v_rooms);
end
$$;

create or replace function parley_unread_total() returns integer
  language sql stable
  as $$
    select coalesce(sum(unread_count), 0)::integer from room_participants
    where user_id = parley_current_user() and muted_at is null
  $$;

-- The room list's stamp (020) with the caller's mute_changes per room: a
-- page shows the caller's own `muted`, so each mute or unmute moves the stamp.
create or replace function parley_room_list_stamp(p_user text) returns jsonb
  language plpgsql stable security definer
  set search_path from current
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_rooms text;
  v_reads text;
  v_profiles text;
begin
  select md5(coalesce(string_agg(r.id || ':' || r.last_seq || ':' || p.last_read_seq || ':' || p.mute_changes, ',' order by r.id), ''))
    into v_rooms
    from room_participants p join chat_rooms r on r.id = p.room_id
    where p.user_id = p_user;
  select coalesce(sum(pp.last_read_seq), 0) || ':' || count(*)
    into v_reads
    from room_participants pp
    where pp.room_id in (select mine.room_id from room_participants mine where mine.user_id = p_user);
  select coalesce(max(u.updated_at)::text, '') into v_profiles from users u where u.updated_at > u.created_at;
  return jsonb_build_object('stamp', v_rooms || '|' || v_reads || '|' || v_profiles);
end
$$;
