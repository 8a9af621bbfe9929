package publish

import (
	"html"
	"io"
	"net/url"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The body of an item is rich text that the portal shows as HTML. Whatever
// an editor pastes (from a word processor, another site) is rebuilt from an
// allow-list: the elements and attributes below survive, everything else is
// unwrapped (its text kept) or, for active content, dropped whole. Links
// keep only http, https, mailto and site-relative targets.

var allowedElems = map[atom.Atom]map[string]bool{
	atom.P: nil, atom.Br: nil, atom.Hr: nil, atom.Div: nil, atom.Span: nil,
	atom.H2: nil, atom.H3: nil, atom.H4: nil, atom.H5: nil, atom.H6: nil,
	atom.Strong: nil, atom.B: nil, atom.Em: nil, atom.I: nil, atom.U: nil, atom.S: nil,
	atom.Sub: nil, atom.Sup: nil, atom.Blockquote: nil, atom.Pre: nil, atom.Code: nil,
	atom.Ul: nil, atom.Ol: {"start": true}, atom.Li: nil, atom.Dl: nil, atom.Dt: nil, atom.Dd: nil,
	atom.Table: nil, atom.Caption: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tfoot: nil, atom.Tr: nil,
	atom.Th: {"colspan": true, "rowspan": true, "scope": true}, atom.Td: {"colspan": true, "rowspan": true},
	atom.A:   {"href": true, "title": true},
	atom.Img: {"src": true, "alt": true, "width": true, "height": true},
}

// droppedElems lose their content too: scripts, styles, embedded documents
// and forms have no place in an item's text.
var droppedElems = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Template: true, atom.Noscript: true, atom.Head: true, atom.Title: true, atom.Svg: true,
	atom.Math: true, atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Frame: true, atom.Frameset: true, atom.Applet: true, atom.Audio: true,
	atom.Video: true, atom.Canvas: true, atom.Link: true, atom.Meta: true, atom.Base: true,
}

var voidElems = map[atom.Atom]bool{atom.Br: true, atom.Hr: true, atom.Img: true}

var numberRE = regexp.MustCompile(`^[0-9]{1,4}$`)

// Sanitize returns the allow-listed form of an HTML fragment.
func Sanitize(s string) string {
	body := &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return html.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		writeClean(&b, n)
	}
	return strings.TrimSpace(b.String())
}

func writeClean(w *strings.Builder, n *xhtml.Node) {
	switch n.Type {
	case xhtml.TextNode:
		w.WriteString(html.EscapeString(n.Data))
		return
	case xhtml.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeClean(w, c)
		}
		return
	}
	a := n.DataAtom
	if droppedElems[a] {
		return
	}
	tag := a
	if a == atom.H1 {
		tag = atom.H2 // the page's own title is the only h1
	}
	attrs, ok := allowedElems[tag]
	if !ok {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeClean(w, c)
		}
		return
	}
	var kept []xhtml.Attribute
	for _, at := range n.Attr {
		key := strings.ToLower(at.Key)
		if at.Namespace != "" || !attrs[key] {
			continue
		}
		v := strings.TrimSpace(at.Val)
		switch key {
		case "href":
			if !safeURL(v, true) {
				continue
			}
		case "src":
			if !safeURL(v, false) {
				continue
			}
		case "colspan", "rowspan", "start", "width", "height":
			if !numberRE.MatchString(v) {
				continue
			}
		case "scope":
			if v != "row" && v != "col" && v != "rowgroup" && v != "colgroup" {
				continue
			}
		}
		kept = append(kept, xhtml.Attribute{Key: key, Val: v})
	}
	if tag == atom.Img && len(kept) == 0 {
		return
	}
	w.WriteByte('<')
	w.WriteString(tag.String())
	for _, at := range kept {
		w.WriteByte(' ')
		w.WriteString(at.Key)
		w.WriteString(`="`)
		w.WriteString(html.EscapeString(at.Val))
		w.WriteByte('"')
	}
	if tag == atom.A {
		w.WriteString(` rel="noopener noreferrer"`)
	}
	w.WriteByte('>')
	if voidElems[tag] {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeClean(w, c)
	}
	w.WriteString("</")
	w.WriteString(tag.String())
	w.WriteByte('>')
}

// safeURL accepts http(s) and mailto links and site-relative paths; images
// only from this site (the portal's Content-Security-Policy allows no other).
func safeURL(v string, link bool) bool {
	if v == "" || strings.ContainsAny(v, "\x00\t\n\r") {
		return false
	}
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") || strings.HasPrefix(v, "#") && link {
		return true
	}
	if !link {
		return false
	}
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	}
	return false
}

var tagRE = regexp.MustCompile(`<[a-zA-Z/!]`)

// BodyFromInput turns what an editor typed into a sanitised body: HTML is
// sanitised; plain text becomes paragraphs (a blank line between them).
func BodyFromInput(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if tagRE.MatchString(s) {
		return Sanitize(s)
	}
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n\s*\n`).Split(strings.TrimSpace(s), -1) {
		lines := strings.Split(strings.TrimSpace(para), "\n")
		b.WriteString("<p>")
		for i, l := range lines {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(strings.TrimSpace(l)))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// HTMLText returns the text of an HTML fragment, one line per block, for
// the search index and for snippets.
func HTMLText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if z.Err() == io.EOF {
				return tidyText(b.String())
			}
			return tidyText(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				skip++
			}
			if blockAtoms[a] {
				b.WriteByte('\n')
			} else if a == atom.Td || a == atom.Th {
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			}
			if blockAtoms[a] {
				b.WriteByte('\n')
			}
		}
	}
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Br: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Table: true, atom.Blockquote: true,
	atom.Pre: true, atom.Dt: true, atom.Dd: true, atom.Hr: true, atom.Caption: true, atom.Title: true,
}

func tidyText(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
