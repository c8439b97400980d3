-- Parley schema. Applied in file-name order by the server's migrator
-- (packages/server/src/db/migrate.ts); knex_migrations records what ran.
-- Never edit a migration that has shipped: add a new numbered file.
--
-- Conventions
-- * User ids are the host's JWT `sub` (text): Parley does not own identities.
-- * Timestamps are timestamptz(3): millisecond precision survives the round
--   trip through JavaScript Date, so timestamp cursors compare exactly.
-- * Every change to a room takes chat_rooms.last_seq + 1 under the room's row
--   lock and is logged in room_events with that seq (DESIGN.md "Ordering").
-- * Leaving a room deletes the room_participants row; the history lives in
--   room_events ('member.left').

create table users (
  id          text primary key check (length(id) between 1 and 255),
  name        text not null default '',
  avatar_url  text,
  created_at  timestamptz(3) not null default now(),
  updated_at  timestamptz(3) not null default now()
);
-- Directory search (GET /users?q=) matches name prefixes case-insensitively.
create index users_lower_name_idx on users (lower(name) text_pattern_ops);

create table chat_rooms (
  id               uuid primary key default gen_random_uuid(),
  type             text not null check (type in ('direct', 'group')),
  name             text,
  -- Sorted pair of user ids as a JSON array (unambiguous whatever the ids
  -- contain); unique so that each pair has at most one direct room.
  direct_key       text unique,
  last_seq         bigint not null default 0,
  created_by       text references users (id),
  created_at       timestamptz(3) not null default now(),
  updated_at       timestamptz(3) not null default now(),
  last_message_at  timestamptz(3),
  check ((type = 'direct') = (direct_key is not null))
);

create table room_participants (
  room_id                uuid not null references chat_rooms (id) on delete cascade,
  user_id                text not null references users (id) on delete cascade,
  joined_at              timestamptz(3) not null default now(),
  last_read_seq          bigint not null default 0,
  last_read_at           timestamptz(3),
  notification_settings  jsonb not null default '{}'::jsonb,
  primary key (room_id, user_id)
);
-- "Rooms of a user" (room list, membership checks by user).
create index room_participants_user_idx on room_participants (user_id, room_id);

create table chat_messages (
  id            uuid primary key default gen_random_uuid(),
  room_id       uuid not null references chat_rooms (id) on delete cascade,
  seq           bigint not null,
  sender_id     text references users (id),
  message_type  text not null default 'text' check (message_type in ('text', 'ai_share', 'system')),
  content       text,
  metadata      jsonb not null default '{}'::jsonb,
  client_id     text,
  created_at    timestamptz(3) not null default now(),
  edited_at     timestamptz(3),
  deleted_at    timestamptz(3),
  -- Also the index for paging a room's history by seq.
  unique (room_id, seq),
  -- Idempotent sends: a retried client_id returns the original message.
  unique (room_id, sender_id, client_id)
);

create table message_reactions (
  message_id  uuid not null references chat_messages (id) on delete cascade,
  -- Denormalised from the message so that the RLS policy needs no join.
  room_id     uuid not null references chat_rooms (id) on delete cascade,
  user_id     text not null references users (id) on delete cascade,
  emoji       text not null check (length(emoji) between 1 and 64),
  created_at  timestamptz(3) not null default now(),
  primary key (message_id, user_id, emoji)
);

create table room_encryption_keys (
  room_id      uuid not null references chat_rooms (id) on delete cascade,
  key_version  integer not null,
  wrapped_key  text not null,
  created_at   timestamptz(3) not null default now(),
  primary key (room_id, key_version)
);

create table user_presence (
  user_id         text primary key references users (id) on delete cascade,
  status          text not null default 'offline' check (status in ('online', 'away', 'offline')),
  last_seen_at    timestamptz(3),
  status_message  text
);

create table room_events (
  room_id     uuid not null references chat_rooms (id) on delete cascade,
  seq         bigint not null,
  kind        text not null,
  data        jsonb not null default '{}'::jsonb,
  created_at  timestamptz(3) not null default now(),
  -- Also the index for resume: events of a room after a seq.
  primary key (room_id, seq)
);
