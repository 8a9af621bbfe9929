package crawl

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/inspect"
)

// fakeClock advances only when the crawler sleeps, so rate limits and
// Retry-After cost the test no time.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

// site is a test site: a home page linking to pages, a redirect, a broken
// page, an attachment, a missing attachment, a page answering 429 once
// with Retry-After, a slow page, and an external site.
func site(t *testing.T) (*httptest.Server, *httptest.Server, *sync.Map) {
	var hits sync.Map // path → count
	var cookies sync.Map
	ext := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<html><body>external</body></html>")
	}))
	t.Cleanup(ext.Close)
	var once sync.Once
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := hits.LoadOrStore(r.URL.Path, new(int))
		*(n.(*int))++
		if c := r.Header.Get("Cookie"); c != "" {
			cookies.Store(r.URL.Path, c)
		}
		http.SetCookie(w, &http.Cookie{Name: "track", Value: "1"})
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>首页</title></head><body>
				<a href="/a">页面A</a> <a href="/old">旧地址</a> <a href="/broken">坏链接</a> <a href="/files/report.pdf">附件</a>
				<a href="/files/missing.pdf">坏附件</a> <a href="/busy">繁忙</a> <a href="/slow">慢页面</a>
				<a href="%s/ok">外部</a> <a href="%s/gone">外部坏链接</a> <a href="mailto:x@example.cn">邮件</a> <a href="javascript:void(0)">脚本</a>
				</body></html>`, ext.URL, ext.URL)
		case "/a":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/">首页</a><a href="/broken">坏链接</a><a href="/b">B</a></body></html>`)
		case "/b":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body>深层页面<a href="/c">C</a></body></html>`)
		case "/c":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body>最深的页面</body></html>`)
		case "/old":
			http.Redirect(w, r, "/a", http.StatusMovedPermanently)
		case "/files/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		case "/busy":
			first := false
			once.Do(func() { first = true })
			if first {
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>busy ok</body></html>")
		case "/slow":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			fmt.Fprint(w, "late")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s, ext, &cookies
}

func allowAll(string) error { return nil }

func linkBy(rep inspect.CrawlReport, suffix string) (inspect.Link, bool) {
	for _, l := range rep.Links {
		if strings.HasSuffix(l.URL, suffix) {
			return l, true
		}
	}
	return inspect.Link{}, false
}

func bounds() inspect.Bounds {
	return inspect.Bounds{MaxPages: 100, MaxDepth: 8, Timeout: 10 * time.Minute, Rate: 2, ExternalRate: 1, MaxExternal: 100,
		PageTimeout: 300 * time.Millisecond, SameHost: true}
}

