// Package inspect is site inspection (网站检查): the agency checks its own
// portal, and any site it is responsible for, against the indicators of
// 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) before its superiors
// do, and is warned before a veto line (单项否决) is crossed.
//
// An inspection run (Run) looks at one target — the unit's own portal,
// judged from the records behind it and from its pages rendered in-process,
// or a site given by its URL, judged from what its HTML shows — and yields
// findings (Finding: one per defect, whatever number of pages show it), each
// touching one indicator (Indicator) with a class (Level: 单项否决, 预警,
// 扣分), and a judgement per indicator (合格, 预警, 扣分, 单项否决, or 无法判断
// when the run could not tell). A run that could not complete says so and
// never reports 合格 for what it did not see.
//
// The checks are pure functions over what the store and the crawler give
// (checks.go); every threshold is a setting with its cited default
// (settings.go); who may do what is Authorize (rules.go). The assessment of
// departments and subordinate units (考核) is assess.go.
//
// The package imports neither net/http nor a SQL driver: the crawler is the
// adapter internal/inspect/crawl, the SQL is internal/store/inspect*.go, the
// pages are internal/web/inspect_*.go.
package inspect

import (
	"sort"
	"time"

	"gongkai/internal/calendar"
)

// beijing is the clock inspection days are counted on (UTC+8, no DST).
var beijing = time.FixedZone("CST", 8*3600)

// Today is the civil date of t in Beijing time.
func Today(t time.Time) calendar.Date { return calendar.DateOf(t.In(beijing)) }

// Level is a finding's class: what the defect means for the inspection.
type Level string

// The classes, most urgent first. A warning (预警) means a veto line is near:
// it is more urgent than a deduction, which costs points but cannot fail the
// site on its own.
const (
	Veto      Level = "veto"      // 单项否决: the indicator fails the site
	Warning   Level = "warning"   // 预警: close to the veto line
	Deduction Level = "deduction" // 扣分
)

// Levels lists the classes, most urgent first.
var Levels = []Level{Veto, Warning, Deduction}

// Label is the class's Chinese name.
func (l Level) Label() string {
	switch l {
	case Veto:
		return "单项否决"
	case Warning:
		return "预警"
	case Deduction:
		return "扣分"
	}
	return string(l)
}

// Rank orders classes: 0 for the most urgent.
func (l Level) Rank() int {
	switch l {
	case Veto:
		return 0
	case Warning:
		return 1
	case Deduction:
		return 2
	}
	return 3
}

// ParseLevel accepts a class's key or Chinese name.
func ParseLevel(s string) (Level, bool) {
	for _, l := range Levels {
		if s == string(l) || s == l.Label() {
			return l, true
		}
	}
	return "", false
}

// Indicator is what a check looks at (检查指标).
type Indicator string

// The indicators of 国办秘函〔2019〕19号 that the system checks.
const (
	HomeStale         Indicator = "home_stale"         // 首页更新
	ColumnStale       Indicator = "column_stale"       // 栏目更新
	ColumnBlank       Indicator = "column_blank"       // 空白栏目
	Unanswered        Indicator = "unanswered"         // 互动回应
	Availability      Indicator = "availability"       // 首页可用性
	BrokenLink        Indicator = "broken_link"        // 链接可用性
	BrokenAttachment  Indicator = "broken_attachment"  // 附件下载
	GuideElements     Indicator = "guide_elements"     // 办事指南要素
	NormativeValidity Indicator = "normative_validity" // 规范性文件效力
	LatePublication   Indicator = "late_publication"   // 发布时效
	NoPublishDate     Indicator = "no_publish_date"    // 发布日期
	Wording           Indicator = "expression"         // 表述错误
	MediaStale        Indicator = "media_stale"        // 新媒体更新
	MediaInteraction  Indicator = "media_interaction"  // 新媒体互动
)

// IndicatorSpec describes an indicator: its name and where it comes from.
type IndicatorSpec struct {
	ID    Indicator
	Label string
	// Basis cites the rule and its default line.
	Basis string
	// OwnSite reports whether only an inspection of the own portal (from
	// the records) can judge it; on another site it is 无法判断.
	OwnSite bool
}

