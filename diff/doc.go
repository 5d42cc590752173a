// Package diff compares two canonical texts of a page and says what changed.
//
// Its one job: given the old and the new canonical text (see
// extract.Document.Canonical: header lines, a blank line, then one paragraph
// per line separated by blank lines), return a [Change] that lists every
// line as kept, removed or added, refines edited paragraphs word by word,
// marks the paragraphs that moved, counts what changed ([Stats]), lists the
// numbers that changed ([Change.Numbers]), and renders it as a unified diff
// ([Change.Unified]) or for a colour terminal ([Change.Terminal]).
//
// # Typographic variants
//
// Lines and words are compared in their folded form ([Fold]): curly quotes
// and apostrophes, the ellipsis, hyphens and the en dash, no-break and thin
// spaces (any run of white space), soft hyphens and zero-width characters,
// and Unicode NFC against NFD are no change. Guillemets, the em dash and
// every other punctuation are compared as they are. Two texts whose lines
// differ only so give a Change that is [Change.Equal], with zero Stats, no
// number change and no class; only [Change.Identical] tells them apart. A
// kept line whose bytes differ is an Equal line with the new text as Text,
// the old one as OldText, and Variant set; the unified diff writes it as
// removed and added so that it still patches old into new exactly, and the
// terminal shows it as a context line.
//
// # Algorithm
//
//  1. Lines. Both texts are reduced to one rune per distinct folded line,
//     its newline included (as go-diff's DiffLinesToChars does with exact
//     lines). The non-blank lines alone are diffed first (DiffMainRunes);
//     their common lines are anchors, and the lines between two anchors,
//     blank ones included, are diffed next. Diffing paragraphs before blank
//     lines keeps the blank separators from steering the alignment: in one
//     pass, a paragraph removed in the middle and another added at the end
//     can come out as the last paragraph removed and added again. A line is
//     compared with its trailing newline, so "x" at the end of a text
//     without a final newline differs from "x\n"; the renderers mark it as
//     GNU diff does ("\ No newline at end of file").
//  2. Pairing. Each run of removed and added lines between two kept lines is
//     searched for removed/added pairs that are edits of one another. Header
//     fields ("# " headline, "Page title: ", "By: ", "Published: ",
//     "Updated: ", before the first blank line) pair with the same field
//     whatever their content; "Structured data: " lines, which may repeat,
//     pair with each other as body lines do.
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
//     runs of spaces, and runs of other characters; soft hyphens and
//     zero-width characters belong to the token before them. Each distinct
//     folded token is mapped to one rune, like lines are, the runes diffed
//     with DiffMainRunes and tidied with DiffCleanupSemantic, so word
//     changes are reported as whole tokens, and a token changed only in a
//     typographic variant is in an Equal span (each side showing its own
//     bytes).
//  4. Moves. An unpaired removed paragraph whose folded text is that of an
//     unpaired added paragraph anywhere in the change moved: the removed
//     line gets MovedTo (the added line's number in the new text), the added
//     one MovedFrom (the removed line's number in the old text). Removed
//     lines are matched in order, each with the first such added line not
//     yet matched; header fields and blank lines never move. Moved
//     paragraphs count in [Stats].ParagraphsMoved, not as added or removed,
//     and their words are not counted; the terminal shows them in yellow
//     with a note, the unified diff as removed and added lines.
//  5. Numbers. [Change.Numbers] walks the word diff of each pair: where
//     removed and added text, widened to the whole number around it, are
//     both numbers (digits with "," "." or thin-space separators, an
//     optional sign, currency symbol or percent sign), it is a number change
//     such as "4 → 5". [Change.Summary] appends up to three of them to
//     [Stats.String], and [Change.OnlyNumbers] says whether they are all
//     that changed.
//
// In [Change.Lines] a paired removed line is immediately followed by its
// added counterpart; the relative order of removed lines and of added lines
// is that of the texts, so the unified diff stays valid.
//
// Apart from folding, texts are compared byte for byte; a carriage return,
// which canonical texts never contain, is white space and so folds to a
// space. Invalid UTF-8 is carried through unchanged and compared byte for
// byte. go-diff stops refining past a deadline (one second for the line
// diffs of a Compare, 100 ms for each word diff) and falls back to a
// coarser but still correct diff, so pathological inputs stay bounded in
// time; only such inputs can give results that depend on the machine's
// speed.
//
// # Classification
//
// [Classify] names the kind of edit a new revision is, from the Change and
// the two texts, without diffing again. The header (the "# ", "Page title: ",
// "By: ", "Published: ", "Updated: " and "Structured data: " lines before
// the first blank line) is told
// apart from the body, and neither white space nor typographic variants
// ever count as a change; a paragraph that moved is a change of the body.
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
// Equal texts (typographic variants aside) and a first capture (an empty
// old text) have no class.
//
// # What it does not do
//
// No I/O, no HTML, no storage, no notification: it takes two strings and
// returns values. It has no package-level mutable state and is safe for
// concurrent use.
package diff
