-- redline schema, version 6 (PostgreSQL): the transactional outbox
-- (store.OutboxItem). RecordCheck writes one row per delivery a check asks
-- for (CheckResult.Notify) in the check's transaction, under the watch
-- row's lock; a dispatcher claims the due rows under a lease (ClaimOutbox,
-- FOR UPDATE SKIP LOCKED like ClaimDue) and reports each attempt
-- (FinishDelivery).
--
-- payload is text rather than jsonb, like watches.blocks: the store never
-- queries inside it, text keeps it byte for byte as SQLite does, costs no
-- parse, and takes any JSON string (jsonb refuses a \u0000 escape, which
-- would make a check unrecordable here and not in SQLite). RecordCheck
-- validates it.

CREATE TABLE outbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watch_id         bigint      NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    notifier         text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('new', 'changed', 'failing', 'recovered')),
    revision_seq     integer,
    event_id         bigint,
    key              text        NOT NULL,
    payload          text        NOT NULL,
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    sent_at          timestamptz,
    last_error       text        NOT NULL DEFAULT '',
    last_status      integer     NOT NULL DEFAULT 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    CONSTRAINT outbox_key_key UNIQUE (key),
    CONSTRAINT outbox_about_one CHECK ((revision_seq IS NULL) <> (event_id IS NULL))
);

COMMENT ON TABLE outbox IS 'transactional outbox: one delivery of one message through one notifier, written by RecordCheck with the check that caused it';
COMMENT ON COLUMN outbox.revision_seq IS 'revisions.seq the message is about (kinds new, changed); NULL for an event. Not a foreign key: the item outlives a pruned revision';
COMMENT ON COLUMN outbox.event_id IS 'events.id the message is about (kinds failing, recovered); NULL for a revision';
COMMENT ON COLUMN outbox.key IS 'idempotency key, the same on every attempt: <watch id>-<kind>-<seq or event id>-<notifier>';
COMMENT ON COLUMN outbox.payload IS 'the JSON object the monitor built, kept as given';
COMMENT ON COLUMN outbox.attempts IS 'delivery attempts finished (FinishDelivery); reset by RetryOutbox and RetryDead';
COMMENT ON COLUMN outbox.created_at IS 'started_at of the check that wrote it';
COMMENT ON COLUMN outbox.next_attempt_at IS 'when a pending item is next due: its NotBefore or the check''s start at first';
COMMENT ON COLUMN outbox.sent_at IS 'when it was delivered; NULL unless sent';
COMMENT ON COLUMN outbox.last_error IS 'the last failed attempt''s error (at most 2048 bytes); empty after success or before any attempt';
COMMENT ON COLUMN outbox.lease_owner IS 'dispatcher that claimed the item (ClaimOutbox); NULL when none';
COMMENT ON COLUMN outbox.lease_expires_at IS 'when lease_owner''s lease ends, set and cleared with it; after it another owner may claim the item';

-- ClaimOutbox and NextOutboxDue: the pending items in due order; also
-- RetryDead and CountOutbox, by state.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
-- ListOutbox by watch and revision, newest first; also serves the
-- ON DELETE CASCADE lookup.
CREATE INDEX outbox_watch ON outbox (watch_id, revision_seq, id);
