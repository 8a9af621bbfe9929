package annual

import (
	"encoding/json"
	"strings"
)

// Document is a whole annual report as the system builds it from its
// records: the title, the opening paragraph, the six sections of
// 国办公开办函〔2021〕30号 with their prose, and tables 二, 三 and 四. Every
// export (HTML, DOCX, PDF, XLSX, JSON) renders a Document, and only through
// its Blocks and the Grids of its tables: no format lays out a table or a
// section in its own code.
type Document struct {
	// Report holds the title, unit, year, the tables and the findings: the
	// gongkai.annual-report/v1 shape. Report.Text is kept equal to the
	// document's prose, so that Check reads the narrative as printed.
	Report *Report
	// Scope is whose work the report covers: the unit itself (本级机关) or the
	// unit and every unit below it (全系统).
	Scope Scope
	// Preface is the opening paragraph (legal basis, period, where to
	// download it, the office's address and contacts).
	Preface Paragraph
	// Sections are 一 to 六, in order.
	Sections []Section
	// Figures are the statistics the prose binds, with their values, in the
	// order of the catalogue; the open data serves them.
	Figures []Figure
}

// Scope says whose work a report covers.
type Scope string

// The scopes of a report.
const (
	ScopeSelf Scope = "self" // 本级机关: the unit itself
	ScopeAll  Scope = "all"  // 全系统: the unit and every unit below it
)

// Label is the scope as a title prints it after the unit's name.
func (s Scope) Label() string {
	if s == ScopeAll {
		return "全系统"
	}
	return "本级机关"
}

// ParseScope reads "self" or "all" (or their Chinese labels).
func ParseScope(s string) (Scope, bool) {
	switch strings.TrimSpace(s) {
	case "", "self", "本级机关", "本级":
		return ScopeSelf, true
	case "all", "全系统":
		return ScopeAll, true
	}
	return "", false
}

// Section is one of the six sections of a report.
type Section struct {
	// Number is 1 to 6.
	Number int
	// Heading is the section's title as printed: 「一、总体情况」.
	Heading string
	Blocks  []Block
}

