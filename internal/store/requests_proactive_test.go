package store_test

import (
	"strconv"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The 第四十四条 signal reads the unit's applications in a window, with the
// key that recognises an applicant and not his number; its thresholds are
// settings, nonsense values falling back to the defaults.
func TestRequestsAsked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		a := sampleApplication(t, "2024-03-01")
		one, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-asked-1-0123456789", a)
		if err != nil {
			t.Fatal(err)
		}
		b := sampleApplication(t, "2024-05-01")
		b.IDNumber = "350102198807154321"
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-asked-2-0123456789", b); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, mw.ID, "tok-asked-3-0123456789", a); err != nil {
			t.Fatal(err)
		}
		got, err := db.RequestsAsked(ctx, fz.ID, day(t, "2024-01-01"), day(t, "2024-04-30"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != one.ID || got[0].ApplicantKey == "" || got[0].ApplicantKey == a.IDNumber || got[0].Description != a.Description {
			t.Fatalf("asked %+v", got)
		}
		all, _ := db.RequestsAsked(ctx, fz.ID, day(t, "2024-01-01"), day(t, "2024-12-31"))
		if len(all) != 2 || all[0].ApplicantKey == all[1].ApplicantKey {
			t.Fatalf("two applicants: %+v", all)
		}
		if s, _ := db.ProactiveSettings(ctx); s != requests.DefaultProactive {
			t.Fatalf("defaults %+v", s)
		}
		for k, v := range map[string]string{"requests.proactive_applicants": "4", "requests.proactive_months": "6", "requests.proactive_similarity": "0.7"} {
			if err := db.SetSetting(ctx, audit.System("test"), k, v); err != nil {
				t.Fatal(err)
			}
		}
		if s, _ := db.ProactiveSettings(ctx); s != (requests.ProactiveSettings{Applicants: 4, Months: 6, Threshold: 0.7}) {
			t.Fatalf("set %+v", s)
		}
		db.SetSetting(ctx, audit.System("test"), "requests.proactive_applicants", "1")
		if s, _ := db.ProactiveSettings(ctx); s.Applicants != 3 {
			t.Fatalf("one applicant accepted: %+v", s)
		}
	})
}

// A proposal under 第四十四条 is a draft item made through the publishing
// workflow's own rules, linked to the applications: refused to an office
// head who is no editor, and for another unit's application.
func TestProposeProactive(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		mk := func(name string, roles ...org.Role) (audit.Actor, publish.Actor) {
			u := org.User{Username: name, DisplayName: "测试" + name, UnitID: w.unit.ID, DepartmentID: w.ops.ID}
			for _, r := range roles {
				u.Grants = append(u.Grants, org.Grant{UnitID: w.unit.ID, Role: r})
			}
			if err := w.db.CreateUser(ctx, admin, &u, "x"); err != nil {
				t.Fatal(err)
			}
			return actorOf(u), publish.ActorOf(u, w.unit.ID)
		}
		headA, headP := mk("head", org.RoleOfficeHead)
		bothA, bothP := mk("head2", org.RoleOfficeHead, org.RoleEditor)
		other := mustUnit(t, w.db, w.unit.ID, "mawei", "马尾海关")
		var ids []int64
		for i, idNo := range []string{"11010519491231002X", "350102198807154321", "35010219920202123X"} {
			a := sampleApplication(t, "2024-02-0"+strconv.Itoa(i+1))
			a.IDNumber = idNo
			app, _, _, err := w.db.SubmitApplication(ctx, audit.Public, w.unit.ID, "tok-propose-"+strconv.Itoa(i)+"-0123456789", a)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, app.ID)
		}
		foreign, _, _, err := w.db.SubmitApplication(ctx, audit.Public, other.ID, "tok-propose-x-0123456789", sampleApplication(t, "2024-02-05"))
		if err != nil {
			t.Fatal(err)
		}
		c := w.content("2024年福州海关行政处罚决定书目录", "多位申请人申请公开的信息，依条例第四十四条纳入主动公开。")
		if _, err := w.db.ProposeProactive(ctx, headA, headP, w.unit.ID, ids, c); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an office head who is no editor: %v", err)
		}
		if _, err := w.db.ProposeProactive(ctx, bothA, bothP, w.unit.ID, append(ids, foreign.ID), c); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another unit's application: %v", err)
		}
		bad := c
		bad.CategoryID = 0
		if _, err := w.db.ProposeProactive(ctx, bothA, bothP, w.unit.ID, ids, bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("content without a category: %v", err)
		}
		it, err := w.db.ProposeProactive(ctx, bothA, bothP, w.unit.ID, ids, c)
		if err != nil {
			t.Fatal(err)
		}
		if it.State != publish.Draft {
			t.Errorf("state %s", it.State)
		}
		links, err := w.db.ProactiveItems(ctx, w.unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if len(links[id]) != 1 || links[id][0] != it.ID {
				t.Errorf("links %v", links)
			}
		}
		if len(links[foreign.ID]) != 0 {
			t.Errorf("a failed proposal left links: %v", links)
		}
	})
}
