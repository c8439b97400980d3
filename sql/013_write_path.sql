-- The write path in one round trip (docs/architecture.md, "The write path").
--
-- Sends and read markers from many users and rooms are written together: the
-- server's group commit hands a batch to parley_write_batch, which runs as
-- one statement in its own (implicit) transaction, so a batch costs one round
-- trip and one commit — one fsync — however many elements it carries.
--
-- Row-level security stays the second wall inside a batch. The function
-- switches to parley_app (which owns nothing and cannot bypass RLS) before it
-- touches a table, and sets parley.user_id to each element's own sender
-- before writing that element, so every inserted row is checked by the
-- policies of 002 against the user who asked for it. The application's own
-- membership check (parley_is_member) runs first, as in every service.

-- The helpers every write calls, as PL/pgSQL. A SQL-language function with a
-- SET clause (search_path, needed for SECURITY DEFINER) is never inlined and is
-- parsed and planned again on every call — about 90 µs for parley_is_member,
-- which RLS and the application call five times per sent message
-- (EXPLAIN ANALYZE in docs/architecture.md, "The write path"). PL/pgSQL keeps
-- its plans for the session. Same signatures, same rules, same grants.
-- parley_current_user() is in every policy and helper. As a SQL function with
-- a SET clause it cost ~18 µs a call; without one it is inlined into the
-- calling query (a plain current_setting). It calls only pg_catalog
-- functions, named in full, so it needs no search_path of its own.
create or replace function parley_current_user() returns text
  language sql stable
  as $$ select nullif(pg_catalog.current_setting('parley.user_id', true), '') $$;

create or replace function parley_is_member(p_room_id uuid) returns boolean
  language plpgsql stable security definer
  set search_path from current
  as $$
begin
  return exists (select 1 from room_participants where room_id = p_room_id and user_id = parley_current_user());
end
$$;

create or replace function parley_adjust_unread(p_room_id uuid, p_message_seq bigint, p_delta integer) returns void
  language plpgsql volatile security definer
  set search_path from current
  as $$
begin
  if p_delta not in (-1, 1) or not parley_is_member(p_room_id) then
    return;
  end if;
  update room_participants
  set unread_count = greatest(0, unread_count + p_delta)
  where room_id = p_room_id
    and user_id is distinct from parley_current_user()
    and last_read_seq < p_message_seq;
end
$$;

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
           (select coalesce(sum(t.unread_count), 0) from room_participants t where t.user_id = m.user_id)::integer
    from room_participants m
    where m.room_id = p_room_id;
end
$$;

-- An ISO-8601 UTC timestamp with milliseconds, exactly as JavaScript's
-- Date#toISOString writes it (the API's format; db/time.ts).
create function parley_iso(p_at timestamptz) returns text
  language sql immutable
  as $$ select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
grant execute on function parley_iso(timestamptz) to parley_app;

-- Takes the row locks of several rooms in one order (by id), so that two
-- batches that share rooms (two nodes, or a batch and a single change) queue
-- on each other instead of deadlocking, and answers their last seq: the batch
-- hands out the following seqs itself and writes each room's last_seq once.
-- SECURITY DEFINER (a lock needs no membership); what it answers goes only to
-- parley_write_batch, which writes a room only for an element whose sender
-- passed the membership check and the policies.
create function parley_lock_rooms(p_room_ids uuid[]) returns table (id uuid, last_seq bigint)
  language plpgsql volatile security definer
  set search_path from current
  as $$
begin
  return query select r.id, r.last_seq from chat_rooms r where r.id = any(p_room_ids) order by r.id for update;
end
$$;
revoke all on function parley_lock_rooms(uuid[]) from public;
grant execute on function parley_lock_rooms(uuid[]) to parley_app;

-- The application's membership rule, kept apart so the RLS test can switch
-- this first wall off and show the policies still refuse a forged element.
create function parley_batch_may_write(p_room_id uuid) returns boolean
  language sql stable
  as $$ select parley_is_member(p_room_id) $$;
grant execute on function parley_batch_may_write(uuid) to parley_app;

-- New messages of a room (seqs p_from..p_to, just written by the caller, a
-- member) count as unread for the other members who had not read them: one
-- UPDATE per room per batch instead of one per message. Senders are read from
-- the messages themselves, never taken from the caller. SECURITY DEFINER:
-- members may update only their own participant row.
create function parley_count_new_messages(p_room_id uuid, p_from bigint, p_to bigint) returns void
  language plpgsql volatile security definer
  set search_path from current
  as $$
begin
  if not parley_is_member(p_room_id) then
    return;
  end if;
  update room_participants p
  set unread_count = p.unread_count + d.n
  from (
    select rp.user_id, count(*)::integer as n
    from chat_messages m
    join room_participants rp on rp.room_id = p_room_id
    where m.room_id = p_room_id and m.seq between p_from and p_to
      and m.sender_id is distinct from rp.user_id
      and m.message_type <> 'system' and m.deleted_at is null
      and rp.last_read_seq < m.seq
    group by rp.user_id
  ) d
  where p.room_id = p_room_id and p.user_id = d.user_id;
