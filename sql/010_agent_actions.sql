-- Audit trail of what AI assistants did for their users (issue 7).
--
-- The agent toolkit (@parley/sdk/agent) records one row per tool call with the
-- user's own token; the user lists their own rows. Append-only: parley_app may
-- insert and read, never update or delete, so an assistant cannot tidy up
-- after itself.
--
-- room_id and message_id carry no foreign keys on purpose: a refused attempt
-- names a room the caller cannot see (or that does not exist), and the trail
-- must outlive deleted rooms and messages.

create table agent_actions (
  id           uuid primary key default gen_random_uuid(),
  user_id      text not null references users (id) on delete cascade,
  tool         text not null check (length(tool) between 1 and 64),
  arguments    jsonb not null default '{}'::jsonb,
  outcome      text not null check (outcome in ('ok', 'error', 'drafted')),
  error_code   text check (length(error_code) <= 64),
  room_id      uuid,
  message_id   uuid,
  agent        text check (length(agent) <= 64),
  started_at   timestamptz(3) not null,
  finished_at  timestamptz(3) not null,
  created_at   timestamptz(3) not null default now()
);
-- The user's own list, newest first (GET /agent-actions pages on created_at, id).
create index agent_actions_user_created_idx on agent_actions (user_id, created_at desc, id desc);

grant select, insert on agent_actions to parley_app;

alter table agent_actions enable row level security;
alter table agent_actions force row level security;

create policy agent_actions_read_own on agent_actions for select to parley_app
  using (user_id = parley_current_user());
create policy agent_actions_insert_own on agent_actions for insert to parley_app
  with check (user_id = parley_current_user());
