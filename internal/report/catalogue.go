package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/rectify"
	"gongkai/internal/requests"
)

// This file is the catalogue of statistics (统计项目录): every figure a
// template may name, what it counts, and the records behind it. Each is
// computed from the records of the report's units and year — nothing here
// is typed in or stored — and the rates and averages are recomputed from
// the records for a roll-up, never summed or averaged over units. The
// catalogue is documented to staff by the template editor (each key with
// its meaning and current value) and in docs/report-statistics.md.

// Facts are the records' figures a build gathers for one scope and year.
type Facts struct {
	Unit    org.Unit
	Scope   annual.Scope
	UnitIDs []int64
	Year    int
	Profile Profile
	// Settings are the unit's settings (the profile, the templates).
	Settings map[string]string
	// FirstYear is the earliest year of the units' records.
	FirstYear int

	Publish  publish.YearStats
	Table2   *annual.Table2
	Counts   []requests.Count
	Table3   annual.Table3
	Table4   *annual.Table4
	Appeals  []requests.Appeal
	FeesYuan int
	FeesN    int
	Subjects []requests.SubjectCount
	Desk     desk.SectionOneThree
	// Columns are the special columns the units ever posted in.
	Columns []desk.ColumnFigures
	// The rectification register: problems stated in last year's report
	// and in this year's, and section 五 as it words them.
	LastProblems []rectify.Problem
	Problems     []rectify.Problem
	SectionFive  rectify.Section
}

// Stat is one statistic of the catalogue for a build: its definition, its
// value, and the records it counts.
type Stat struct {
	Def     annual.FigureDef
	Figure  annual.Figure
	Records *RecordQuery // nil when it counts no records of its own (the year, the unit)
}

// Subject is the prose's name for the report's subject: 「福州海关本级机关」,
// 「福州海关全系统」.
func Subject(u org.Unit, scope annual.Scope) string { return u.Name + scope.Label() }

// CategoryKey is a category's statistic key: its name without quotation
// marks (「行政执法“双公示”」 → 「主动公开.行政执法双公示」).
func CategoryKey(c publish.Category) string {
	return "主动公开." + strings.NewReplacer("“", "", "”", "", "\"", "", "「", "", "」", "", " ", "").Replace(c.Name)
}

// PlatformKey is a new-media platform's key part (「微信公众号」).
func PlatformKey(platform string) string { return desk.PlatformLabel(platform) }

// Catalogue computes every statistic of the facts, in the order the
// template editor lists them.
func Catalogue(f *Facts) []Stat {
	c := &cat{f: f}
	c.basics()
	c.publishing()
	c.table2()
	c.requestFigures()
	c.platforms()
	c.register()
	return c.out
}

type cat struct {
	f   *Facts
	out []Stat
}

func i64(n int64) *int64 { return &n }

func optPrev(n int64) *int64 {
	if n < 0 {
		return nil
	}
	return &n
}

func (c *cat) q(kind RecordKind) *RecordQuery {
	return &RecordQuery{Kind: kind, UnitIDs: c.f.UnitIDs, Year: c.f.Year, Column: -1}
}

// count adds a count; prev < 0 when last year's is not known.
func (c *cat) count(key, label string, n, prev int64, rec *RecordQuery) {
	fig := annual.Figure{Key: key, Label: label, Kind: annual.FigureCount, Text: strconv.FormatInt(n, 10), Value: i64(n)}
	if prev >= 0 {
		fig.Previous = i64(prev)
	}
	c.out = append(c.out, Stat{Def: annual.FigureDef{Key: key, Label: label, Kind: annual.FigureCount, HasPrevious: prev >= 0}, Figure: fig, Records: rec})
}

// value adds a rate, score or amount: text as printed, hundredths as its value.
func (c *cat) value(key, label string, kind annual.FigureKind, text string, hundredths int64, valid bool, rec *RecordQuery) {
	fig := annual.Figure{Key: key, Label: label, Kind: kind, Text: text}
	if valid {
		fig.Value = i64(hundredths)
	}
	c.out = append(c.out, Stat{Def: annual.FigureDef{Key: key, Label: label, Kind: kind}, Figure: fig, Records: rec})
}

func (c *cat) text(key, label, text string, rec *RecordQuery) {
	c.out = append(c.out, Stat{Def: annual.FigureDef{Key: key, Label: label, Kind: annual.FigureText},
		Figure: annual.Figure{Key: key, Label: label, Kind: annual.FigureText, Text: text}, Records: rec})
}