// A crawl of a local site: each link checked once with its pages, a
// redirect followed, 429 waited out per Retry-After, a slow page failing
// within the timeout, no cookie sent back, the rate kept.
func TestCrawlSite(t *testing.T) {
	s, ext, cookies := site(t)
	clock := &fakeClock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	c := &Crawler{Guard: allowAll, Now: clock.Now, Sleep: clock.Sleep}
	var pages []string
	rep := c.Crawl(context.Background(), inspect.CrawlRequest{Start: s.URL, Bounds: bounds(), Visit: func(p inspect.Page) { pages = append(pages, p.URL) }})
	if rep.StartError != "" || len(rep.Reasons) != 0 {
		t.Fatalf("crawl: %q %v", rep.StartError, rep.Reasons)
	}
	want := map[string]inspect.LinkState{
		"/a": inspect.LinkOK, "/old": inspect.LinkOK, "/broken": inspect.LinkBroken, "/files/report.pdf": inspect.LinkOK,
		"/files/missing.pdf": inspect.LinkBroken, "/busy": inspect.LinkOK, "/slow": inspect.LinkBroken, "/ok": inspect.LinkOK, "/gone": inspect.LinkBroken,
		"/b": inspect.LinkOK, "/c": inspect.LinkOK,
	}
	for suffix, st := range want {
		l, ok := linkBy(rep, suffix)
		if !ok {
			t.Errorf("%s not checked", suffix)
			continue
		}
		if l.State != st {
			t.Errorf("%s: %s (%d %s), want %s", suffix, l.State, l.Status, l.Error, st)
		}
	}
	if l, _ := linkBy(rep, "/broken"); len(l.Referrers) != 2 || l.Status != 404 {
		t.Errorf("broken link: %+v (want two pages linking to it, once)", l)
	}
	if l, _ := linkBy(rep, "/slow"); !strings.Contains(l.Error, "秒内未打开") {
		t.Errorf("slow page: %+v", l)
	}
	if l, _ := linkBy(rep, "/files/missing.pdf"); l.Kind != inspect.AttachmentLink {
		t.Errorf("missing attachment kind %s", l.Kind)
	}
	if l, _ := linkBy(rep, "/gone"); l.Kind != inspect.ExternalLink {
		t.Errorf("external kind %s", l.Kind)
	}
	for _, l := range rep.Links {
		if strings.HasPrefix(l.URL, "mailto:") || strings.HasPrefix(l.URL, "javascript:") {
			t.Errorf("checked %s", l.URL)
		}
	}
	// 429 with Retry-After: 3 was waited out (3 s on the fake clock).
	waited := false
	for _, d := range clock.sleeps {
		if d == 3*time.Second {
			waited = true
		}
		if d > 3*time.Second {
			t.Errorf("slept %s", d)
		}
	}
	if !waited {
		t.Errorf("Retry-After not honoured: sleeps %v", clock.sleeps)
	}
	// The rate: two requests a second to the site means about 0.5 s
	// between them; the crawl made rep.Requests requests.
	if len(clock.sleeps) < rep.Requests/2 {
		t.Errorf("%d sleeps for %d requests: the rate was not kept", len(clock.sleeps), rep.Requests)
	}
	cookies.Range(func(k, v any) bool {
		t.Errorf("cookie %v sent back to %v", v, k)
		return true
	})
	if len(pages) < 4 || !strings.HasSuffix(pages[0], "/") {
		t.Errorf("pages read: %v", pages)
	}
	_ = ext
}

// Bounds: pages, depth and time reached make the crawl say so.
func TestCrawlBounds(t *testing.T) {
	s, _, _ := site(t)
	clock := &fakeClock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	c := &Crawler{Guard: allowAll, Now: clock.Now, Sleep: clock.Sleep}
	b := bounds()
	b.MaxPages = 2
	rep := c.Crawl(context.Background(), inspect.CrawlRequest{Start: s.URL, Bounds: b})
	if !strings.Contains(strings.Join(rep.Reasons, ""), "页面数达到 2 页上限") {
		t.Errorf("max pages: %v", rep.Reasons)
	}
	b = bounds()
	b.MaxDepth = 1
	rep = c.Crawl(context.Background(), inspect.CrawlRequest{Start: s.URL, Bounds: b})
	if !strings.Contains(strings.Join(rep.Reasons, ""), "链接深度超过 1 层") {
		t.Errorf("max depth: %v", rep.Reasons)
	}
	b = bounds()
	b.Timeout = 2 * time.Second // the fake clock passes it after a few waits
	rep = c.Crawl(context.Background(), inspect.CrawlRequest{Start: s.URL, Bounds: b})
	if !strings.Contains(strings.Join(rep.Reasons, ""), "检查时间达到") {
		t.Errorf("time: %v", rep.Reasons)
	}
	unknown := 0
	for _, l := range rep.Links {
		if l.State == inspect.LinkUnknown {
			unknown++
		}
	}
	if unknown == 0 {
		t.Error("links left unchecked are not reported as unknown")
	}
}

