package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/desk"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/web"
)

// instance is one server over a shared database, its cache running.
type instance struct {
	srv *web.Server
	url string
}

func startInstance(t *testing.T, db *store.DB, run bool) *instance {
	t.Helper()
	srv, err := web.New(db, &auth.Service{Store: db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: "fuzhou", Secret: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		srv.Start(ctx)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &instance{srv: srv, url: ts.URL}
}

func fetch(t *testing.T, base, path string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 Firefox/128.0")
	req.Header.Set("Accept-Encoding", "identity") // else the transport asks for gzip and unpacks it
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Public pages come from memory: the same strong ETag on every instance,
// Last-Modified, 304 on either conditional, gzip done once, a length, and
// Cache-Control for a CDN. A withdrawal reaches every instance's cache
// within a second, through the database; a hit does not touch the
// database at all.
func TestPortalCache(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) { testPortalCache(t, d) })
	}
}

func testPortalCache(t *testing.T, d store.Dialect) {
	w := newSecrecyWorld(t, d)
	w.fill(t)
	a, b := startInstance(t, w.db, true), startInstance(t, w.db, true)
	item := "/items/" + strconv.FormatInt(w.ctlID, 10)
	var etag string
	for _, in := range []*instance{a, b, a} {
		resp, body := fetch(t, in.url, item)
		if resp.StatusCode != 200 || !strings.Contains(body, w.control) {
			t.Fatalf("item: %d", resp.StatusCode)
		}
		if etag == "" {
			etag = resp.Header.Get("ETag")
		}
		if got := resp.Header.Get("ETag"); got == "" || got != etag || strings.HasPrefix(got, "W/") {
			t.Fatalf("ETag %q, want the same strong one %q on every instance", got, etag)
		}
		if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) || resp.Header.Get("Last-Modified") == "" {
			t.Fatalf("headers %v", resp.Header)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "s-maxage=60") || strings.Contains(cc, "stale-while-revalidate") {
			t.Fatalf("item Cache-Control %q", cc)
		}
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Fatal("a cached page sets a cookie")
		}
	}
	if resp, _ := fetch(t, a.url, "/column/catalog"); !strings.Contains(resp.Header.Get("Cache-Control"), "stale-while-revalidate=") {
		t.Fatalf("listing Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	resp, _ := fetch(t, b.url, item, "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}
	resp, _ = fetch(t, a.url, item)
	if resp2, _ := fetch(t, a.url, item, "If-Modified-Since", resp.Header.Get("Last-Modified")); resp2.StatusCode != http.StatusNotModified {
		t.Fatalf("If-Modified-Since: %d", resp2.StatusCode)
	}
	if resp, _ := fetch(t, a.url, item, "If-None-Match", `"other"`); resp.StatusCode != 200 {
		t.Fatalf("other ETag: %d", resp.StatusCode)
	}
	resp, gz := fetch(t, a.url, item, "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Length") != strconv.Itoa(len(gz)) || resp.Header.Get("ETag") != etag {
		t.Fatalf("gzip: %v", resp.Header)
	}
	// The 适老化 choice changes a stylesheet, not the page.
	if resp, _ := fetch(t, a.url, item, "Cookie", "gk_display=large"); resp.Header.Get("ETag") != etag {
		t.Fatal("the page depends on the display cookie")
	}
	if _, css := fetch(t, a.url, "/display.css", "Cookie", "gk_display=large"); !strings.Contains(css, "font-size") {
		t.Fatal("display.css without the large display")
	}

	// Withdrawn: gone from both instances within a second.
	for _, in := range []*instance{a, b} {
		fetch(t, in.url, "/")
	}
	w.act(t, w.review, w.ctlID, store.Act{Kind: publish.EvWithdraw, Reason: "内容有误"})
	deadline := time.Now().Add(1500 * time.Millisecond)
	for _, in := range []*instance{a, b} {
		for {
			resp, body := fetch(t, in.url, item)
			_, home := fetch(t, in.url, "/")
			if resp.StatusCode == 404 && !strings.Contains(body, w.control) && !strings.Contains(home, w.control) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("withdrawn item still served: %d", resp.StatusCode)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// A hit needs no database: warm a page, close the database, ask again.
	resp, _ = fetch(t, a.url, "/column/catalog")
	warm := resp.Header.Get("ETag")
	if d == store.SQLite {
		c := startInstance(t, w.db, true)
		fetch(t, c.url, "/column/catalog")
		w.db.Close()
		resp, _ := fetch(t, c.url, "/column/catalog")
		if resp.StatusCode != 200 || resp.Header.Get("ETag") != warm {
			t.Fatalf("a hit with the database closed: %d", resp.StatusCode)
		}
		if resp, _ := fetch(t, c.url, "/search?q=x"); resp.StatusCode < 500 {
			t.Fatalf("the database is not closed (search answered %d)", resp.StatusCode)
		}
	}
}

// The same visits give the same count through the cache as without it,
// once flushed.
func TestPortalVisitsThroughCache(t *testing.T) {
	w := newSecrecyWorld(t, store.SQLite)
	w.fill(t)
	cached, plain := startInstance(t, w.db, true), startInstance(t, w.db, false)
	item := "/items/" + strconv.FormatInt(w.ctlID, 10)
	today := desk.Day(time.Now())
	count := func() map[string]int64 {
		days, err := w.db.Visits(ctx, []int64{w.unit.ID}, today, today)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int64{}
		for _, d := range days {
			m[d.Group] = d.Hits
		}
		return m
	}
	visit := func(in *instance) map[string]int64 {
		before := count()
		for _, p := range []string{"/", "/", item, item, "/column/catalog", "/no/such"} {
			fetch(t, in.url, p)
		}
		resp, _ := fetch(t, in.url, item)
		fetch(t, in.url, item, "If-None-Match", resp.Header.Get("ETag"))
		if err := in.srv.FlushVisits(ctx); err != nil {
			t.Fatal(err)
		}
		after := count()
		for k, v := range before {
			after[k] -= v
		}
		return after
	}
	want := map[string]int64{"home": 2, "proactive": 5}
	for name, in := range map[string]*instance{"cached": cached, "plain": plain} {
		got := visit(in)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: visits %v, want %v", name, got, want)
			}
		}
	}
}

