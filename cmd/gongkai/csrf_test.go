package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gongkai/internal/demo"
	"gongkai/internal/store"
)

// TestCSRFOnEveryPost: every state-changing route — read from
// internal/web's source, so a new one is covered — refuses a request
// without the form's token, from a logged-in administrator (whose session
// is checked in s.staff) and from the public (the double-submit cookie),
// with 403 and no change: the audit log, which every change appends to,
// stays as it was.
func TestCSRFOnEveryPost(t *testing.T) {
	var routes []string
	for _, m := range webSourceMatches(t, regexp.MustCompile(`mux\.Handle\("POST (/[^"]*)"`)) {
		if m[1] != "/admin/login" {
			routes = append(routes, m[1])
		}
	}
	// The two registered from a variable.
	routes = append(routes, "/interact/message/new", "/interact/consult/new", "/admin/reports/batches")
	sort.Strings(routes)
	if len(routes) < 60 {
		t.Fatalf("read %d POST routes from the source: the pattern no longer matches", len(routes))
	}
	dsn := demoCopy(t)
	app := startApp(t, dsn)
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int64 {
		var n int64
		if err := db.SQL().QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	admin := newBrowser(t, app.URL)
	if code, _ := admin.login("admin", demo.Password); code != 200 {
		t.Fatalf("admin login: %d", code)
	}
	public := newBrowser(t, app.URL)
	public.get("/column/apply") // the double-submit cookie
	before := count()
	param := regexp.MustCompile(`\{[a-z]+\}`)
	for _, route := range routes {
		path := param.ReplaceAllString(route, "1")
		for _, who := range []struct {
			name string
			b    *browser
		}{{"admin", admin}, {"public", public}} {
			for _, token := range []string{"", "forged-token-0123456789abcdef0123456789"} {
				form := url.Values{"title": {"x"}, "name": {"x"}, "text": {"x"}}
				if token != "" {
					form.Set("csrf", token)
				}
				code, _ := who.b.post(path, form)
				if code != http.StatusForbidden {
					t.Errorf("POST %s as %s with csrf %q: %d, want 403", route, who.name, token, code)
				}
			}
		}
	}
	if after := count(); after != before {
		t.Errorf("the audit log grew from %d to %d entries: a request without its token changed something", before, after)
	}
	// The administrator is still logged in (the refusals did not log out).
	if code, body := admin.get("/admin/"); code != 200 || strings.Contains(body, `action="/admin/login"`) {
		t.Errorf("admin after the refusals: %d", code)
	}
	t.Logf("%d POST routes × 2 visitors × 2 (no token, forged token): all refused with 403, audit log unchanged", len(routes))
}
