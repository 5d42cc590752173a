-- redline schema, version 5 (SQLite): the monitor's shortcut for skipping the
-- extraction of an unchanged page (store.WatchState.Shortcut), kept as
-- given; '' means none.

ALTER TABLE watches ADD COLUMN shortcut TEXT NOT NULL DEFAULT '';
