-- redline schema, version 3 (PostgreSQL): scheduling. Each watch's schedule
-- (store.Watch.Schedule), and the columns reserved since version 1 put to
-- use by the scheduling methods (ClaimDue, RenewLease, ReleaseLease,
-- SetNextCheck, NextDue, CountDue).
--
-- schedule is its own column rather than a key of the extract jsonb: it is
-- not an extraction setting (extract holds store.Extraction, which package
-- extract interprets), and a column keeps it typed and queryable.

ALTER TABLE watches ADD COLUMN schedule text NOT NULL DEFAULT '';

COMMENT ON COLUMN watches.schedule IS 'schedule as the config spells it (e.g. @hourly, */15 * * * *, adaptive), kept as given; empty for the configured default';
COMMENT ON COLUMN watches.next_check_at IS 'when the watch is next due (ReleaseLease, SetNextCheck); NULL: never scheduled, due at once';
COMMENT ON COLUMN watches.lease_owner IS 'owner that claimed the watch (ClaimDue); NULL when none';
COMMENT ON COLUMN watches.lease_expires_at IS 'when lease_owner''s lease ends, set and cleared with it; after it another owner may claim the watch';

-- ClaimDue, NextDue and CountDue: the unpaused watches in due order.
CREATE INDEX watches_due ON watches (next_check_at NULLS FIRST, id) WHERE NOT paused;
