-- redline schema, version 7 (PostgreSQL): outbox groups
-- (store.Notification.Group, store.OutboxItem.Group), the items delivered
-- together as one message (a digest). '' means none; RecordCheck validates
-- the rest (at most 200 bytes of valid UTF-8, no NUL). Rows written before
-- this version have no group (a constant default: no table rewrite).

ALTER TABLE outbox ADD COLUMN grp text NOT NULL DEFAULT '';

COMMENT ON COLUMN outbox.grp IS 'group of items delivered as one message (a digest), claimed together by ClaimOutbox; empty for none';

-- ClaimOutbox, once it chose its items: the due, pending items of their
-- groups, in due order. Partial: only grouped pending items, so ungrouped
-- and finished ones cost it nothing. Queries name both terms of the WHERE,
-- so that generic plans, which cannot prove grp = $1 implies grp <> '',
-- use it too.
CREATE INDEX outbox_group ON outbox (grp, next_attempt_at, id) WHERE grp <> '' AND state = 'pending';
