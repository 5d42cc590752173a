-- redline schema, version 8 (SQLite): the article's own publication date in
-- the newest revision (store.WatchState.Published), in microseconds since
-- the Unix epoch; NULL when the page gives none. The adaptive schedule
-- reads an article's age from it.

ALTER TABLE watches ADD COLUMN published_at INTEGER;
