-- redline schema, version 4 (SQLite): health events (store.Event), the
-- transitions of a watch between ok and failing that RecordCheck records
-- for the notifications to deliver.
--
-- AUTOINCREMENT: an event's ID is never given to another, even after the
-- newest events went with their watch, so a dispatcher that remembers the
-- IDs it delivered never mistakes a new event for an old one.
--
-- Retention needs no schema change: PruneChecks and PruneRevisions delete
-- rows of checks and revisions; revisions.seq is never renumbered and
-- watches.revision_count stays the newest seq ever recorded.

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    watch_id           INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL CHECK (kind IN ('failing', 'recovered')),
    at                 INTEGER NOT NULL, -- started_at of the check that caused it
    error              TEXT    NOT NULL DEFAULT '', -- the check's error for 'failing'; '' for 'recovered'
    consecutive_errors INTEGER NOT NULL CHECK (consecutive_errors > 0) -- failed checks in a row at the transition
) STRICT;

-- Events: the newest events of a watch first; also serves the ON DELETE
-- CASCADE lookup.
CREATE INDEX events_watch_newest ON events (watch_id, at DESC, id DESC);
-- RecentEvents: the events of every watch from a time on, oldest first.
CREATE INDEX events_at ON events (at, id);
