package extract

// IsNote exposes isNote to the external tests (notes_diff_test.go).
var IsNote = isNote
