-- redline schema, version 4 (PostgreSQL): health events (store.Event), the
-- transitions of a watch between ok and failing that RecordCheck records
-- for the notifications to deliver.
--
-- Retention needs no schema change: PruneChecks and PruneRevisions delete
-- rows of checks and revisions; revisions.seq is never renumbered and
-- watches.revision_count stays the newest seq ever recorded.

CREATE TABLE events (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watch_id           bigint      NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN ('failing', 'recovered')),
    at                 timestamptz NOT NULL,
    error              text        NOT NULL DEFAULT '',
    consecutive_errors integer     NOT NULL CHECK (consecutive_errors > 0)
);

COMMENT ON TABLE events IS 'health events: a watch became failing, or recovered; recorded by RecordCheck with the check that caused them';
COMMENT ON COLUMN events.at IS 'started_at of the check that caused the event';
COMMENT ON COLUMN events.error IS 'the check''s error for failing; empty for recovered';
COMMENT ON COLUMN events.consecutive_errors IS 'failed checks in a row at the transition: reached for failing, ended for recovered';
COMMENT ON COLUMN watches.revision_count IS 'newest revisions.seq ever recorded for the watch (PruneRevisions keeps that revision); the next revision is revision_count + 1';

-- Events: the newest events of a watch first; also serves the ON DELETE
-- CASCADE lookup.
CREATE INDEX events_watch_newest ON events (watch_id, at DESC, id DESC);
-- RecentEvents: the events of every watch from a time on, oldest first.
CREATE INDEX events_at ON events (at, id);
