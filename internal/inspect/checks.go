package inspect

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/publish"
)

// The checks, one function per indicator of 国办秘函〔2019〕19号, each over
// what the store or the crawler gives and the thresholds in force. Each
// records its findings and its judgement in an Acc.

// Class is how often a column must be updated (栏目类别).
type Class string

// The classes of 19号, and columns the check leaves alone.
const (
	ClassNews   Class = "news"   // 动态、要闻类: 2 weeks
	ClassNotice Class = "notice" // 通知公告、政策文件类: 6 months
	ClassFixed  Class = "fixed"  // 人事、规划计划等其他栏目: 1 year
	ClassNone   Class = "none"   // 不检查 (a navigation node, a column filled elsewhere)
)

// Classes lists the classes in display order.
var Classes = []Class{ClassNews, ClassNotice, ClassFixed, ClassNone}

// Label is the class's Chinese name.
func (c Class) Label() string {
	switch c {
	case ClassNews:
		return "动态、要闻类（2周）"
	case ClassNotice:
		return "通知公告、政策文件类（6个月）"
	case ClassFixed:
		return "人事、规划计划等其他栏目（1年）"
	case ClassNone:
		return "不检查"
	}
	return string(c)
}

// ParseClass accepts a class key.
func ParseClass(s string) (Class, bool) {
	for _, c := range Classes {
		if s == string(c) {
			return c, true
		}
	}
	return "", false
}

// First reports whether the class is one of the first two, whose stale
// columns count toward the tighter veto line.
func (c Class) First() bool { return c == ClassNews || c == ClassNotice }

// ClassSettingKey is the unit setting that holds a category's class.
func ClassSettingKey(slug string) string { return "inspect.class." + slug }

// CustomsClasses are the default classes of the customs catalogue
// (publish.CustomsCatalogue): notices, procurement, 双公示, 双随机, 关长接待日,
// policy guides, press conferences, interpretations and the rules and
// normative documents are 通知公告、政策文件类; recruitment, guides, the other
// items of 第二十条 and the guide, rules and reports columns are fixed.
var CustomsClasses = map[string]Class{
	"gonggao": ClassNotice, "tonggao": ClassNotice, "tongzhi": ClassNotice, "notices": ClassNotice,
	"procurement": ClassNotice, "shuanggongshi": ClassNotice, "shuangsuiji": ClassNotice,
	"reception": ClassNotice, "policy-guides": ClassNotice, "press": ClassNotice, "interpretation": ClassNotice,
	"art20-1": ClassNotice, "art20-4": ClassNotice,
	"recruitment": ClassFixed, "guides": ClassFixed, "art20": ClassNone,
	"art20-2": ClassFixed, "art20-3": ClassFixed, "art20-5": ClassFixed, "art20-6": ClassFixed,
	"art20-7": ClassFixed, "art20-8": ClassFixed, "art20-9": ClassFixed, "art20-10": ClassFixed,
	"art20-11": ClassFixed, "art20-12": ClassFixed, "art20-13": ClassFixed, "art20-14": ClassFixed,
	"art20-15": ClassFixed, "guide": ClassFixed, "rules": ClassFixed, "reports": ClassFixed,
}

var (
	newsWords   = []string{"动态", "要闻", "新闻", "头条", "工作信息", "图片"}
	noticeWords = []string{"通知", "公告", "通告", "政策", "文件", "解读", "法规", "采购", "招标"}
)

// ClassOf is a column's class: the unit's setting, else the customs
// catalogue's default for its slug, else guessed from its name (动态、要闻 →
// news; 通知、公告、政策、文件 → notice; anything else is fixed).
func ClassOf(slug, name string, settings map[string]string) Class {
	if c, ok := ParseClass(settings[ClassSettingKey(slug)]); ok {
		return c
	}
	if c, ok := CustomsClasses[slug]; ok {
		return c
	}
	return ClassOfName(name)
}

// ClassOfName guesses a column's class from its name (another site's).
func ClassOfName(name string) Class {
	for _, w := range newsWords {
		if strings.Contains(name, w) {
			return ClassNews
		}
	}
	for _, w := range noticeWords {
		if strings.Contains(name, w) {
			return ClassNotice
		}
	}
	return ClassFixed
}

