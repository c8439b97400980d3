-- parley_write_batch_fast plans as PostgreSQL chooses again (sql/017 forced
-- generic plans on it).
--
-- Its statements read arrays and jsonb of the batch whose size varies from 1
-- to hundreds; their custom plans are worth the planning (the bench's
-- readers scenario, three runs each way: 7,991 delivered msgs/s with custom
-- plans against 4,002 with generic ones, and a lower p50). The functions it
-- calls keep generic plans of their own (parley_write_element: sql/017; the
-- set helpers: sql/015), since a function's SET applies only while it runs.
alter function parley_write_batch_fast(jsonb) reset plan_cache_mode;
