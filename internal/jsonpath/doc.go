// Package jsonpath checks the syntax of gjson paths
// (github.com/tidwall/gjson), the JSON paths of json mode's select
// entries.
//
// gjson itself accepts any string: a bad path just matches nothing. Check
// reports what is wrong with a path instead, so that both the config
// loader (at load time, with the entry's position) and the extract
// package (when an extractor is built) refuse the same paths with the
// same messages.
//
// jsonpath is a leaf: it does no I/O and imports nothing of redline's, so
// every layer may use it (config included, which imports nothing else of
// ours).
package jsonpath
