package export

import (
	"bytes"
	_ "embed"
	"html/template"
	"strconv"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// Stylesheet is the report's CSS: embedded in a standalone page, and served
// to the portal and the back office as /static/report.css (a copy kept
// equal by a test), since their Content-Security-Policy allows no inline
// style.
//
//go:embed report.css
var Stylesheet string

// HTMLOptions choose the form of an HTML export.
type HTMLOptions struct {
	// Standalone writes a whole HTML5 document (title, embedded style) for
	// download and reading back; otherwise a fragment for a page that links
	// report.css.
	Standalone bool
	// FigureHref, when set, makes each bound figure a link to the records
	// behind it (the preview's drill-down); key is the statistic's key.
	// An empty result leaves the figure unlinked.
	FigureHref func(key string) string
	// CellHref likewise links each number cell of a table, by its where
	// path (table3.rows.received[0]).
	CellHref func(where string) string
	// Marks put findings on cells and blocks, by where path (see MarksOf).
	Marks map[string]Mark
	// FindingAnchor is the prefix of the ids of the page's list of
	// findings that a mark's numbers link to: "finding-" (the default)
	// links finding 3 to #finding-3. A page showing several reports gives
	// each its own.
	FindingAnchor string
}

// HTML writes the document as HTML: <h1> the title, the preface, an <h2> per
// section, a <p> per paragraph (<h3> for a part's own heading line), and
// each table from its grid with <thead> for the grid's header rows, the
// grid's row and column spans, <th scope> for headings and labels and the
// table's title as <caption>. Every text is escaped by html/template.
func HTML(doc *annual.Document, opt HTMLOptions) ([]byte, error) {
	if doc == nil || doc.Report == nil {
		return nil, errNoReport
	}
	v := htmlDoc{Standalone: opt.Standalone, Title: doc.Report.Title, Preface: htmlRuns(doc.Preface, opt)}
	anchor := opt.FindingAnchor
	if anchor == "" {
		anchor = "finding-"
	}
	mk := &marker{marks: opt.Marks, shown: map[string]bool{}, anchor: anchor}
	if opt.Standalone {
		v.Style = template.CSS(Stylesheet)
	}
	for _, s := range doc.Sections {
		hs := htmlSection{ID: "report-section-" + strconv.Itoa(s.Number), Heading: s.Heading}
		for _, b := range s.Blocks {
			hb := htmlBlock{Kind: string(b.Kind)}
			hb.Class, hb.Refs = mk.mark(b.Where)
			switch b.Kind {
			case annual.BlockTable:
				g := doc.Grid(b.Table)
				if len(g.Rows) == 0 {
					continue
				}
				t := htmlTableOf(g, opt, mk)
				hb.Table = &t
			default:
				hb.Runs = htmlRuns(b.Para, opt)
			}
			hs.Blocks = append(hs.Blocks, hb)
		}
		v.Sections = append(v.Sections, hs)
	}
	var out bytes.Buffer
	if err := htmlTemplate.Execute(&out, v); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为HTML失败")
	}
	return out.Bytes(), nil
}

type htmlDoc struct {
	Standalone bool
	Title      string
	Style      template.CSS
	Preface    []htmlRun
	Sections   []htmlSection
}

type htmlSection struct {
	ID, Heading string
	Blocks      []htmlBlock
}

type htmlBlock struct {
	Kind  string
	Class string
	Refs  []htmlRef
	Runs  []htmlRun
	Table *htmlTable
}

type htmlRun struct{ Text, Class, Href string }

type htmlTable struct {
	ID, Caption string
	Cols        []string // class of each <col>
	Head, Body  []htmlRow
}

type htmlRow struct{ Cells []htmlCell }

type htmlCell struct {
	Tag              string // th or td
	Scope            string
	ColSpan, RowSpan int
	Class            string
	Text, Href       string
	Refs             []htmlRef
}

// htmlRef is a finding's number on a marked place, linking to the finding.
type htmlRef struct {
	N    int
	Href string
}

func htmlRuns(p annual.Paragraph, opt HTMLOptions) []htmlRun {
	var out []htmlRun
	for _, r := range p.Runs {
		hr := htmlRun{Text: r.Text}
		switch {
		case r.Lead && r.Figure != "":
			hr.Class = "lead figure"
		case r.Lead:
			hr.Class = "lead"
		case r.Figure != "":
			hr.Class = "figure"
		}
		if r.Figure != "" && opt.FigureHref != nil {
			hr.Href = opt.FigureHref(r.Figure)
		}
		out = append(out, hr)
	}
	return out
}