// StaleAfter is the date before which a column of the class is stale on
// today.
func (s Settings) StaleAfter(c Class, today calendar.Date) (calendar.Date, bool) {
	switch c {
	case ClassNews:
		return today.AddDays(-s.NewsDays), true
	case ClassNotice:
		return addMonths(today, -s.NoticeMonths), true
	case ClassFixed:
		return addMonths(today, -s.FixedMonths), true
	}
	return calendar.Date{}, false
}

// addMonths moves a date by whole months, clipping to the month's end.
func addMonths(d calendar.Date, n int) calendar.Date {
	y, m := d.Year(), int(d.Month())-1+n
	y += m / 12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	day := d.Day()
	for {
		if x, err := calendar.NewDate(y, time.Month(m+1), day); err == nil {
			return x
		}
		day--
	}
}

// Column is a column (栏目) as the check sees it.
type Column struct {
	CategoryID int64
	Slug, Name string
	Path       string // its address on the site
	Class      Class
	// Items is the number of items it shows; Last when the newest went
	// public (or was updated). Known is false when the site does not say.
	Items int
	Last  time.Time
	// The department and staff of its newest item, responsible for it.
	DepartmentID int64
	StaffID      int64
	StaffName    string
}

// CheckColumns applies the column lines of 19号: a column not updated
// within its class's period is stale; one that was opened and never filled
// is blank. The veto and warning lines count columns, so every stale (or
// blank) column carries the class the count reaches: veto at ≥ 5 stale of
// the first two classes or ≥ 10 stale overall (warn at 3 and 6), at ≥ 5
// blank (warn at 2); below the warning lines each is a deduction.
func CheckColumns(cols []Column, now time.Time, s Settings, acc *Acc) {
	today := Today(now)
	type hit struct {
		c   Column
		msg string
	}
	var stale, blank []hit
	first, checked := 0, 0
	for _, c := range cols {
		if c.Class == ClassNone {
			continue
		}
		checked++
		if c.Items == 0 {
			blank = append(blank, hit{c, fmt.Sprintf("栏目“%s”开设后没有任何信息（空白栏目）", c.Name)})
			continue
		}
		limit, _ := s.StaleAfter(c.Class, today)
		last := Today(c.Last)
		if last.Before(limit) {
			days := today.Sub(last)
			stale = append(stale, hit{c, fmt.Sprintf("栏目“%s”（%s）最近一次更新在 %s，已 %d 天未更新", c.Name, c.Class.Label(), last, days)})
			if c.Class.First() {
				first++
			}
		}
	}
	acc.Stats.Columns += checked
	level := Deduction
	switch {
	case first >= s.StaleVetoFirst || len(stale) >= s.StaleVetoAll:
		level = Veto
	case first >= s.StaleWarnFirst || len(stale) >= s.StaleWarnAll:
		level = Warning
	}
	for _, h := range stale {
		acc.Add(Finding{Indicator: ColumnStale, Level: level, Key: columnKey(h.c), URL: h.c.Path, Message: h.msg, CategoryID: h.c.CategoryID,
			DepartmentID: h.c.DepartmentID, StaffID: h.c.StaffID, StaffName: h.c.StaffName})
	}
	acc.Judged(ColumnStale, fmt.Sprintf("检查栏目 %d 个，未及时更新 %d 个（其中动态要闻、通知公告政策文件类 %d 个）", checked, len(stale), first))
	level = Deduction
	switch {
	case len(blank) >= s.BlankVeto:
		level = Veto
	case len(blank) >= s.BlankWarn:
		level = Warning
	}
	for _, h := range blank {
		acc.Add(Finding{Indicator: ColumnBlank, Level: level, Key: columnKey(h.c), URL: h.c.Path, Message: h.msg, CategoryID: h.c.CategoryID,
			DepartmentID: h.c.DepartmentID, StaffID: h.c.StaffID, StaffName: h.c.StaffName})
	}
	acc.Judged(ColumnBlank, fmt.Sprintf("检查栏目 %d 个，空白栏目 %d 个", checked, len(blank)))
}

