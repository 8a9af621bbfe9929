package export

import (
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"gongkai/internal/annual"
)

func TestHTMLReadsBack(t *testing.T) {
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := HTML(tc.doc, HTMLOptions{Standalone: true})
			if err != nil {
				t.Fatal(err)
			}
			readBack(t, tc.doc, b, "report.html")
		})
	}
}

// The stylesheet the portal serves is the one downloads embed.
func TestStylesheetCopies(t *testing.T) {
	served, err := os.ReadFile("../../web/static/report.css")
	if err != nil {
		t.Fatal(err)
	}
	if string(served) != Stylesheet {
		t.Error("internal/web/static/report.css differs from internal/annual/export/report.css: copy one over the other")
	}
}

// htmlNode parses an export and returns its tree.
func htmlNode(t *testing.T, b []byte) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// Each table is its grid: the header rows in <thead>, the cells with the
// grid's spans and texts in order, numbers as <td class="num">, headings
// and labels as <th> with a scope, the title as <caption>.
func TestHTMLTablesAreTheGrids(t *testing.T) {
	doc := syntheticDoc(true)
	b, err := HTML(doc, HTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	root := htmlNode(t, b)
	var tables []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			tables = append(tables, n)
		}
	})
	grids := []annual.Grid{doc.Grid(annual.TableTwo), doc.Grid(annual.TableThree), doc.Grid(annual.TableFour)}
	if len(tables) != 3 {
		t.Fatalf("%d tables", len(tables))
	}
	for i, tb := range tables {
		g := grids[i]
		var rows []*html.Node
		var caption string
		heads := 0
		walk(tb, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "tr":
				rows = append(rows, n)
				if n.Parent.Data == "thead" {
					heads++
				}
			case "caption":
				caption = textOf(n)
			}
		})
		if caption != g.Title {
			t.Errorf("%s: caption %q, want %q", g.Table, caption, g.Title)
		}
		if heads != g.HeadRows {
			t.Errorf("%s: %d rows in thead, want %d", g.Table, heads, g.HeadRows)
		}
		if len(rows) != len(g.Rows) {
			t.Fatalf("%s: %d rows, want %d", g.Table, len(rows), len(g.Rows))
		}
		for r, tr := range rows {
			var cells []*html.Node
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					cells = append(cells, c)
				}
			}
			if len(cells) != len(g.Rows[r].Cells) {
				t.Fatalf("%s row %d: %d cells, want %d", g.Table, r, len(cells), len(g.Rows[r].Cells))
			}
			for k, c := range cells {
				gc := g.Rows[r].Cells[k]
				span := func(key string, want int) {
					got := 1
					if v := attr(c, key); v != "" {
						got, _ = strconv.Atoi(v)
					}
					if got != max(want, 1) {
						t.Errorf("%s row %d cell %d: %s %d, want %d", g.Table, r, k, key, got, want)
					}
				}
				span("colspan", gc.ColSpan)
				span("rowspan", gc.RowSpan)
				if textOf(c) != gc.Text {
					t.Errorf("%s row %d cell %d: %q, want %q", g.Table, r, k, textOf(c), gc.Text)
				}
				if gc.Kind == annual.CellNumber {
					if c.Data != "td" || !strings.Contains(attr(c, "class"), "num") {
						t.Errorf("%s row %d cell %d: a number as <%s class=%q>", g.Table, r, k, c.Data, attr(c, "class"))
					}
				} else if c.Data != "th" || attr(c, "scope") == "" {
					t.Errorf("%s row %d cell %d: a heading or label as <%s scope=%q>", g.Table, r, k, c.Data, attr(c, "scope"))
				}
			}
		}
	}
	// A fragment has no inline style (the portal's CSP forbids it) and no
	// document around it.
	s := string(b)
	for _, bad := range []string{"style=", "<style", "<html", "<title"} {
		if strings.Contains(s, bad) {
			t.Errorf("fragment contains %q", bad)
		}
	}
	if !strings.HasPrefix(s, `<article class="annual-report">`) {
		t.Errorf("fragment starts %q", s[:min(len(s), 60)])
	}
}

// A standalone page is a whole document titled with the report's title and
// styled by the embedded sheet; the structure is h1, the preface, an h2 per
// section.
func TestHTMLStandalone(t *testing.T) {
	doc := syntheticDoc(false)
	b, err := HTML(doc, HTMLOptions{Standalone: true})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "<!DOCTYPE html>") || !strings.Contains(s, `<html lang="zh-CN">`) {
		t.Errorf("not an HTML5 document: %q", s[:60])
	}
	if !strings.Contains(s, "<title>"+doc.Report.Title+"</title>") {
		t.Error("title element lacks the report's title")
	}
	if !strings.Contains(s, ".annual-report table.report-table td.num { text-align: right;") {
		t.Error("embedded style lacks the stylesheet")
	}
	root := htmlNode(t, b)
	var h1, h2 []string
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "h1" {
			h1 = append(h1, textOf(n))
		}
		if n.Type == html.ElementNode && n.Data == "h2" {
			h2 = append(h2, textOf(n))
		}
	})
	if len(h1) != 1 || h1[0] != doc.Report.Title {
		t.Errorf("h1 %q", h1)
	}
	if strings.Join(h2, "|") != strings.Join(annual.SectionHeadings[:], "|") {
		t.Errorf("h2 %q", h2)
	}
}

