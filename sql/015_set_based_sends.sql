-- The sends of a batch written as sets (docs/architecture.md, "The write path").
--
-- parley_write_batch (013) wrote a batch element by element: a PL/pgSQL loop
-- of two inserts per send, then per room its last_seq, its members' counters
-- and its audience, each a statement of its own. In a batch of 64 sends to 64
-- direct rooms that is ~450 statements, 0.43 ms of PostgreSQL per send
-- (pg_stat_statements, docs/architecture.md) — less than a third of a bare
-- INSERT's rate. parley_write_batch_fast writes the same batch in a fixed
-- number of statements whatever its size: one INSERT of all messages, one of
-- all events, one UPDATE of all counters, one of all rooms, one audience read.
-- parley_write_batch(…, true) stays the path that isolates a refused element.
--
-- Row-level security stays the second wall for every row a client asked for:
-- the message and event INSERTs run as parley_app, and each row sets
-- parley.user_id to its own sender as it is produced, before the executor
-- checks that row's policy (the rows are produced and inserted one at a time).
-- The policy asks sender_id = parley.user_id AND parley_is_member(room_id) of
-- the user set at that moment, so a row passes only if its own sender is a
-- member of its room, whatever order the executor chose: a wrong order can
-- only refuse (the batch then runs again isolated), never admit.
--
-- What follows from those rows — a room's last_seq, its members' unread
-- counters, who to tell — is derived by SECURITY DEFINER functions from the
-- rows the policies admitted, and takes no value from the caller but room ids.
--
-- Those helpers keep one generic plan (plan_cache_mode): PL/pgSQL otherwise
-- re-plans a statement with parameters for every call while custom plans look
-- cheaper, which for a batch of one send cost ~0.4 ms of its ~1.6 ms.

-- The application's first wall for a batch's sends: the positions (1-based)
-- of the send elements whose user is a member of the element's room. Kept
-- apart, like 013's parley_batch_may_write, so the RLS test can switch it off.
create function parley_batch_members(p_items jsonb) returns table (k integer)
  language plpgsql stable security definer
  set search_path from current
  set plan_cache_mode = force_generic_plan
  as $$
begin
  return query
    select t.k::integer
    from jsonb_array_elements(p_items) with ordinality t(x, k)
    join room_participants p on p.room_id = (t.x->>'room')::uuid and p.user_id = t.x->>'user'
    where t.x->>'op' = 'send';
end
$$;
revoke all on function parley_batch_members(jsonb) from public;
grant execute on function parley_batch_members(jsonb) to parley_app;

-- Send elements (by 1-based position) whose client_id their sender already
-- used in that room, with the original message's id: only a member's own
-- messages, which that member may read anyway.
create function parley_sent_client_ids(p_items jsonb) returns table (k integer, id uuid)
  language plpgsql stable security definer
  set search_path from current
  set plan_cache_mode = force_generic_plan
  as $$
begin
  return query
    select t.k::integer, m.id
    from jsonb_array_elements(p_items) with ordinality t(x, k)
    join chat_messages m
      on m.room_id = (t.x->>'room')::uuid and m.sender_id = t.x->>'user' and m.client_id = t.x->>'client_id'
    where t.x->>'op' = 'send' and t.x->>'client_id' is not null
      and exists (select 1 from room_participants p where p.room_id = m.room_id and p.user_id = m.sender_id);
end
$$;
revoke all on function parley_sent_client_ids(jsonb) from public;
grant execute on function parley_sent_client_ids(jsonb) to parley_app;

