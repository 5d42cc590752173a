-- redline schema, version 9 (SQLite): the block statistics move out of the
-- watches table into a table of their own.
--
-- They are kilobytes per watch (8.6 KB on average on the newsroom bench's
-- news pages), more than a page of the file, so in the watches row they
-- went to overflow pages that every check's read and update of the small
-- check state had to walk and copy, although only a full extraction
-- changes them. A watch without a row here has none recorded.

CREATE TABLE watch_blocks (
    watch_id INTEGER PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
    blocks   TEXT    NOT NULL CHECK (json_valid(blocks) AND json_type(blocks) = 'array') -- JSON array of store.BlockStat, kept as given
) STRICT;

INSERT INTO watch_blocks (watch_id, blocks) SELECT id, blocks FROM watches WHERE blocks <> '';

ALTER TABLE watches DROP COLUMN blocks;
