package diff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// benchVocabulary is drawn from with a skewed distribution, so unrelated
// paragraphs share their common words as real prose does.
var benchVocabulary = strings.Fields(`the of and to in a is that for it as was with be by on not he
	this are or his from at which but have an they you were her she there would their we him been has
	when who will more no if out so said what up its about into than them can only other new some could
	time these two may then do first any my now such like our over man me even most made after also did
	many before must through back years where much your way well down should because each just those
	people president government minister talks crisis border troops diplomatic resolution conversation
	proposal Ukraine Russia Kremlin Washington Moscow Kiev Paris Sunday Friday spokesman officials
	statement agreement sanctions election parliament referendum annexation military forces`)

// benchArticle returns a canonical text of about size bytes.
func benchArticle(seed uint64, size int) string {
	rng := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	b.WriteString("# Putin and Obama discuss 'diplomatic end' to Ukraine crisis\nBy: FRANCE 24\nPublished: 2014-03-29\nUpdated: 2014-03-30\n")
	for b.Len() < size {
		b.WriteByte('\n')
		words := 30 + rng.IntN(120)
		for w := range words {
			if w > 0 {
				b.WriteByte(' ')
			}
			// Square the uniform draw to favour the first, common words.
			f := rng.Float64()
			b.WriteString(benchVocabulary[int(f*f*float64(len(benchVocabulary)))])
		}
		b.WriteString(".\n")
	}
	return b.String()
}

// fewEdits changes a word in three paragraphs, removes one and adds one.
func fewEdits(text string) string {
	paras := strings.Split(text, "\n\n")
	n := len(paras)
	for _, i := range []int{n / 5, n / 2, 4 * n / 5} {
		paras[i] = strings.Replace(paras[i], " the ", " a ", 1)
	}
	paras = append(paras[:n/3], paras[n/3+1:]...)
	paras = append(paras[:2*n/3], append([]string{"A paragraph that was not there before."}, paras[2*n/3:]...)...)
	return strings.Join(paras, "\n\n")
}

func BenchmarkCompare(b *testing.B) {
	const article = 20 << 10 // a long news article
	const large = 2 << 20    // a very large page
	cases := []struct {
		name     string
		old, new string
	}{
		{"article/few-edits", benchArticle(1, article), fewEdits(benchArticle(1, article))},
		{"article/rewrite", benchArticle(1, article), benchArticle(2, article)},
		{"2MB/identical", benchArticle(1, large), benchArticle(1, large)},
		{"2MB/few-edits", benchArticle(1, large), fewEdits(benchArticle(1, large))},
		{"2MB/rewrite", benchArticle(1, large), benchArticle(2, large)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.old) + len(c.new)))
			b.ReportAllocs()
			var ch Change
			for b.Loop() {
				ch = Compare(c.old, c.new)
			}
			b.ReportMetric(float64(ch.Stats.ParagraphsChanged), "changed")
		})
	}
}

func BenchmarkUnified(b *testing.B) {
	c := Compare(benchArticle(1, 2<<20), fewEdits(benchArticle(1, 2<<20)))
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Unified("old", "new", 3)
	}
}
