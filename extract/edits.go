package extract

import "golang.org/x/net/html"

// edits records the changes made to a page tree so that they can be
// undone. The fingerprint probe cleans the tree as the extraction does
// (exclusions, boilerplate); when the fingerprint shows that the page
// changed, the extraction takes the same tree back as it was parsed,
// instead of parsing the page a second time. A nil *edits makes the
// changes without recording them.
type edits []edit

// edit is one change: a node inserted into parent, a node removed from
// parent (before next), or a node's attributes replaced (attr holds the
// old ones).
type edit struct {
	op     editOp
	n      *html.Node
	parent *html.Node
	next   *html.Node
	attr   []html.Attribute
}

type editOp uint8

const (
	inserted editOp = iota
	removed
	attrsChanged
)

// remove detaches n from its parent.
func (e *edits) remove(n *html.Node) {
	if e != nil {
		*e = append(*e, edit{op: removed, n: n, parent: n.Parent, next: n.NextSibling})
	}
	n.Parent.RemoveChild(n)
}

// insertBefore inserts the detached n into parent before the child before,
// or last when before is nil.
func (e *edits) insertBefore(parent, n, before *html.Node) {
	parent.InsertBefore(n, before)
	if e != nil {
		*e = append(*e, edit{op: inserted, n: n, parent: parent})
	}
}

// setAttr replaces the attributes of n with attr, which must not share
// the old ones' array.
func (e *edits) setAttr(n *html.Node, attr []html.Attribute) {
	if e != nil {
		*e = append(*e, edit{op: attrsChanged, n: n, attr: n.Attr})
	}
	n.Attr = attr
}

// undo puts the tree back as it was before the first recorded change, and
// forgets the changes. Going backwards, each change is undone on the tree
// exactly as that change left it, so the sibling a removed node stood
// before is back in place when the node returns.
func (e *edits) undo() {
	for i := len(*e) - 1; i >= 0; i-- {
		switch x := (*e)[i]; x.op {
		case inserted:
			x.parent.RemoveChild(x.n)
		case removed:
			x.parent.InsertBefore(x.n, x.next)
		case attrsChanged:
			x.n.Attr = x.attr
		}
	}
	*e = (*e)[:0]
}