// What the standards tools found missing is checked here directly: a
// favicon, a description, robots.txt, feed discovery, no chained
// stylesheets, /interact and /rcep in the sitemap, empty feeds dated by
// the site's newest item, and a Chinese 404 under /static.
func TestPortalAudits(t *testing.T) {
	w := newSecrecyWorld(t, store.SQLite)
	w.fill(t)
	in := startInstance(t, w.db, false)
	_, home := fetch(t, in.url, "/")
	for _, want := range []string{`<link rel="icon" href="/static/favicon.svg"`, `<meta name="description" content="`,
		`<link rel="alternate" type="application/atom+xml"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	for _, p := range []string{"/favicon.ico", "/static/favicon.svg"} {
		if resp, _ := fetch(t, in.url, p); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
			t.Errorf("%s: %d %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	resp, robots := fetch(t, in.url, "/robots.txt")
	if resp.StatusCode != 200 || !strings.Contains(robots, "Sitemap: ") || !strings.Contains(robots, "Disallow: /admin/") {
		t.Errorf("robots.txt: %d %q", resp.StatusCode, robots)
	}
	for _, css := range []string{"style.css", "publish.css", "report.css"} {
		resp, body := fetch(t, in.url, "/static/"+css)
		if resp.StatusCode != 200 || strings.Contains(body, "@import") {
			t.Errorf("%s: %d or @import", css, resp.StatusCode)
		}
		if resp.Header.Get("ETag") == "" {
			t.Errorf("%s has no validator", css)
		} else if r2, _ := fetch(t, in.url, "/static/"+css, "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", css, r2.StatusCode)
		}
		if !strings.Contains(home, `href="/static/`+css+`"`) {
			t.Errorf("home does not link %s", css)
		}
	}
	_, sitemap := fetch(t, in.url, "/sitemap.xml")
	for _, p := range []string{"/interact</loc>", "/rcep</loc>"} {
		if !strings.Contains(sitemap, p) {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	_, feed := fetch(t, in.url, "/catalog/art20-14/atom.xml")
	if strings.Contains(feed, "2000-01-01") || !strings.Contains(feed, "<updated>") {
		t.Errorf("empty feed's date:\n%.500s", feed)
	}
	resp, body := fetch(t, in.url, "/static/no-such.css")
	if resp.StatusCode != 404 || !strings.Contains(body, "不存在") || strings.Contains(body, "404 page not found") {
		t.Errorf("/static 404: %d %.200s", resp.StatusCode, body)
	}
}

// The export writes the public pages as files and, after a withdrawal,
// deletes the withdrawn item's page; what is unpublished is never written.
func TestPortalExportFiles(t *testing.T) {
	w := newSecrecyWorld(t, store.SQLite)
	w.fill(t)
	in := startInstance(t, w.db, false)
	dir := t.TempDir()
	res, err := in.srv.Export(ctx, dir, "https://fuzhou.customs.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	item := filepath.Join(dir, "items", strconv.FormatInt(w.ctlID, 10), "index.html")
	b, err := os.ReadFile(item)
	if err != nil || !strings.Contains(string(b), w.control) {
		t.Fatalf("item page not exported: %v (files %v)", err, res.Files)
	}
	// The same bytes the server sends.
	_, page := fetch(t, in.url, "/items/"+strconv.FormatInt(w.ctlID, 10))
	if page != string(b) {
		t.Fatal("the exported page differs from the served one")
	}
	for _, f := range res.Files {
		body, _ := os.ReadFile(filepath.Join(dir, f))
		for marker := range w.hidden {
			if strings.Contains(string(body), marker) {
				t.Errorf("%s shows unpublished %s", f, marker)
			}
		}
	}
	again, err := in.srv.Export(ctx, dir, "https://fuzhou.customs.gov.cn")
	if err != nil || again.Written != 0 || again.Unchanged != len(res.Files) {
		t.Fatalf("unchanged export rewrote files: %+v %v", again, err)
	}
	w.act(t, w.review, w.ctlID, store.Act{Kind: publish.EvWithdraw, Reason: "内容有误"})
	after, err := in.srv.Export(ctx, dir, "https://fuzhou.customs.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(item); !os.IsNotExist(err) || after.Removed == 0 {
		t.Fatalf("withdrawn item still exported (%+v)", after)
	}
	home, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if strings.Contains(string(home), w.control) {
		t.Fatal("the exported home page still lists the withdrawn item")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
