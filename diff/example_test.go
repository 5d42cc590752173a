package diff_test

import (
	"fmt"

	"github.com/redlinehq/redline/diff"
)

func ExampleCompare() {
	old := "# Talks end\nUpdated: 2014-03-30\n\nPutin called Obama on Friday.\n"
	new := "# Talks end\nUpdated: 2014-03-31\n\nPutin phoned Obama on Friday.\n\nKerry will meet Lavrov.\n"
	c := diff.Compare(old, new)
	fmt.Print(c.Unified("a/page.txt", "b/page.txt", 0))
	fmt.Println(c.Stats)
	// Output:
	// --- a/page.txt
	// +++ b/page.txt
	// @@ -2 +2 @@
	// -Updated: 2014-03-30
	// +Updated: 2014-03-31
	// @@ -4 +4,3 @@
	// -Putin called Obama on Friday.
	// +Putin phoned Obama on Friday.
	// +
	// +Kerry will meet Lavrov.
	// 2 paragraphs changed, 1 added, +6 −2 words
}

func ExampleChange_Summary() {
	old := "# Live: election night\n\nTurnout so far: 41.2% of 1,200,000 voters.\n"
	new := "# Live: election night\n\nTurnout so far: 43.5% of 1,200,000 voters.\n"
	c := diff.Compare(old, new)
	fmt.Println(c.Summary())
	fmt.Println(c.OnlyNumbers())
	// Output:
	// 1 paragraph changed, +2 −2 words, 41.2% → 43.5%
	// true
}

func ExampleChange_Equal() {
	old := "# \"Talks end\"\n\nIt's over...\n"
	new := "# “Talks end”\n\nIt’s over…\n"
	c := diff.Compare(old, new)
	fmt.Println(c.Equal(), c.Identical(), c.Summary())
	// Output:
	// true false no changes
}