// Loopback and private addresses are refused by default — the start page,
// a name resolving to loopback, and a redirect from an allowed site to a
// refused one, each checked on the address dialled.
func TestCrawlRefusesPrivateAddresses(t *testing.T) {
	s, _, _ := site(t)
	c := &Crawler{}
	rep := c.Crawl(context.Background(), inspect.CrawlRequest{Start: s.URL, Bounds: bounds()})
	if !strings.Contains(rep.StartError, "拒绝访问内网或回环地址 127.0.0.1") {
		t.Errorf("loopback: %q", rep.StartError)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.URL, "http://"))
	rep = c.Crawl(context.Background(), inspect.CrawlRequest{Start: "http://localhost:" + port + "/", Bounds: bounds()})
	if !strings.Contains(rep.StartError, "拒绝访问内网或回环地址") {
		t.Errorf("localhost: %q", rep.StartError)
	}
	// A guard that lets only the first server through: its redirect to the
	// second is refused at dial time.
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "inside") }))
	defer target.Close()
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/jump">内网</a></body></html>`)
			return
		}
		http.Redirect(w, r, target.URL+"/secret", http.StatusFound)
	}))
	defer hop.Close()
	hopAddr := strings.TrimPrefix(hop.URL, "http://")
	only := func(addr string) error {
		if addr == hopAddr {
			return nil
		}
		return PublicOnly(addr)
	}
	c = &Crawler{Guard: only}
	rep = c.Crawl(context.Background(), inspect.CrawlRequest{Start: hop.URL, Bounds: bounds()})
	l, ok := linkBy(rep, "/jump")
	if !ok || l.State != inspect.LinkBroken || !strings.Contains(l.Error, "拒绝访问内网或回环地址") {
		t.Errorf("redirect into the network: %+v", l)
	}
	for _, a := range []string{"10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "100.64.0.1", "::1", "fd00::1", "fe80::1", "0.0.0.0", "::ffff:127.0.0.1"} {
		if Public(netip.MustParseAddr(a).Unmap()) {
			t.Errorf("%s counted as public", a)
		}
	}
	for _, a := range []string{"8.8.8.8", "202.96.128.86", "2400:3200::1"} {
		if !Public(netip.MustParseAddr(a)) {
			t.Errorf("%s counted as private", a)
		}
	}
}

// The start page's failures, and what a malformed address says.
func TestCrawlStartAndURLs(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	c := &Crawler{Guard: allowAll}
	if rep := c.Crawl(context.Background(), inspect.CrawlRequest{Start: down.URL, Bounds: bounds()}); !strings.Contains(rep.StartError, "HTTP 503") {
		t.Errorf("503: %q", rep.StartError)
	}
	for _, bad := range []string{"", "ftp://example.cn", "http://", "http://exa mple.cn", "ht!tp:/x", "http://user:pw@example.cn", "http://a_b.example.cn:99999"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"www.example.gov.cn", "https://www.example.gov.cn/path?q=1", "http://10.0.0.1:8080"} {
		if _, err := ParseURL(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

// A page's meta tags, dates and text.
func TestAnalyse(t *testing.T) {
	p := analyse([]byte(`<html><head><title>标题</title><meta name="ColumnName" content="工作动态"><meta name="ArticleTitle" content="某条信息">
		<meta name="PubDate" content="2026-05-04 10:00"><script>var x = "2001-01-01";</script></head>
		<body><p>发布时间：2026年5月3日</p><img src="/a.png"><a href="/x">x</a></body></html>`))
	if p.title != "标题" || p.column != "工作动态" || p.article != "某条信息" || p.pubDate.String() != "2026-05-04" {
		t.Errorf("meta: %+v", p)
	}
	if len(p.dates) != 1 || p.dates[0].String() != "2026-05-03" {
		t.Errorf("dates: %v (the script's date must not count)", p.dates)
	}
	if len(p.links) != 2 {
		t.Errorf("links: %v", p.links)
	}
}

// A probe fails on an error status and on a page slower than its timeout.
func TestProbe(t *testing.T) {
	s, _, _ := site(t)
	rt := NewTransport(allowAll, time.Second)
	if p := Probe(context.Background(), rt, s.URL, time.Second, nil); !p.OK || p.Status != 200 {
		t.Errorf("home: %+v", p)
	}
	if p := Probe(context.Background(), rt, s.URL+"/broken", time.Second, nil); p.OK {
		t.Errorf("404: %+v", p)
	}
	if p := Probe(context.Background(), rt, s.URL+"/slow", 200*time.Millisecond, nil); p.OK || !strings.Contains(p.Error, "未打开") {
		t.Errorf("slow: %+v", p)
	}
	if p := Probe(context.Background(), NewTransport(PublicOnly, time.Second), s.URL, time.Second, nil); p.OK || !strings.Contains(p.Error, "拒绝访问") {
		t.Errorf("private: %+v", p)
	}
}
