package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/internal/store"
)

// rawGet fetches a page with no cookie jar, so that what the response sets
// is seen, and returns the response with its body read.
func rawGet(t *testing.T, base, path string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// A public page without a form sets no cookie (a CDN or browser may keep
// it); a page with a form issues the double-submit token, and that form
// still works without JavaScript.
func TestPublicPagesSetNoCookie(t *testing.T) {
	e := newReportEnv(t, store.SQLite)
	for _, path := range []string{"/", "/column/catalog", "/column/guide", "/column/statutory", "/column/reports", "/catalog/art20-1",
		"/items/1", "/search?q=海关", "/atom.xml", "/sitemap.xml", "/shuanggongshi", "/interact", "/rcep"} {
		resp, _ := rawGet(t, e.url, path, nil)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s sets a cookie: %v", path, c)
		}
	}
	for _, path := range []string{"/column/apply", "/column/apply/status", "/interact/lookup", "/admin/login"} {
		resp, page := rawGet(t, e.url, path, nil)
		if resp.StatusCode != 200 || !strings.Contains(strings.Join(resp.Header.Values("Set-Cookie"), ";"), csrfCookie+"=") {
			t.Errorf("%s: %d, no %s cookie for its form", path, resp.StatusCode, csrfCookie)
		}
		if !csrfRE.MatchString(page) {
			t.Errorf("%s: no token in the form", path)
		}
	}
	// The status lookup works from its form, without JavaScript.
	c := e.client()
	_, page := c.get("/column/apply/status")
	code, page := c.post("/column/apply/status", url.Values{"csrf": {find(t, csrfRE, page)[1]}, "receipt_no": {"NONE"}, "code": {"x"}})
	if code >= 500 || strings.Contains(page, "安全校验") {
		t.Errorf("status lookup from its form: %d\n%.600s", code, page)
	}
	// Without the token it is refused.
	if code, _ := e.client().post("/column/apply/status", url.Values{"receipt_no": {"NONE"}}); code != http.StatusForbidden {
		t.Errorf("status lookup without a token: %d, want 403", code)
	}
}
