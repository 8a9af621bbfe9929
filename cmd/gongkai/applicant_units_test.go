package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// TestApplicantDataOnlyToTheUnitsHandlers: an application of 福州海关, with
// the applicant's name, telephone and an attachment each carrying a
// marker, is requested page by page by handlers of the unit itself, of its
// parent (海关总署), of a subordinate (马尾海关) and of a sibling (厦门海关),
// and by the unit's legal reviewer, office head, editor and statistician.
// Written out by hand: only the unit's handler sees the applicant's details
// and opens the attachment; the unit's legal reviewer and office head see
// the application without them; everyone else is refused the page. A step
// posted by another unit's handler (with his own valid form token) is
// refused and records nothing.
func TestApplicantDataOnlyToTheUnitsHandlers(t *testing.T) {
	dsn := demoCopy(t)
	const pw = "Units-Test-2024-ok"
	for _, u := range []struct{ unit, name string }{{"gacc", "h_parent"}, {"mawei", "h_child"}, {"xiamen", "h_sibling"}} {
		mustRun(t, "user", "add", "--db", dsn, "--unit", u.unit, "--username", u.name, "--name", "承办"+u.name, "--role", "handler", "--password", pw)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	unit, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	const mark = "zqapplicantmark"
	a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "王" + mark, IDNumber: "11010519491231002X",
		Phone: "13812345678", Address: "福州市" + mark + "路", Description: "请公开2024年的统计数据", Form: "电子文档", Delivery: "网上获取",
		ReceivedOn: calendar.DateOf(time.Now()), Attachments: []requests.Attachment{{Name: mark + ".pdf", Content: []byte("%PDF-1.4 " + mark + strings.Repeat(" x", 100))}}}
	app, _, _, err := db.SubmitApplication(ctx, audit.Public, unit.ID, "units-test-token-0123456789abcdef", a)
	if err != nil {
		t.Fatal(err)
	}
	atts, err := db.RequestAttachments(ctx, app.ID)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attachments: %v %v", atts, err)
	}
	srv := startApp(t, dsn)
	page := fmt.Sprintf("/admin/requests/%d", app.ID)
	file := fmt.Sprintf("/admin/requests/%d/attachments/%d", app.ID, atts[0].ID)

	// who → (the page opens, the applicant's details and file are shown)
	type want struct{ page, applicant bool }
	cases := []struct {
		user, password string
		want           want
	}{
		{"handler", demo.Password, want{true, true}},
		{"legal", demo.Password, want{true, false}},
		{"head", demo.Password, want{true, false}},
		{"editor", demo.Password, want{false, false}},
		{"stats", demo.Password, want{false, false}},
		{"admin", demo.Password, want{false, false}},
		{"h_parent", pw, want{false, false}},
		{"h_child", pw, want{false, false}},
		{"h_sibling", pw, want{false, false}},
	}
	unexpected := 0
	for _, c := range cases {
		b := newBrowser(t, srv.URL)
		if code, _ := b.login(c.user, c.password); code != 200 {
			t.Fatalf("login %s: %d", c.user, code)
		}
		code, body := b.get(page)
		opened := code == 200
		if opened != c.want.page {
			unexpected++
			t.Errorf("%s: %s answered %d, want the page %v", c.user, page, code, c.want.page)
		}
		shows := strings.Contains(body, mark) || strings.Contains(body, "13812345678")
		if shows != c.want.applicant {
			unexpected++
			t.Errorf("%s: the applicant's details shown %v, want %v", c.user, shows, c.want.applicant)
		}
		fcode, fbody := b.get(file)
		if (fcode == 200 && strings.Contains(fbody, mark)) != c.want.applicant {
			unexpected++
			t.Errorf("%s: %s answered %d, want the file %v", c.user, file, fcode, c.want.applicant)
		}
		if !c.want.applicant && fcode != http.StatusForbidden && fcode != http.StatusNotFound {
			t.Errorf("%s: %s answered %d, want 403 or 404", c.user, file, fcode)
		}
		// The list of applications names it only to those who may see it.
		if _, list := b.get("/admin/requests"); strings.Contains(list, mark) && !c.want.applicant {
			unexpected++
			t.Errorf("%s: the worklist shows the applicant", c.user)
		}
		if !c.want.page {
			// A step with the user's own valid token is refused, and nothing is recorded.
			_, home := b.get("/admin/")
			before := app.EventCount
			code, _ := b.post(page+"/events", url.Values{"csrf": {csrfOf(t, home)}, "kind": {"correction_requested"}, "on": {calendar.DateOf(time.Now()).String()}, "note": {"x"}})
			if code != http.StatusForbidden && code != http.StatusNotFound {
				unexpected++
				t.Errorf("%s: POST %s/events answered %d, want 403 or 404", c.user, page, code)
			}
			now, err := db.RequestApplication(ctx, app.ID)
			if err != nil || now.EventCount != before {
				unexpected++
				t.Errorf("%s: the refused step changed the application (%d events, was %d)", c.user, now.EventCount, before)
			}
		}
	}
	t.Logf("%d users × (page, details, attachment, worklist, a step): unexpected allows or refusals: %d", len(cases), unexpected)
}
