// Package testsite renders realistic article pages for tests: the same
// story with the parts a real news site rotates between fetches (teaser
// lists, ad slots, generation stamps, comment counters) chosen by the
// caller, and optional real edits (a replaced or added paragraph, a new
// "Latest update" date). It is shared by the extractor's tests and the
// end-to-end tests; it does no I/O.
package testsite
