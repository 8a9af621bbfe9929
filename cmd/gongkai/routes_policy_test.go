package main

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gongkai/internal/demo"
	"gongkai/internal/web"
)

// Every back-office route is declared in the access policy's route table
// (web.RouteAction): the registrations are read from the source, so a new
// route without its action fails here (and is refused to everyone at run
// time).
func TestEveryRouteHasItsAction(t *testing.T) {
	n := 0
	for _, m := range webSourceMatches(t, regexp.MustCompile(`mux\.Handle\("((?:GET|POST) /admin[^"]*)"`)) {
		if m[1] == "GET /admin/login" || m[1] == "POST /admin/login" {
			continue
		}
		n++
		if _, ok := web.RouteAction(m[1]); !ok {
			t.Errorf("%s has no action in the access policy's route table", m[1])
		}
	}
	if n < 80 {
		t.Errorf("only %d back-office routes found", n)
	}
}

// The policy written out by hand, page by page and role by role: which of
// the back office's pages each demo role opens. The menus offer exactly
// those.
func TestPagesByRole(t *testing.T) {
	app := startApp(t, demoCopy(t))
	pages := []string{"/admin/", "/admin/users", "/admin/users/new", "/admin/units", "/admin/audit", "/admin/calendar", "/admin/reports",
		"/admin/desk", "/admin/desk/enquiries", "/admin/desk/calls", "/admin/desk/calls/new", "/admin/desk/imports", "/admin/desk/visits",
		"/admin/desk/media", "/admin/desk/outreach", "/admin/desk/surveys", "/admin/desk/complaints",
		"/admin/publish", "/admin/publish/items", "/admin/publish/new", "/admin/publish/catalogue", "/admin/publish/registers", "/admin/publish/stats",
		"/admin/rcep", "/admin/rcep/stats",
		"/admin/requests", "/admin/requests/new", "/admin/requests/stats", "/admin/requests/letters", "/admin/requests/office", "/admin/requests/subjects", "/admin/mail",
		"/admin/annual", "/admin/annual/fuzhou/template", "/admin/annual/fuzhou/settings", "/admin/reports/batches",
		"/admin/rectify", "/admin/rectify/new", "/admin/rectify/import",
		"/admin/inspect", "/admin/inspect/settings", "/admin/inspect/assess", "/admin/inspect/notices"}
	desk := "/admin/desk /admin/desk/calls /admin/desk/calls/new /admin/desk/imports /admin/desk/visits /admin/desk/media /admin/desk/outreach /admin/desk/surveys /admin/desk/complaints"
	publish := "/admin/publish /admin/publish/items /admin/publish/catalogue /admin/publish/registers /admin/publish/stats"
	// Everyone: the register's list (each sees the problems given to his
	// department) and the inspection's notices addressed to him.
	common := "/admin/ /admin/calendar /admin/rcep /admin/rcep/stats /admin/rectify /admin/inspect/notices"
	// The annual report, the register and the inspection: statisticians,
	// the office head and administrators.
	annual := "/admin/annual /admin/annual/fuzhou/template /admin/annual/fuzhou/settings /admin/rectify/new /admin/rectify/import /admin/inspect /admin/inspect/settings /admin/inspect/assess"
	allow := map[string]string{
		"admin": common + " " + annual + " /admin/users /admin/users/new /admin/units /admin/audit /admin/reports /admin/reports/batches " + desk + " " + publish +
			" /admin/requests/stats /admin/requests/letters /admin/requests/office /admin/requests/subjects",
		"editor":   common + " " + desk + " " + publish + " /admin/publish/new",
		"reviewer": common + " /admin/desk /admin/desk/enquiries /admin/desk/visits " + publish,
		"legal":    common + " " + publish + " /admin/requests /admin/requests/stats /admin/requests/letters",
		"handler":  common + " /admin/requests /admin/requests/new /admin/mail /admin/requests/stats /admin/requests/letters /admin/requests/subjects",
		"head": common + " " + annual + " " + desk + " /admin/desk/enquiries " + publish +
			" /admin/requests /admin/requests/new /admin/mail /admin/requests/stats /admin/requests/letters /admin/requests/office /admin/requests/subjects",
		"stats": common + " " + annual + " /admin/reports /admin/reports/batches /admin/desk /admin/desk/visits " + publish + " /admin/requests/stats",
		"agent": common + " " + desk + " /admin/desk/enquiries",
	}
	menuRE := regexp.MustCompile(`<nav class="columns-nav"[\s\S]*?</nav>`)
	linkRE := regexp.MustCompile(`href="(/admin/[^"]*)"`)
	for user, list := range allow {
		want := map[string]bool{}
		for _, p := range strings.Fields(list) {
			want[p] = true
		}
		b := newBrowser(t, app.URL)
		if code, _ := b.login(user, demo.Password); code != 200 {
			t.Fatalf("login %s: %d", user, code)
		}
		var home string
		for _, p := range pages {
			code, body := b.get(p)
			if p == "/admin/" {
				home = body
			}
			switch {
			case want[p] && (code == http.StatusForbidden || code == http.StatusNotFound):
				t.Errorf("%s may open %s but got %d", user, p, code)
			case !want[p] && code != http.StatusForbidden:
				t.Errorf("%s may not open %s but got %d", user, p, code)
			}
		}
		// The menu: only what the role can open, and all of its areas.
		var menu []string
		for _, m := range linkRE.FindAllStringSubmatch(menuRE.FindString(home), -1) {
			menu = append(menu, m[1])
			if !want[m[1]] {
				t.Errorf("%s's menu offers %s, which it may not open", user, m[1])
			}
		}
		sort.Strings(menu)
		for _, area := range []string{"/admin/desk", "/admin/publish", "/admin/requests", "/admin/reports", "/admin/users"} {
			if want[area] && !strings.Contains(strings.Join(menu, " "), area) {
				t.Errorf("%s's menu lacks %s: %v", user, area, menu)
			}
		}
	}
}
