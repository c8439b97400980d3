-- One generic plan for the write path's statements (docs/architecture.md, "The write path").
--
-- PL/pgSQL prepares each statement once per session, but a statement that uses
-- the function's variables is re-planned for every execution for as long as
-- the plan cache judges a custom plan cheaper than the generic one — and each
-- of those plannings inlines the SQL-language helpers (parley_current_user,
-- parley_batch_may_write, parley_iso), parsing their bodies again. perf on a
-- backend running read elements in a loop: the time was in the parser and the
-- planner; a read element cost 0.41 ms, 0.09 ms with generic plans, and a
-- batch of 32 reads 15 ms → 4.6 ms (pgbench, private cluster). The statements
-- here are key lookups whose best plan does not depend on the values.
-- A function's SET applies to everything it calls, helpers included.
alter function parley_write_batch_fast(jsonb) set plan_cache_mode = force_generic_plan;
alter function parley_write_batch(jsonb, boolean) set plan_cache_mode = force_generic_plan;
alter function parley_write_element(jsonb, timestamptz, bigint) set plan_cache_mode = force_generic_plan;
alter function parley_change_message(jsonb) set plan_cache_mode = force_generic_plan;
