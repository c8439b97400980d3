-- At-rest encryption of message content (issue 6; DESIGN.md "At-rest encryption").
--
-- Sealed content is stored in chat_messages.content (and in the message inside
-- room_events.data) as 'pe1:<room key version>:<nonce>:<ciphertext+tag>'.
-- Room data keys live in room_encryption_keys, wrapped by the master key; the
-- master key's version is stored next to each wrapped key so that rotation
-- (`parley keys rotate`) can tell re-wrapped rows from the rest.

alter table room_encryption_keys
  add column master_key_version integer not null default 1 check (master_key_version > 0);

-- One row: which master key the database is encrypted under. The check value
-- is an HMAC of a constant under the master key: a server started with another
-- key refuses to start instead of wrapping new room keys with it. Nothing here
-- is secret, so it has no row-level security.
create table encryption_meta (
  singleton           boolean primary key default true check (singleton),
  master_key_version  integer not null check (master_key_version > 0),
  master_key_check    text not null,
  updated_at          timestamptz(3) not null default now()
);

grant select on encryption_meta to parley_app;

-- The key maintenance path (server start-up check, `parley keys rotate`,
-- `parley keys encrypt-existing`) runs as this role rather than as the table
-- owner: FORCE ROW LEVEL SECURITY applies to a non-superuser owner too, and a
-- dedicated role keeps that path to exactly the tables and columns it needs.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'parley_key_admin') then
    begin
      create role parley_key_admin nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end
$$;

do $$
begin
  execute format('grant parley_key_admin to %I', current_user);
exception when others then
  raise notice 'could not grant parley_key_admin to %: %', current_user, sqlerrm;
end
$$;

do $$
begin
  execute format('grant usage on schema %I to parley_key_admin', current_schema());
end
$$;

grant select, insert, update on encryption_meta to parley_key_admin;
grant select, insert, update (wrapped_key, master_key_version) on room_encryption_keys to parley_key_admin;
grant select (id, room_id, content), update (content) on chat_messages to parley_key_admin;
grant select (room_id, seq, kind, data), update (data) on room_events to parley_key_admin;

create policy room_keys_key_admin on room_encryption_keys for all to parley_key_admin
  using (true) with check (true);
create policy messages_key_admin_read on chat_messages for select to parley_key_admin
  using (true);
create policy messages_key_admin_update on chat_messages for update to parley_key_admin
  using (true) with check (true);
create policy events_key_admin_read on room_events for select to parley_key_admin
  using (true);
create policy events_key_admin_update on room_events for update to parley_key_admin
  using (true) with check (true);