// SectionHeadings are the titles of the six sections (国办公开办函〔2021〕30号).
var SectionHeadings = [6]string{
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

// BlockKind is what a block of a section is.
type BlockKind string

// The kinds of block.
const (
	BlockHeading   BlockKind = "heading"   // a part's own heading line: 「（一）主动公开信息情况。」
	BlockParagraph BlockKind = "paragraph" // a paragraph of prose
	BlockTable     BlockKind = "table"     // one of tables 二, 三, 四
)

// Block is a heading, a paragraph or a table within a section.
type Block struct {
	Kind BlockKind
	// Para holds the text of a heading or a paragraph.
	Para Paragraph
	// Table names the table of a BlockTable: TableTwo, TableThree or
	// TableFour; its Grid comes from Document.Grid.
	Table string
	// Where is the path findings use for this block ("sections.1.2" for
	// section 一, part （二）); "" when no finding can concern it alone.
	Where string
}

// The tables a BlockTable may name.
const (
	TableTwo   = "table2"
	TableThree = "table3"
	TableFour  = "table4"
)

// Paragraph is text made of runs: plain text, and figures bound to the
// statistics they show.
type Paragraph struct {
	Runs []Run
}

// Run is a piece of a paragraph.
type Run struct {
	Text string
	// Figure is the key of the statistic this run shows, "" for plain text.
	Figure string
	// Lead marks the lead-in of a paragraph printed as a heading would be
	// (「（一）2023年年报中所提问题整改情况。」 at the start of section 五).
	Lead bool
}

// Text returns the paragraph as plain text.
func (p Paragraph) Text() string {
	var b strings.Builder
	for _, r := range p.Runs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// Plain returns a paragraph of one run of text.
func Plain(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// Figure is one statistic of a report's catalogue with its value: what a
// placeholder of the template shows, and what the open data serves.
type Figure struct {
	// Key is the statistic's name in templates: 「热线.接听量」.
	Key string `json:"key"`
	// Label says what it counts, in words.
	Label string `json:"label"`
	// Kind is what sort of value it is.
	Kind FigureKind `json:"kind"`
	// Text is the value as the report prints it: 「10289」, 「99.3%」,
	// 「统计数据、报关单证和行政执法信息」.
	Text string `json:"text"`
	// Value is the number behind Text for counts, amounts and rates (a
	// rate or score in hundredths: 99.3% is 9930, 99.89 is 9989; a
	// growth or an average likewise); nil for text and for a value that
	// cannot be computed (a rate with nothing to divide by).
	Value *int64 `json:"value,omitempty"`
	// Previous is last year's number when the statistic has one (counts),
	// for the 增长 form.
	Previous *int64 `json:"previous,omitempty"`
	// Link is the back-office page listing the records it counts; it is
	// not exported.
	Link string `json:"-"`
}

// FigureKind is the sort of a statistic's value.
type FigureKind string

// The sorts of statistic.
const (
	FigureCount  FigureKind = "count"  // a number of records (件、条、期…)
	FigureAmount FigureKind = "amount" // an amount of money in yuan
	FigureRate   FigureKind = "rate"   // a percentage (接通率)
	FigureScore  FigureKind = "score"  // a score or an average (满意度得分, 平均办理时效)
	FigureGrowth FigureKind = "growth" // a change on last year in per cent
	FigureText   FigureKind = "text"   // words from the records (subjects, titles, a sentence)
	FigureYear   FigureKind = "year"   // a year
)

// Grid returns the layout of one of the document's tables.
func (d *Document) Grid(table string) Grid {
	switch table {
	case TableTwo:
		return Table2Grid(d.Report.Table2)
	case TableThree:
		return Table3Grid(&d.Report.Table3)
	case TableFour:
		return Table4Grid(d.Report.Table4)
	}
	return Grid{}
}

// SectionText returns the prose of section n (1 to 6) as plain text, one
// block a line; tables are left out.
func (d *Document) SectionText(n int) string {
	for _, s := range d.Sections {
		if s.Number != n {
			continue
		}
		var lines []string
		for _, b := range s.Blocks {
			if b.Kind != BlockTable {
				lines = append(lines, b.Para.Text())
			}
		}
		return strings.Join(lines, "\n")
	}
	return ""
}

// SyncText sets Report.Text from the document's prose, so that Check reads
// the narrative the document prints.
func (d *Document) SyncText() {
	d.Report.Text = Narrative{
		Preface:  d.Preface.Text(),
		Overview: d.SectionText(1),
		Problems: d.SectionText(5),
		Other:    d.SectionText(6),
	}
}

type sectionJSON struct {
	Number  int    `json:"number"`
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// MarshalJSON writes the document as gongkai.annual-report/v1 with the
// sections' text and the statistics added.
func (d Document) MarshalJSON() ([]byte, error) {
	figures := d.Figures
	if figures == nil {
		figures = []Figure{}
	}
	sections := []sectionJSON{}
	for _, s := range d.Sections {
		sections = append(sections, sectionJSON{Number: s.Number, Heading: s.Heading, Text: d.SectionText(s.Number)})
	}
	// Report has its own MarshalJSON, which embedding would let hide the
	// added keys: the two objects are merged instead.
	base, err := json.Marshal(d.Report)
	if err != nil {
		return nil, err
	}
	extra, err := json.Marshal(struct {
		Scope    Scope         `json:"scope"`
		Preface  string        `json:"preface"`
		Sections []sectionJSON `json:"sections"`
		Figures  []Figure      `json:"statistics"`
	}{d.Scope, d.Preface.Text(), sections, figures})
	if err != nil {
		return nil, err
	}
	merged := append(base[:len(base)-1:len(base)-1], ',')
	return append(merged, extra[1:]...), nil
}

// UnmarshalJSON reads what MarshalJSON wrote (the open data, a stored
// version). Sections come back as one paragraph per line of their text.
func (d *Document) UnmarshalJSON(b []byte) error {
	r := NewReport()
	if err := json.Unmarshal(b, r); err != nil {
		return err
	}
	var extra struct {
		Scope    Scope         `json:"scope"`
		Preface  string        `json:"preface"`
		Sections []sectionJSON `json:"sections"`
		Figures  []Figure      `json:"statistics"`
	}
	if err := json.Unmarshal(b, &extra); err != nil {
		return err
	}
	*d = Document{Report: r, Scope: extra.Scope, Preface: Plain(extra.Preface), Figures: extra.Figures}
	for _, s := range extra.Sections {
		sec := Section{Number: s.Number, Heading: s.Heading}
		for _, line := range strings.Split(s.Text, "\n") {
			if line != "" {
				sec.Blocks = append(sec.Blocks, Block{Kind: BlockParagraph, Para: Plain(line)})
			}
		}
		switch s.Number {
		case 2:
			sec.Blocks = append(sec.Blocks, Block{Kind: BlockTable, Table: TableTwo})
		case 3:
			sec.Blocks = append(sec.Blocks, Block{Kind: BlockTable, Table: TableThree})
		case 4:
			sec.Blocks = append(sec.Blocks, Block{Kind: BlockTable, Table: TableFour})
		}
		d.Sections = append(d.Sections, sec)
	}
	d.SyncText()
	return nil
}

// DocumentOf lays out a report that was read rather than built (an imported
// or uploaded one) as a document: its narrative as read, one paragraph a
// line, with the tables in their sections. Nothing in it is bound to a
// statistic. The paragraphs of sections 一, 五 and 六 carry the paths the
// narrative rules give their findings (text.overview, text.problems,
// text.other), so that those findings are marked on the text they concern.
func DocumentOf(r *Report) *Document {
	d := &Document{Report: r, Scope: ScopeSelf, Preface: Plain(r.Text.Preface)}
	prose := map[int]string{1: r.Text.Overview, 5: r.Text.Problems, 6: r.Text.Other}
	where := map[int]string{1: "text.overview", 5: "text.problems", 6: "text.other"}
	tables := map[int]string{2: TableTwo, 3: TableThree, 4: TableFour}
	for i, h := range SectionHeadings {
		s := Section{Number: i + 1, Heading: h}
		for _, line := range strings.Split(prose[i+1], "\n") {
			if line = strings.TrimSpace(line); line != "" {
				s.Blocks = append(s.Blocks, Block{Kind: BlockParagraph, Para: Plain(line), Where: where[i+1]})
			}
		}
		if t, ok := tables[i+1]; ok {
			s.Blocks = append(s.Blocks, Block{Kind: BlockTable, Table: t})
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}
