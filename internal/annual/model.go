// Package annual is the annual report on government information disclosure
// (政府信息公开工作年度报告, 条例第四十九条、第五十条) as data: the model that
// marshals to the JSON shape gongkai.annual-report/v1, a reader for published
// reports (text extracted from PDF, HTML pages, DOCX) and the checks that find
// their errors.
//
// The tables follow 《中华人民共和国政府信息公开工作年度报告格式》
// (国办公开办函〔2021〕30号); the earlier trial format of 2019 is read as well.
// The package imports neither net/http nor a SQL driver.
package annual

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Format is the value of the "format" key of every document.
const Format = "gongkai.annual-report/v1"

// Template names the table layout a report follows.
type Template string

const (
	// Template2021 is the format of 国办公开办函〔2021〕30号.
	Template2021 Template = "2021"
	// Template2019 is the earlier trial format, with 本年新制作数量/对外公开总数量 in
	// table 二 and （六）其他处理 as a single row of table 三.
	Template2019 Template = "2019"
)

// Report is one annual report (政府信息公开工作年度报告) of one unit for one
// calendar year. It marshals to gongkai.annual-report/v1.
type Report struct {
	Format   string    `json:"format"`
	Title    string    `json:"title"`
	Unit     string    `json:"unit"`
	Year     int       `json:"year"`
	Template Template  `json:"template"`
	Table2   *Table2   `json:"table2"`
	Table3   Table3    `json:"table3"`
	Table4   *Table4   `json:"table4"`
	Findings []Finding `json:"findings"`

	// Text is the narrative of the report; it is not part of the JSON shape.
	Text Narrative `json:"-"`
	// Printed records how the report was printed, as far as a reader saw it;
	// it is not part of the JSON shape. Check uses it for rule FORMAT.
	Printed Layout `json:"-"`
}

// NewReport returns an empty report in the 2021 template with every table
// present and every row of table 三 not printed.
func NewReport() *Report {
	return &Report{
		Format:   Format,
		Template: Template2021,
		Table2:   &Table2{},
		Table3:   NewTable3(),
		Table4:   &Table4{},
		Findings: []Finding{},
	}
}

// MarshalJSON writes the document with "format" set and empty lists as [].
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	p.Format = Format
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	return json.Marshal(p)
}

// Narrative is the prose of a report: the opening paragraph, section 一
// (总体情况), section 五 (存在的主要问题及改进情况) and section 六
// (其他需要报告的事项). Lines are kept as printed, joined by "\n".
type Narrative struct {
	Preface  string
	Overview string
	Problems string
	Other    string
}

// Layout records what the reader saw of how a report was printed: the label of
// each row of table 三, whether （六）其他处理 was a single row, and the rows or
// cells it could not place. Check turns these facts into FORMAT findings.
type Layout struct {
	// Form is "text", "html", "docx" or "pdf".
	Form string
	// Labels holds the printed label of each standard row of table 三.
	Labels map[RowKey]string
	// SingleRowOther is set when （六）其他处理 was printed as one row.
	SingleRowOther bool
	// Sections records which section headings (一 to 六, by number) were
	// printed.
	Sections [7]bool
	// Notes are what the reader could not read or place.
	Notes []Note
}

// Note is a place the reader could not read as the format prescribes: a row it
// could not place, a cell it could not read, a table it did not find.
type Note struct {
	Where   string
	Message string
}

// Cell is one number of a table. A cell printed blank is not Valid and
// marshals to null; arithmetic treats it as 0.
type Cell struct {
	Value int
	Valid bool
}

// N returns a cell holding n.
func N(n int) Cell { return Cell{Value: n, Valid: true} }

// Int returns the value, 0 for a blank cell.
func (c Cell) Int() int {
	if !c.Valid {
		return 0
	}
	return c.Value
}

// String returns the number, or "" for a blank cell.
func (c Cell) String() string {
	if !c.Valid {
		return ""
	}
	return strconv.Itoa(c.Value)
}

// MarshalJSON writes the number or null.
func (c Cell) MarshalJSON() ([]byte, error) {
	if !c.Valid {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(c.Value), 10), nil
}

// UnmarshalJSON reads a number or null.
func (c *Cell) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*c = Cell{}
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("annual: cell %s is not an integer", b)
	}
	*c = N(n)
	return nil
}

// Table2 is table 二, 主动公开政府信息情况: the registers of 条例第二十条.
type Table2 struct {
	// Regulations is 第二十条第（一）项 规章.
	Regulations DocCounts `json:"regulations"`
	// NormativeDocuments is 第二十条第（一）项 行政规范性文件.
	NormativeDocuments DocCounts `json:"normative_documents"`
	// LicensingDecisions is 第二十条第（五）项 行政许可, 本年处理决定数量.
	LicensingDecisions Cell `json:"licensing_decisions"`
	// PenaltyDecisions is 第二十条第（六）项 行政处罚, 本年处理决定数量.
	PenaltyDecisions Cell `json:"penalty_decisions"`
	// EnforcementDecisions is 第二十条第（六）项 行政强制, 本年处理决定数量.
	EnforcementDecisions Cell `json:"enforcement_decisions"`
	// FeesWanYuan is 第二十条第（八）项 行政事业性收费, 本年收费金额（万元）, a decimal
	// exactly as printed; nil when not printed.
	FeesWanYuan *string `json:"fees_wan_yuan"`
}