// htmlTableOf turns a grid into the table's rows. A heading cell in a row of
// headings heads its column (or columns); one in a row of numbers heads its
// row (or rows), as a label does.
func htmlTableOf(g annual.Grid, opt HTMLOptions, mk *marker) htmlTable {
	t := htmlTable{ID: "report-" + g.Table, Caption: g.Title}
	total := 0
	for _, w := range g.Widths {
		total += w
	}
	// Per cent of the table, rounded so that they add up to 100.
	cum, prev := 0, 0
	for _, w := range g.Widths {
		cum += w
		at := 0
		if total > 0 {
			at = (cum*100 + total/2) / total
		}
		t.Cols = append(t.Cols, "w-"+strconv.Itoa(max(1, min(at-prev, 100))))
		prev = at
	}
	for i, row := range g.Rows {
		headRow := true
		for _, c := range row.Cells {
			if c.Kind != annual.CellHead {
				headRow = false
			}
		}
		var hr htmlRow
		for _, c := range row.Cells {
			hc := htmlCell{Tag: "th", ColSpan: max(c.ColSpan, 1), RowSpan: max(c.RowSpan, 1), Text: c.Text}
			switch {
			case c.Kind == annual.CellNumber:
				hc.Tag, hc.Class = "td", "num"
				if c.Blank {
					hc.Class = "num blank"
				} else if opt.CellHref != nil && c.Where != "" {
					hc.Href = opt.CellHref(c.Where)
				}
			case headRow && hc.ColSpan > 1:
				hc.Scope = "colgroup"
			case headRow:
				hc.Scope = "col"
			case hc.RowSpan > 1:
				hc.Scope, hc.Class = "rowgroup", "group"
			case c.Kind == annual.CellHead:
				hc.Scope, hc.Class = "row", "group"
			default:
				hc.Scope, hc.Class = "row", "label"
			}
			class, refs := mk.mark(c.Where)
			hc.Class, hc.Refs = joinClass(hc.Class, class), refs
			hr.Cells = append(hr.Cells, hc)
		}
		if i < g.HeadRows {
			t.Head = append(t.Head, hr)
		} else {
			t.Body = append(t.Body, hr)
		}
	}
	return t
}

// marker puts the marks on the places they name; where several places share
// a path (a part's heading and its paragraph), each is coloured and the
// first shows the findings' numbers.
type marker struct {
	marks  map[string]Mark
	shown  map[string]bool
	anchor string
}

func (m *marker) mark(where string) (class string, refs []htmlRef) {
	mk, ok := m.marks[where]
	if !ok || where == "" {
		return "", nil
	}
	if !m.shown[where] {
		m.shown[where] = true
		for _, n := range mk.Findings {
			refs = append(refs, htmlRef{N: n, Href: "#" + m.anchor + strconv.Itoa(n)})
		}
	}
	return mk.Class(), refs
}

func joinClass(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

var htmlTemplate = template.Must(template.New("report").Parse(
	`{{define "runs"}}{{range .}}{{if .Href}}<a class="{{.Class}}" href="{{.Href}}">{{.Text}}</a>{{else if .Class}}<span class="{{.Class}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}{{end}}` +
		`{{define "refs"}}{{if .}}<sup class="finding-refs">{{range $i, $r := .}}{{if $i}},{{end}}<a href="{{$r.Href}}">{{$r.N}}</a>{{end}}</sup>{{end}}{{end}}` +
		`{{define "attrs"}}{{if .Scope}} scope="{{.Scope}}"{{end}}{{if gt .ColSpan 1}} colspan="{{.ColSpan}}"{{end}}{{if gt .RowSpan 1}} rowspan="{{.RowSpan}}"{{end}}{{if .Class}} class="{{.Class}}"{{end}}{{end}}` +
		`{{define "content"}}{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{template "refs" .Refs}}{{end}}` +
		`{{define "row"}}<tr>{{range .Cells}}{{if eq .Tag "th"}}<th{{template "attrs" .}}>{{template "content" .}}</th>{{else}}<td{{template "attrs" .}}>{{template "content" .}}</td>{{end}}{{end}}</tr>
{{end}}` +
		`{{if .Standalone}}<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gongkai">
<title>{{.Title}}</title>
<style>
{{.Style}}</style>
</head>
<body>
{{end}}<article class="annual-report">
<h1>{{.Title}}</h1>
<p class="preface">{{template "runs" .Preface}}</p>
{{range .Sections}}<section id="{{.ID}}">
<h2>{{.Heading}}</h2>
{{range .Blocks}}{{if .Table}}{{with .Table}}<div class="table-wrap">
<table class="report-table" id="{{.ID}}">
<caption>{{.Caption}}</caption>
<colgroup>{{range .Cols}}<col class="{{.}}">{{end}}</colgroup>
{{if .Head}}<thead>
{{range .Head}}{{template "row" .}}{{end}}</thead>
{{end}}<tbody>
{{range .Body}}{{template "row" .}}{{end}}</tbody>
</table>
</div>
{{end}}{{else if eq .Kind "heading"}}<h3{{if .Class}} class="{{.Class}}"{{end}}>{{template "runs" .Runs}}{{template "refs" .Refs}}</h3>
{{else}}<p{{if .Class}} class="{{.Class}}"{{end}}>{{template "runs" .Runs}}{{template "refs" .Refs}}</p>
{{end}}{{end}}</section>
{{end}}</article>
{{if .Standalone}}</body>
</html>
{{end}}`))
