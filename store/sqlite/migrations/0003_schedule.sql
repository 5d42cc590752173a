-- redline schema, version 3 (SQLite): scheduling. Each watch's schedule
-- (store.Watch.Schedule), and the columns reserved since version 1 put to
-- use by the scheduling methods (ClaimDue, RenewLease, ReleaseLease,
-- SetNextCheck, NextDue, CountDue):
--
--   next_check_at     when the watch is next due; NULL: never scheduled,
--                     due at once
--   lease_owner       the owner that claimed the watch; NULL when none
--   lease_expires_at  when that lease ends (set and cleared together with
--                     lease_owner); after it, another owner may claim the
--                     watch
--
-- schedule is its own column rather than a key of the extract JSON: it is
-- not an extraction setting (extract holds store.Extraction, which package
-- extract interprets), and a column keeps it typed and queryable.

ALTER TABLE watches ADD COLUMN schedule TEXT NOT NULL DEFAULT ''; -- as the config spells it; '' for the configured default

-- ClaimDue, NextDue and CountDue: the unpaused watches in due order. NULL
-- (never scheduled) sorts first, and the rowid (id) follows next_check_at in
-- every entry, which gives ClaimDue's whole ORDER BY.
CREATE INDEX watches_due ON watches (next_check_at) WHERE paused = 0;
