package inspect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// The thresholds of the inspection. Every line of 国办秘函〔2019〕19号 the
// checks apply is a setting (settings table, key "inspect.<name>") with the
// default the indicators set, and the early-warning lines of commercial
// monitors below them (3% unreachable, 10 days without update, 2 blank
// columns, 6 stale columns). The limit of unanswered messages is the desk's
// setting desk.unanswered_limit (internal/desk/alerts.go), not a second one.
// A value that makes no sense (a warning line past its veto line, a probe
// interval that cannot give 20 probes a day) is refused with a sentence
// saying why.

// Settings are the thresholds and bounds in force.
type Settings struct {
	HomeWarnDays, HomeVetoDays int // 首页更新: warn at 10 days, veto at 14

	NewsDays     int // 动态/要闻 stale after 14 days
	NoticeMonths int // 通知公告/政策文件 stale after 6 months
	FixedMonths  int // 人事/规划计划 and other fixed columns stale after 12 months

	StaleVetoFirst, StaleVetoAll int // veto at 5 stale of the first two classes, or 10 overall
	StaleWarnFirst, StaleWarnAll int // warn at 3 and 6
	BlankVeto, BlankWarn         int // blank columns: veto at 5, warn at 2

	// UnansweredLimit is desk.unanswered_limit (3 months); UnansweredWarn
	// warns before it (2 months). PeriodMonths is "the last year" over
	// which messages and publication times are looked at.
	UnansweredLimit desk.Limit
	UnansweredWarn  desk.Limit
	PeriodMonths    int

	ProbeMinutes   int     // a probe of the home page every 60 minutes
	ProbeTimeout   int     // seconds before a probe fails: 15
	AvailDays      int     // the window of the availability judgement: 7 days
	AvailVetoPct   float64 // veto at 5% failed probes
	AvailWarnPct   float64 // warn at 3%
	ProbesPerDay   int     // at least 20 probes a day are needed to judge
	GuideVeto      int     // 办事指南 missing elements: veto at 1 guide
	MediaWarnDays  int     // 新媒体: warn at 10 days without a post
	MediaVetoDays  int     // veto at 14
	NormativeYears int     // the term of a normative document that states none: 5 years (0: only stated terms)

	MaxPages     int     // the crawl's bounds: 5,000 pages,
	MaxDepth     int     // depth 8,
	MaxMinutes   int     // 10 minutes,
	Rate         float64 // 2 requests a second to the site,
	ExternalRate float64 // 1 a second to each external host,
	MaxExternal  int     // 500 external links at most
	PageTimeout  int     // seconds for one page: 15
	SameHost     bool    // follow only the start page's host
	AllowPrivate bool    // reach loopback and private addresses (off)

	RunHour    int // the daily inspection runs at 02:00 Beijing time
	RunDays    int // every day
	DigestHour int // the daily digest goes out at 08:00
}

// SettingPrefix is the settings key prefix.
const SettingPrefix = "inspect."

// SettingSpec is one setting: its key (after the prefix), label, default,
// unit and basis.
type SettingSpec struct {
	Key, Label, Default, Unit, Basis string
	// Group is the settings page's section.
	Group string
}

// Groups of the settings page.
const (
	GroupSite   = "网站内容"
	GroupAvail  = "可用性监测"
	GroupCrawl  = "抓取范围"
	GroupMedia  = "新媒体"
	GroupSchedu = "定时检查与提醒"
)

const basis19 = "国办秘函〔2019〕19号"

