-- The room list's stamp: GET /rooms answers from a per-user cache
-- (domain/room-list-cache.ts) for as long as this stamp is unchanged, so a
-- page of 100 rooms costs one small read instead of the page query and its
-- serialisation.
--
-- The stamp covers everything a page shows, through what every change of it
-- already writes:
--   * the caller's rooms (a join or leave adds or drops a row here) and, per
--     room, last_seq: every logged change — a message, an edit, a delete, a
--     reaction, a rename, a member joining or leaving — advances it;
--   * the caller's own read marker (its unread count moves with it or with
--     last_seq);
--   * the other members' read markers, which move without logging a seq
--     (reads do not take the room's lock): their sum over the caller's rooms
--     — a marker only moves forward, and a member coming or going is a
--     logged change;
--   * names and avatars: the newest users.updated_at of all users whose
--     claims ever changed (a new user changes no list until they join a
--     room, which is logged) — rare enough that one change anywhere may
--     refresh every cached list.
--
-- SECURITY DEFINER, scoped by hand to the caller's own memberships: it
-- answers a digest, never a row, and the page it guards is still read under
-- RLS. Under RLS the same reads cost three times as much (each of the four
-- table reads filters through a hashed scan of the caller's memberships),
-- and this runs on every GET /rooms.
create index users_changed_at_idx on users (updated_at) where updated_at > created_at;

create function parley_room_list_stamp(p_user text) returns jsonb
  language plpgsql stable security definer
  set search_path from current
  set plan_cache_mode = force_generic_plan
  as $$
declare
  v_rooms text;
  v_reads text;
  v_profiles text;
begin
  select md5(coalesce(string_agg(r.id || ':' || r.last_seq || ':' || p.last_read_seq, ',' order by r.id), ''))
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
revoke all on function parley_room_list_stamp(text) from public;
grant execute on function parley_room_list_stamp(text) to parley_app;
