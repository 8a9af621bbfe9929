package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// Under --secure-cookies every cookie the site sets is Secure: the CSRF
// cookie, the session, the flash message (it was not) and the display
// preference; without it none is, so that plain HTTP on a laptop works.
func TestSecureCookies(t *testing.T) {
	db := storetest.Open(t, store.SQLite, store.Options{})
	ctx := context.Background()
	sys := audit.System("test")
	u := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	cheap := auth.Params{Memory: 1024, Time: 1, Threads: 1}
	hash, _ := auth.HashPassword("secure password", cheap)
	usr := org.User{Username: "boss", DisplayName: "测试", UnitID: u.ID, Grants: []org.Grant{{UnitID: u.ID, Role: org.RoleAdmin}}}
	if err := db.CreateUser(ctx, sys, &usr, hash); err != nil {
		t.Fatal(err)
	}
	for _, secure := range []bool{true, false} {
		p := auth.DefaultPolicy
		p.Params = cheap
		srv, err := New(db, &auth.Service{Store: db, Policy: p}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou", SecureCookies: secure})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewTLSServer(srv.Handler())
		defer ts.Close()
		c := ts.Client()
		c.Jar, _ = cookiejar.New(nil)
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		seen := map[string]bool{}
		do := func(req *http.Request) string {
			t.Helper()
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			for _, ck := range resp.Cookies() {
				seen[ck.Name] = true
				if ck.Secure != secure {
					t.Errorf("secure=%v: cookie %s set with Secure=%v (%s %s)", secure, ck.Name, ck.Secure, req.Method, req.URL.Path)
				}
			}
			return string(b)
		}
		get := func(path string) string {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			return do(req)
		}
		post := func(path string, v url.Values) string {
			req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", ts.URL)
			return do(req)
		}
		form := get("/admin/login")
		post("/admin/login", url.Values{"csrf": {find(t, csrfRE, form)[1]}, "username": {"boss"}, "password": {"secure password"}})
		home := get("/admin/")
		post("/admin/logout", url.Values{"csrf": {find(t, csrfRE, home)[1]}})
		get("/display?mode=large")
		for _, name := range []string{csrfCookie, sessionCookie, flashCookie, displayCookie} {
			if !seen[name] {
				t.Errorf("secure=%v: cookie %s never set", secure, name)
			}
		}
	}
}
