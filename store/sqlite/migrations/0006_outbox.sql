-- redline schema, version 6 (SQLite): the transactional outbox
-- (store.OutboxItem). RecordCheck writes one row per delivery a check asks
-- for (CheckResult.Notify) in the check's transaction; a dispatcher claims
-- the due rows under a lease (ClaimOutbox, like ClaimDue for watches) and
-- reports each attempt (FinishDelivery).
--
-- AUTOINCREMENT: an item's ID is never given to another, even after the
-- newest items went with their watch.
--
-- revision_seq and event_id name what the message is about: the revision
-- (kinds 'new' and 'changed') or the health event ('failing',
-- 'recovered'); the other is NULL. Neither is a foreign key: an item
-- outlives a pruned revision, and stays about the same event.
--
-- payload is the JSON object the monitor built, as given. It has no
-- json_valid CHECK: RecordCheck validates it, and SQLite's JSON parser
-- refuses nesting Go's accepts, so both engines take the same payloads.
--
-- lease_owner and lease_expires_at are set and cleared together, as on
-- watches: set by ClaimOutbox, cleared by FinishDelivery; an expired lease
-- shows until its owner finishes or another owner claims the item.

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    watch_id         INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    notifier         TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('new', 'changed', 'failing', 'recovered')),
    revision_seq     INTEGER, -- revisions.seq for 'new' and 'changed'; NULL otherwise
    event_id         INTEGER, -- events.id for 'failing' and 'recovered'; NULL otherwise
    key              TEXT    NOT NULL UNIQUE, -- idempotency key: <watch id>-<kind>-<seq or event id>-<notifier>
    payload          TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- attempts finished
    created_at       INTEGER NOT NULL, -- started_at of the check that wrote it
    next_attempt_at  INTEGER NOT NULL, -- when a pending item is next due
    sent_at          INTEGER,          -- when it was delivered; NULL unless sent
    last_error       TEXT    NOT NULL DEFAULT '', -- the last failed attempt's error, at most 2048 bytes
    last_status      INTEGER NOT NULL DEFAULT 0,  -- the receiver's status code at the last attempt
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    CHECK ((revision_seq IS NULL) <> (event_id IS NULL))
) STRICT;

-- ClaimOutbox and NextOutboxDue: the pending items in due order (the rowid
-- follows next_attempt_at in every entry, which gives ClaimOutbox's whole
-- ORDER BY); also RetryDead and CountOutbox, by state.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- ListOutbox by watch and revision; also serves the ON DELETE CASCADE
-- lookup.
CREATE INDEX outbox_watch ON outbox (watch_id, revision_seq);