func columnKey(c Column) string {
	if c.CategoryID != 0 {
		return "category:" + strconv.FormatInt(c.CategoryID, 10)
	}
	return "column:" + c.Path
}

// CheckHome applies the home-page line of 19号: not updated for two weeks
// is a veto (warn at 10 days). last is when the newest information on the
// home page went public; zero when the page shows no date (无法判断).
func CheckHome(last time.Time, path string, now time.Time, s Settings, acc *Acc) {
	if last.IsZero() {
		acc.Cannot(HomeStale, "首页上没有可识别的更新日期")
		return
	}
	today := Today(now)
	days := today.Sub(Today(last))
	note := fmt.Sprintf("首页最近一次更新在 %s（%d 天前）", Today(last), days)
	switch {
	case days >= s.HomeVetoDays:
		acc.Add(Finding{Indicator: HomeStale, Level: Veto, Key: "home", URL: path, Message: fmt.Sprintf("首页已 %d 天未更新（超过 %d 天单项否决）", days, s.HomeVetoDays)})
	case days >= s.HomeWarnDays:
		acc.Add(Finding{Indicator: HomeStale, Level: Warning, Key: "home", URL: path, Message: fmt.Sprintf("首页已 %d 天未更新，%d 天未更新将单项否决", days, s.HomeVetoDays)})
	}
	acc.Judged(HomeStale, note)
}

// Enquiry is a consultation or message as the check sees it.
type Enquiry struct {
	ID                     int64
	Ref, Kind, Subject     string
	ReceivedAt, AnsweredAt time.Time // AnsweredAt zero while open
	Open                   bool      // waiting for its reply (not dismissed)
	DepartmentID, StaffID  int64
	StaffName              string
}

// CheckEnquiries applies 19号's interaction line with the desk's limit
// (desk.unanswered_limit, three months; internal/desk/alerts.go): within
// the last year, a valid message or consultation left unanswered past the
// limit — still open, or answered late within the period — fails the site;
// one still open past the warning limit (two months) is a warning.
// Dismissed enquiries (不予答复: spam, duplicates) are not valid messages.
func CheckEnquiries(es []Enquiry, now time.Time, s Settings, acc *Acc) {
	since := now.AddDate(0, -s.PeriodMonths, 0)
	n := 0
	for _, e := range es {
		due := s.UnansweredLimit.Deadline(e.ReceivedAt)
		warn := s.UnansweredWarn.Deadline(e.ReceivedAt)
		path := "/interact/" + e.Kind
		key := "enquiry:" + strconv.FormatInt(e.ID, 10)
		label := "留言"
		if e.Kind == "consult" {
			label = "咨询"
		}
		switch {
		case e.Open && !now.Before(due):
			acc.Add(Finding{Indicator: Unanswered, Level: Veto, Key: key, URL: path, EnquiryID: e.ID, DepartmentID: e.DepartmentID, StaffID: e.StaffID, StaffName: e.StaffName,
				Message: fmt.Sprintf("%s %s（%s）%s 收到，超过%s仍未答复", label, e.Ref, e.Subject, Today(e.ReceivedAt), s.UnansweredLimit.Label())})
		case e.Open && !now.Before(warn):
			acc.Add(Finding{Indicator: Unanswered, Level: Warning, Key: key, URL: path, EnquiryID: e.ID, DepartmentID: e.DepartmentID, StaffID: e.StaffID, StaffName: e.StaffName,
				Message: fmt.Sprintf("%s %s（%s）%s 收到，尚未答复，%s 前须答复", label, e.Ref, e.Subject, Today(e.ReceivedAt), Today(due))})
		case !e.Open && !e.AnsweredAt.IsZero() && !e.AnsweredAt.Before(since) && e.AnsweredAt.After(due):
			acc.Add(Finding{Indicator: Unanswered, Level: Veto, Key: key, URL: path, EnquiryID: e.ID, DepartmentID: e.DepartmentID, StaffID: e.StaffID, StaffName: e.StaffName,
				Message: fmt.Sprintf("%s %s（%s）%s 收到，%s 才答复，超过%s", label, e.Ref, e.Subject, Today(e.ReceivedAt), Today(e.AnsweredAt), s.UnansweredLimit.Label())})
		}
		n++
	}
	acc.Judged(Unanswered, fmt.Sprintf("近 %d 个月的留言和咨询 %d 件", s.PeriodMonths, n))
}

