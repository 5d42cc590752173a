// Package sqlmigrate loads the numbered SQL migrations that each store
// engine embeds, and decides which one runs next.
//
// A migration is a file NNNN_name.sql (NNNN from 0001, without gaps) applied
// in one transaction. Applying it is the engine's job, since locking and
// version bookkeeping are dialect-specific; sqlmigrate only reads the files,
// checks their numbering, and refuses a database whose schema is newer than
// the code (store.ErrSchemaTooNew). It never rewrites or skips a migration.
package sqlmigrate