func (c *cat) basics() {
	f := c.f
	y := int64(f.Year)
	c.out = append(c.out,
		Stat{Def: annual.FigureDef{Key: "年度", Label: "报告年度", Kind: annual.FigureYear},
			Figure: annual.Figure{Key: "年度", Label: "报告年度", Kind: annual.FigureYear, Text: strconv.Itoa(f.Year), Value: i64(y)}},
		Stat{Def: annual.FigureDef{Key: "上年度", Label: "报告年度的上一年", Kind: annual.FigureYear},
			Figure: annual.Figure{Key: "上年度", Label: "报告年度的上一年", Kind: annual.FigureYear, Text: strconv.Itoa(f.Year - 1), Value: i64(y - 1)}},
	)
	c.text("单位", "单位名称", f.Unit.Name, nil)
	c.text("范围", "报告范围：本级机关或全系统", f.Scope.Label(), nil)
	c.text("主体", "报告主体：单位名称＋本级机关／全系统", Subject(f.Unit, f.Scope), nil)
}

// publishing: section 一（一）, from the items' publications (publish.StatsOf).
func (c *cat) publishing() {
	s := c.f.Publish
	all := c.q(RecItems)
	c.count("主动公开.发布总数", "本年新发布的主动公开信息（条），上年为上年新发布数", int64(s.New), int64(s.PrevNew), all)
	rev := c.q(RecItems)
	rev.Revision = true
	c.count("主动公开.更新条次", "本年对已发布信息的更新（条次）", int64(s.Revisions), -1, rev)
	for _, cs := range s.Categories {
		q := c.q(RecItems)
		q.Category = cs.Category.Slug
		c.count(CategoryKey(cs.Category), fmt.Sprintf("“%s”栏目本年新发布（%s）", cs.Category.Name, cs.Category.ReportMeasure()), int64(cs.New), int64(cs.PrevNew), q)
	}
}

// table2: the registers of 第二十条, as table 二 prints them.
func (c *cat) table2() {
	t := c.f.Table2
	if t == nil {
		t = &annual.Table2{}
	}
	doc := func(key, name string, kind publish.DocKind, d annual.DocCounts) {
		for _, x := range []struct {
			k, l, count string
			cell        annual.Cell
		}{{"制发", "本年制发", "issued", d.Issued}, {"废止", "本年废止", "abolished", d.Abolished}, {"现行有效", "现行有效", "in_force", d.InForce}} {
			q := c.q(RecDocuments)
			q.DocKind, q.DocCount = string(kind), x.count
			c.count("表二."+key+"."+x.k, name+x.l+"件数", int64(x.cell.Int()), -1, q)
		}
	}
	doc("规章", "规章", publish.Rule, t.Regulations)
	doc("规范性文件", "行政规范性文件", publish.Normative, t.NormativeDocuments)
	dec := func(key string, kind publish.DecisionKind, cell annual.Cell) {
		q := c.q(RecDecisions)
		q.DecisionKind = string(kind)
		c.count("表二."+key, key+"本年处理决定数量", int64(cell.Int()), -1, q)
	}
	dec("行政许可", publish.Licensing, t.LicensingDecisions)
	dec("行政处罚", publish.Penalty, t.PenaltyDecisions)
	dec("行政强制", publish.Enforcement, t.EnforcementDecisions)
	fee := "0"
	if t.FeesWanYuan != nil {
		fee = *t.FeesWanYuan
	}
	c.text("表二.行政事业性收费", "行政事业性收费本年收费金额（万元）", fee, c.q(RecAdminFees))
}