// Indicators lists the indicators in the order pages show them.
var Indicators = []IndicatorSpec{
	{HomeStale, "首页更新", "国办秘函〔2019〕19号：首页栏目信息超过2周未更新的，单项否决（10天预警）", false},
	{ColumnStale, "栏目更新", "国办秘函〔2019〕19号：动态、要闻类栏目超过2周未更新，通知公告、政策文件类栏目超过6个月未更新，人事、规划计划等栏目超过1年未更新；前两类5个以上或合计10个以上单项否决", false},
	{ColumnBlank, "空白栏目", "国办秘函〔2019〕19号：栏目开设后从未更新（空白栏目）5个以上，单项否决", false},
	{Unanswered, "互动回应", "国办秘函〔2019〕19号：近1年内留言、咨询超过3个月未回应的，单项否决（2个月预警）", true},
	{Availability, "首页可用性", "国办秘函〔2019〕19号：连续监测1周，每天不少于20次，首页打不开（15秒未打开）次数比例累计超过5%的，单项否决（3%预警）", false},
	{BrokenLink, "链接可用性", "国办秘函〔2019〕19号：站内链接、外部链接无法打开的，扣分", false},
	{BrokenAttachment, "附件下载", "国办秘函〔2019〕19号：附件无法下载的，扣分", false},
	{GuideElements, "办事指南要素", "国办秘函〔2019〕19号：办事指南缺少事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、联系电话、办理流程等要素的，单项否决", true},
	{NormativeValidity, "规范性文件效力", "条例第二十条第（一）项、国办发〔2018〕37号：已失效的规范性文件仍标注为“有效”的，扣分", true},
	{LatePublication, "发布时效", "条例第二十六条：属于主动公开范围的政府信息，应当自形成或者变更之日起20个工作日内及时公开", true},
	{NoPublishDate, "发布日期", "国办秘函〔2019〕19号：信息未标注发布日期的，扣分（伪造发布日期单项否决）", false},
	{Wording, "表述错误", "国办秘函〔2019〕19号：存在严重表述错误的，单项否决；错别字扣分", false},
	{MediaStale, "新媒体更新", "国办秘函〔2019〕19号（政务新媒体）：检查前2周内无更新的，单项否决（10天预警）", true},
	{MediaInteraction, "新媒体互动", "国办秘函〔2019〕19号（政务新媒体）：无互动功能或互动功能不可用的，单项否决", true},
}

// SpecOf returns an indicator's description.
func SpecOf(id Indicator) IndicatorSpec {
	for _, s := range Indicators {
		if s.ID == id {
			return s
		}
	}
	return IndicatorSpec{ID: id, Label: string(id)}
}

// Label is the indicator's Chinese name.
func (i Indicator) Label() string { return SpecOf(i).Label }

// Verdict is an indicator's judgement in one run (检查结论).
type Verdict string

// The verdicts. Unknown (无法判断) is never 合格: the run could not see
// enough to tell.
const (
	OK            Verdict = "ok"        // 合格
	VerdictWarn   Verdict = "warning"   // 预警
	VerdictDeduct Verdict = "deduction" // 扣分
	VerdictVeto   Verdict = "veto"      // 单项否决
	Unknown       Verdict = "unknown"   // 无法判断
)

// Label is the verdict's Chinese name.
func (v Verdict) Label() string {
	switch v {
	case OK:
		return "合格"
	case VerdictWarn:
		return "预警"
	case VerdictDeduct:
		return "扣分"
	case VerdictVeto:
		return "单项否决"
	case Unknown:
		return "无法判断"
	}
	return string(v)
}

// verdictOf is the verdict a finding of class l gives its indicator.
func verdictOf(l Level) Verdict {
	switch l {
	case Veto:
		return VerdictVeto
	case Warning:
		return VerdictWarn
	}
	return VerdictDeduct
}

// worse reports whether verdict a is more serious than b (veto, warning,
// deduction, unknown, ok).
func worse(a, b Verdict) bool { return verdictRank(a) < verdictRank(b) }

func verdictRank(v Verdict) int {
	switch v {
	case VerdictVeto:
		return 0
	case VerdictWarn:
		return 1
	case VerdictDeduct:
		return 2
	case Unknown:
		return 3
	}
	return 4
}

// Judgement is an indicator's verdict in a run, with the number of findings
// behind it and, for 无法判断 or a measured figure, why.
type Judgement struct {
	Indicator Indicator `json:"indicator"`
	Verdict   Verdict   `json:"verdict"`
	Findings  int       `json:"findings"`
	Note      string    `json:"note,omitempty"`
}

