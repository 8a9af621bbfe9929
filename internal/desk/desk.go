// Package desk is the service desk (服务台) of 政府信息公开 work: the 12360
// hotline and its call-detail records, web consultations (咨询) and messages
// (留言) with their reply review, website visits, new-media accounts, press
// conferences and outreach, surveys (调查问卷) and complaints about
// disclosure work. Its figures make section 一（三） of the annual report
// (信息公开平台建设情况): every figure is computed from the records kept here,
// one per call, enquiry, post, event or day, and never typed in.
//
// The package holds the types, the rules and the arithmetic; it imports
// neither net/http nor a SQL driver. The SQL is in internal/store/desk.go,
// the pages in internal/web/routes_desk.go.
package desk

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Shanghai is China Standard Time: days, months and years of the desk's
// figures are counted in it (a call at 2024-12-31 23:30 Beijing time is a
// 2024 call, although it is 2024-12-31T15:30Z).
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// YearRange is the year's span [from, to) as instants.
func YearRange(year int) (from, to time.Time) {
	return time.Date(year, 1, 1, 0, 0, 0, 0, Shanghai), time.Date(year+1, 1, 1, 0, 0, 0, 0, Shanghai)
}

// Day is the civil date (YYYY-MM-DD) of an instant in China Standard Time.
func Day(t time.Time) string { return t.In(Shanghai).Format("2006-01-02") }

// ParseDay reads a YYYY-MM-DD date.
func ParseDay(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Shanghai)
}

// Scope is the set of units whose records a figure counts: one unit (its
// 本级机关) or a unit with its subordinate units when a roll-up is asked for.
type Scope struct {
	UnitIDs []int64
}

// Choice is one item of a fixed list: a stored key and its Chinese label.
type Choice struct{ Key, Label string }

func labelOf(list []Choice, key string) string {
	for _, c := range list {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

func keyOf(list []Choice, s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, c := range list {
		if s == c.Key || s == c.Label {
			return c.Key, true
		}
	}
	return "", false
}

func labels(list []Choice) string {
	var b []string
	for _, c := range list {
		b = append(b, c.Label)
	}
	return strings.Join(b, "、")
}

// Channels of the hotline (12360 热线的受理渠道).
var Channels = []Choice{{"phone", "电话"}, {"online", "在线客服"}, {"email", "电子邮件"}, {"sms", "短信"}}

// CallerTypes are who called (来电人类型).
var CallerTypes = []Choice{{"enterprise", "企业"}, {"person", "个人"}, {"organisation", "其他组织"}, {"unknown", "未说明"}}

// Topics classify hotline calls and web enquiries (咨询类别).
var Topics = []Choice{
	{"clearance", "通关监管"}, {"tariff", "税收征管"}, {"inspection", "检验检疫"}, {"origin", "原产地"},
	{"processing", "加工贸易"}, {"enterprise", "企业管理与稽查"}, {"disclosure", "政府信息公开"},
	{"passenger", "旅检与邮递"}, {"other", "其他"},
}

// ChannelLabel, CallerTypeLabel and TopicLabel name a stored key.
func ChannelLabel(k string) string    { return labelOf(Channels, k) }
func CallerTypeLabel(k string) string { return labelOf(CallerTypes, k) }
func TopicLabel(k string) string      { return labelOf(Topics, k) }

// ParseChannel, ParseCallerType and ParseTopic accept a key or its label.
func ParseChannel(s string) (string, bool)    { return keyOf(Channels, s) }
func ParseCallerType(s string) (string, bool) { return keyOf(CallerTypes, s) }
func ParseTopic(s string) (string, bool)      { return keyOf(Topics, s) }

// Call is one hotline enquiry (热线工单): a call or other contact handled by
// an agent, with what was asked and answered. The telephony system's record
// of the same call (CDR) is linked by CallID when there is one.
type Call struct {
	ID          int64
	UnitID      int64
	Channel     string // a key of Channels
	At          time.Time
	CallerType  string // a key of CallerTypes
	Topic       string // a key of Topics
	Question    string
	Answer      string
	AgentID     int64 // 0 when imported from another system
	AgentName   string
	Transferred string // the department the call was transferred to (转办), "" when none
	Rating      int    // the caller's satisfaction rating, 1–5 (see Ratings); 0 when not rated
	CallID      string // the CDR call id, "" when none
	CreatedAt   time.Time
}

// Limits of free-text fields, in characters.
const (
	MaxShortText = 100
	MaxLongText  = 2000
)

// ValidateCall checks a hotline record before it is stored.
func ValidateCall(c *Call) error {
	var f errs.Fields
	c.Question = strings.TrimSpace(c.Question)
	c.Answer = strings.TrimSpace(c.Answer)
	c.Transferred = strings.TrimSpace(c.Transferred)
	c.CallID = strings.TrimSpace(c.CallID)
	if k, ok := ParseChannel(c.Channel); ok {
		c.Channel = k
	} else {
		f.Add("channel", "请选择受理渠道（%s）", labels(Channels))
	}
	if c.At.IsZero() {
		f.Add("at", "请填写来电时间")
	}
	if k, ok := ParseCallerType(c.CallerType); ok {
		c.CallerType = k
	} else {
		f.Add("caller_type", "请选择来电人类型（%s）", labels(CallerTypes))
	}
	if k, ok := ParseTopic(c.Topic); ok {
		c.Topic = k
	} else {
		f.Add("topic", "请选择咨询类别")
	}
	checkText(&f, "question", "咨询内容", c.Question, MaxLongText, true)
	checkText(&f, "answer", "答复内容", c.Answer, MaxLongText, true)
	checkText(&f, "transferred", "转办部门", c.Transferred, MaxShortText, false)
	checkText(&f, "call_id", "呼叫编号", c.CallID, 64, false)
	if c.Rating < 0 || c.Rating > 5 {
		f.Add("rating", "满意度评价应为 1–5 分，或不填")
	}
	return f.Err()
}

func checkText(f *errs.Fields, field, label, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case required && n == 0:
		f.Add(field, "请填写%s", label)
	case n > max:
		f.Add(field, "%s不能超过 %d 字（现有 %d 字）", label, max, n)
	}
}

// Percent formats a ratio in per cent with one decimal, "99.3%".
func Percent(p float64) string { return fmt.Sprintf("%.1f%%", p) }
