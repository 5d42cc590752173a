// Package checkstate holds the rules of store.Store.RecordCheck that do not
// depend on the database engine: which CheckResults are valid, and how the
// watch state changes with each outcome (including OutcomeFlapping, a change
// that did not reproduce on confirmation: no revision, errors reset,
// validators kept, Flaps counted).
//
// Every engine calls Validate before it opens a transaction and Next inside
// it, so the engines cannot drift apart on these rules; the storetest suite
// checks the result through each engine. checkstate does no I/O.
package checkstate
