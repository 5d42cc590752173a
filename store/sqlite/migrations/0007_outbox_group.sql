-- redline schema, version 7 (SQLite): outbox groups (store.Notification.Group,
-- store.OutboxItem.Group), the items delivered together as one message (a
-- digest). '' means none; RecordCheck validates the rest (at most 200
-- bytes of valid UTF-8, no NUL). Rows written before this version have no
-- group.

ALTER TABLE outbox ADD COLUMN grp TEXT NOT NULL DEFAULT '';

-- ClaimOutbox, once it chose its items: the due, pending items of their
-- groups, in due order (the rowid follows next_attempt_at in every entry).
-- Partial: only grouped pending items, so ungrouped and finished ones cost
-- it nothing. Queries name both terms of the WHERE, as SQLite requires to
-- use it.
CREATE INDEX outbox_group ON outbox (grp, next_attempt_at) WHERE grp <> '' AND state = 'pending';