// Probe is one availability probe of a home page.
type Probe struct {
	At     time.Time
	OK     bool
	Status int
	Millis int
	Error  string
}

// CheckAvailability applies 19号's availability line to the probes of the
// home page: over the window (a week), with at least ProbesPerDay probes a
// day, a share of failures (a probe failing when the page does not open
// within the timeout) of 5% fails the site, 3% is a warning. With less than
// a week of probes the indicator is 无法判断, never 合格.
func CheckAvailability(url string, probes []Probe, now time.Time, s Settings, acc *Acc) {
	if url == "" {
		acc.Cannot(Availability, "未设置门户网站的访问地址（年报设置“门户网站地址”），无法探测首页")
		return
	}
	from := now.Add(-time.Duration(s.AvailDays) * 24 * time.Hour)
	var n, failed int
	var oldest time.Time
	for _, p := range probes {
		if p.At.After(now) {
			continue
		}
		if oldest.IsZero() || p.At.Before(oldest) {
			oldest = p.At
		}
		if p.At.Before(from) {
			continue
		}
		n++
		if !p.OK {
			failed++
		}
	}
	need := s.ProbesPerDay * s.AvailDays
	if oldest.IsZero() || oldest.After(from.Add(s.ProbeEvery())) || n < need {
		since := "尚无探测记录"
		if !oldest.IsZero() {
			since = fmt.Sprintf("自 %s 起探测 %d 次", oldest.In(beijing).Format("2006-01-02 15:04"), n)
		}
		acc.Cannot(Availability, fmt.Sprintf("探测记录不足 %d 天、%d 次（%s），暂无法判断", s.AvailDays, need, since))
		return
	}
	pct := float64(failed) * 100 / float64(n)
	note := fmt.Sprintf("近 %d 天探测 %d 次，打不开 %d 次（%s%%）", s.AvailDays, n, failed, trimFloat(math.Round(pct*100)/100))
	switch {
	case pct >= s.AvailVetoPct:
		acc.Add(Finding{Indicator: Availability, Level: Veto, Key: "home", URL: url, Message: note + fmt.Sprintf("，达到 %s%% 单项否决", trimFloat(s.AvailVetoPct))})
	case pct >= s.AvailWarnPct:
		acc.Add(Finding{Indicator: Availability, Level: Warning, Key: "home", URL: url, Message: note + fmt.Sprintf("，%s%% 将单项否决", trimFloat(s.AvailVetoPct))})
	}
	acc.Judged(Availability, note)
}

// LinkKind says what a checked link points to.
type LinkKind string

// The kinds of links.
const (
	PageLink       LinkKind = "page"       // a page of the site
	AttachmentLink LinkKind = "attachment" // a document to download
	ExternalLink   LinkKind = "external"   // another site
)

// LinkState is what checking a link found.
type LinkState string

// The states of a checked link.
const (
	LinkOK      LinkState = "ok"
	LinkBroken  LinkState = "broken"
	LinkUnknown LinkState = "unknown" // not checked (bounds) or refused to say (429 after retries)
)

// Link is a link the crawl checked, once whatever number of pages link to
// it.
type Link struct {
	URL    string
	Kind   LinkKind
	State  LinkState
	Status int
	Error  string // why it is broken or unknown
	// Referrers are (the first few of) the pages that link to it.
	Referrers []string
	// The item whose text holds the link, when the own portal's records say.
	ItemID                int64
	DepartmentID, StaffID int64
	StaffName             string
}

