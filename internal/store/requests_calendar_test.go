package store_test

import (
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// Importing a year's holidays recomputes the stored due dates of the open
// applications whose period runs into it: before the import, 2027 counts
// Monday to Friday; after it, New Year's Day moves the due date.
func TestCalendarImportRecomputesDueDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		// Received Tue 2026-12-15: 16–18, 21–25, 28–31 December are 12
		// working days; without 2027 data Fri 01-01 is the 13th, 4–8 January
		// the 14th to 18th, 11–12 January the 19th and 20th.
		open, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-cal-open-0123456789", sampleApplication(t, "2026-12-15"))
		if err != nil || open.DueOn != "2027-01-12" {
			t.Fatalf("before the import: %+v %v", open.DueOn, err)
		}
		// One answered already keeps no due date and is left alone.
		done, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-cal-done-0123456789", sampleApplication(t, "2026-12-14"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AppendRequestEvent(ctx, audit.System("test"), done.ID, withdrawn(t, "2026-12-16")); err != nil {
			t.Fatal(err)
		}
		entries, err := calendar.ParseEntries(strings.NewReader("2027-01-01,2027-01-03,holiday,元旦\n"))
		if err != nil {
			t.Fatal(err)
		}
		changed, err := db.ImportCalendar(ctx, admin, entries, "国办发明电〔2026〕测试")
		if err != nil || changed != 1 {
			t.Fatalf("import: %d %v", changed, err)
		}
		if got, _ := db.RequestApplication(ctx, open.ID); got.DueOn != "2027-01-13" {
			t.Fatalf("after the import: due %s, want 2027-01-13", got.DueOn)
		}
		if got, _ := db.RequestApplication(ctx, done.ID); got.DueOn != "" {
			t.Fatalf("concluded application got a due date %s", got.DueOn)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "calendar", Limit: 1})
		if len(es) != 1 || !strings.Contains(string(es[0].After), `"requests_due_changed":1`) {
			t.Fatalf("audit %+v", es)
		}
	})
}

func withdrawn(t *testing.T, on string) requests.Event {
	return requests.Event{Kind: requests.Withdrawn, On: day(t, on)}
}
