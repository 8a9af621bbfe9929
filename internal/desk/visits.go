package desk

import (
	"strings"
)

// Website visits (网站访问量) are counted by the server itself: no
// third-party tracker, no cookie, no address kept. Each portal page view
// that succeeds adds one to a counter row per (unit, day, page group); the
// row is upserted, so that any number of server instances add to the same
// row. The annual figure is the sum of the year's rows, and its growth is
// compared with the year before.

// PageGroups are the portal's sections that visits are counted by, in
// display order.
var PageGroups = []Choice{
	{"home", "首页"},
	{"guide", "信息公开指南与制度"},
	{"proactive", "主动公开"},
	{"apply", "依申请公开"},
	{"interact", "互动交流"},
	{"reports", "政府信息公开年报"},
	{"other", "其他"},
}

// PageGroupLabel names a page group.
func PageGroupLabel(k string) string { return labelOf(PageGroups, k) }

// ParsePageGroup accepts a group's key or name.
func ParsePageGroup(s string) (string, bool) { return keyOf(PageGroups, s) }

// PageGroup is the group a portal path is counted in, or "" for paths that
// are not pages of the portal (the back office, static files, health
// checks), which are never counted.
func PageGroup(path string) string {
	switch {
	case path == "/":
		return "home"
	case strings.HasPrefix(path, "/admin"), strings.HasPrefix(path, "/static/"),
		path == "/healthz", path == "/display", path == "/favicon.ico", path == "/robots.txt":
		return ""
	case hasSeg(path, "/column/guide"), hasSeg(path, "/column/rules"):
		return "guide"
	case hasSeg(path, "/column/statutory"), hasSeg(path, "/column/catalog"), hasSeg(path, "/items"),
		hasSeg(path, "/publish"), hasSeg(path, "/rcep"):
		return "proactive"
	case hasSeg(path, "/column/apply"), hasSeg(path, "/apply"):
		return "apply"
	case hasSeg(path, "/interact"):
		return "interact"
	case hasSeg(path, "/column/reports"), hasSeg(path, "/reports"):
		return "reports"
	}
	return "other"
}

// hasSeg reports whether path is prefix or lies below it.
func hasSeg(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// IsBot reports whether a User-Agent names a crawler; crawlers' requests
// are not visits.
func IsBot(userAgent string) bool {
	ua := strings.ToLower(userAgent)
	if ua == "" {
		return true
	}
	for _, w := range []string{"bot", "spider", "crawl", "slurp", "curl/", "wget/", "python-requests", "go-http-client", "headless"} {
		if strings.Contains(ua, w) {
			return true
		}
	}
	return false
}
