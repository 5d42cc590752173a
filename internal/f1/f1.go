// Package f1 is the article-body extraction metric of the shared
// benchmark's score.py (itself the metric of Scrapinghub's
// article-extraction-benchmark), ported to Go so that tests and
// benchmarks can score an extractor without Python:
//
//  1. Tokens are the maximal runs of word characters: Unicode letters and
//     numbers (general categories L and N) and "_", which is what Python's
//     Unicode-aware regular expression \w+ matches. Case is kept;
//     everything else, punctuation and white space included, separates
//     tokens.
//  2. Shingles are the word 4-grams of the tokens, counted as a multiset;
//     a text with one to three tokens is one shingle of all of them, an
//     empty text has none.
//  3. Per document, tp is the sum over shingles of the smaller of the
//     predicted and true counts, fp the excess predicted and fn the excess
//     true, each divided by tp+fp+fn.
//  4. Precision is the mean of the per-document precisions over the
//     documents where something was predicted, recall the mean of the
//     per-document recalls over the documents with something to find, and
//     F1 is 2PR/(P+R) of those two means.
//
// Python 3.11's \w follows Unicode 14 and Go's unicode package a later
// version, so the two can disagree on characters assigned since then;
// no page of the benchmark has any.
package f1

import (
	"strings"
	"unicode"
)

// N is the shingle length in words.
const N = 4

// IsWord reports whether r is a word character: a letter, a number or "_".
func IsWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Tokens returns the words of text, in order.
func Tokens(text string) []string {
	var toks []string
	start := -1
	for i, r := range text {
		w := IsWord(r)
		if w && start < 0 {
			start = i
		} else if !w && start >= 0 {
			toks = append(toks, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, text[start:])
	}
	return toks
}

// Shingles returns the multiset of word 4-grams of text, each keyed by its
// words joined with single spaces (a space is never part of a word, so
// keys of different shingles differ).
func Shingles(text string) map[string]int {
	toks := Tokens(text)
	m := make(map[string]int, max(len(toks)-N+1, 1))
	if len(toks) == 0 {
		return m
	}
	if len(toks) < N {
		m[strings.Join(toks, " ")]++
		return m
	}
	for i := 0; i+N <= len(toks); i++ {
		m[strings.Join(toks[i:i+N], " ")]++
	}
	return m
}

// Counts are one document's true positives, false positives and false
// negatives, as shares of their sum (all zero when both texts are empty).
type Counts struct {
	TP, FP, FN float64
}

// Match compares a predicted text with the true one.
func Match(truth, pred string) Counts {
	want, got := Shingles(truth), Shingles(pred)
	var tp, fp, fn int
	for k, w := range want {
		g := got[k]
		tp += min(w, g)
		if g > w {
			fp += g - w
		} else {
			fn += w - g
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			fp += g
		}
	}
	total := float64(tp + fp + fn)
	if total == 0 {
		return Counts{}
	}
	return Counts{float64(tp) / total, float64(fp) / total, float64(fn) / total}
}

// Precision is tp/(tp+fp): 1 when the texts match exactly (fp = fn = 0),
// 0 when nothing was predicted.
func (c Counts) Precision() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FP == 0:
		return 0
	}
	return c.TP / (c.TP + c.FP)
}

// Recall is tp/(tp+fn): 1 when the texts match exactly (fp = fn = 0), 0
// when there was nothing to find.
func (c Counts) Recall() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FN == 0:
		return 0
	}
	return c.TP / (c.TP + c.FN)
}

// Exact reports whether the predicted shingles equal the true ones.
func (c Counts) Exact() bool { return c.FP == 0 && c.FN == 0 }

// F1 is the harmonic mean of p and r, 0 when both are 0.
func F1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Score is the metric over a set of documents.
type Score struct {
	F1, Precision, Recall float64
	Exact                 float64 // share of documents with Counts.Exact
	Documents             int
}

// Aggregate scores a set of documents. Precision is the mean over the
// documents with TP+FP > 0, recall the mean over those with TP+FN > 0
// (an empty mean is 0); F1 is the harmonic mean of the two.
func Aggregate(docs []Counts) Score {
	var ps, rs float64
	var np, nr, exact int
	for _, c := range docs {
		if c.TP+c.FP > 0 {
			ps += c.Precision()
			np++
		}
		if c.TP+c.FN > 0 {
			rs += c.Recall()
			nr++
		}
		if c.Exact() {
			exact++
		}
	}
	s := Score{Documents: len(docs)}
	if np > 0 {
		s.Precision = ps / float64(np)
	}
	if nr > 0 {
		s.Recall = rs / float64(nr)
	}
	if len(docs) > 0 {
		s.Exact = float64(exact) / float64(len(docs))
	}
	s.F1 = F1(s.Precision, s.Recall)
	return s
}
