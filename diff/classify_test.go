package diff

import (
	"strings"
	"testing"
)

// story is a canonical text with a full header and five paragraphs.
const story = `# Council approves new tram line through city centre
By: Jane Smith
Published: 2024-03-07
Updated: 2024-03-07

The city council voted 31 to 12 on Thursday to approve a new tram line linking the railway station with the university campus.

Construction is expected to begin next spring and to cost about 240 million euros, according to the transport department.

Opposition councillors said the budget was unrealistic and called for an independent review of the plans.

Shop owners on Market Street, where the line will run, fear two years of roadworks will drive away customers.

The first trams are due to run in 2028.
`

// replace returns s with each old string replaced by its new string, and
// fails the test if one is missing.
func replace(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("text has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func TestClassify(t *testing.T) {
	const (
		updated    = "Updated: 2024-03-07"
		bumped     = "Updated: 2024-03-08"
		headline   = "# Council approves new tram line through city centre"
		firstPara  = "The city council voted 31 to 12 on Thursday"
		lastPara   = "The first trams are due to run in 2028.\n"
		correction = "Correction (8 March 2024): An earlier version of this article said the council vote was 31 to 21. It was 31 to 12."
	)
	appendPara := func(p string) string { return story + "\n" + p + "\n" }
	prependPara := func(p string) string {
		return strings.Replace(story, "\n\n"+firstPara, "\n\n"+p+"\n\n"+firstPara, 1)
	}
	rewritten := `# Council approves new tram line through city centre
By: Jane Smith
Published: 2024-03-07
Updated: 2024-03-07

A divided council backed the tram project late on Thursday after a heated four-hour debate.

Supporters hailed a historic day for public transport in the region.

Critics, led by the mayor's former deputy, warned that residents would pay for overruns for decades.

Traders promised to fight the decision in court.

Officials hope passengers can ride by 2028.
`

	tests := []struct {
		name     string
		old, new string
		want     Class
	}{
		// No class.
		{"equal", story, story, ""},
		{"first capture", "", story, ""},
		{"both empty", "", "", ""},

		// Metadata only.
		{"updated bumped", story, replace(t, story, updated, bumped), ClassMetadataOnly},
		{"byline changed", story, replace(t, story, "By: Jane Smith", "By: Jane Smith and Tom Brown"), ClassMetadataOnly},
		{"published and updated moved", story, replace(t, story, "Published: 2024-03-07", "Published: 2024-03-06", updated, bumped), ClassMetadataOnly},
		{"updated appears", replace(t, story, updated+"\n", ""), story, ClassMetadataOnly},
		{"byline disappears", story, replace(t, story, "By: Jane Smith\n", ""), ClassMetadataOnly},
		{"page title appears", story, replace(t, story, "city centre\n", "city centre\nPage title: Tram line approved: what changes for you\n"), ClassMetadataOnly},
		{"structured copy edited alone", replace(t, story, updated+"\n", updated+"\nStructured data: Work starts in May.\n"),
			replace(t, story, updated+"\n", updated+"\nStructured data: Work starts in June.\n"), ClassMetadataOnly},
		{"structured copy differs in a sentence", story, replace(t, story, updated+"\n", updated+"\nStructured data: Construction is expected to begin next spring.\n"), ClassMetadataOnly},

		// White space only.
		{"blank line added", story, replace(t, story, "\n\nThe first trams", "\n\n\nThe first trams"), ClassMetadataOnly},
		{"tab and a space in a paragraph", story, replace(t, story, "voted 31 to 12", "voted 31\tto 12", "in 2028.\n", "in 2028. \n"), ClassMetadataOnly},

		// Typographic variants only: no change at all (a run of spaces folds
		// to one space, so a doubled space is no longer metadata-only).
		{"double space in a paragraph", story, replace(t, story, "voted 31 to 12", "voted  31 to 12"), ""},
		{"curly apostrophe in the body", replace(t, story, "Shop owners", "Shop's owners"), replace(t, story, "Shop owners", "Shop’s owners"), ""},
		{"curly quotes and nbsp in the headline", replace(t, story, "new tram line", `"new" tram line`), replace(t, story, "new tram line", "\u201cnew\u201d tram\u00a0line"), ""},
		{"ellipsis and soft hyphen in the byline", replace(t, story, "By: Jane Smith", "By: Jane Smith..."), replace(t, story, "By: Jane Smith", "By: Jane Smi\u00adth\u2026"), ""},
		{"en dash and NFD", replace(t, story, "31 to 12", "31-12", "Market Street", "Café Street"), replace(t, story, "31 to 12", "31\u201312", "Market Street", "Cafe\u0301 Street"), ""},
		{"typographic variants and a word", story, replace(t, story, "31 to 12", "31 to 13", "Shop owners", "Shop\u00a0owners"), ClassSilentEdit},
		{"typographic variants and updated bumped", story, replace(t, story, updated, bumped, "Shop owners", "Shop\u00a0owners"), ClassMetadataOnly},
		{"em dash is a change", story, replace(t, story, "according to", "— according to"), ClassSilentEdit},

		// Moves.
		{"existing correction moved, a space now no-break", appendPara(correction), replace(t, prependPara(correction), "An earlier", "An\u00a0earlier"), ClassSilentEdit},
		{"paragraph moved and updated bumped", story,
			replace(t, story, "Opposition councillors said the budget was unrealistic and called for an independent review of the plans.\n\n", "",
				lastPara, lastPara+"\nOpposition councillors said the budget was unrealistic and called for an independent review of the plans.\n", updated, bumped), ClassDeclaredUpdate},
		{"last paragraph moved to the top", story, replace(t, prependPara("The first trams are due to run in 2028."), "customers.\n\nThe first trams are due to run in 2028.\n", "customers.\n"), ClassSilentEdit},
		{"trailing space on a paragraph", story, replace(t, story, "in 2028.\n", "in 2028. \n"), ClassMetadataOnly},
		{"final newline removed", story, strings.TrimSuffix(story, "\n"), ClassMetadataOnly},
		{"space at the end of the headline", story, replace(t, story, "city centre\n", "city centre \n"), ClassMetadataOnly},

		// Headline.
		{"headline changed", story, replace(t, story, headline, "# Council narrowly approves tram line"), ClassHeadline},
		{"headline punctuation", story, replace(t, story, "city centre\n", "city centre!\n"), ClassHeadline},
		{"headline and one word of the body", story, replace(t, story, headline, "# Council backs tram line", "next spring", "next autumn"), ClassHeadline},
		{"headline and updated bumped", story, replace(t, story, headline, "# Council backs tram line", updated, bumped), ClassHeadline},
		{"headline, updated bumped and a paragraph added", story,
			replace(t, appendPara("The mayor welcomed the vote."), headline, "# Council backs tram line", updated, bumped), ClassHeadline},
		{"headline appears", replace(t, story, headline+"\n", ""), story, ClassHeadline},

		// Declared update.
		{"updated bumped and a word changed", story, replace(t, story, updated, bumped, "240 million", "260 million"), ClassDeclaredUpdate},
		{"updated bumped and a paragraph appended", story, replace(t, appendPara("The mayor welcomed the vote."), updated, bumped), ClassDeclaredUpdate},
		{"published moved and a paragraph removed", story,
			replace(t, story, "Published: 2024-03-07", "Published: 2024-03-08", "The first trams are due to run in 2028.\n", "", "customers.\n\n", "customers.\n"), ClassDeclaredUpdate},
		{"updated appears with a body edit", replace(t, story, updated+"\n", ""), replace(t, story, "next spring", "next autumn"), ClassDeclaredUpdate},

		// Append only.
		{"paragraph appended", story, appendPara("The mayor welcomed the vote and thanked residents for their patience."), ClassAppendOnly},
		{"two paragraphs appended", story, appendPara("The mayor welcomed the vote.\n\nA public consultation opens in May."), ClassAppendOnly},
		{"paragraph prepended", story, prependPara("LIVE: follow the council debate as it happens."), ClassAppendOnly},
		{"prepended and appended, byline changed", story,
			replace(t, prependPara("Latest: the vote is in.")+"\nMore to follow.\n", "By: Jane Smith", "By: Live team"), ClassAppendOnly},
		{"body appears under a header", strings.SplitN(story, "\n\n", 2)[0] + "\n", story, ClassAppendOnly},
		{"body and dates appear under a headline", "# Council approves new tram line through city centre\n", story, ClassDeclaredUpdate},

		// Silent edit.
		{"one word changed", story, replace(t, story, "240 million", "260 million"), ClassSilentEdit},
		{"punctuation changed", story, replace(t, story, "campus.", "campus!"), ClassSilentEdit},
		{"paragraph removed", story, replace(t, story, "The first trams are due to run in 2028.\n", "", "customers.\n\n", "customers.\n"), ClassSilentEdit},
		{"paragraph inserted in the middle", story, replace(t, story, "\n\nShop owners", "\n\nThe mayor welcomed the vote.\n\nShop owners"), ClassSilentEdit},
		{"paragraph moved", story,
			replace(t, story, "Opposition councillors said the budget was unrealistic and called for an independent review of the plans.\n\n", "",
				lastPara, lastPara+"\nOpposition councillors said the budget was unrealistic and called for an independent review of the plans.\n"), ClassSilentEdit},
		{"paragraph appended and another edited", story, replace(t, appendPara("The mayor welcomed the vote."), "next spring", "next autumn"), ClassSilentEdit},
		{"byline changed and a word edited", story, replace(t, story, "By: Jane Smith", "By: Tom Brown", "31 to 12", "31 to 11"), ClassSilentEdit},

		// Correction.
		{"correction appended", story, appendPara(correction), ClassCorrection},
		{"correction appended and updated bumped", story, replace(t, appendPara(correction), updated, bumped), ClassCorrection},
		{"correction appended with the fix in the body", story, replace(t, appendPara(correction), "voted 31 to 12", "voted 31 to 21"), ClassCorrection},
		{"correction with a headline change", story, replace(t, appendPara(correction), headline, "# Council backs tram line"), ClassCorrection},
		{"correction with a rewrite", story, rewritten + "\n" + correction + "\n", ClassCorrection},
		{"correction at the top", story, prependPara("CORRECTION: An earlier version of this article misstated the cost of the project."), ClassCorrection},
		{"correction in the middle", story, replace(t, story, "\n\nShop owners", "\n\nClarification: the review would be carried out by the regional audit office.\n\nShop owners"), ClassCorrection},
		{"editor's note", story, prependPara("Editor’s note: This article has been updated to include the reaction of shop owners."), ClassCorrection},
		{"bracketed editors' note", story, appendPara("[Editors' Note — The transport department has since revised its cost estimate.]"), ClassCorrection},
		{"update at the end", story, appendPara("Update: The regional government said on Friday it would fund a third of the cost."), ClassCorrection},
		{"numbered update at the top", story, prependPara("UPDATE 2, 14:05 GMT: Opposition councillors have lodged an appeal."), ClassCorrection},
		{"guardian style amendment", story, appendPara("This article was amended on 8 March 2024 to correct the result of the vote."), ClassCorrection},
		{"earlier version", story, appendPara("An earlier version of this story gave the wrong cost for the project."), ClassCorrection},
		{"correction paragraph reworded", appendPara(correction), appendPara(correction + " The cost was also misstated."), ClassCorrection},
		{"rectificatif", story, appendPara("Rectificatif : une version précédente de cet article indiquait un coût erroné."), ClassCorrection},
		{"korrektur", story, appendPara("Korrektur: In einer früheren Version hieß es, die Abstimmung sei knapp gewesen."), ClassCorrection},
		{"corrección", story, appendPara("Corrección: una versión anterior de este artículo indicaba un coste equivocado."), ClassCorrection},
		{"correção", story, appendPara("Correção (8/3/2024): uma versão anterior desta reportagem informava um custo errado."), ClassCorrection},
		{"mise à jour at the end", story, appendPara("Mise à jour : la région annonce qu'elle financera un tiers du projet."), ClassCorrection},

		// Not corrections.
		{"corrections officers", story, appendPara("Corrections officers said on Friday: the prison will not be affected by the works."), ClassAppendOnly},
		{"correctional", story, appendPara("Correctional services: no changes are planned for the prison on the route."), ClassAppendOnly},
		{"update in the middle", story, replace(t, story, "\n\nShop owners", "\n\nUpdate: the vote was delayed by an hour.\n\nShop owners"), ClassSilentEdit},
		{"update that is only a date", story, appendPara("Update: 8 March 2024, 14:00"), ClassAppendOnly},
		{"updated dateline in the body", story, appendPara("Updated: 8 March 2024 at 14:00 in the afternoon"), ClassAppendOnly},
		{"correction without text", story, appendPara("Correction:"), ClassAppendOnly},
		{"existing correction kept, body edited", appendPara(correction), replace(t, appendPara(correction), "next spring", "next autumn"), ClassSilentEdit},
		{"existing correction moved to the top", appendPara(correction), prependPara(correction), ClassSilentEdit},
		{"correction removed", appendPara(correction), story, ClassSilentEdit},
		{"correction in the headline", story, replace(t, story, headline, "# Correction: council approves tram line"), ClassHeadline},

		// Major rewrite.
		{"body rewritten", story, rewritten, ClassMajorRewrite},
		{"body rewritten and updated bumped", story, replace(t, rewritten, updated, bumped), ClassMajorRewrite},
		{"body rewritten and headline changed", story, replace(t, rewritten, headline, "# Divided council backs tram"), ClassMajorRewrite},
		{"body emptied", story, "# Council approves new tram line through city centre\nBy: Jane Smith\nPublished: 2024-03-07\nUpdated: 2024-03-07\n", ClassMajorRewrite},
		{"everything emptied", story, "", ClassMajorRewrite},
		{"half the paragraphs removed", story,
			replace(t, story, "\n\nThe first trams are due to run in 2028.", "",
				"\n\nShop owners on Market Street, where the line will run, fear two years of roadworks will drive away customers.", "",
				"\n\nOpposition councillors said the budget was unrealistic and called for an independent review of the plans.", ""), ClassMajorRewrite},
		{"two paragraphs of four removed, few words", "# T\n\nA long first paragraph with many words in it to weigh the body down, on and on and on.\n\nShort.\n\nAlso short.\n\nA long last paragraph with many words in it to weigh the body down, on and on and on.\n",
			"# T\n\nA long first paragraph with many words in it to weigh the body down, on and on and on.\n\nA long last paragraph with many words in it to weigh the body down, on and on and on.\n", ClassMajorRewrite},
		{"all paragraphs reordered", "# T\n\nOne two three four.\n\nFive six seven eight.\n\nNine ten eleven twelve.\n",
			"# T\n\nNine ten eleven twelve.\n\nFive six seven eight.\n\nOne two three four.\n", ClassSilentEdit},

		// Texts without a header (selector, text and raw modes).
		{"no header: price changed", "Price: €249.00\n", "Price: €229.00\n", ClassSilentEdit},
		{"no header: short status replaced", "All systems operational\n", "Partial outage in Europe\n", ClassSilentEdit},
		{"no header: entry appended", "2024-03-01 Release 1.2\n\n2024-02-01 Release 1.1\n", "2024-03-01 Release 1.2\n\n2024-02-01 Release 1.1\n\n2024-01-01 Release 1.0\n", ClassAppendOnly},
		{"no header: entry prepended", "2024-03-01 Release 1.2\n\n2024-02-01 Release 1.1\n", "2024-04-01 Release 1.3\n\n2024-03-01 Release 1.2\n\n2024-02-01 Release 1.1\n", ClassAppendOnly},
		{"no header: rewritten", strings.SplitN(story, "\n\n", 2)[1], strings.SplitN(rewritten, "\n\n", 2)[1], ClassMajorRewrite},
		{"no header: correction", "The bridge will reopen on Monday.\n", "The bridge will reopen on Tuesday.\n\nCorrection: an earlier version gave the wrong day.\n", ClassCorrection},
		{"no header: blank lines", "a\n\nb\n", "a\n\n\nb\n", ClassMetadataOnly},
		{"header gained", strings.SplitN(story, "\n\n", 2)[1], story, ClassHeadline},
		{"header lost", story, strings.SplitN(story, "\n\n", 2)[1], ClassHeadline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.old, tt.new)
			got := Classify(tt.old, tt.new, c)
			if got != tt.want {
				t.Errorf("Classify() = %q, want %q\n%s", got, tt.want, c.Unified("old", "new", 0))
			}
			if lazy := Classify(tt.old, tt.new, Change{}); lazy != got {
				t.Errorf("Classify(Change{}) = %q, Classify(Compare()) = %q", lazy, got)
			}
		})
	}
}

