package desk

import (
	"strings"
	"time"

	"gongkai/internal/errs"
)

// New media (政务新媒体): the unit's accounts on each platform, what they
// post, their live streams (微直播) and special columns (专栏), and their
// follower counts (关注人数) recorded by date. Counts are the posts on
// record; follower growth compares the last count recorded in each year.

// Platforms of new-media accounts.
var Platforms = []Choice{
	{"weibo", "微博"}, {"wechat", "微信公众号"}, {"channels", "视频号"}, {"douyin", "抖音"},
	{"toutiao", "今日头条"}, {"kuaishou", "快手"}, {"other", "其他平台"},
}

// PlatformLabel names a platform.
func PlatformLabel(k string) string { return labelOf(Platforms, k) }

// ParsePlatform accepts a platform's key or name.
func ParsePlatform(s string) (string, bool) { return keyOf(Platforms, s) }

// Post kinds: a post (a 微博, a 公众号 article, a short video) or a live
// stream (微直播).
var PostKinds = []Choice{{"post", "发文"}, {"live", "直播"}}

// PostKindLabel names a post kind.
func PostKindLabel(k string) string { return labelOf(PostKinds, k) }

// ParsePostKind accepts a kind's key or name, and the usual synonyms.
func ParsePostKind(s string) (string, bool) {
	switch strings.TrimSpace(s) {
	case "文章", "微博", "视频", "图文", "推文", "":
		return "post", true
	case "微直播", "直播回放":
		return "live", true
	}
	return keyOf(PostKinds, s)
}

// Account is a new-media account of a unit.
type Account struct {
	ID       int64
	UnitID   int64
	Platform string
	Name     string // e.g. 福州海关12360
}

// ValidateAccount checks an account before it is stored.
func ValidateAccount(a *Account) error {
	var f errs.Fields
	a.Name = strings.TrimSpace(a.Name)
	if k, ok := ParsePlatform(a.Platform); ok {
		a.Platform = k
	} else {
		f.Add("platform", "请选择平台（%s）", labels(Platforms))
	}
	checkText(&f, "name", "账号名称", a.Name, 50, true)
	return f.Err()
}

// Post is one post or live stream of an account.
type Post struct {
	ID        int64
	AccountID int64
	Kind      string // post or live
	Day       string // YYYY-MM-DD, Beijing time
	Title     string
	Column    string // the special column (专栏) it belongs to, "" when none
	URL       string
}

// ValidatePost checks a post before it is stored.
func ValidatePost(p *Post) error {
	var f errs.Fields
	p.Title = strings.TrimSpace(p.Title)
	p.Column = strings.TrimSpace(p.Column)
	p.URL = strings.TrimSpace(p.URL)
	if p.AccountID == 0 {
		f.Add("account", "请选择账号")
	}
	if k, ok := ParsePostKind(p.Kind); ok {
		p.Kind = k
	} else {
		f.Add("kind", "请选择类型（发文或直播）")
	}
	checkDay(&f, "day", "发布日期", &p.Day)
	checkText(&f, "title", "标题", p.Title, 200, true)
	checkText(&f, "column", "专栏名称", p.Column, 50, false)
	if p.URL != "" && !strings.HasPrefix(p.URL, "https://") && !strings.HasPrefix(p.URL, "http://") {
		f.Add("url", "链接应以 http:// 或 https:// 开头")
	}
	checkText(&f, "url", "链接", p.URL, 500, false)
	return f.Err()
}

// Followers is an account's follower count on a date.
type Followers struct {
	AccountID int64
	Day       string
	Count     int64
}

// ValidateFollowers checks a follower count.
func ValidateFollowers(x *Followers) error {
	var f errs.Fields
	if x.AccountID == 0 {
		f.Add("account", "请选择账号")
	}
	checkDay(&f, "day", "统计日期", &x.Day)
	if x.Count < 0 {
		f.Add("count", "关注人数不能为负数")
	}
	return f.Err()
}

// checkDay normalises a date field to YYYY-MM-DD or records why it cannot.
func checkDay(f *errs.Fields, field, label string, day *string) {
	s := strings.TrimSpace(*day)
	if s == "" {
		f.Add(field, "请填写%s", label)
		return
	}
	t, err := parseDate(s)
	if err != nil {
		f.Add(field, "%s“%s”格式不正确，应为 2024-03-15", label, s)
		return
	}
	*day = t.Format("2006-01-02")
}

// parseDate reads a civil date in the formats spreadsheets write.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var err error
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006-1-2", "2006.1.2", "2006年1月2日", "20060102"} {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}
