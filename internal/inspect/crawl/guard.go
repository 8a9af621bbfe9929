// Package crawl is the inspection's adapter to the web: it reads a site
// within bounds (pages, depth, time, rate), politely (a rate per host,
// 429 and Retry-After honoured, no cookies, a plain User-Agent), checks
// every link and attachment it meets once, probes home pages for their
// availability, and refuses loopback and private addresses — checked on
// the address actually dialled, after every redirect, so that neither a
// redirect nor a DNS answer that changes between two look-ups (DNS
// rebinding) turns the inspector into a way into the agency's network.
//
// The checks themselves are internal/inspect's; this package only fetches.
package crawl

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// Guard decides whether an address may be dialled ("ip:port"); nil allows
// it. Refused addresses get an error saying why.
type Guard func(address string) error

// PublicOnly refuses loopback, private, link-local, shared (CGNAT),
// unspecified, multicast and other non-public addresses (RFC 6890).
func PublicOnly(address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("无法识别的地址 %s", host)
	}
	ip = ip.Unmap()
	if !Public(ip) {
		return &RefusedError{Addr: ip.String()}
	}
	return nil
}

// RefusedError is an address the guard refused.
type RefusedError struct{ Addr string }

func (e *RefusedError) Error() string {
	return fmt.Sprintf("拒绝访问内网或回环地址 %s（检查其他单位网站时不允许访问内网；确需检查内网网站请使用 --allow-private 或检查设置“允许检查内网地址”）", e.Addr)
}

var nonPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// Public reports whether an address is a public unicast address.
func Public(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialer dials through the guard: the check runs on the resolved address
// of each connection attempt (net.Dialer.Control), so what is checked is
// what is connected to.
func dialer(g Guard, timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if g != nil {
		d.Control = func(network, address string, _ syscall.RawConn) error { return g(address) }
	}
	return d.DialContext
}

// NewTransport is an HTTP transport over the network whose every
// connection passes the guard, with no proxy (a proxy would dial for us,
// beyond the guard) and no cookies.
func NewTransport(g Guard, timeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer(g, timeout),
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
