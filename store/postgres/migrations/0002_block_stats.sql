-- redline schema, version 2 (PostgreSQL): the monitor's statistics about the
-- blocks of each watch's page (store.WatchState.Blocks).
--
-- text rather than jsonb: the store never queries inside the stats, only
-- writes and reads the whole array; text keeps the value byte for byte as
-- SQLite does, costs no parse on every check, and takes any JSON string
-- (jsonb refuses a \u0000 escape).

ALTER TABLE watches ADD COLUMN blocks text NOT NULL DEFAULT '';

COMMENT ON COLUMN watches.blocks IS 'JSON array of store.BlockStat, replaced by RecordCheck when given; empty when none were recorded';