// Text from the records is escaped wherever it is printed: a figure, a
// paragraph, a table label, a link.
func TestHTMLEscapes(t *testing.T) {
	doc := syntheticDoc(true)
	evil := `<script>alert("x")</script>`
	doc.Report.Title = "测试" + evil + "2025年 政府信息公开工作年度报告"
	doc.Sections[0].Blocks[1].Para.Runs[1].Text = evil
	doc.Report.Table3.ExtraRows[0].Label = "3. " + evil
	b, err := HTML(doc, HTMLOptions{Standalone: true,
		FigureHref: func(key string) string { return "javascript:alert(1)" },
		CellHref:   func(where string) string { return `/r?w=` + where + `"><script>` },
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(s, "<script") {
		t.Errorf("unescaped script in:\n%s", regexp.MustCompile(`(?s).{0,80}<script.{0,40}`).FindString(s))
	}
	if strings.Contains(s, "javascript:") {
		t.Error("a javascript: link was written")
	}
	if !strings.Contains(s, "&lt;script&gt;") {
		t.Error("the figure's text is missing")
	}
}

// The preview: figures and number cells link to their records, findings
// colour their cells and blocks and link to the list.
func TestHTMLPreviewLinksAndMarks(t *testing.T) {
	doc := syntheticDoc(false)
	findings := []annual.Finding{
		{Rule: annual.RuleRowSum, Severity: annual.Error, Where: "table3.rows.disclosed[6]"},
		{Rule: annual.RuleT4Sum, Severity: annual.Error, Where: "table4.reconsideration"},
		{Rule: annual.RuleNarrative, Severity: annual.Warning, Where: "sections.1.2"},
		{Rule: annual.RuleFormat, Severity: annual.Warning, Where: "table3.rows.received"},
		{Rule: annual.RuleFormat, Severity: annual.Warning, Where: "template"},
	}
	b, err := HTML(doc, HTMLOptions{
		FigureHref: func(key string) string { return "/admin/reports/figure?key=" + key },
		CellHref:   func(where string) string { return "/admin/reports/cell?where=" + url.QueryEscape(where) },
		Marks:      MarksOf(doc, findings),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`<a class="figure" href="/admin/reports/figure?key=%e7%83%ad%e7%ba%bf.%e6%8e%a5%e5%90%ac%e9%87%8f">10289</a>`,
		`<td class="num"><a href="/admin/reports/cell?where=table3.rows.received%5B0%5D">`,
		`<td class="num cell-error"><a href="/admin/reports/cell?where=table3.rows.disclosed%5B6%5D">`,
		`<sup class="finding-refs"><a href="#finding-1">1</a></sup></td>`,
		`<a href="/admin/reports/cell?where=table4.reconsideration.total">10</a><sup class="finding-refs"><a href="#finding-2">2</a></sup></td>`,
		`<p class="cell-warning">`,
		`<a href="#finding-3">3</a>`,
		`<th scope="row" colspan="3" class="label cell-warning">一、本年新收政府信息公开申请数量<sup class="finding-refs"><a href="#finding-4">4</a></sup></th>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("preview lacks %s", want)
		}
	}
	if n := strings.Count(s, `class="num cell-error"`); n != 6 {
		t.Errorf("%d cells marked as errors, want 6 (one cell and table 四's five reconsideration cells)", n)
	}
	// 「sections.1.2」 is the part's heading and its paragraph: both
	// coloured, the number shown once.
	if strings.Count(s, `href="#finding-3"`) != 1 || !strings.Contains(s, `<h3 class="cell-warning">（二）依申请公开办理情况。<sup`) {
		t.Errorf("a finding on a part is not shown once on its heading: %d links", strings.Count(s, `href="#finding-3"`))
	}
	if strings.Contains(s, "#finding-5") {
		t.Error("a finding about the template was placed on the document")
	}
	// A page with several reports gives each its anchors.
	b, err = HTML(doc, HTMLOptions{Marks: MarksOf(doc, findings), FindingAnchor: "finding-r2-"})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `<a href="#finding-r2-2">2</a>`) || strings.Contains(s, `href="#finding-2"`) {
		t.Error("the findings' anchor prefix is not used")
	}
}