// SettingSpecs lists every setting with its default.
var SettingSpecs = []SettingSpec{
	{"home_warn_days", "首页未更新预警天数", "10", "天", "商业监测通行预警线", GroupSite},
	{"home_veto_days", "首页未更新否决天数", "14", "天", basis19 + "：首页超过2周未更新", GroupSite},
	{"news_days", "动态、要闻类栏目更新周期", "14", "天", basis19 + "：超过2周未更新", GroupSite},
	{"notice_months", "通知公告、政策文件类栏目更新周期", "6", "个月", basis19 + "：超过6个月未更新", GroupSite},
	{"fixed_months", "人事、规划计划等栏目更新周期", "12", "个月", basis19 + "：超过1年未更新", GroupSite},
	{"stale_veto_first", "前两类栏目未更新否决数", "5", "个", basis19 + "：动态要闻类、通知公告政策文件类栏目未及时更新5个以上", GroupSite},
	{"stale_veto_all", "未更新栏目否决总数", "10", "个", basis19 + "：长期未更新栏目10个以上", GroupSite},
	{"stale_warn_first", "前两类栏目未更新预警数", "3", "个", "商业监测通行预警线", GroupSite},
	{"stale_warn_all", "未更新栏目预警总数", "6", "个", "商业监测通行预警线", GroupSite},
	{"blank_veto", "空白栏目否决数", "5", "个", basis19 + "：空白栏目5个以上", GroupSite},
	{"blank_warn", "空白栏目预警数", "2", "个", "商业监测通行预警线", GroupSite},
	{"unanswered_warn", "留言咨询未回应预警期限", "2个月", "", "未回应期限见服务台设置（默认3个月，" + basis19 + "）", GroupSite},
	{"period_months", "检查期间", "12", "个月", basis19 + "：近1年内的留言办理；发布时效按同一期间检查", GroupSite},
	{"guide_veto", "办事指南要素缺失否决数", "1", "个", basis19 + "：办事指南要素缺失", GroupSite},
	{"normative_years", "规范性文件默认有效期", "5", "年", "文件未写明有效期时采用；0 表示只检查写明有效期的文件（国办发〔2018〕37号，各地规定多为5年）", GroupSite},
	{"probe_minutes", "首页探测间隔", "60", "分钟", basis19 + "：每天监测不少于20次", GroupAvail},
	{"probe_timeout", "探测超时", "15", "秒", basis19 + "：15秒内未打开即为打不开", GroupAvail},
	{"avail_days", "可用性监测期间", "7", "天", basis19 + "：连续监测1周", GroupAvail},
	{"avail_veto_pct", "打不开比例否决线", "5", "%", basis19 + "：累计超过5%", GroupAvail},
	{"avail_warn_pct", "打不开比例预警线", "3", "%", "商业监测通行预警线", GroupAvail},
	{"probes_per_day", "每天最少探测次数", "20", "次", basis19 + "：每天不少于20次", GroupAvail},
	{"max_pages", "最多抓取页面数", "5000", "页", "每次检查的抓取上限", GroupCrawl},
	{"max_depth", "最大链接深度", "8", "层", "自首页起的链接层数", GroupCrawl},
	{"max_minutes", "最长检查时间", "10", "分钟", "超过即停止并记为未完成", GroupCrawl},
	{"rate", "访问本站频率", "2", "次/秒", "礼貌抓取：不给被检查网站造成负担", GroupCrawl},
	{"external_rate", "访问外部网站频率", "1", "次/秒", "每个外部网站分别计算；遇 429 按 Retry-After 等待", GroupCrawl},
	{"max_external", "最多检查外部链接数", "500", "个", "每次检查的外部链接上限", GroupCrawl},
	{"page_timeout", "单个页面超时", "15", "秒", basis19 + "：15秒", GroupCrawl},
	{"same_host", "只抓取本网站", "1", "", "1 只跟随与首页同一主机的链接；0 也跟随其他主机", GroupCrawl},
	{"allow_private", "允许检查内网地址", "0", "", "默认拒绝回环和内网地址，防止检查功能被用来访问机关内网", GroupCrawl},
	{"media_warn_days", "新媒体未更新预警天数", "10", "天", "商业监测通行预警线", GroupMedia},
	{"media_veto_days", "新媒体未更新否决天数", "14", "天", basis19 + "（政务新媒体）：检查前2周内无更新", GroupMedia},
	{"run_hour", "每日定时检查时间", "2", "时", "北京时间，0–23", GroupSchedu},
	{"run_days", "定时检查间隔", "1", "天", "每隔几天检查一次", GroupSchedu},
	{"digest_hour", "每日提醒摘要发送时间", "8", "时", "北京时间，0–23", GroupSchedu},
}

// Defaults are the settings when nothing is stored.
func Defaults() Settings {
	s, err := ParseSettings(nil, desk.DefaultUnansweredLimit)
	if err != nil {
		panic("inspect defaults: " + err.Error())
	}
	return s
}

