package store_test

import (
	"testing"

	"gongkai/internal/audit"
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
