package requests

import (
	"fmt"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
)

// This file turns the records into tables 三 and 四 of the annual report
// (国办公开办函〔2021〕30号), with the year boundaries of
// annual-report-format.md:
//
//   - received (一): applications whose date of receipt falls in the year;
//   - carried_over (二): received before the year, not concluded by its start;
//   - outcome rows (三) and total_handled: concluded in the year, by outcome;
//   - carried_forward (四): received by the year's end, not concluded by then;
//   - columns: the applicant's type at the time of application.
//
// So received + carried_over = total_handled + carried_forward in every
// column by construction. The customs variant's sub-kinds of other_other
// are printed as extra rows.

// Bucket is where an application falls in a year's table 三.
type Bucket string

// The buckets.
const (
	BucketReceived       Bucket = "received"
	BucketCarriedOver    Bucket = "carried_over"
	BucketConcluded      Bucket = "concluded"
	BucketCarriedForward Bucket = "carried_forward"
)

// Count is the number of applications of one applicant type in one bucket
// (and, for concluded, one outcome and sub-kind): what the store's query
// returns.
type Count struct {
	Type    ApplicantType
	Bucket  Bucket
	Outcome annual.RowKey
	SubKind string
	N       int
}

// YearBounds returns the first and last day of a year as YYYY-MM-DD.
func YearBounds(year int) (string, string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
}

// Buckets says which buckets an application falls in for year (the same
// rules as the store's query, for one application): used to link a cell to
// the applications it counts.
func Buckets(year int, receivedOn, concludedOn string) []Bucket {
	first, last := YearBounds(year)
	var out []Bucket
	if receivedOn >= first && receivedOn <= last {
		out = append(out, BucketReceived)
	}
	if receivedOn < first && (concludedOn == "" || concludedOn >= first) {
		out = append(out, BucketCarriedOver)
	}
	if concludedOn >= first && concludedOn <= last {
		out = append(out, BucketConcluded)
	}
	if receivedOn <= last && (concludedOn == "" || concludedOn > last) {
		out = append(out, BucketCarriedForward)
	}
	return out
}

// Extra rows of the customs variant, with the labels the seed prints.
var extraRows = []struct{ SubKind, Label string }{
	{SubConsultChannel, "3. 咨询事项，指引咨询渠道"},
	{SubWithdrawn, "4. 申请人撤销申请"},
	{"", "5. 其他"},
}

// ExtraRowSubKind is the sub-kind of other_other an extra row of the
// customs variant counts ("" for its 「其他」 row); ok is false for a label
// that is not one of them.
func ExtraRowSubKind(label string) (subKind string, ok bool) {
	for _, e := range extraRows {
		if e.Label == label {
			return e.SubKind, true
		}
	}
	return "", false
}

// Table3 builds table 三 from the counts: every standard row printed (0
// where nothing was counted), totals added, and other_other split into the
// customs variant's extra rows.
func Table3(counts []Count) annual.Table3 {
	t := annual.NewTable3()
	for _, spec := range annual.Table3Rows {
		t.SetRow(spec.Key, zeroRow())
	}
	extras := make([]annual.Row, len(extraRows))
	for i := range extras {
		extras[i] = zeroRow()
	}
	add := func(row *annual.Row, col annual.Column, n int) {
		row[col] = annual.N(row[col].Int() + n)
		row[annual.ColTotal] = annual.N(row[annual.ColTotal].Int() + n)
	}
	for _, c := range counts {
		col, ok := c.Type.Column()
		if !ok {
			continue
		}
		switch c.Bucket {
		case BucketReceived:
			add(t.Rows[annual.RowReceived], col, c.N)
		case BucketCarriedOver:
			add(t.Rows[annual.RowCarriedOver], col, c.N)
		case BucketCarriedForward:
			add(t.Rows[annual.RowCarriedForward], col, c.N)
		case BucketConcluded:
			if r := t.Rows[c.Outcome]; r != nil && c.Outcome != annual.RowTotalHandled {
				add(r, col, c.N)
				add(t.Rows[annual.RowTotalHandled], col, c.N)
			}
			if c.Outcome == annual.RowOtherOther {
				i := len(extraRows) - 1
				for j, e := range extraRows {
					if e.SubKind == c.SubKind {
						i = j
					}
				}
				add(&extras[i], col, c.N)
			}
		}
	}
	for i, e := range extraRows {
		if e.SubKind == "" && extras[i][annual.ColTotal].Int() == 0 {
			continue
		}
		t.ExtraRows = append(t.ExtraRows, annual.ExtraRow{Label: e.Label, CountsAs: annual.RowOtherOther, Values: extras[i]})
	}
	return t
}