// CheckLinks turns the crawl's broken links and attachments into findings
// (deductions: 19号 scores them). A link the crawl could not check leaves
// its indicator 无法判断 for that part.
func CheckLinks(links []Link, acc *Acc) {
	var broken, unknown, checked int
	for _, l := range links {
		ind := BrokenLink
		if l.Kind == AttachmentLink {
			ind = BrokenAttachment
		}
		switch l.State {
		case LinkBroken:
			broken++
			what := "链接无法打开"
			if ind == BrokenAttachment {
				what = "附件无法下载"
			}
			msg := what
			if l.Status != 0 {
				msg += fmt.Sprintf("（HTTP %d）", l.Status)
			} else if l.Error != "" {
				msg += "（" + l.Error + "）"
			}
			ctx := ""
			if len(l.Referrers) > 0 {
				ctx = "链接所在页面：" + strings.Join(l.Referrers, "、")
			}
			acc.Add(Finding{Indicator: ind, Level: Deduction, Key: "link:" + l.URL, URL: l.URL, Message: msg, Context: ctx, ItemID: l.ItemID,
				DepartmentID: l.DepartmentID, StaffID: l.StaffID, StaffName: l.StaffName})
		case LinkUnknown:
			unknown++
		default:
			checked++
		}
	}
	acc.Stats.Links += len(links)
	if unknown > 0 {
		acc.Cannot(BrokenLink, fmt.Sprintf("%d 个链接未能检查（超出检查范围或对方网站限制访问）", unknown))
	}
	note := fmt.Sprintf("检查链接和附件 %d 个，无法打开 %d 个", checked+broken, broken)
	acc.Judged(BrokenLink, note)
	acc.Judged(BrokenAttachment, note)
}

// Item is a published item as the checks see it.
type Item struct {
	ID, CategoryID int64
	Category       string // the category's name
	CategorySlug   string
	Path           string // its page on the portal
	Title, DocNo   string
	Text           string // plain text of its body and attachments
	Body           string // its sanitised HTML (links)
	MadeOn         calendar.Date
	PublishedAt    time.Time // the first publication (发布日期); zero when none shows
	LiveFrom       time.Time // when the version shown went public
	DocKind        publish.DocKind
	ValidFrom      calendar.Date
	Validity       publish.Validity
	// The department that made it and the staff member who wrote it.
	DepartmentID int64
	StaffID      int64
	StaffName    string
	// Guide marks an item of a 办事指南 column.
	Guide bool
}

func (it Item) finding(ind Indicator, level Level, key, msg string) Finding {
	if key == "" {
		key = "item:" + strconv.FormatInt(it.ID, 10)
	}
	return Finding{Indicator: ind, Level: level, Key: key, URL: it.Path, Message: msg, ItemID: it.ID, CategoryID: it.CategoryID,
		DepartmentID: it.DepartmentID, StaffID: it.StaffID, StaffName: it.StaffName}
}

// GuideRequired are the elements a 办事指南 must state (国办秘函〔2019〕19号),
// each with the headings that name it.
var GuideRequired = []struct {
	Name  string
	Words []string
}{
	{"事项名称", []string{"事项名称", "服务事项", "办理事项"}},
	{"设定依据", []string{"设定依据", "办理依据", "法律依据", "法定依据", "政策依据", "依据"}},
	{"申请条件", []string{"申请条件", "受理条件", "办理条件", "申请人条件", "准予批准的条件"}},
	{"办理材料", []string{"办理材料", "申请材料", "申报材料", "所需材料", "提交材料", "材料目录"}},
	{"办理地点", []string{"办理地点", "受理地点", "办理地址", "受理地址", "办公地点", "窗口地址"}},
	{"办理时间", []string{"办理时间", "受理时间", "办公时间", "工作时间", "窗口时间"}},
	{"联系电话", []string{"联系电话", "咨询电话", "联系方式", "咨询方式", "监督电话"}},
	{"办理流程", []string{"办理流程", "办理程序", "办事流程", "受理流程", "审批流程", "办理步骤"}},
}

// MissingGuideElements lists the elements a guide's text does not state.
// The 事项名称 may be the guide's title.
func MissingGuideElements(title, text string) []string {
	var out []string
	for _, el := range GuideRequired {
		found := false
		for _, w := range el.Words {
			if strings.Contains(text, w) {
				found = true
				break
			}
		}
		if !found && el.Name == "事项名称" && strings.TrimSpace(title) != "" {
			found = true
		}
		if !found {
			out = append(out, el.Name)
		}
	}
	return out
}

// ItemChecks are the checks of one item: the guide's elements, the
// validity of a normative document, the publication period of 条例第二十六条
// and the publication date. period is the start of the period checked;
// cal the working-day calendar in force.
type ItemChecks struct {
	Settings Settings
	Now      time.Time
	Calendar *calendar.Calendar
	guides   []Finding
}