end
$$;
revoke all on function parley_count_new_messages(uuid, bigint, bigint) from public;
grant execute on function parley_count_new_messages(uuid, bigint, bigint) to parley_app;

-- One element of a batch, as the element's user (the caller has set
-- parley.user_id). Answers a small JSON object: what the server needs to
-- acknowledge the element and fan it out, or {"error": code}.
--
-- send: {op, user, room, id, client_id, type, content, metadata}, with
--   p_seq the seq the batch reserved for it. `id` is chosen by the server
--   (sealed content is bound to it) and `content` is already in its stored
--   form. Inserts the message and its message.created event (the API
--   message, built here). A repeated client_id answers the original's id.
--   The room's last_seq and the unread counters are written per room once
--   the batch's sends are in (parley_write_batch).
-- read: {op, user, room, seq}
--   Moves the user's read marker forward (never back; null = the newest
--   message, and never past it) and recounts their unread messages. Read
--   markers take no seq and no room lock (DESIGN.md "Ordering": they may be
--   coalesced and kept off the room's lock).
create function parley_write_element(e jsonb, p_now timestamptz, p_seq bigint) returns jsonb
  language plpgsql volatile
  as $$
declare
  v_user text := e->>'user';
  v_room uuid := (e->>'room')::uuid;
  v_id uuid;
  v_message jsonb;
  v_latest bigint;
  v_target bigint;
  v_unread integer;
  v_read_at timestamptz;
begin
  if not parley_batch_may_write(v_room) then
    return jsonb_build_object('error', 'room_not_found');
  end if;

  if e->>'op' = 'send' then
    if e->>'client_id' is not null then
      select m.id into v_id from chat_messages m
        where m.room_id = v_room and m.sender_id = v_user and m.client_id = e->>'client_id';
      if found then
        return jsonb_build_object('duplicate', v_id);
      end if;
    end if;
    if p_seq is null then
      return jsonb_build_object('error', 'room_not_found');
    end if;
    insert into chat_messages (id, room_id, seq, sender_id, message_type, content, metadata, client_id, created_at)
      values ((e->>'id')::uuid, v_room, p_seq, v_user, e->>'type', e->>'content', e->'metadata', e->>'client_id', p_now);
    v_message := jsonb_build_object(
      'id', e->>'id', 'room_id', v_room, 'seq', p_seq, 'sender_id', v_user, 'type', e->>'type',
      'content', e->>'content', 'metadata', e->'metadata', 'reactions', '[]'::jsonb,
      'client_id', e->>'client_id', 'created_at', parley_iso(p_now), 'edited_at', null, 'deleted_at', null);
    insert into room_events (room_id, seq, kind, data, created_at)
      values (v_room, p_seq, 'message.created', jsonb_build_object('message', v_message), p_now);
    return jsonb_build_object('seq', p_seq, 'at', parley_iso(p_now));
  end if;

  if e->>'op' = 'read' then
    select max(m.seq) into v_latest from chat_messages m where m.room_id = v_room;
    v_target := least(coalesce((e->>'seq')::bigint, v_latest, 0), coalesce(v_latest, 0));
    update room_participants p
      set last_read_seq = v_target,
          last_read_at = p_now,
          unread_count = (
            select count(*) from chat_messages m
            where m.room_id = v_room and m.seq > v_target and m.deleted_at is null
              and m.message_type <> 'system' and m.sender_id is distinct from v_user)
      where p.room_id = v_room and p.user_id = v_user and p.last_read_seq < v_target
      returning p.unread_count, p.last_read_at into v_unread, v_read_at;
    if found then
      return jsonb_build_object('moved', true, 'last_read_seq', v_target, 'last_read_at', parley_iso(v_read_at), 'unread_count', v_unread);
    end if;
    select p.unread_count into v_unread from room_participants p where p.room_id = v_room and p.user_id = v_user;
    return jsonb_build_object('moved', false, 'unread_count', coalesce(v_unread, 0));
  end if;

  return jsonb_build_object('error', 'bad_request');
end
$$;
grant execute on function parley_write_element(jsonb, timestamptz, bigint) to parley_app;

-- A batch: {"results": [one answer per element, in order], "audience": {room:
-- [[user_id, room_unread, total_unread], …]}, "totals": {reader: total}} —
-- the audience is every member of each room a message was sent to (the
-- event's recipients, with the unread counts their `unread` frames carry)
-- and, for rooms with a moved read marker only, the members who get the
-- `reads` frame.
--
-- Order of work: the sends, in submission order (each room's seqs handed out
-- from the locked last_seq); then per room its last_seq and the unread
-- counters, once; then the reads, which so count the batch's messages too.
--
-- p_isolate = false (the fast path): an element that raises aborts the batch,
-- and the server sends it again with p_isolate = true, where each element
-- runs in a subtransaction of its own: a refused element (e.g. by RLS)
-- answers {"error": "refused", "sqlstate": …} and the rest still commits, in
-- this one transaction. (Subtransactions are kept off the fast path: each
-- costs an XID, and more than 64 in a transaction slow every other session.)
create function parley_write_batch(p_items jsonb, p_isolate boolean) returns jsonb
  language plpgsql volatile
  as $$
declare
  -- One timestamp for the batch, at the column's precision (timestamptz(3)),
  -- so the API message built in SQL equals the stored row.
  v_now timestamptz := now()::timestamptz(3);
  n integer := jsonb_array_length(p_items);
  e jsonb;
  v_res jsonb;
  v_results jsonb[] := array_fill(null::jsonb, array[n]);
  v_rooms uuid[];
  v_first bigint[];
  v_last bigint[];
  v_writer text[];
  v_at integer;
  v_seq bigint;
  v_audience jsonb := '{}'::jsonb;
  v_room uuid;
  v_user text;
  v_sent boolean;
  v_totals jsonb := '{}'::jsonb;
  i integer;
begin
  perform set_config('role', 'parley_app', true);
  select coalesce(array_agg(l.id order by l.id), '{}'), coalesce(array_agg(l.last_seq order by l.id), '{}')
    into v_rooms, v_last
    from parley_lock_rooms(array(select distinct (x->>'room')::uuid from jsonb_array_elements(p_items) x where x->>'op' = 'send')) l;
  v_first := v_last;
  v_writer := array_fill(null::text, array[coalesce(array_length(v_rooms, 1), 0)]);

  for pass in 1..2 loop
    for i in 1..n loop
      e := p_items->(i - 1);
      continue when (pass = 1) <> (e->>'op' = 'send');
      perform set_config('parley.user_id', e->>'user', true);
      v_at := array_position(v_rooms, (e->>'room')::uuid);
      v_seq := case when pass = 1 and v_at is not null then v_last[v_at] + 1 end;
      if p_isolate then
        begin
          v_res := parley_write_element(e, v_now, v_seq);
        exception when others then
          v_res := jsonb_build_object('error', 'refused', 'sqlstate', sqlstate, 'message', sqlerrm);
        end;
      else
        v_res := parley_write_element(e, v_now, v_seq);
      end if;
      v_results[i] := v_res;
      if pass = 1 and v_res->>'seq' is not null then
        v_last[v_at] := v_seq;
        v_writer[v_at] := e->>'user';
      end if;
    end loop;

    -- After the sends: each room written to gets its last_seq and its unread
    -- counters once, as a member who wrote there (the policies apply).
    if pass = 1 then
      for v_at in 1..coalesce(array_length(v_rooms, 1), 0) loop
        continue when v_writer[v_at] is null;
        perform set_config('parley.user_id', v_writer[v_at], true);
        update chat_rooms set last_seq = v_last[v_at], updated_at = v_now, last_message_at = v_now where id = v_rooms[v_at];
        -- A room's sends took consecutive seqs (a refused one takes none).
        perform parley_count_new_messages(v_rooms[v_at], v_first[v_at] + 1, v_last[v_at]);
      end loop;
    end if;
  end loop;

  -- The audience of each room written to, read as a member who wrote there.
  for v_room, v_user, v_sent in
    select (p_items->(r.k::integer - 1)->>'room')::uuid, min(p_items->(r.k::integer - 1)->>'user'),
           bool_or(r.value->>'seq' is not null)
    from unnest(v_results) with ordinality r(value, k)
    where r.value->>'seq' is not null or r.value->>'moved' = 'true'
    group by 1
  loop
    perform set_config('parley.user_id', v_user, true);
    if v_sent then
      v_audience := v_audience || jsonb_build_object(v_room::text,
        (select coalesce(jsonb_agg(jsonb_build_array(u.user_id, u.room_unread, u.total_unread)), '[]'::jsonb)
         from parley_unread_of_room_members(v_room) u));
    else
      v_audience := v_audience || jsonb_build_object(v_room::text,
        (select coalesce(jsonb_agg(jsonb_build_array(p.user_id)), '[]'::jsonb)
         from room_participants p where p.room_id = v_room));
    end if;
  end loop;
  -- Each reader's total over all their rooms, read as the reader.
  for v_user in select distinct x->>'user' from jsonb_array_elements(p_items) x where x->>'op' = 'read' loop
    perform set_config('parley.user_id', v_user, true);
    v_totals := v_totals || jsonb_build_object(v_user, parley_unread_total());
  end loop;
  return jsonb_build_object('results', to_jsonb(v_results), 'audience', v_audience, 'totals', v_totals);
end
$$;
revoke all on function parley_write_batch(jsonb, boolean) from public;
grant execute on function parley_write_batch(jsonb, boolean) to parley_app;

-- A reader's total unread over all their rooms (for the `unread` frame after a
-- read), as the reader: their own participant rows only.
create function parley_unread_total() returns integer
  language sql stable
  as $$ select coalesce(sum(unread_count), 0)::integer from room_participants where user_id = parley_current_user() $$;
grant execute on function parley_unread_total() to parley_app;
