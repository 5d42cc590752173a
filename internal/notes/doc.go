// Package notes recognises correction notes: the paragraphs a news site
// adds to an article when it corrects or clarifies it ("Correction: An
// earlier version of this article …", "Editor's note: …", "This story
// has been amended …"), in English, French, German, Spanish, Portuguese
// and Italian.
//
// Is is the one rule. diff.Classify uses it to tell a correction from a
// silent edit (a new body paragraph that is a note), and the extract
// package uses it to fill Document.Notes from the body of an article; the
// two must agree, which is why the rule lives here rather than in either.
//
// A paragraph is a note when, once leading punctuation such as "*", "["
// or "(" is skipped, it starts (case-insensitively, "’" read as "'") with
//   - a phrase such as "An earlier version of this" or "This article was
//     amended"; or
//   - a label such as "Correction", "Clarification", "Editor's note",
//     "Rectificatif", "Anmerkung der Redaktion", "Fe de errores", "Nota da
//     redação" or "Rettifica" (or "Update", "Mise à jour", "Aktualisierung",
//     "Actualización", "Atualização" or "Aggiornamento", but only when the
//     paragraph is the first or last of its body), then optionally a
//     parenthesis, then a lead of at most 60 bytes that is empty or starts
//     with a comma or a digit, then a colon or a dash, then at least 3
//     words holding a letter: "Correction (8 March 2024): The vote was …",
//     "Editors' note, March 8: …", "Rectificatif : …", but not "Update: 8
//     March 2024" nor "Corrections officers went on strike …".
//
// Only the first 200 bytes of a paragraph are read. Words are counted as
// the diff package counts them: a run of letters, digits and marks (an
// apostrophe between two letters stays inside it) or a single Han,
// Hiragana or Katakana character.
//
// notes is a leaf: it does no I/O and imports nothing of redline's.
package notes