// Check looks at one item.
func (c *ItemChecks) Check(it Item, acc *Acc) {
	acc.Stats.Items++
	today := Today(c.Now)
	if it.Guide {
		acc.Judged(GuideElements, "")
		if miss := MissingGuideElements(it.Title, it.Text); len(miss) > 0 {
			c.guides = append(c.guides, it.finding(GuideElements, Deduction, "", fmt.Sprintf("办事指南“%s”缺少要素：%s", it.Title, strings.Join(miss, "、"))))
		}
	}
	if it.DocKind == publish.Normative || it.DocKind == publish.Rule {
		acc.Judged(NormativeValidity, "")
		if it.Validity == publish.Valid {
			if end, how := TermEnd(it, c.Settings.NormativeYears); !end.IsZero() && end.Before(today) {
				acc.Add(it.finding(NormativeValidity, Deduction, "", fmt.Sprintf("%s“%s”%s，有效期至 %s，仍标注为“有效”", it.DocKind.Label(), it.Title, how, end)))
			}
		}
	}
	if it.PublishedAt.IsZero() {
		acc.Add(it.finding(NoPublishDate, Deduction, "", fmt.Sprintf("信息“%s”没有发布日期", it.Title)))
	} else {
		c.checkLate(it, acc)
	}
	acc.Judged(NoPublishDate, "")
}

// checkLate applies 条例第二十六条 to the version shown: published within the
// period checked, more than 20 working days after the day it was made (the
// day it is made not counted, publish.DeadlineOf).
func (c *ItemChecks) checkLate(it Item, acc *Acc) {
	if it.MadeOn.IsZero() || c.Calendar == nil {
		return
	}
	since := c.Now.AddDate(0, -c.Settings.PeriodMonths, 0)
	acc.Judged(LatePublication, fmt.Sprintf("近 %d 个月发布的信息，按工作日历计算 %d 个工作日期限", c.Settings.PeriodMonths, publish.PublishWorkdays))
	shown := it.LiveFrom
	if shown.IsZero() {
		shown = it.PublishedAt
	}
	if shown.Before(since) {
		return
	}
	res, err := c.Calendar.AddWorkdays(it.MadeOn, publish.PublishWorkdays, nil)
	if err != nil {
		acc.Cannot(LatePublication, err.Error())
		return
	}
	if on := Today(shown); on.After(res.Due) {
		late, _ := c.Calendar.WorkdaysBetween(res.Due, on, nil)
		acc.Add(it.finding(LatePublication, Deduction, "", fmt.Sprintf("信息“%s”%s 形成，%s 才公开，超过 %d 个工作日期限（应于 %s 前公开，晚 %d 个工作日）",
			it.Title, it.MadeOn, on, publish.PublishWorkdays, res.Due, late.Count)))
	}
}

// Finish gives the guides their class: veto once the number of incomplete
// guides reaches the line (19号 fails a site whose 办事指南 lack key
// elements), else a deduction each.
func (c *ItemChecks) Finish(acc *Acc) {
	level := Deduction
	if len(c.guides) >= c.Settings.GuideVeto {
		level = Veto
	}
	for _, f := range c.guides {
		f.Level = level
		acc.Add(f)
	}
	acc.Judged(NormativeValidity, "")
	acc.Judged(GuideElements, "")
}

