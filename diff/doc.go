// Package diff compares two canonical texts of a page and says what changed.
//
// Its one job: given the old and the new canonical text (see
// extract.Document.Canonical: header lines, a blank line, then one paragraph
// per line separated by blank lines), return a [Change] that lists every
// line as kept, removed or added, refines edited paragraphs word by word,
// counts what changed ([Stats]), and renders it as a unified diff
// ([Change.Unified]) or for a colour terminal ([Change.Terminal]).
//
// # Algorithm
//
//  1. Lines. Both texts are reduced to one rune per distinct line
//     (diffmatchpatch DiffLinesToChars). The non-blank lines alone are
//     diffed first (DiffMainRunes); their common lines are anchors, and the
//     lines between two anchors, blank ones included, are diffed next and
//     expanded back with DiffCharsToLines. Diffing paragraphs before blank
//     lines keeps the blank separators from steering the alignment: in one
//     pass, a paragraph removed in the middle and another added at the end
//     can come out as the last paragraph removed and added again. A line is
//     compared with its trailing newline, so "x" at the end of a text
//     without a final newline differs from "x\n"; the renderers mark it as
//     GNU diff does ("\ No newline at end of file").
//  2. Pairing. Each run of removed and added lines between two kept lines is
//     searched for removed/added pairs that are edits of one another. Header
//     fields ("# " headline, "By: ", "Published: ", "Updated: ", before the
//     first blank line) pair with the same field whatever their content.
//     Other lines pair when their word-level similarity is at least one half:
//     candidates are ranked with a cheap bag-of-words Dice coefficient (an
//     upper bound of the word diff's similarity) and an order-preserving
//     alignment (dynamic programming on runs up to 64 × 64 lines; on larger
//     runs, such as a rewritten page, a forward window of 8 lines and a
//     word-pair Dice gate), then confirmed on the word diff itself
//     (2 × equal tokens / all tokens, spaces not counted). Blank lines never
//     pair and never count as paragraphs.
//  3. Words. A pair is diffed on tokens: runs of letters and digits (with
//     inner apostrophes; each Han, Hiragana or Katakana character alone),
//     runs of spaces, and runs of other characters. Tokens are mapped to one
//     rune each, like DiffLinesToChars does for lines, diffed with
//     DiffMainRunes and tidied with DiffCleanupSemantic, so word changes are
//     reported as whole tokens.
//
// In [Change.Lines] a paired removed line is immediately followed by its
// added counterpart; the relative order of removed lines and of added lines
// is that of the texts, so the unified diff stays valid.
//
// Texts are compared byte for byte: no Unicode or whitespace normalisation
// happens here (the extractor already did it), and a carriage return, which
// canonical texts never contain, is kept as part of its line. Invalid UTF-8
// is carried through unchanged. go-diff stops refining past a deadline (one
// second for the line diffs of a Compare, 100 ms for each word diff) and
// falls back to a coarser but still correct diff, so pathological inputs
// stay bounded in time; only such inputs can give results that depend on
// the machine's speed.
//
// # Classification
//
// [Classify] names the kind of edit a new revision is, from the Change and
// the two texts, without diffing again. The header (the "# ", "By: ",
// "Published: " and "Updated: " lines before the first blank line) is told
// apart from the body, and white space alone never counts as a change.
// When several classes apply, the first of this list wins, in the order a
// newsroom reader cares about them: [ClassCorrection] (a correction,
// clarification, editor's note or update note appeared, in English,
// French, German, Spanish, Portuguese or Italian), [ClassMajorRewrite]
// (at least half of the old body's words or paragraphs are gone),
// [ClassHeadline], [ClassDeclaredUpdate] (the body changed and the
// Published or Updated date moved), [ClassAppendOnly] (paragraphs added at
// the start or the end of the body only, as on a live page),
// [ClassSilentEdit] (the body changed and no date moved) and
// [ClassMetadataOnly] (only the byline, the dates or white space changed).
// Equal texts, and a first capture (an empty old text), have no class.
//
// # What it does not do
//
// No I/O, no HTML, no storage, no notification: it takes two strings and
// returns values. It has no package-level mutable state and is safe for
// concurrent use.
package diff
