package annual

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth bounds the walk of the document tree.
const maxHTMLDepth = 256

// maxSpan bounds a colspan or gridSpan.
const maxSpan = 32

// htmlLines turns an HTML page into lines: each block of text a line, each
// table row a line of cells. A column span adds empty cells after the cell, as
// a PDF extraction would. A row whose cells hold a table (a page laid out
// with tables) is read as blocks. It also returns the page's <title>.
func htmlLines(s string) ([]line, string) {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, ""
	}
	w := &htmlWalker{}
	w.block(doc, 0)
	w.flush()
	return w.lines, w.title
}

type htmlWalker struct {
	lines []line
	cur   strings.Builder
	title string
}

func (w *htmlWalker) flush() {
	t := collapse(w.cur.String())
	w.cur.Reset()
	if t != "" {
		w.lines = append(w.lines, line{cells: []string{t}})
	}
}

func (w *htmlWalker) block(n *html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Select, atom.Button:
			return
		case atom.Title:
			if w.title == "" {
				w.title = collapse(textOf(n, depth))
			}
			return
		case atom.Table:
			w.flush()
			w.table(n, depth)
			w.flush()
			return
		case atom.Br:
			w.flush()
			return
		}
	}
	isBlock := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if isBlock {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.block(c, depth+1)
	}
	if isBlock {
		w.flush()
	}
}

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Blockquote: true, atom.Center: true,
	atom.Pre: true, atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Form: true, atom.Body: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Caption: true, atom.Nav: true, atom.Main: true,
	atom.Hr: true, atom.Address: true,
}

// table emits the rows of a table (not those of tables nested in it).
func (w *htmlWalker) table(t *html.Node, depth int) {
	var rows func(n *html.Node, d int)
	rows = func(n *html.Node, d int) {
		if d > maxHTMLDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				w.row(c, d+1)
			case atom.Table:
				w.flush()
				w.table(c, d+1)
			case atom.Caption:
				w.block(c, d+1)
				w.flush()
			default:
				rows(c, d+1)
			}
		}
	}
	rows(t, depth)
}

func (w *htmlWalker) row(tr *html.Node, depth int) {
	var cells []*html.Node
	nested := false
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells = append(cells, c)
			if hasDescendant(c, atom.Table, depth) {
				nested = true
			}
		}
	}
	if nested {
		// A layout table: its cells are blocks of the page.
		for _, c := range cells {
			w.block(c, depth+1)
			w.flush()
		}
		return
	}
	out := make([]string, 0, len(cells))
	for _, c := range cells {
		out = append(out, collapse(textOf(c, depth)))
		span := 1
		for _, a := range c.Attr {
			if strings.EqualFold(a.Key, "colspan") {
				if v, err := strconv.Atoi(strings.TrimSpace(a.Val)); err == nil && v > 1 {
					span = min(v, maxSpan)
				}
			}
		}
		for i := 1; i < span; i++ {
			out = append(out, "")
		}
	}
	if len(out) > 0 {
		w.lines = append(w.lines, line{cells: out})
	}
}

func hasDescendant(n *html.Node, a atom.Atom, depth int) bool {
	if depth > maxHTMLDepth {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return true
		}
		if hasDescendant(c, a, depth+1) {
			return true
		}
	}
	return false
}

// textOf returns the text in n; block boundaries inside a cell join without
// a separator, as the lines of a wrapped cell do.
func textOf(n *html.Node, depth int) string {
	var b strings.Builder
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if d > maxHTMLDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, d+1)
		}
	}
	walk(n, depth)
	return b.String()
}

// collapse turns runs of white space into one space and trims.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if isSpaceRune(r) || r == 0xA0 {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
