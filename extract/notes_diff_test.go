package extract_test

import (
	"testing"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/extract"
)

// TestNoteRulesMatchDiff checks that extract recognises correction notes
// as diff.Classify does: extract restates diff's rules because it may not
// import diff (only this test does). A paragraph appended at the end of a
// body is a note for Classify exactly when it is one for extract at an
// edge; in the middle of the body, when it is one away from the edges.
func TestNoteRulesMatchDiff(t *testing.T) {
	const head = "# Headline\n\n"
	for _, p := range []string{
		"Correction: An earlier version of this article misstated the date.",
		"CORRECTION (March 8, 2024): The vote was seven to four.",
		"* Editor’s note: this article was amended on 8 March.",
		"[Clarification — The budget covers two years.]",
		"Editors' note, March 8: The headline was changed today.",
		"Rectificatif : une version précédente de cet article comportait une erreur.",
		"Anmerkung der Redaktion: In einer früheren Version hieß es falsch.",
		"Fe de errores: una versión anterior de este artículo decía otra cosa.",
		"Nota da redação: uma versão anterior deste texto estava errada.",
		"Rettifica: una versione precedente diceva altro.",
		"An earlier version of this story gave the wrong date.",
		"This article has been amended to remove a name.",
		"Update: The mayor signed the budget on Wednesday.",
		"Mise à jour : le maire a signé le budget mercredi.",
		"Update: 8 March 2024",
		"Correction: yes",
		"Correction of the record is overdue, he said.",
		"Corrections officers went on strike on Monday morning.",
		"Correction 2: The vote was seven to four, not eight.",
		"Correction (unclosed: the parenthesis never closes here",
		"訂正：記事の一部を修正しました",
		"Correction: 記事の一部を修正しました",
		"The council will vote again next week on the remaining items.",
	} {
		for _, atEdge := range []bool{true, false} {
			oldText := head + "First paragraph of the story.\n\nSecond paragraph of the story.\n"
			newText := head + "First paragraph of the story.\n\n" + p + "\n\nSecond paragraph of the story.\n"
			if atEdge {
				newText = head + "First paragraph of the story.\n\nSecond paragraph of the story.\n\n" + p + "\n"
			}
			byDiff := diff.Classify(oldText, newText, diff.Compare(oldText, newText)) == diff.ClassCorrection
			if got := extract.IsNote(p, atEdge); got != byDiff {
				t.Errorf("IsNote(%q, atEdge=%v) = %v, diff.Classify says %v", p, atEdge, got, byDiff)
			}
		}
	}
}