// Finding is one defect (检查发现). Key identifies the defect within its
// target across runs (a broken link's URL, a column's id), so that a defect
// seen again is the same finding and goes to the register once.
type Finding struct {
	ID        int64     `json:"id,omitempty"`
	Indicator Indicator `json:"indicator"`
	Level     Level     `json:"level"`
	Key       string    `json:"key"`
	// URL is where it shows: a page's address, or the portal's path.
	URL     string `json:"url"`
	Message string `json:"message"`
	// Context is the text around an expression, or the pages that link to
	// a broken link.
	Context string `json:"context,omitempty"`
	// The record the defect is on, when the system holds it.
	ItemID     int64 `json:"item_id,omitempty"`
	CategoryID int64 `json:"category_id,omitempty"`
	EnquiryID  int64 `json:"enquiry_id,omitempty"`
	AccountID  int64 `json:"account_id,omitempty"`
	// The department and the staff member responsible (责任部门、责任人).
	DepartmentID int64  `json:"department_id,omitempty"`
	StaffID      int64  `json:"staff_id,omitempty"`
	StaffName    string `json:"staff_name,omitempty"`
}

// Status is how a run ended.
type Status string

// The statuses of a run.
const (
	Queued     Status = "queued"     // 待检查
	Running    Status = "running"    // 检查中
	Complete   Status = "complete"   // 已完成
	Incomplete Status = "incomplete" // 未完成 (the reasons say why)
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case Queued:
		return "待检查"
	case Running:
		return "检查中"
	case Complete:
		return "已完成"
	case Incomplete:
		return "未完成"
	}
	return string(s)
}

// Trigger says what started a run.
type Trigger string

// The triggers.
const (
	Scheduled Trigger = "schedule" // 定时检查
	Manual    Trigger = "manual"   // 工作人员发起
	CLI       Trigger = "cli"      // 命令行
)

// Label is the trigger's Chinese name.
func (t Trigger) Label() string {
	switch t {
	case Scheduled:
		return "定时检查"
	case Manual:
		return "手动发起"
	case CLI:
		return "命令行"
	}
	return string(t)
}

// Target is what a run inspects: the unit's own portal (Own, judged from
// its records and its pages rendered in-process; URL is its public address
// for the availability probes, if known) or another site by its URL.
type Target struct {
	UnitID int64
	Own    bool
	URL    string
	// SiteID is the registered site (inspect_sites), 0 for the own portal
	// or a one-off URL.
	SiteID int64
	// AllowPrivate lets the crawler reach loopback and private addresses
	// (an intranet site; tests).
	AllowPrivate bool
}

// Key names the target for scheduling and for matching findings across
// runs: "portal" or the site's URL.
func (t Target) Key() string {
	if t.Own {
		return "portal"
	}
	return t.URL
}

// Run is one inspection.
type Run struct {
	ID         int64
	UnitID     int64
	Target     Target
	Trigger    Trigger
	DueAt      time.Time // the schedule's due time; zero for on-demand runs
	Status     Status
	ActorName  string
	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	// Reasons say why the run is incomplete, one sentence each.
	Reasons    []string
	Judgements []Judgement
	Stats      Stats
	// Counts of the run's findings by class.
	Vetoes, Warnings, Deductions int
}

// Worst is the run's most serious verdict.
func (r Run) Worst() Verdict {
	w := OK
	for _, j := range r.Judgements {
		if worse(j.Verdict, w) {
			w = j.Verdict
		}
	}
	return w
}

// Stats are the run's measures of work done.
type Stats struct {
	Items    int `json:"items"`    // items checked from the records
	Columns  int `json:"columns"`  // columns checked
	Pages    int `json:"pages"`    // pages fetched and read
	Links    int `json:"links"`    // links and attachments checked
	Requests int `json:"requests"` // HTTP requests made
}

// Result is what an inspection found.
type Result struct {
	Findings   []Finding
	Judgements []Judgement
	// Reasons why the run is incomplete; none for a complete run.
	Reasons []string
	Stats   Stats
}

// Complete reports whether the run saw everything it set out to.
func (r Result) Complete() bool { return len(r.Reasons) == 0 }

// Count tallies the findings by class.
func (r Result) Count() (vetoes, warnings, deductions int) {
	for _, f := range r.Findings {
		switch f.Level {
		case Veto:
			vetoes++
		case Warning:
			warnings++
		case Deduction:
			deductions++
		}
	}
	return
}

// SortFindings orders findings by class (most urgent first), indicator in
// the order of Indicators, then key.
func SortFindings(fs []Finding) {
	order := map[Indicator]int{}
	for i, s := range Indicators {
		order[s.ID] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Level.Rank() != b.Level.Rank() {
			return a.Level.Rank() < b.Level.Rank()
		}
		if order[a.Indicator] != order[b.Indicator] {
			return order[a.Indicator] < order[b.Indicator]
		}
		return a.Key < b.Key
	})
}
