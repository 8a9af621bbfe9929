package main

import (
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// TestHugeNumbersNeverFail asks every GET route of the portal and of the
// back office (as the administrator) with every query parameter any
// handler reads — and every path parameter — set to numbers no field
// holds (past int64, the int64 limits, a float overflow, NaN, a negative):
// each answer is a page or a clear refusal, never a 5xx. Routes and
// parameter names are read from the source, so a new one is covered.
func TestHugeNumbersNeverFail(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	routeRE := regexp.MustCompile(`mux\.Handle\("GET (/[^"]*)"`)
	paramRE := regexp.MustCompile(`(?:Query\(\)\.Get|FormValue|queryInt\(r,)\s*\(?"([a-zA-Z_]+)"`)
	routes, params := map[string]bool{}, map[string]bool{}
	for _, m := range webSourceMatches(t, routeRE) {
		if !strings.HasPrefix(m[1], "/static/") && !strings.HasPrefix(m[1], "/admin/logout") {
			routes[m[1]] = true
		}
	}
	for _, m := range webSourceMatches(t, paramRE) {
		if m[1] != "csrf" {
			params[m[1]] = true
		}
	}
	if len(routes) < 100 || len(params) < 50 {
		t.Fatalf("read %d GET routes and %d parameters from the source: the pattern no longer matches", len(routes), len(params))
	}
	var list []string
	for r := range routes {
		list = append(list, r)
	}
	sort.Strings(list)

	app := startApp(t, demoCopy(t))
	admin := newBrowser(t, app.URL)
	if code, _ := admin.login("admin", demo.Password); code != 200 {
		t.Fatalf("admin login: %d", code)
	}
	public := newBrowser(t, app.URL)
	pathParam := regexp.MustCompile(`\{[a-z]+\}|\{\$\}`)
	values := []string{"99999999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e309", "NaN", "-1"}
	asked := 0
	for _, route := range list {
		for _, v := range values {
			path := pathParam.ReplaceAllStringFunc(route, func(p string) string {
				if p == "{$}" {
					return ""
				}
				return url.PathEscape(v)
			})
			q := url.Values{}
			for p := range params {
				q.Set(p, v)
			}
			for _, b := range []*browser{admin, public} {
				resp, err := b.c.Get(app.URL + path + "?" + q.Encode())
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				asked++
				if resp.StatusCode >= 500 {
					t.Errorf("GET %s?…=%s (%s): %d", route, v, map[bool]string{true: "admin", false: "public"}[b == admin], resp.StatusCode)
				}
				if b == admin && resp.Request.URL.Path == "/admin/login" && !strings.HasPrefix(route, "/admin/login") {
					t.Fatalf("the administrator was logged out at %s", route)
				}
			}
		}
	}
	t.Logf("%d GET routes × %d values × 2 visitors, %d query parameters each: %d requests, none answered 5xx", len(list), len(values), len(params), asked)
}
