package inspect

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
)

// The assessment (考核) of a unit's departments and of its subordinate
// units, per quarter and per year: each indicator counted from the records
// it rests on, each figure with the records behind it; a weighted score
// only where the unit has set the weights (unit setting inspect.weights),
// never an invented one.

// Measure is an indicator of the assessment.
type Measure string

// The measures.
const (
	PubTimely      Measure = "publish_timely"   // 信息发布及时率 (条例第二十六条)
	RequestsOnTime Measure = "requests_on_time" // 依申请按期答复率 (条例第三十三条)
	MessagesOnTime Measure = "messages_on_time" // 留言咨询按期答复率 (国办秘函〔2019〕19号)
	FindingsClosed Measure = "findings_closed"  // 检查发现整改率
	RectifyOnTime  Measure = "rectify_on_time"  // 整改按期率 (整改台账)
)

// MeasureSpec describes a measure: its name, what it counts, and the
// counts' names.
type MeasureSpec struct {
	ID                Measure
	Label, Basis      string
	Good, All         string // what the numerator and the denominator count
	BadLabel, BadNote string // the complement (e.g. 超期), for pages
}

// Measures lists the measures in display order.
var Measures = []MeasureSpec{
	{PubTimely, "信息发布及时率", "条例第二十六条：形成或者变更之日起20个工作日内公开", "按期发布", "本期发布的信息", "超期发布", ""},
	{RequestsOnTime, "依申请按期答复率", "条例第三十三条：20个工作日内答复（延期的按延长后的期限）", "按期答复", "本期办结的申请", "超期答复", ""},
	{MessagesOnTime, "留言咨询按期答复率", "国办秘函〔2019〕19号：3个月内答复（服务台设置）", "按期答复", "本期答复及超期未答复的留言咨询", "超期", ""},
	{FindingsClosed, "检查发现整改率", "国办秘函〔2019〕19号：检查发现的问题及时整改", "已整改（复查不再发现）", "本期检查发现的问题", "未整改", ""},
	{RectifyOnTime, "整改按期率", "整改台账：整改时限内完成", "未超期", "本期整改台账中的问题", "已超期", ""},
}

// MeasureOf describes a measure.
func MeasureOf(m Measure) MeasureSpec {
	for _, s := range Measures {
		if s.ID == m {
			return s
		}
	}
	return MeasureSpec{ID: m, Label: string(m)}
}

// Period is a quarter or a year (考核期).
type Period struct {
	Year    int
	Quarter int // 1–4, or 0 for the whole year
}

// ParsePeriod reads "2026" or "2026Q2".
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	var p Period
	y, q, hasQ := strings.Cut(s, "Q")
	n, err := strconv.Atoi(y)
	if err != nil || n < 2008 || n > 9999 {
		return p, errs.E(errs.Invalid, "考核期“%s”不正确：应写作 2026（年度）或 2026Q2（季度）", s)
	}
	p.Year = n
	if hasQ {
		k, err := strconv.Atoi(q)
		if err != nil || k < 1 || k > 4 {
			return p, errs.E(errs.Invalid, "考核期“%s”不正确：季度应为 Q1 至 Q4", s)
		}
		p.Quarter = k
	}
	return p, nil
}

// String is the period's key ("2026", "2026Q2").
func (p Period) String() string {
	if p.Quarter == 0 {
		return strconv.Itoa(p.Year)
	}
	return fmt.Sprintf("%dQ%d", p.Year, p.Quarter)
}

// Label is the period's Chinese name.
func (p Period) Label() string {
	if p.Quarter == 0 {
		return fmt.Sprintf("%d年度", p.Year)
	}
	return fmt.Sprintf("%d年第%d季度", p.Year, p.Quarter)
}

// Range is the period in Beijing time: [from, to).
func (p Period) Range() (from, to time.Time) {
	if p.Quarter == 0 {
		return time.Date(p.Year, 1, 1, 0, 0, 0, 0, beijing), time.Date(p.Year+1, 1, 1, 0, 0, 0, 0, beijing)
	}
	m := time.Month(3*(p.Quarter-1) + 1)
	return time.Date(p.Year, m, 1, 0, 0, 0, 0, beijing), time.Date(p.Year, m+3, 1, 0, 0, 0, 0, beijing)
}