// requestFigures: section 一（二）, tables 三 and 四, fees (section 六).
func (c *cat) requestFigures() {
	f := c.f
	t := &f.Table3
	total := func(k annual.RowKey) int64 { return int64(t.Get(k, annual.ColTotal).Int()) }
	bucket := func(b requests.Bucket) *RecordQuery {
		q := c.q(RecApplications)
		q.Bucket = b
		return q
	}
	c.count("依申请.新收", "本年新收政府信息公开申请（件，表三第一项）", total(annual.RowReceived), -1, bucket(requests.BucketReceived))
	nat := bucket(requests.BucketReceived)
	nat.Column = int(annual.ColNaturalPerson)
	c.count("依申请.自然人申请", "本年新收申请中自然人提出的（件）", int64(t.Get(annual.RowReceived, annual.ColNaturalPerson).Int()), -1, nat)
	org := int64(0)
	for col := annual.ColCommercial; col < annual.ColTotal; col++ {
		org += int64(t.Get(annual.RowReceived, col).Int())
	}
	orgQ := bucket(requests.BucketReceived)
	orgQ.Column = -2 // every organisation column
	c.count("依申请.法人或其他组织申请", "本年新收申请中法人或其他组织提出的（件）", org, -1, orgQ)
	c.count("依申请.上年结转", "上年结转政府信息公开申请（件，表三第二项）", total(annual.RowCarriedOver), -1, bucket(requests.BucketCarriedOver))
	c.count("依申请.办结", "本年办理完毕的申请（件，表三（七）总计）", total(annual.RowTotalHandled), -1, bucket(requests.BucketConcluded))
	withdrawn := int64(0)
	for _, n := range f.Counts {
		if n.Bucket == requests.BucketConcluded && n.Outcome == annual.RowOtherOther && n.SubKind == requests.SubWithdrawn {
			withdrawn += int64(n.N)
		}
	}
	ans := bucket(requests.BucketConcluded)
	ans.NotSubKind = requests.SubWithdrawn
	c.count("依申请.办理答复", "本年作出答复的申请（办结且不是申请人撤回，件）", total(annual.RowTotalHandled)-withdrawn, -1, ans)
	wd := bucket(requests.BucketConcluded)
	wd.Outcome, wd.SubKind = annual.RowOtherOther, requests.SubWithdrawn
	c.count("依申请.撤回", "本年申请人撤回的申请（件）", withdrawn, -1, wd)
	c.count("依申请.结转下年", "结转下年度继续办理（件，表三第四项）", total(annual.RowCarriedForward), -1, bucket(requests.BucketCarriedForward))
	groups := []struct {
		key  string
		rows []annual.RowKey
	}{
		{"依申请.予以公开", []annual.RowKey{annual.RowDisclosed}},
		{"依申请.部分公开", []annual.RowKey{annual.RowPartlyDisclosed}},
		{"依申请.不予公开", rowsInGroup("（三）不予公开")},
		{"依申请.无法提供", rowsInGroup("（四）无法提供")},
		{"依申请.不予处理", rowsInGroup("（五）不予处理")},
		{"依申请.其他处理", rowsInGroup("（六）其他处理")},
	}
	for _, g := range groups {
		var n int64
		for _, k := range g.rows {
			n += total(k)
		}
		q := bucket(requests.BucketConcluded)
		q.Outcomes = g.rows
		c.count(g.key, "本年办结申请中“"+strings.TrimPrefix(g.key, "依申请.")+"”的（件）", n, -1, q)
	}
	var subjects []string
	for i, s := range f.Subjects {
		if i >= f.Profile.Subjects || s.N == 0 {
			break
		}
		subjects = append(subjects, s.Subject)
	}
	c.text("依申请.内容涉及", fmt.Sprintf("本年新收申请最多涉及的内容（按件数列举前%d类，“、”分隔，末项前用“和”）", f.Profile.Subjects), listAnd(subjects), bucket(requests.BucketReceived))

	t4 := f.Table4
	if t4 == nil {
		t4 = &annual.Table4{}
	}
	rec := t4.Reconsideration.Total.Int()
	lit := t4.LitigationDirect.Total.Int() + t4.LitigationAfterReconsideration.Total.Int()
	appeals := func(kind string) *RecordQuery {
		q := c.q(RecAppeals)
		q.AppealKind = kind
		return q
	}
	c.count("复议.总计", "政府信息公开行政复议（件，表四）", int64(rec), -1, appeals(string(requests.Reconsideration)))
	c.count("复议.维持", "行政复议结果维持（件）", int64(t4.Reconsideration.Upheld.Int()), -1, appeals(string(requests.Reconsideration)))
	c.count("复议.纠正", "行政复议结果纠正（件）", int64(t4.Reconsideration.Corrected.Int()), -1, appeals(string(requests.Reconsideration)))
	c.count("诉讼.总计", "政府信息公开行政诉讼（件，表四，含复议后起诉）", int64(lit), -1, appeals("litigation"))
	var sentence string
	switch {
	case rec == 0 && lit == 0:
		sentence = "未出现因依申请公开答复产生的复议、诉讼"
	case lit == 0:
		sentence = fmt.Sprintf("因依申请公开答复产生行政复议%d件，未产生行政诉讼", rec)
	case rec == 0:
		sentence = fmt.Sprintf("因依申请公开答复产生行政诉讼%d件，未产生行政复议", lit)
	default:
		sentence = fmt.Sprintf("因依申请公开答复产生行政复议%d件、行政诉讼%d件", rec, lit)
	}
	c.text("复议诉讼.情况", "一句话说明因依申请公开答复产生的行政复议、行政诉讼（无则为“未出现因依申请公开答复产生的复议、诉讼”）", sentence, appeals(""))

	fees := c.q(RecFees)
	c.count("依申请.收费件数", "本年收取信息处理费的申请（件，国办函〔2020〕109号）", int64(f.FeesN), -1, fees)
	c.value("依申请.信息处理费", "本年收取的信息处理费（元）", annual.FigureAmount, strconv.Itoa(f.FeesYuan), int64(f.FeesYuan)*100, true, fees)
}