var (
	termUntilRE = regexp.MustCompile(`有效期(?:至|到|截至)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	termYearsRE = regexp.MustCompile(`有效期(?:为|是)?\s*([0-9一二三四五六七八九十两]+)\s*年`)
)

// TermEnd is when a rule or normative document stops being valid: the day
// its text names (「有效期至2025年12月31日」), or its stated term in years
// (「有效期5年」) from its 施行日期 (else the day it was made), or the default
// term; how says which. A zero date means no end is known.
func TermEnd(it Item, defaultYears int) (end calendar.Date, how string) {
	text := it.Title + "\n" + it.Text
	if m := termUntilRE.FindStringSubmatch(text); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if x, err := calendar.NewDate(y, time.Month(mo), d); err == nil {
			return x, "文中写明有效期"
		}
	}
	from := it.ValidFrom
	if from.IsZero() {
		from = it.MadeOn
	}
	if from.IsZero() {
		return calendar.Date{}, ""
	}
	years, how := defaultYears, fmt.Sprintf("未写明有效期，按默认有效期 %d 年计", defaultYears)
	if m := termYearsRE.FindStringSubmatch(text); m != nil {
		if n := chineseNumber(m[1]); n > 0 {
			years, how = n, fmt.Sprintf("文中写明有效期 %d 年", n)
		}
	}
	if years <= 0 {
		return calendar.Date{}, ""
	}
	return addMonths(from, 12*years).AddDays(-1), how
}

func chineseNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digits[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digits[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return digits[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return digits[rs[0]]*10 + digits[rs[2]]
	}
	return 0
}

// Account is a new-media account (政务新媒体) as the check sees it.
type Account struct {
	ID             int64
	Platform, Name string
	LastPost       calendar.Date // zero when it never posted
	Channels       []Channel
}

// Channel is an account's interaction channel (留言、评论、私信、自动回复) as
// staff last tested it.
type Channel struct {
	Name      string
	Working   bool
	CheckedOn calendar.Date
	Note      string
}

// CheckMedia applies 19号's lines for new media: no post in the two weeks
// before the check fails the account (warn at 10 days); so does an account
// with no working interaction. An account whose channels were never
// recorded cannot be judged on interaction.
func CheckMedia(accounts []Account, now time.Time, s Settings, acc *Acc) {
	today := Today(now)
	unknown := 0
	for _, a := range accounts {
		key := "account:" + strconv.FormatInt(a.ID, 10)
		name := "“" + a.Name + "”"
		if p := desk.PlatformLabel(a.Platform); p != "" && p != a.Platform {
			name += "（" + p + "）"
		}
		path := "/admin/desk/media"
		switch {
		case a.LastPost.IsZero():
			acc.Add(Finding{Indicator: MediaStale, Level: Veto, Key: key, URL: path, AccountID: a.ID, Message: fmt.Sprintf("新媒体账号%s没有发文记录", name)})
		case today.Sub(a.LastPost) >= s.MediaVetoDays:
			acc.Add(Finding{Indicator: MediaStale, Level: Veto, Key: key, URL: path, AccountID: a.ID,
				Message: fmt.Sprintf("新媒体账号%s最近一次发文在 %s，已 %d 天未更新（%d 天单项否决）", name, a.LastPost, today.Sub(a.LastPost), s.MediaVetoDays)})
		case today.Sub(a.LastPost) >= s.MediaWarnDays:
			acc.Add(Finding{Indicator: MediaStale, Level: Warning, Key: key, URL: path, AccountID: a.ID,
				Message: fmt.Sprintf("新媒体账号%s已 %d 天未更新，%d 天未更新将单项否决", name, today.Sub(a.LastPost), s.MediaVetoDays)})
		}
		if len(a.Channels) == 0 {
			unknown++
			continue
		}
		working := false
		var names []string
		for _, c := range a.Channels {
			working = working || c.Working
			names = append(names, c.Name)
		}
		if !working {
			acc.Add(Finding{Indicator: MediaInteraction, Level: Veto, Key: key, URL: "/admin/inspect/settings#media", AccountID: a.ID,
				Message: fmt.Sprintf("新媒体账号%s没有可用的互动功能（%s 均不可用）", name, strings.Join(names, "、"))})
		}
	}
	acc.Judged(MediaStale, fmt.Sprintf("新媒体账号 %d 个", len(accounts)))
	if len(accounts) == 0 {
		acc.Cannot(MediaStale, "服务台未登记新媒体账号")
		acc.Cannot(MediaInteraction, "服务台未登记新媒体账号")
		return
	}
	if unknown > 0 {
		acc.Cannot(MediaInteraction, fmt.Sprintf("%d 个账号未登记互动功能的检查情况", unknown))
	}
	acc.Judged(MediaInteraction, "")
}

// SortColumns orders columns by path for stable output.
func SortColumns(cs []Column) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Path < cs[j].Path })
}
