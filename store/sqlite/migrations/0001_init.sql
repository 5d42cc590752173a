-- redline schema, version 1 (SQLite).
--
-- Times are INTEGER microseconds since the Unix epoch (UTC); NULL means
-- "never". Tags, extraction settings and documents are JSON text.

CREATE TABLE watches (
    -- AUTOINCREMENT: the ID of a deleted watch is never given to another,
    -- so links and logs that name an ID keep meaning one watch.
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    url                TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL DEFAULT '',
    tags               TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    extract            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(extract)),
    source             TEXT    NOT NULL DEFAULT 'cli',
    paused             INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    skip_confirm       INTEGER NOT NULL DEFAULT 0 CHECK (skip_confirm IN (0, 1)), -- record changes without a confirming fetch
    created_at         INTEGER NOT NULL,

    -- Check state, maintained by RecordCheck.
    etag               TEXT    NOT NULL DEFAULT '',
    last_modified      TEXT    NOT NULL DEFAULT '',
    body_hash          TEXT    NOT NULL DEFAULT '',
    last_check_at      INTEGER,
    last_change_at     INTEGER,
    last_error         TEXT    NOT NULL DEFAULT '',
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    revision_count     INTEGER NOT NULL DEFAULT 0, -- newest revisions.seq of the watch
    flaps              INTEGER NOT NULL DEFAULT 0, -- checks whose change did not reproduce on confirmation

    -- Scheduling and leases, reserved for the daemon (redline run) and
    -- multi-instance operation: not read or written by any store method yet.
    next_check_at      INTEGER,
    lease_owner        TEXT,
    lease_expires_at   INTEGER
) STRICT;

CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    watch_id     INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    fetched_at   INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    text_gz      BLOB    NOT NULL, -- canonical text, gzip (internal/textzip)
    document     TEXT,             -- extract.Document as JSON; NULL when none
    http_status  INTEGER NOT NULL,
    final_url    TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    class        TEXT    NOT NULL DEFAULT '', -- kind of edit, as the caller classified it; '' for the first revision
    UNIQUE (watch_id, seq)
) STRICT;

CREATE TABLE checks (
    id           INTEGER PRIMARY KEY,
    watch_id     INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    started_at   INTEGER NOT NULL,
    duration_us  INTEGER NOT NULL,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('new', 'changed', 'unchanged', 'not-modified', 'error', 'flapping')),
    http_status  INTEGER NOT NULL DEFAULT 0,
    error        TEXT    NOT NULL DEFAULT '',
    revision_seq INTEGER -- revisions.seq recorded by this check; NULL when none
) STRICT;

-- Newest checks of a watch first; also serves the ON DELETE CASCADE lookup.
CREATE INDEX checks_watch_newest ON checks (watch_id, started_at DESC, id DESC);
