-- redline schema, version 8 (PostgreSQL): the article's own publication
-- date in the newest revision (store.WatchState.Published); NULL when the
-- page gives none. The adaptive schedule reads an article's age from it.

ALTER TABLE watches ADD COLUMN published_at timestamptz;
