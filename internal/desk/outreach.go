package desk

import (
	"strconv"
	"strings"

	"gongkai/internal/errs"
)

// Press conferences (新闻发布会) and outreach events (政策宣讲、走访), with
// the number of enterprises each reached (覆盖企业). The report states the
// year's press conferences and the enterprises reached by outreach
// (「召开新闻发布会2场……覆盖企业700余家」).

// OutreachKinds are the two kinds of event.
var OutreachKinds = []Choice{{"press", "新闻发布会"}, {"outreach", "宣讲活动"}}

// OutreachKindLabel names an event kind.
func OutreachKindLabel(k string) string { return labelOf(OutreachKinds, k) }

// Outreach is a press conference or an outreach event.
type Outreach struct {
	ID          int64
	UnitID      int64
	Kind        string
	Day         string // YYYY-MM-DD
	Title       string
	Enterprises int64 // enterprises reached (an estimate for a broadcast event)
	Notes       string
}

// ValidateOutreach checks an event before it is stored.
func ValidateOutreach(o *Outreach) error {
	var f errs.Fields
	o.Title = strings.TrimSpace(o.Title)
	o.Notes = strings.TrimSpace(o.Notes)
	if k, ok := keyOf(OutreachKinds, o.Kind); ok {
		o.Kind = k
	} else {
		f.Add("kind", "请选择类型（新闻发布会或宣讲活动）")
	}
	checkDay(&f, "day", "举办日期", &o.Day)
	checkText(&f, "title", "名称", o.Title, 100, true)
	if o.Enterprises < 0 || o.Enterprises > 1000000 {
		f.Add("enterprises", "覆盖企业数应为 0–1000000 之间的整数")
	}
	checkText(&f, "notes", "备注", o.Notes, 500, false)
	return f.Err()
}

// About writes a count the way reports round it: below 10 exactly;
// otherwise down to tens (below 100), hundreds (below 10000) or thousands,
// followed by 余 when something was rounded off (742 → 「700余」, 1350 →
// 「1300余」, 60 → 「60」).
func About(n int64) string {
	if n < 10 {
		return strconv.FormatInt(n, 10)
	}
	unit := int64(1000)
	switch {
	case n < 100:
		unit = 10
	case n < 10000:
		unit = 100
	}
	r := n / unit * unit
	if r == n {
		return strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(r, 10) + "余"
}
