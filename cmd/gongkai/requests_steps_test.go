package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/demo"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var stepFormRE = regexp.MustCompile(`<input type="hidden" name="kind" value="([a-z_]+)">`)

// For every demo application (every state the demo reaches) and every
// role, the application page shows exactly the forms of the steps the
// state machine and the policy allow today (requests.StepsFor); a step the
// page does not offer is refused when posted all the same, and a failed
// step comes back in red next to its field with 422, not in the banner.
func TestRequestPageOffersTheAllowedSteps(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	app := startApp(t, dsn)
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	fz, _ := db.UnitByCode(ctx, "fuzhou")
	apps, err := db.RequestApplications(ctx, store.RequestFilter{UnitIDs: []int64{fz.ID}})
	if err != nil || len(apps) < 20 {
		t.Fatalf("%d applications, %v", len(apps), err)
	}
	cal, _ := db.Calendar(ctx)
	set, _ := db.RequestSettings(ctx)
	statuses := map[requests.Status]bool{}
	for _, name := range []string{"handler", "head", "legal", "admin", "stats"} {
		b := newBrowser(t, app.URL)
		if code, _ := b.login(name, demo.Password); code != 200 {
			t.Fatalf("login %s: %d", name, code)
		}
		u, err := db.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range apps {
			st, err := db.RequestState(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			statuses[st.Status] = true
			var want []string
			for _, s := range requests.StepsFor(cal, set, st, u.RolesIn(a.UnitID), u.ID, today()) {
				want = append(want, string(s.Kind))
			}
			code, page := b.get("/admin/requests/" + strconv.FormatInt(a.ID, 10))
			if !u.May(a.UnitID, "request.view") {
				if code != http.StatusNotFound && code != http.StatusForbidden {
					t.Errorf("%s opened %s: %d", name, a.ReceiptNo, code)
				}
				continue
			}
			var got []string
			for _, m := range stepFormRE.FindAllStringSubmatch(page, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s on %s (%s): forms %v, steps allowed %v", name, a.ReceiptNo, st.Status.Label(), got, want)
			}
			// One step not offered, posted anyway: refused, nothing written.
			if name == "handler" && !slices.Contains(want, "closed") {
				code, page := b.post("/admin/requests/"+strconv.FormatInt(a.ID, 10)+"/events", url.Values{"csrf": {csrfOf(t, page)}, "kind": {"closed"}, "on": {today().String()}})
				if code != http.StatusUnprocessableEntity || !strings.Contains(page, `class="error-summary"`) || strings.Contains(page, `class="notice"`) {
					t.Errorf("a step not offered, posted on %s: %d %s", a.ReceiptNo, code, page)
				}
			}
		}
	}
	if len(statuses) < 5 {
		t.Errorf("the demo reaches only %d states: %v", len(statuses), statuses)
	}
	// A failed step: the error next to its field, in red, what was typed kept.
	b := newBrowser(t, app.URL)
	b.login("handler", demo.Password)
	for _, a := range apps {
		st, _ := db.RequestState(ctx, a.ID)
		if st.Status != requests.StatusProcessing || st.Assignee == 0 {
			continue
		}
		id := strconv.FormatInt(a.ID, 10)
		_, page := b.get("/admin/requests/" + id)
		if !strings.Contains(page, `value="decided"`) {
			continue
		}
		code, page := b.post("/admin/requests/"+id+"/events", url.Values{"csrf": {csrfOf(t, page)}, "kind": {"decided"}, "outcome": {"disclosed"},
			"on": {"2099-01-01"}, "note": {"所需信息见附件"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, `<p class="field-error" id="e-f-decided-on">日期不能晚于今天。</p>`) ||
			!strings.Contains(page, `id="step-decided"`) || !strings.Contains(page, `class="form action failed" id="step-decided"`) ||
			!strings.Contains(page, ">所需信息见附件</textarea>") || strings.Contains(page, `<div class="notice" role="status">`) {
			t.Fatalf("failed step: %d %.4000s", code, page)
		}
		return
	}
	t.Fatal("no processing application to decide")
}
