-- redline schema, version 1 (PostgreSQL).

CREATE TABLE watches (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url                text        NOT NULL,
    name               text        NOT NULL DEFAULT '',
    tags               text[]      NOT NULL DEFAULT '{}',
    extract            jsonb       NOT NULL DEFAULT '{}',
    source             text        NOT NULL DEFAULT 'cli',
    paused             boolean     NOT NULL DEFAULT false,
    skip_confirm       boolean     NOT NULL DEFAULT false, -- record changes without a confirming fetch
    created_at         timestamptz NOT NULL,

    -- Check state, maintained by RecordCheck.
    etag               text        NOT NULL DEFAULT '',
    last_modified      text        NOT NULL DEFAULT '',
    body_hash          text        NOT NULL DEFAULT '',
    last_check_at      timestamptz,
    last_change_at     timestamptz,
    last_error         text        NOT NULL DEFAULT '',
    consecutive_errors integer     NOT NULL DEFAULT 0,
    revision_count     integer     NOT NULL DEFAULT 0,
    flaps              integer     NOT NULL DEFAULT 0,

    -- Scheduling and leases (see the column comments).
    next_check_at      timestamptz,
    lease_owner        text,
    lease_expires_at   timestamptz,

    CONSTRAINT watches_url_key UNIQUE (url)
);

-- ListWatches' tag filter (tags @> ARRAY[$1]).
CREATE INDEX watches_tags ON watches USING gin (tags);

COMMENT ON COLUMN watches.revision_count IS 'newest revisions.seq of the watch; the next revision is revision_count + 1';
COMMENT ON COLUMN watches.flaps IS 'checks whose change did not reproduce on confirmation (outcome flapping), since the watch was added';
COMMENT ON COLUMN watches.next_check_at IS 'reserved for the scheduler (redline run): not read or written by any store method yet';
COMMENT ON COLUMN watches.lease_owner IS 'reserved for multi-instance leases: not read or written by any store method yet';
COMMENT ON COLUMN watches.lease_expires_at IS 'reserved for multi-instance leases: not read or written by any store method yet';

CREATE TABLE revisions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watch_id     bigint      NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    seq          integer     NOT NULL CHECK (seq > 0),
    fetched_at   timestamptz NOT NULL,
    content_hash text        NOT NULL,
    text_gz      bytea       NOT NULL,
    document     jsonb,
    http_status  integer     NOT NULL,
    final_url    text        NOT NULL,
    summary      text        NOT NULL,
    class        text        NOT NULL DEFAULT '',
    CONSTRAINT revisions_watch_seq_key UNIQUE (watch_id, seq)
);

COMMENT ON COLUMN revisions.text_gz IS 'canonical text, gzip-compressed (internal/textzip)';
COMMENT ON COLUMN revisions.document IS 'extract.Document; NULL when none';
COMMENT ON COLUMN revisions.class IS 'kind of edit (e.g. silent-edit, headline, metadata-only) as the caller classified it; empty for the first revision';

-- text_gz is compressed already: skip PostgreSQL's own TOAST compression.
ALTER TABLE revisions ALTER COLUMN text_gz SET STORAGE EXTERNAL;

CREATE TABLE checks (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watch_id     bigint      NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    started_at   timestamptz NOT NULL,
    duration_us  bigint      NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('new', 'changed', 'unchanged', 'not-modified', 'error', 'flapping')),
    http_status  integer     NOT NULL DEFAULT 0,
    error        text        NOT NULL DEFAULT '',
    revision_seq integer
);

COMMENT ON COLUMN checks.revision_seq IS 'revisions.seq recorded by this check; NULL when none';

-- Newest checks of a watch first; also serves the ON DELETE CASCADE lookup.
CREATE INDEX checks_watch_newest ON checks (watch_id, started_at DESC, id DESC);