func zeroRow() annual.Row {
	var r annual.Row
	for i := range r {
		r[i] = annual.N(0)
	}
	return r
}

// AppealKind is the kind of a remedy sought against an answer (条例第五十一条).
type AppealKind string

// The kinds, as the groups of table 四.
const (
	Reconsideration   AppealKind = "reconsideration"                  // 行政复议
	LawsuitDirect     AppealKind = "litigation_direct"                // 未经复议直接起诉
	LawsuitAfterRecon AppealKind = "litigation_after_reconsideration" // 复议后起诉
)

// AppealResult is the result of a reconsideration or a lawsuit.
type AppealResult string

// The results, as the cells of a group of table 四.
const (
	ResultUpheld    AppealResult = "upheld"    // 维持
	ResultCorrected AppealResult = "corrected" // 纠正
	ResultOther     AppealResult = "other"     // 其他
	ResultPending   AppealResult = ""          // 尚未审结
)

// Appeal is a reconsideration or lawsuit linked to an application.
type Appeal struct {
	ID            int64
	ApplicationID int64
	Kind          AppealKind
	FiledOn       calendar.Date
	Result        AppealResult
	DecidedOn     calendar.Date // zero while pending
}

// AppealKindLabel and AppealResultLabel name kinds and results in Chinese.
func AppealKindLabel(k AppealKind) string {
	for _, g := range annual.Table4Groups {
		if g.Key == string(k) {
			return g.Label
		}
	}
	return string(k)
}

// AppealResultLabel names a result as table 四 prints it.
func AppealResultLabel(r AppealResult) string {
	switch r {
	case ResultUpheld:
		return "结果维持"
	case ResultCorrected:
		return "结果纠正"
	case ResultOther:
		return "其他结果"
	}
	return "尚未审结"
}

// ValidAppeal checks an appeal's kind, result and dates.
func ValidAppeal(a Appeal) error {
	if AppealKindLabel(a.Kind) == string(a.Kind) {
		return fieldErr("kind", "请选择行政复议或行政诉讼的类型。")
	}
	switch a.Result {
	case ResultUpheld, ResultCorrected, ResultOther:
		if a.DecidedOn.IsZero() {
			return fieldErr("decided_on", "已审结的，请填写审结日期。")
		}
	case ResultPending:
		if !a.DecidedOn.IsZero() {
			return fieldErr("result", "填写了审结日期的，请选择审结结果。")
		}
	default:
		return fieldErr("result", "请选择结果：维持、纠正、其他或尚未审结。")
	}
	if a.FiledOn.IsZero() {
		return fieldErr("filed_on", "请填写提起日期。")
	}
	if !a.DecidedOn.IsZero() && a.DecidedOn.Before(a.FiledOn) {
		return fieldErr("decided_on", "审结日期不能早于提起日期。")
	}
	return nil
}

// Table4 builds table 四 for year: a case counts in the year it is filed
// and in every later year until the year it is decided in; decided in the
// year it counts under its result, otherwise as 尚未审结.
func Table4(year int, appeals []Appeal) *annual.Table4 {
	t := &annual.Table4{}
	for _, g := range annual.Table4Groups {
		for _, c := range g.Get(t).Cells() {
			*c = annual.N(0)
		}
	}
	for _, a := range appeals {
		if a.FiledOn.Year() > year || (!a.DecidedOn.IsZero() && a.DecidedOn.Year() < year) {
			continue
		}
		var o *annual.Outcomes
		for _, g := range annual.Table4Groups {
			if g.Key == string(a.Kind) {
				o = g.Get(t)
			}
		}
		if o == nil {
			continue
		}
		cell := &o.Pending
		if !a.DecidedOn.IsZero() && a.DecidedOn.Year() == year {
			switch a.Result {
			case ResultUpheld:
				cell = &o.Upheld
			case ResultCorrected:
				cell = &o.Corrected
			case ResultOther:
				cell = &o.Other
			}
		}
		*cell = annual.N(cell.Int() + 1)
		o.Total = annual.N(o.Total.Int() + 1)
	}
	return t
}