// DocCounts are the three counts of a register of documents.
type DocCounts struct {
	Issued    Cell `json:"issued"`    // 本年制发件数
	Abolished Cell `json:"abolished"` // 本年废止件数
	InForce   Cell `json:"in_force"`  // 现行有效件数
}

// Column is a column of table 三: the applicant's type (条例第二十七条), then the
// total.
type Column int

// The seven columns of table 三, in printed order.
const (
	ColNaturalPerson  Column = iota // 自然人
	ColCommercial                   // 法人或其他组织：商业企业
	ColResearch                     // 科研机构
	ColPublicInterest               // 社会公益组织
	ColLegalServices                // 法律服务机构
	ColOtherOrg                     // 其他
	ColTotal                        // 总计
	NumColumns        = 7
)

// ColumnKeys are the JSON names of the columns of table 三, in printed order.
var ColumnKeys = [NumColumns]string{"natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"}

// ColumnLabels are the printed headings of the columns of table 三.
var ColumnLabels = [NumColumns]string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}

// Row is one row of table 三: six applicant columns and the total.
type Row [NumColumns]Cell

// Sum adds the six applicant columns (blank cells count 0).
func (r *Row) Sum() int {
	s := 0
	for c := ColNaturalPerson; c < ColTotal; c++ {
		s += r[c].Int()
	}
	return s
}

// RowOf returns a row of the given seven values.
func RowOf(v ...int) *Row {
	var r Row
	for i := 0; i < len(v) && i < NumColumns; i++ {
		r[i] = N(v[i])
	}
	return &r
}

// Rows are the standard rows of table 三 by key; a row not printed is nil.
type Rows map[RowKey]*Row

// MarshalJSON writes every standard row key in printed order, null for a row
// not printed.
func (rs Rows) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, spec := range Table3Rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(string(spec.Key)))
		b.WriteByte(':')
		row := rs[spec.Key]
		if row == nil {
			b.WriteString("null")
			continue
		}
		v, err := json.Marshal(row)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Table3 is table 三, 收到和处理政府信息公开申请情况.
type Table3 struct {
	Columns   []string   `json:"columns"`
	Rows      Rows       `json:"rows"`
	ExtraRows []ExtraRow `json:"extra_rows"`
}

// NewTable3 returns a table 三 with its columns and no row printed.
func NewTable3() Table3 {
	return Table3{Columns: ColumnKeys[:], Rows: Rows{}, ExtraRows: []ExtraRow{}}
}

// MarshalJSON writes the table with its columns and extra_rows as [] when
// empty.
func (t Table3) MarshalJSON() ([]byte, error) {
	type plain Table3
	p := plain(t)
	if p.Columns == nil {
		p.Columns = ColumnKeys[:]
	}
	if p.Rows == nil {
		p.Rows = Rows{}
	}
	if p.ExtraRows == nil {
		p.ExtraRows = []ExtraRow{}
	}
	return json.Marshal(p)
}

// Set stores n in the given row and column, creating the row (all blank) when
// it was not printed.
func (t *Table3) Set(key RowKey, col Column, n int) {
	row := t.ensure(key)
	row[col] = N(n)
}

// SetRow stores a whole row.
func (t *Table3) SetRow(key RowKey, row Row) {
	if t.Rows == nil {
		t.Rows = Rows{}
	}
	r := row
	t.Rows[key] = &r
}

func (t *Table3) ensure(key RowKey) *Row {
	if t.Rows == nil {
		t.Rows = Rows{}
	}
	row := t.Rows[key]
	if row == nil {
		row = &Row{}
		t.Rows[key] = row
	}
	return row
}

// Get returns a cell; a row not printed gives a blank cell.
func (t *Table3) Get(key RowKey, col Column) Cell {
	row := t.Rows[key]
	if row == nil {
		return Cell{}
	}
	return row[col]
}

// Row returns a printed row, or nil.
func (t *Table3) Row(key RowKey) *Row { return t.Rows[key] }

// ExtraRow is a printed row that subdivides a standard row (the customs
// variant splits （六）3「其他」 into 「咨询事项，指引咨询渠道」 and
// 「申请人撤销申请」). The standard row named by CountsAs holds their sum.
type ExtraRow struct {
	Label    string `json:"label"`
	CountsAs RowKey `json:"counts_as"`
	Values   Row    `json:"values"`
}

