package notes

import (
	"strings"
	"testing"
)

func TestIs(t *testing.T) {
	tests := []struct {
		p    string
		edge bool
		want bool
	}{
		{"Correction: An earlier version of this article misspelt a name.", false, true},
		{"Correction (8 March 2024): An earlier version of this article …", false, true},
		{"Correction, March 8: The vote was 31 to 12, not 31 to 21.", false, true},
		{"Correction 2: The vote was seven to four, not eight.", false, true},
		{"CORRECTION (March 8, 2024): The vote was seven to four.", false, true},
		{"Corrections: Two names were misspelt in an earlier version.", false, true},
		{"*Correction - A photo caption misidentified the mayor.", false, true},
		{"(Clarification: the review is independent of the council.)", false, true},
		{"[Clarification — The budget covers two years.]", false, true},
		{"Editor's Note (March 8, 2024): This story has been updated.", false, true},
		{"EDITOR’S NOTE: Names have been changed to protect the sources.", false, true},
		{"* Editor’s note: this article was amended on 8 March.", false, true},
		{"Editors' note, March 8: The headline was changed today.", false, true},
		{"Rectificatif : le coût du projet était erroné dans une version précédente.", false, true},
		{"Rectificatif : une version précédente de cet article", false, true},
		{"Anmerkung der Redaktion: Dieser Artikel wurde am Freitag aktualisiert.", false, true},
		{"Fe de errores: la cifra correcta es de 240 millones.", false, true},
		{"Nota da redação: o texto foi atualizado com novas informações.", false, true},
		{"Rettifica: nella versione precedente il costo era sbagliato.", false, true},
		{"A previous version of this article misstated the cost.", false, true},
		{"An earlier version of this story gave the wrong date.", false, true},
		{"This story has been corrected to show the right date.", false, true},
		{"This article has been amended to remove a name.", false, true},
		{"Correction: 記事の一部を修正しました", false, true}, // one word per ideograph

		// The update labels count only at the edges of the body.
		{"Update: the vote was delayed by an hour.", true, true},
		{"Update: the vote was delayed by an hour.", false, false},
		{"Aktualisierung, 14 Uhr: Die Abstimmung wurde verschoben.", true, true},
		{"Mise à jour : le maire a signé le budget mercredi.", true, true},
		{"Mise à jour : le maire a signé le budget mercredi.", false, false},
		{"Update: 8 March 2024", true, false},
		{"Updated: the vote was delayed by an hour.", true, false},
		{"Updates to the timetable will follow: trams every five minutes.", true, false},

		{"Correction officers were called in the afternoon.", false, false},
		{"Corrections officers went on strike on Monday morning.", true, false},
		{"Correction of the record is overdue, he said.", true, false},
		{"Correctional officers: three were injured on duty.", false, false},
		{"The correction: markets fell on the news of the vote.", false, false},
		{"Correction: typo.", false, false},
		{"Correction: yes", true, false},
		{"Correction (this line never closes: it goes on and on and on and on and on", false, false},
		{"Correction " + strings.Repeat("x", 100) + ": an earlier version was wrong.", false, false},
		{"訂正：記事の一部を修正しました", true, false},
		{"訂正: 記事を修正しました", false, false},
		{"The council will vote again next week on the remaining items.", true, false},
		{"", true, false},
		{"\xff\xfeCorrection: \xffan earlier version was wrong.", false, true},

		// Words are counted as the diff package counts them: an ideograph
		// that is not a letter is a word without one, and an invalid byte
		// ends a word, also past the first 200 bytes (extract's copy of the
		// rule counted "〇" and dropped invalid bytes there).
		{"Correction: 〇〇〇", false, false},
		{"Correction: ⺀ ⺁ ⺂", false, false},
		{"Correction: ab\xffc " + strings.Repeat("x", 200), false, true},
		{"Correction\xff: the vote was wrong " + strings.Repeat("x", 200), false, false},
		// A rune cut at byte 200 is dropped, not read as a letter.
		{"Correction: a b" + strings.Repeat(" ", 184) + "é", false, false},
		{"Correction: a b c" + strings.Repeat(" ", 182) + "é", false, true},
	}
	for _, tt := range tests {
		if got := Is(tt.p, tt.edge); got != tt.want {
			t.Errorf("Is(%q, %v) = %v, want %v", tt.p, tt.edge, got, tt.want)
		}
	}
}

func TestLetterWords(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"the vote was", 3},
		{"8 March 2024", 1},
		{"don't l’été", 2},
		{"a'漢", 2},
		{"記事を", 3},
		{"〇〇 ⺀", 0},
		{"e\u0301t\u0301e\u0301 é", 2},
		{"ab\xffcd", 2},
		{"1 2 3 -- !!", 0},
	} {
		if got := letterWords(tc.s, 100); got != tc.want {
			t.Errorf("letterWords(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	if got := letterWords("one two three four five", 3); got != 3 {
		t.Errorf("letterWords with limit 3 = %d, want 3", got)
	}
}

// FuzzIs checks that Is never panics and that the edge only adds notes.
func FuzzIs(f *testing.F) {
	f.Add("Correction: An earlier version of this article misspelt a name.")
	f.Add("Update: the vote was delayed by an hour.")
	f.Add("Correction (8 March 2024): " + strings.Repeat("é", 100))
	f.Add("\xff\xfeCorrection: \xffan earlier version was wrong.")
	f.Fuzz(func(t *testing.T, p string) {
		if Is(p, false) && !Is(p, true) {
			t.Fatalf("Is(%q) is true in the middle and false at an edge", p)
		}
	})
}