// rowsInGroup lists the standard rows of table 三 printed under a group.
func rowsInGroup(group string) []annual.RowKey {
	var out []annual.RowKey
	for _, s := range annual.Table3Rows {
		if s.Group == group {
			out = append(out, s.Key)
		}
	}
	return out
}

// listAnd joins names as Chinese prose does: 「甲、乙和丙」.
func listAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], "、") + "和" + names[len(names)-1]
}

// platforms: section 一（三）, from the desk's records (desk.Figures).
func (c *cat) platforms() {
	cur, prev := c.f.Desk.Current, c.f.Desk.Previous
	calls := c.q(RecCalls)
	answered := c.q(RecCalls)
	answered.Answered = true
	c.count("热线.来电量", "12360热线呼入电话（条次，话单）", cur.CallsOffered, prev.CallsOffered, calls)
	c.count("热线.接听量", "12360热线接听电话（条次，话单）", cur.CallsAnswered, prev.CallsAnswered, answered)
	c.value("热线.接通率", "12360热线接通率（接听量÷来电量）", annual.FigureRate, cur.Connection.String(), cur.Connection.Tenths*10, cur.Connection.Valid, calls)
	hot := c.q(RecHotline)
	c.count("热线.工单", "12360热线工单（条）", cur.HotlineRecords, prev.HotlineRecords, hot)
	rated := c.q(RecHotline)
	rated.Rated = true
	c.value("热线.满意度", "12360热线满意度得分（好差评均值×20，分）", annual.FigureScore, cur.Satisfaction.String(), cur.Satisfaction.Hundredths, cur.Satisfaction.Valid, rated)
	for _, e := range []struct {
		kind, name, verb string
		f, p             desk.EnquiryFigures
	}{{"consult", "咨询", "答复", cur.Consult, prev.Consult}, {"message", "留言", "办理", cur.Message, prev.Message}} {
		recv := c.q(RecEnquiries)
		recv.EnquiryKind = e.kind
		done := c.q(RecEnquiries)
		done.EnquiryKind, done.Handled = e.kind, true
		c.count(e.name+".收到", "门户网站收到网上"+e.name+"（条）", e.f.Received, e.p.Received, recv)
		c.count(e.name+"."+e.verb, "本年"+e.verb+"的网上"+e.name+"（条，答复经审核通过）", e.f.Handled, e.p.Handled, done)
		c.value(e.name+".平均办理时效", "网上"+e.name+"平均办理时效（自然日，收到至答复审核通过）", annual.FigureScore, e.f.AvgDays.String(), e.f.AvgDays.Hundredths, e.f.AvgDays.Valid, done)
	}
	visits := c.q(RecVisits)
	visits.Sum = "hits"
	c.count("网站.访问量", "门户网站访问量（次）", cur.PageViews, prev.PageViews, visits)
	for _, pl := range cur.Platforms {
		pp := prev.Platform(pl.Platform)
		posts := c.q(RecPosts)
		posts.Platform, posts.PostKind = pl.Platform, "post"
		name := PlatformKey(pl.Platform)
		c.count("新媒体."+name+".发文", name+"本年发文（条）", pl.Posts, pp.Posts, posts)
		fol := c.q(RecFollowers)
		fol.Platform, fol.Sum = pl.Platform, "followers"
		prevFollowers := int64(-1)
		if pp.FollowersKnown {
			prevFollowers = pp.Followers
		}
		label := name + "年末关注人数（各账号本年最后一次记录之和）"
		if pl.FollowersKnown {
			c.count("新媒体."+name+".关注人数", label, pl.Followers, prevFollowers, fol)
		} else {
			// An account without a count this year: the statistic stays
			// (a template may name it), with no value.
			c.out = append(c.out, Stat{Def: annual.FigureDef{Key: "新媒体." + name + ".关注人数", Label: label, Kind: annual.FigureCount, HasPrevious: true},
				Figure: annual.Figure{Key: "新媒体." + name + ".关注人数", Label: label, Kind: annual.FigureCount, Text: "（本年未记录）", Previous: optPrev(prevFollowers)}, Records: fol})
		}
	}
	lives := c.q(RecPosts)
	lives.PostKind = "live"
	c.count("新媒体.微直播", "新媒体微直播（期）", cur.Lives, prev.Lives, lives)
	issues := func(cs []desk.ColumnFigures, col desk.ColumnFigures) int64 {
		var n int64
		for _, x := range cs {
			if x.Column == col.Column && x.Platform == col.Platform {
				n += x.Issues
			}
		}
		return n
	}
	cols := append([]desk.ColumnFigures(nil), c.f.Columns...)
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].Column < cols[j].Column })
	seen := map[string]bool{}
	for _, col := range cols {
		key := "新媒体.专栏." + col.Column
		if seen[key] {
			continue // one column name on two platforms is one statistic
		}
		seen[key] = true
		var n, p int64
		for _, x := range cols {
			if x.Column == col.Column {
				n, p = n+issues(cur.Columns, x), p+issues(prev.Columns, x)
			}
		}
		q := c.q(RecPosts)
		q.MediaColumn = col.Column
		c.count(key, "“"+col.Column+"”专栏本年推出（期）", n, p, q)
	}
	press := c.q(RecOutreach)
	press.OutreachKind = "press"
	out := c.q(RecOutreach)
	out.OutreachKind = "outreach"
	c.count("发布会.场次", "召开新闻发布会（场）", cur.PressConferences, prev.PressConferences, press)
	c.count("宣讲.场次", "组织宣讲活动（场）", cur.OutreachEvents, prev.OutreachEvents, out)
	reached := c.q(RecOutreach)
	reached.Sum = "enterprises" // every event's, press conferences' too
	c.count("宣讲.覆盖企业", "新闻发布会和宣讲活动覆盖企业（家）", cur.Enterprises, prev.Enterprises, reached)
	surveys := c.q(RecSurveys)
	c.count("调查问卷.份数", "本年开展的调查问卷（份）", int64(len(cur.Surveys)), int64(len(prev.Surveys)), surveys)
	answers := c.q(RecSurveys)
	answers.Sum = "answers"
	c.count("调查问卷.答卷", "本年收到的问卷答卷（份）", cur.SurveyResponses, prev.SurveyResponses, answers)
	var titles strings.Builder
	for _, s := range cur.Surveys {
		titles.WriteString("《" + s.Title + "》")
	}
	c.text("调查问卷.标题", "本年开展的调查问卷名称（书名号括起）", titles.String(), surveys)
	comp := c.q(RecComplaints)
	c.count("投诉.收到", "本年收到政府信息公开工作投诉（件）", cur.ComplaintsReceived, prev.ComplaintsReceived, comp)
	c.count("投诉.办结", "本年办结的投诉（件）", cur.ComplaintsConcluded, prev.ComplaintsConcluded, comp)
	var complaint string
	if cur.ComplaintsReceived == 0 {
		complaint = "年内未收到政府信息公开相关投诉事项"
	} else {
		complaint = fmt.Sprintf("年内收到政府信息公开相关投诉%d件", cur.ComplaintsReceived)
		switch {
		case cur.ComplaintsConcluded >= cur.ComplaintsReceived:
			complaint += "，均已办结"
		case cur.ComplaintsConcluded > 0:
			complaint += fmt.Sprintf("，其中%d件已办结", cur.ComplaintsConcluded)
		}
	}
	c.text("投诉.情况", "一句话说明本年收到的政府信息公开工作投诉", complaint, comp)
}

// Defs lists the definitions of a catalogue, for checking a template.
func Defs(stats []Stat) []annual.FigureDef {
	out := make([]annual.FigureDef, len(stats))
	for i, s := range stats {
		out[i] = s.Def
	}
	return out
}

// Figures indexes a catalogue's values by key.
func Figures(stats []Stat) map[string]annual.Figure {
	m := make(map[string]annual.Figure, len(stats))
	for _, s := range stats {
		m[s.Def.Key] = s.Figure
	}
	return m
}

// register: the rectification register behind section 五.
func (c *cat) register() {
	f := c.f
	last := c.q(RecProblems)
	last.ProblemYear = f.Year - 1
	this := c.q(RecProblems)
	this.ProblemYear = f.Year
	done := 0
	for _, p := range f.LastProblems {
		if p.Status == rectify.Done {
			done++
		}
	}
	c.count("整改.上年问题", "上年年报所提问题（个，整改台账）", int64(len(f.LastProblems)), -1, last)
	c.count("整改.上年已整改", "上年年报所提问题中已整改的（个）", int64(done), -1, last)
	c.count("整改.本年问题", "本年存在的问题（个，整改台账）", int64(len(f.Problems)), -1, this)
}