// Table4 is table 四, 政府信息公开行政复议、行政诉讼情况: one row of fifteen
// numbers in three groups.
type Table4 struct {
	Reconsideration                Outcomes `json:"reconsideration"`                  // 行政复议
	LitigationDirect               Outcomes `json:"litigation_direct"`                // 行政诉讼：未经复议直接起诉
	LitigationAfterReconsideration Outcomes `json:"litigation_after_reconsideration"` // 行政诉讼：复议后起诉
}

// Group is one of the three groups of table 四.
type Group struct {
	Key   string // JSON key
	Label string // printed heading
	Get   func(*Table4) *Outcomes
}

// Table4Groups are the groups of table 四 in printed order.
var Table4Groups = []Group{
	{"reconsideration", "行政复议", func(t *Table4) *Outcomes { return &t.Reconsideration }},
	{"litigation_direct", "行政诉讼（未经复议直接起诉）", func(t *Table4) *Outcomes { return &t.LitigationDirect }},
	{"litigation_after_reconsideration", "行政诉讼（复议后起诉）", func(t *Table4) *Outcomes { return &t.LitigationAfterReconsideration }},
}

// Outcomes are the five numbers of a group of table 四.
type Outcomes struct {
	Upheld    Cell `json:"upheld"`    // 结果维持
	Corrected Cell `json:"corrected"` // 结果纠正
	Other     Cell `json:"other"`     // 其他结果
	Pending   Cell `json:"pending"`   // 尚未审结
	Total     Cell `json:"total"`     // 总计
}

// OutcomeKeys and OutcomeLabels name the five cells of a group of table 四.
var (
	OutcomeKeys   = [5]string{"upheld", "corrected", "other", "pending", "total"}
	OutcomeLabels = [5]string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
)

// Cells returns the five cells in printed order.
func (o *Outcomes) Cells() [5]*Cell {
	return [5]*Cell{&o.Upheld, &o.Corrected, &o.Other, &o.Pending, &o.Total}
}

// Parts adds 结果维持, 结果纠正, 其他结果 and 尚未审结.
func (o *Outcomes) Parts() int {
	return o.Upheld.Int() + o.Corrected.Int() + o.Other.Int() + o.Pending.Int()
}

// Severity grades a finding.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule names, as in annual-report-json.md.
const (
	RuleBalance   = "T3.BALANCE"
	RuleRowSum    = "T3.ROWSUM"
	RuleOutcomes  = "T3.OUTCOMES"
	RuleT4Sum     = "T4.SUM"
	RuleNegative  = "NEGATIVE"
	RuleBlank     = "BLANK"
	RuleNarrative = "NARRATIVE"
	RuleFormat    = "FORMAT"
	RuleYearCarry = "YEAR.CARRY"
	RuleInForce   = "YEAR.IN_FORCE"
)

// Rules beyond the specification's table, documented in docs/annual-rules.md.
const (
	// RuleNarrativeBreakdown: a breakdown the narrative states (予以公开 N件,
	// 结果维持 N件, 上年结转/结转下年度 in the same sentence) differs from the
	// tables.
	RuleNarrativeBreakdown = "NARRATIVE.BREAKDOWN"
	// RuleProblemsNone: section 五 states no problem at all.
	RuleProblemsNone = "S5.NO_PROBLEM"
	// RuleProblemsNoMeasure: section 五's account of last year's problems
	// names no measure taken.
	RuleProblemsNoMeasure = "S5.NO_MEASURE"
	// RuleFeesStated: section 六 says no fee was charged while the fee figures
	// say otherwise.
	RuleFeesStated = "S6.FEES"
)

// Finding is one error or warning about a report. Where is the JSON path of the
// cell or row (table3.rows.total_handled[6], table4.reconsideration); Expected
// and Actual are set when the finding compares two numbers.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Where    string   `json:"where"`
	Expected *int     `json:"expected,omitempty"`
	Actual   *int     `json:"actual,omitempty"`
	Message  string   `json:"message"`
	// ID names the finding stably across runs: it is derived from the rule,
	// the place and the numbers involved, so that the same finding in a
	// report checked again has the same ID and a changed number gives a new
	// one (see findingID).
	ID string `json:"id,omitempty"`
	// Status says how sure the finding is: StatusFail, StatusDoubt or
	// StatusUnknown.
	Status Status `json:"status,omitempty"`
}

// Status grades how sure a finding is, for the reviewer who confirms or
// dismisses it.
type Status string

// Statuses, as in annual-report-json.md.
const (
	// StatusFail (不通过): the report breaks the rule, as printed.
	StatusFail Status = "fail"
	// StatusDoubt (存疑): the report may break the rule; a person must judge
	// (a sentence of the narrative read against the tables, a count that
	// other documents may explain).
	StatusDoubt Status = "doubt"
	// StatusUnknown (无法判断): the part could not be read, so the rule could
	// not be applied.
	StatusUnknown Status = "unknown"
)