-- Brings rooms whose log is ahead of their last_seq up to date: the new
-- messages count as unread for the members (other than each message's sender)
-- who had not read them, and last_seq moves to the log's last seq. Only the
-- caller's own transaction can have put a room's log ahead (every writer moves
-- last_seq in the transaction that logs, under the room's lock, which the
-- caller holds: parley_lock_rooms), so for any other room this does nothing.
-- Answers the members of the rooms it advanced with their unread counts.
create function parley_account_new_messages(p_room_ids uuid[])
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
           (select coalesce(sum(t.unread_count), 0) from room_participants t where t.user_id = m.user_id)::integer
    from room_participants m
    where m.room_id = any(v_rooms);
end
$$;
revoke all on function parley_account_new_messages(uuid[]) from public;
grant execute on function parley_account_new_messages(uuid[]) to parley_app;

-- A batch, answered exactly as parley_write_batch answers it (013). An element
-- the database refuses raises: the server then writes the batch again with
-- parley_write_batch(…, true).
--
-- The audience's unread counts are read after the sends and before the
-- batch's reads: a reader's own counts come with their read's answer and in
-- "totals", which the server prefers (domain/write-path.ts).
create function parley_write_batch_fast(p_items jsonb) returns jsonb
  language plpgsql volatile
  as $$
declare
  -- One timestamp for the batch, at the column's precision (timestamptz(3)),
  -- so the API message built in SQL equals the stored row.
  v_now timestamptz := now()::timestamptz(3);
  v_at text := parley_iso(v_now);
  n integer := jsonb_array_length(p_items);
  v_results jsonb[] := array_fill(null::jsonb, array[n]);
  v_rooms uuid[];
  v_last bigint[];
  v_k integer[];
  v_seq bigint[];
  v_sent uuid[];
  v_audience jsonb := '{}'::jsonb;
  v_totals jsonb := '{}'::jsonb;
  v_room uuid;
  v_user text;
  e jsonb;
  r record;
  i integer;
begin
  perform set_config('role', 'parley_app', true);
  select coalesce(array_agg(l.id), '{}'), coalesce(array_agg(l.last_seq), '{}')
    into v_rooms, v_last
    from parley_lock_rooms(array(select distinct (x->>'room')::uuid from jsonb_array_elements(p_items) x where x->>'op' = 'send')) l;

  -- Each send's answer: refused (no such room, or its sender is not a member),
  -- a repeat of a client_id (already sent, or sent earlier in this batch: the
  -- first one is written), or the next seq of its room, in submission order.
  for r in
    with s as materialized (
      select t.k::integer as k, (t.x->>'room')::uuid as room, t.x->>'user' as u, t.x->>'client_id' as cid, l.last_seq,
             l.last_seq is not null and mine.k is not null as member
      from jsonb_array_elements(p_items) with ordinality t(x, k)
      left join unnest(v_rooms, v_last) l(id, last_seq) on l.id = (t.x->>'room')::uuid
      left join parley_batch_members(p_items) mine on mine.k = t.k
      where t.x->>'op' = 'send'
    ), d as materialized (
      select s.*, known.id as known_id,
             case when s.cid is null then s.k else min(s.k) over (partition by s.room, s.u, s.cid) end as first_k
      from s left join parley_sent_client_ids(p_items) known on known.k = s.k
      where s.member
    ), fresh as materialized (
      select d.k, d.last_seq + row_number() over (partition by d.room order by d.k) as seq
      from d where d.known_id is null and d.first_k = d.k
    )
    select s.k, s.member, d.known_id, d.first_k, fresh.seq
    from s left join d on d.k = s.k left join fresh on fresh.k = s.k
  loop
    v_results[r.k] := case
      when not r.member then jsonb_build_object('error', 'room_not_found')
      when r.known_id is not null then jsonb_build_object('duplicate', r.known_id)
      when r.seq is null then jsonb_build_object('duplicate', p_items->(r.first_k - 1)->>'id')
      else jsonb_build_object('seq', r.seq, 'at', v_at)
    end;
    if r.seq is not null then
      v_k := v_k || r.k;
      v_seq := v_seq || r.seq;
    end if;
  end loop;

  if v_k is not null then
    -- Each row as its own sender (see the top of this file).
    insert into chat_messages (id, room_id, seq, sender_id, message_type, content, metadata, client_id, created_at)
      select (x->>'id')::uuid, (x->>'room')::uuid, f.seq, x->>'user', x->>'type', x->>'content', x->'metadata', x->>'client_id', v_now
      from unnest(v_k, v_seq) f(k, seq)
      cross join lateral (select p_items->(f.k - 1) as x) el
      where set_config('parley.user_id', x->>'user', true) is not null;
    insert into room_events (room_id, seq, kind, data, created_at)
      select (x->>'room')::uuid, f.seq, 'message.created',
             jsonb_build_object('message', jsonb_build_object(
               'id', x->>'id', 'room_id', (x->>'room')::uuid, 'seq', f.seq, 'sender_id', x->>'user', 'type', x->>'type',
               'content', x->>'content', 'metadata', x->'metadata', 'reactions', '[]'::jsonb,
               'client_id', x->>'client_id', 'created_at', v_at, 'edited_at', null, 'deleted_at', null)),
             v_now
      from unnest(v_k, v_seq) f(k, seq)
      cross join lateral (select p_items->(f.k - 1) as x) el
      where set_config('parley.user_id', x->>'user', true) is not null;

    select coalesce(array_agg(distinct (p_items->(k - 1)->>'room')::uuid), '{}') into v_sent from unnest(v_k) k;
    select coalesce(jsonb_object_agg(a.room_id, a.members), '{}'::jsonb) into v_audience
      from (
        select u.room_id, jsonb_agg(jsonb_build_array(u.user_id, u.room_unread, u.total_unread)) as members
        from parley_account_new_messages(v_sent) u
        group by u.room_id
      ) a;
  end if;

  -- The reads, after the sends (so they count the batch's messages), one by one as the reader.
  for i in 1..n loop
    e := p_items->(i - 1);
    continue when e->>'op' = 'send';
    perform set_config('parley.user_id', e->>'user', true);
    v_results[i] := parley_write_element(e, v_now, null);
  end loop;

  -- Rooms with a moved read marker and no send: their members get the `reads` frame.
  for v_room, v_user in
    select (p_items->(a.k::integer - 1)->>'room')::uuid, min(p_items->(a.k::integer - 1)->>'user')
    from unnest(v_results) with ordinality a(value, k)
    where a.value->>'moved' = 'true'
    group by 1
  loop
    continue when v_audience -> v_room::text is not null;
    perform set_config('parley.user_id', v_user, true);
    v_audience := v_audience || jsonb_build_object(v_room::text,
      (select coalesce(jsonb_agg(jsonb_build_array(p.user_id)), '[]'::jsonb) from room_participants p where p.room_id = v_room));
  end loop;
  -- Each reader's total over all their rooms, read as the reader.
  for v_user in select distinct x->>'user' from jsonb_array_elements(p_items) x where x->>'op' = 'read' loop
    perform set_config('parley.user_id', v_user, true);
    v_totals := v_totals || jsonb_build_object(v_user, parley_unread_total());
  end loop;
  return jsonb_build_object('results', to_jsonb(v_results), 'audience', v_audience, 'totals', v_totals);
end
$$;
revoke all on function parley_write_batch_fast(jsonb) from public;
grant execute on function parley_write_batch_fast(jsonb) to parley_app;
