package inspect

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// ParseURL reads the address of a site to inspect: http or https, with a
// host; one without a scheme is taken as http://.
func ParseURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("网址为空")
	}
	bad := fmt.Errorf("网址“%s”格式不正确：应为 http:// 或 https:// 开头的网站地址，如 https://www.example.gov.cn", s)
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, bad
	}
	if !strings.Contains(s, "://") {
		if strings.Contains(s, ":/") {
			return nil, bad
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !validHost(u.Hostname()) {
		return nil, bad
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, bad
		}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("网址“%s”不是 http:// 或 https:// 地址", s)
	}
	if u.User != nil {
		return nil, fmt.Errorf("网址中不能包含用户名或密码")
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

var hostRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$`)

// validHost accepts a domain name (ASCII or punycode) or an IP address.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	return len(h) <= 253 && hostRE.MatchString(h)
}