// ParseSettings reads the stored settings (keys with or without the
// prefix; a missing key takes its default) and checks them, reporting each
// setting at fault by its key. limit is the desk's unanswered limit.
func ParseSettings(values map[string]string, limit desk.Limit) (Settings, error) {
	var s Settings
	var f errs.Fields
	get := func(key string) string {
		if v, ok := values[SettingPrefix+key]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		if v, ok := values[key]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		for _, sp := range SettingSpecs {
			if sp.Key == key {
				return sp.Default
			}
		}
		return ""
	}
	label := func(key string) string {
		for _, sp := range SettingSpecs {
			if sp.Key == key {
				return sp.Label
			}
		}
		return key
	}
	num := func(key string, dst *int, lo, hi int) {
		v := get(key)
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Add(key, "“%s”应为整数，而不是“%s”", label(key), v)
			return
		}
		if n < lo || n > hi {
			f.Add(key, "“%s”应在 %d 至 %d 之间（现为 %d）", label(key), lo, hi, n)
			return
		}
		*dst = n
	}
	real := func(key string, dst *float64, lo, hi float64) {
		v := strings.TrimSuffix(get(key), "%")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.Add(key, "“%s”应为数字，而不是“%s”", label(key), v)
			return
		}
		if x < lo || x > hi {
			f.Add(key, "“%s”应在 %s 至 %s 之间（现为 %s）", label(key), trimFloat(lo), trimFloat(hi), trimFloat(x))
			return
		}
		*dst = x
	}
	flag := func(key string, dst *bool) {
		switch get(key) {
		case "1", "true", "是":
			*dst = true
		case "0", "false", "否":
			*dst = false
		default:
			f.Add(key, "“%s”应为 1（是）或 0（否）", label(key))
		}
	}
	num("home_warn_days", &s.HomeWarnDays, 1, 365)
	num("home_veto_days", &s.HomeVetoDays, 1, 365)
	num("news_days", &s.NewsDays, 1, 365)
	num("notice_months", &s.NoticeMonths, 1, 60)
	num("fixed_months", &s.FixedMonths, 1, 120)
	num("stale_veto_first", &s.StaleVetoFirst, 1, 1000)
	num("stale_veto_all", &s.StaleVetoAll, 1, 1000)
	num("stale_warn_first", &s.StaleWarnFirst, 1, 1000)
	num("stale_warn_all", &s.StaleWarnAll, 1, 1000)
	num("blank_veto", &s.BlankVeto, 1, 1000)
	num("blank_warn", &s.BlankWarn, 1, 1000)
	num("period_months", &s.PeriodMonths, 1, 60)
	num("guide_veto", &s.GuideVeto, 1, 1000)
	num("normative_years", &s.NormativeYears, 0, 50)
	num("probe_minutes", &s.ProbeMinutes, 1, 24*60)
	num("probe_timeout", &s.ProbeTimeout, 1, 120)
	num("avail_days", &s.AvailDays, 1, 90)
	real("avail_veto_pct", &s.AvailVetoPct, 0.01, 100)
	real("avail_warn_pct", &s.AvailWarnPct, 0.01, 100)
	num("probes_per_day", &s.ProbesPerDay, 1, 24*60)
	num("max_pages", &s.MaxPages, 1, 1000000)
	num("max_depth", &s.MaxDepth, 0, 100)
	num("max_minutes", &s.MaxMinutes, 1, 24*60)
	real("rate", &s.Rate, 0.01, 100)
	real("external_rate", &s.ExternalRate, 0.01, 100)
	num("max_external", &s.MaxExternal, 0, 100000)
	num("page_timeout", &s.PageTimeout, 1, 300)
	flag("same_host", &s.SameHost)
	flag("allow_private", &s.AllowPrivate)
	num("media_warn_days", &s.MediaWarnDays, 1, 365)
	num("media_veto_days", &s.MediaVetoDays, 1, 365)
	num("run_hour", &s.RunHour, 0, 23)
	num("run_days", &s.RunDays, 1, 90)
	num("digest_hour", &s.DigestHour, 0, 23)
	s.UnansweredLimit = limit
	if l, err := desk.ParseLimit(get("unanswered_warn")); err != nil {
		f.Add("unanswered_warn", "“%s”应写作“2个月”或“60天”，在 1–12 个月或 1–366 天之间", label("unanswered_warn"))
	} else {
		s.UnansweredWarn = l
	}
	if f.Err() != nil {
		return s, f.Err()
	}
	// Lines that contradict each other.
	order := func(warnKey string, warn int, vetoKey string, veto int) {
		if warn >= veto {
			f.Add(warnKey, "“%s”（%d）应小于“%s”（%d）：预警须在否决之前", label(warnKey), warn, label(vetoKey), veto)
		}
	}
	order("home_warn_days", s.HomeWarnDays, "home_veto_days", s.HomeVetoDays)
	order("stale_warn_first", s.StaleWarnFirst, "stale_veto_first", s.StaleVetoFirst)
	order("stale_warn_all", s.StaleWarnAll, "stale_veto_all", s.StaleVetoAll)
	order("blank_warn", s.BlankWarn, "blank_veto", s.BlankVeto)
	order("media_warn_days", s.MediaWarnDays, "media_veto_days", s.MediaVetoDays)
	if s.StaleVetoFirst > s.StaleVetoAll {
		f.Add("stale_veto_first", "“%s”（%d）不应大于“%s”（%d）", label("stale_veto_first"), s.StaleVetoFirst, label("stale_veto_all"), s.StaleVetoAll)
	}
	if s.AvailWarnPct >= s.AvailVetoPct {
		f.Add("avail_warn_pct", "“%s”（%s%%）应小于“%s”（%s%%）：预警须在否决之前", label("avail_warn_pct"), trimFloat(s.AvailWarnPct), label("avail_veto_pct"), trimFloat(s.AvailVetoPct))
	}
	if s.NewsDays > s.NoticeMonths*31 {
		f.Add("news_days", "动态、要闻类栏目的更新周期不应长于通知公告类栏目的（%d 个月）", s.NoticeMonths)
	}
	if s.NoticeMonths > s.FixedMonths {
		f.Add("notice_months", "通知公告类栏目的更新周期不应长于人事、规划计划类栏目的（%d 个月）", s.FixedMonths)
	}
	if perDay := 24 * 60 / s.ProbeMinutes; perDay < s.ProbesPerDay {
		f.Add("probe_minutes", "每 %d 分钟探测一次，每天只有 %d 次，少于每天最少探测次数 %d 次（%s），可用性将永远无法判断：间隔不应超过 %d 分钟",
			s.ProbeMinutes, perDay, s.ProbesPerDay, basis19, 24*60/s.ProbesPerDay)
	}
	if s.ProbeTimeout*1000 >= s.ProbeMinutes*60*1000 {
		f.Add("probe_timeout", "探测超时（%d 秒）应短于探测间隔（%d 分钟）", s.ProbeTimeout, s.ProbeMinutes)
	}
	if s.UnansweredWarn.Deadline(refTime).After(s.UnansweredLimit.Deadline(refTime)) || s.UnansweredWarn == s.UnansweredLimit {
		f.Add("unanswered_warn", "预警期限（%s）应短于留言咨询的答复期限（%s，服务台设置）", s.UnansweredWarn.Label(), s.UnansweredLimit.Label())
	}
	if s.PeriodMonths < 1 {
		f.Add("period_months", "检查期间至少 1 个月")
	}
	return s, f.Err()
}

