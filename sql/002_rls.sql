-- Row-level security: the second wall behind the application's own checks.
--
-- The server connects as the role that owns the tables (it runs these
-- migrations) and, for every request, opens a transaction that does
--   select set_config('parley.user_id', <sub>, true);  set local role parley_app;
-- (packages/server/src/db/with-user.ts). parley_app owns nothing and cannot
-- bypass RLS, so the policies below apply even though PGlite, and often the
-- deployment's own user, are superusers (superusers bypass RLS, roles switched
-- to with SET ROLE do not).

-- Roles are cluster-wide: create it once, tolerate another database (or a
-- concurrent test run) having created it already.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'parley_app') then
    begin
      create role parley_app nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end
$$;

-- SET ROLE needs membership. Granting again is harmless; a superuser needs it not.
do $$
begin
  execute format('grant parley_app to %I', current_user);
exception when others then
  raise notice 'could not grant parley_app to %: %', current_user, sqlerrm;
end
$$;

do $$
begin
  execute format('grant usage on schema %I to parley_app', current_schema());
end
$$;

grant select, insert, update on users to parley_app;
grant select, insert, update on chat_rooms to parley_app;
grant select, insert, update, delete on room_participants to parley_app;
grant select, insert, update on chat_messages to parley_app;
grant select, insert, delete on message_reactions to parley_app;
grant select, insert on room_encryption_keys to parley_app;
grant select, insert, update on user_presence to parley_app;
grant select, insert on room_events to parley_app;

-- The caller, or null outside a request. current_setting(..., true) yields ''
-- (not null) once a transaction that set it has ended, hence nullif.
create function parley_current_user() returns text
  language sql stable
  set search_path from current
  as $$ select nullif(current_setting('parley.user_id', true), '') $$;

-- SECURITY DEFINER so that policies on room_participants (and the tables that
-- ask "is the caller a member?") do not recurse into room_participants' own policy.
create function parley_is_member(p_room_id uuid) returns boolean
  language sql stable security definer
  set search_path from current
  as $$
    select exists (
      select 1 from room_participants
      where room_id = p_room_id and user_id = parley_current_user()
    )
  $$;

-- Room creation bootstraps membership: the creator may seat themselves while
-- the room is still empty; from then on only members add people.
create function parley_can_seat_creator(p_room_id uuid) returns boolean
  language sql stable security definer
  set search_path from current
  as $$
    select exists (
      select 1 from chat_rooms r
      where r.id = p_room_id and r.created_by = parley_current_user()
    ) and not exists (
      select 1 from room_participants where room_id = p_room_id
    )
  $$;

revoke all on function parley_is_member(uuid) from public;
revoke all on function parley_can_seat_creator(uuid) from public;
grant execute on function parley_current_user() to parley_app;
grant execute on function parley_is_member(uuid) to parley_app;
grant execute on function parley_can_seat_creator(uuid) to parley_app;

alter table users enable row level security;
alter table users force row level security;
alter table chat_rooms enable row level security;
alter table chat_rooms force row level security;
alter table room_participants enable row level security;
alter table room_participants force row level security;
alter table chat_messages enable row level security;
alter table chat_messages force row level security;
alter table message_reactions enable row level security;
alter table message_reactions force row level security;
alter table room_encryption_keys enable row level security;
alter table room_encryption_keys force row level security;
alter table user_presence enable row level security;
alter table user_presence force row level security;
alter table room_events enable row level security;
alter table room_events force row level security;

-- Users: a directory any authenticated caller may read; each user writes only themselves.
create policy users_read on users for select to parley_app
  using (parley_current_user() is not null);
create policy users_insert_self on users for insert to parley_app
  with check (id = parley_current_user());
create policy users_update_self on users for update to parley_app
  using (id = parley_current_user()) with check (id = parley_current_user());

-- Rooms: visible to members. Creating one is allowed for oneself; the row is
-- inserted without RETURNING because the creator is not a member yet.
-- SELECT ... FOR UPDATE (the per-room sequence lock) needs the update policy.
create policy rooms_read on chat_rooms for select to parley_app
  using (parley_is_member(id));
create policy rooms_insert on chat_rooms for insert to parley_app
  with check (created_by = parley_current_user());
create policy rooms_update on chat_rooms for update to parley_app
  using (parley_is_member(id)) with check (parley_is_member(id));

-- Participants: members see each other; members add people; each member
-- updates only their own row (read marker, notification settings).
create policy participants_read on room_participants for select to parley_app
  using (parley_is_member(room_id));
create policy participants_insert on room_participants for insert to parley_app
  with check (
    parley_is_member(room_id)
    or (user_id = parley_current_user() and parley_can_seat_creator(room_id))
  );
create policy participants_update_self on room_participants for update to parley_app
  using (user_id = parley_current_user()) with check (user_id = parley_current_user());
create policy participants_delete on room_participants for delete to parley_app
  using (parley_is_member(room_id));

-- Messages: members read; a member writes only as themselves.
create policy messages_read on chat_messages for select to parley_app
  using (parley_is_member(room_id));
create policy messages_insert_own on chat_messages for insert to parley_app
  with check (sender_id = parley_current_user() and parley_is_member(room_id));
create policy messages_update_own on chat_messages for update to parley_app
  using (sender_id = parley_current_user()) with check (sender_id = parley_current_user());

create policy reactions_read on message_reactions for select to parley_app
  using (parley_is_member(room_id));
create policy reactions_insert_own on message_reactions for insert to parley_app
  with check (user_id = parley_current_user() and parley_is_member(room_id));
create policy reactions_delete_own on message_reactions for delete to parley_app
  using (user_id = parley_current_user());

create policy room_keys_read on room_encryption_keys for select to parley_app
  using (parley_is_member(room_id));
create policy room_keys_insert on room_encryption_keys for insert to parley_app
  with check (parley_is_member(room_id));

create policy presence_read on user_presence for select to parley_app
  using (parley_current_user() is not null);
create policy presence_insert_self on user_presence for insert to parley_app
  with check (user_id = parley_current_user());
create policy presence_update_self on user_presence for update to parley_app
  using (user_id = parley_current_user()) with check (user_id = parley_current_user());

create policy events_read on room_events for select to parley_app
  using (parley_is_member(room_id));
create policy events_insert on room_events for insert to parley_app
  with check (parley_is_member(room_id));
