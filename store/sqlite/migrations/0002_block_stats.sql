-- redline schema, version 2 (SQLite): the monitor's statistics about the
-- blocks of each watch's page (store.WatchState.Blocks).
--
-- blocks is the JSON array of store.BlockStat that RecordCheck was last
-- given, kept as given; '' (every watch before this migration, and those
-- never given any) means none were recorded.

ALTER TABLE watches ADD COLUMN blocks TEXT NOT NULL DEFAULT ''
    CHECK (blocks = '' OR (json_valid(blocks) AND json_type(blocks) = 'array'));