// refTime compares two desk limits (months against days) on one day.
var refTime = time.Date(2025, 1, 1, 0, 0, 0, 0, beijing)

func trimFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// CrawlTimeout is the crawl's time bound.
func (s Settings) CrawlTimeout() time.Duration { return time.Duration(s.MaxMinutes) * time.Minute }

// ProbeEvery is the probe interval.
func (s Settings) ProbeEvery() time.Duration { return time.Duration(s.ProbeMinutes) * time.Minute }

// ProbeWait is a probe's timeout.
func (s Settings) ProbeWait() time.Duration { return time.Duration(s.ProbeTimeout) * time.Second }

// Describe is a one-line summary of the lines in force, for a run's page.
func (s Settings) Describe() string {
	return fmt.Sprintf("首页 %d/%d 天；栏目 %d 天、%d 个月、%d 个月；空白栏目 %d/%d 个；可用性 %s%%/%s%%（%d 天）；新媒体 %d/%d 天",
		s.HomeWarnDays, s.HomeVetoDays, s.NewsDays, s.NoticeMonths, s.FixedMonths, s.BlankWarn, s.BlankVeto,
		trimFloat(s.AvailWarnPct), trimFloat(s.AvailVetoPct), s.AvailDays, s.MediaWarnDays, s.MediaVetoDays)
}

// NextRun is the first scheduled due time after t: RunHour o'clock Beijing
// time, every RunDays days counted from 1 January 2000 so that every
// instance computes the same due times.
func (s Settings) NextRun(t time.Time) time.Time {
	base := time.Date(2000, 1, 1, s.RunHour, 0, 0, 0, beijing)
	step := time.Duration(s.RunDays) * 24 * time.Hour
	if t.Before(base) {
		return base
	}
	n := t.Sub(base) / step
	due := base.Add(n * step)
	if !due.After(t) {
		due = due.Add(step)
	}
	return due
}

// DueRun is the latest scheduled due time at or before t.
func (s Settings) DueRun(t time.Time) time.Time {
	next := s.NextRun(t)
	return next.Add(-time.Duration(s.RunDays) * 24 * time.Hour)
}

// ProbeSlot is the probe due time at or before t: the start of t's
// interval, counted from the Unix epoch so every instance agrees.
func (s Settings) ProbeSlot(t time.Time) time.Time { return t.Truncate(s.ProbeEvery()) }
