package notify

import (
	"fmt"
	"time"
)

// Sample returns a test message (EventTest) that looks like a real change,
// for `redline notify test`: a word edited in a news article. Each call has
// its own Delivery key. baseURL, when set, gives the revision a link.
func Sample(baseURL string) Message {
	now := time.Now().UTC().Truncate(time.Second)
	m := Message{
		Version:  Version,
		Event:    EventTest,
		Delivery: fmt.Sprintf("test-%d", now.UnixNano()),
		Watch:    Watch{ID: 0, Name: "redline test", URL: "https://example.org/news/council-approves-bridge", Tags: []string{"test"}},
		Revision: &Revision{Old: 1, New: 2, OldFetchedAt: now.Add(-time.Hour), FetchedAt: now},
		Class:    "silent-edit", ClassDescription: "silent edit: the body changed and no date moved",
		Title:   "Council approves the new bridge",
		Summary: "1 paragraph changed, +1 −1 words",
		Stats:   &Stats{ParagraphsChanged: 1, WordsAdded: 1, WordsRemoved: 1},
		Removed: []string{"The bridge will cost 40 million euros and should open in 2027."},
		Added:   []string{"The bridge will cost 55 million euros and should open in 2027."},
		Diff: "--- revision 1\n+++ revision 2\n@@ -3 +3 @@\n" +
			"-The bridge will cost 40 million euros and should open in 2027.\n" +
			"+The bridge will cost 55 million euros and should open in 2027.\n",
	}
	if baseURL != "" {
		m.Revision.URL = baseURL + "/watches/0/revisions/2"
	}
	return m
}
