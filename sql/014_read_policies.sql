-- Read policies without a function call per row (issue 12: GET /rooms in one query).
--
-- The read policies of 002 asked parley_is_member(room_id) of every row they
-- let through. It is a SECURITY DEFINER SQL function that runs a query, so
-- each call starts an executor of its own (about 20 µs): a page of 100 rooms
-- with their participants and last messages made some 500 such calls, most of
-- the request's time. The rule is unchanged — a member sees the room, its
-- participants, messages, reactions, keys and events — but it is now written
-- as a subquery that the planner joins like any other: an index probe on
-- (user_id, room_id) per row, or one hash of the caller's rooms per query,
-- whichever it estimates cheaper.
--
-- parley_my_rooms lists the caller's own memberships. A view runs with its
-- owner's rights, and the owner is not held by room_participants' policies
-- (NO FORCE, sql/003), so room_participants' own policy can use it without
-- recursing into itself — the same reason parley_is_member is SECURITY
-- DEFINER. parley_app may only read it (no insert/update through the view),
-- and it shows nothing parley_app could not read anyway: the caller's own
-- participant rows. The caller is read once per query (an InitPlan), not per row.
create view parley_my_rooms with (security_barrier) as
  select room_id from room_participants where user_id = (select parley_current_user());
grant select on parley_my_rooms to parley_app;

drop policy rooms_read on chat_rooms;
create policy rooms_read on chat_rooms for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = chat_rooms.id));

drop policy participants_read on room_participants;
create policy participants_read on room_participants for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = room_participants.room_id));

drop policy messages_read on chat_messages;
create policy messages_read on chat_messages for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = chat_messages.room_id));

drop policy reactions_read on message_reactions;
create policy reactions_read on message_reactions for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = message_reactions.room_id));

drop policy room_keys_read on room_encryption_keys;
create policy room_keys_read on room_encryption_keys for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = room_encryption_keys.room_id));

drop policy events_read on room_events;
create policy events_read on room_events for select to parley_app
  using (exists (select 1 from parley_my_rooms mine where mine.room_id = room_events.room_id));

-- "Any authenticated caller": the caller once per query, not once per row.
drop policy users_read on users;
create policy users_read on users for select to parley_app
  using ((select parley_current_user()) is not null);

drop policy presence_read on user_presence;
create policy presence_read on user_presence for select to parley_app
  using ((select parley_current_user()) is not null);