// Months are the months of the period.
func (p Period) Months() []time.Time {
	from, to := p.Range()
	var out []time.Time
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// Figure is one measure's count for one department or unit: good of all,
// and its rate in per cent (none without records).
type Figure struct {
	Good, All int
}

// HasRate reports whether there are records to rate.
func (f Figure) HasRate() bool { return f.All > 0 }

// Rate is good ÷ all in per cent, rounded half up to one decimal.
func (f Figure) Rate() float64 {
	if f.All == 0 {
		return 0
	}
	return math.Floor(float64(f.Good)*1000/float64(f.All)+0.5) / 10
}

// Bad is the complement: all − good.
func (f Figure) Bad() int { return f.All - f.Good }

// Scope says whether a row is a department of the unit or a subordinate
// unit.
type Scope string

// The scopes of a row.
const (
	ScopeDept Scope = "dept"
	ScopeUnit Scope = "unit"
)

// Row is one department's or subordinate unit's assessment.
type Row struct {
	Scope   Scope
	ID      int64
	Name    string
	Figures map[Measure]Figure
	// Score is the weighted score, when the unit set weights and some
	// measure has records.
	Score    float64
	HasScore bool
}

// MonthPoint is the trend of one month: the unit's (and its
// subordinates') figures in that month.
type MonthPoint struct {
	Month   time.Time
	Figures map[Measure]Figure
}

// AssessQuery asks for an assessment.
type AssessQuery struct {
	UnitID int64
	Period Period
	Now    time.Time
}

// Assessment is the assessment of a unit's departments and subordinate
// units for a period.
type Assessment struct {
	Query   AssessQuery
	Rows    []Row
	Total   Row // the unit as a whole (本级机关 and below)
	Trend   []MonthPoint
	Weights Weights
}

// WeightsKey is the unit setting holding the weights.
const WeightsKey = "inspect.weights"

// Weights are the unit's weights of the measures; none set means no score.
type Weights map[Measure]float64

// ParseWeights reads "publish_timely=30, requests_on_time=30, …" (a
// measure's key or Chinese name, a number 0–100). Empty means none.
func ParseWeights(s string) (Weights, error) {
	w := Weights{}
	s = strings.TrimSpace(s)
	if s == "" {
		return w, nil
	}
	var f errs.Fields
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '\n' || r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			f.Add("weights", "“%s”应写作 指标=权重", part)
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		var m Measure
		for _, spec := range Measures {
			if k == string(spec.ID) || k == spec.Label {
				m = spec.ID
			}
		}
		if m == "" {
			f.Add("weights", "未知的考核指标“%s”", k)
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < 0 || x > 100 {
			f.Add("weights", "“%s”的权重应为 0 至 100 之间的数字", MeasureOf(m).Label)
			continue
		}
		if _, dup := w[m]; dup {
			f.Add("weights", "“%s”的权重写了两次", MeasureOf(m).Label)
			continue
		}
		w[m] = x
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	total := 0.0
	for _, x := range w {
		total += x
	}
	if total == 0 {
		return nil, errs.FieldError("weights", "权重合计不能为 0：不设权重请留空")
	}
	return w, nil
}

// String writes the weights in the order of Measures.
func (w Weights) String() string {
	var parts []string
	for _, s := range Measures {
		if x, ok := w[s.ID]; ok {
			parts = append(parts, string(s.ID)+"="+trimFloat(x))
		}
	}
	return strings.Join(parts, ", ")
}

// ScoreOf is the weighted score of a row: Σ weight × rate ÷ Σ weight over
// the weighted measures that have records, to one decimal; ok is false
// without weights or records.
func (w Weights) ScoreOf(figs map[Measure]Figure) (float64, bool) {
	var sum, wsum float64
	for m, x := range w {
		f := figs[m]
		if !f.HasRate() || x == 0 {
			continue
		}
		sum += x * f.Rate()
		wsum += x
	}
	if wsum == 0 {
		return 0, false
	}
	return math.Floor(sum/wsum*10+0.5) / 10, true
}

// Score fills the rows' scores.
func (a *Assessment) Score() {
	for i := range a.Rows {
		a.Rows[i].Score, a.Rows[i].HasScore = a.Weights.ScoreOf(a.Rows[i].Figures)
	}
	a.Total.Score, a.Total.HasScore = a.Weights.ScoreOf(a.Total.Figures)
}

// AssessRecord is one record behind a figure.
type AssessRecord struct {
	Label string // what it is: an item's title, an application's number
	When  string // its date
	Good  bool   // counted as good (on time, closed)
	Note  string // why not, or its dates
	Link  string // its page in the back office
}
