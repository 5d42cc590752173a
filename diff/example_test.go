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