func TestClassDescribe(t *testing.T) {
	classes := []Class{
		ClassCorrection, ClassMajorRewrite, ClassHeadline, ClassDeclaredUpdate,
		ClassAppendOnly, ClassSilentEdit, ClassMetadataOnly,
	}
	seen := make(map[string]bool)
	for _, c := range classes {
		d := c.Describe()
		if d == "" || d == string(c) || seen[d] {
			t.Errorf("%q.Describe() = %q: empty, the class itself or a duplicate", c, d)
		}
		seen[d] = true
	}
	if got, want := ClassSilentEdit.Describe(), "silent edit: the body changed and no date moved"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
	if got := Class("").Describe(); got != "" {
		t.Errorf(`Class("").Describe() = %q, want ""`, got)
	}
	if got := Class("other").Describe(); got != "other" {
		t.Errorf(`Class("other").Describe() = %q, want "other"`, got)
	}
}

// FuzzClassify checks, for any two strings, that Classify does not panic,
// and that it returns "" exactly when the old text is empty or Compare
// finds the texts Equal, and a known Class otherwise.
func FuzzClassify(f *testing.F) {
	seeds := [][2]string{
		{"", ""},
		{"", "a\n"},
		{"a\n", ""},
		{"a\n\nb\n", "a\n\n\nb\n"},
		{story, story},
		{story, strings.Replace(story, "Updated: 2024-03-07", "Updated: 2024-03-08", 1)},
		{story, story + "\nCorrection: An earlier version of this article was wrong.\n"},
		{story, strings.Replace(story, "# Council", "# City council", 1)},
		{"# T\nBy: x\n", "# T\nBy: y\n\nUpdate: now it is done.\n"},
		{"By: a\nbody\n\nmore\n", "By: b\nbody\n\nmore\n\n"},
		{"x\r\n\r\nCorrection:\xff a b c\n", "x\r\n\r\n"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	known := map[Class]bool{
		ClassCorrection: true, ClassMajorRewrite: true, ClassHeadline: true, ClassDeclaredUpdate: true,
		ClassAppendOnly: true, ClassSilentEdit: true, ClassMetadataOnly: true,
	}
	f.Fuzz(func(t *testing.T, old, new string) {
		c := Compare(old, new)
		got := Classify(old, new, c)
		switch {
		case old == "" || c.Equal():
			if got != "" {
				t.Fatalf("Classify() = %q, want \"\" (old empty %v, Equal %v)", got, old == "", c.Equal())
			}
		case !known[got]:
			t.Fatalf("Classify() = %q, not a known class", got)
		}
		_ = got.Describe()
	})
}

func BenchmarkClassify(b *testing.B) {
	old := benchArticle(1, 2<<20)
	for _, bc := range []struct{ name, new string }{
		{"2MB/few-edits", fewEdits(old)},
		{"2MB/rewrite", benchArticle(2, 2<<20)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := Compare(old, bc.new)
			b.ReportAllocs()
			for b.Loop() {
				_ = Classify(old, bc.new, c)
			}
		})
	}
}
