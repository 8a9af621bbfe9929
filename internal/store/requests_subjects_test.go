package store_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// A unit's list of subjects: the default until changed, changed only by
// those the policy names, checked, audited.
func TestRequestSubjectList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		handler := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		legal := mustUser(t, db, fz.ID, "legal", "password-123", org.RoleLegal)
		other := mustUser(t, db, mw.ID, "wang", "password-123", org.RoleAdmin)
		list, own, err := db.RequestSubjectList(ctx, fz.ID)
		if err != nil || own || !reflect.DeepEqual(list, requests.DefaultSubjects) {
			t.Fatalf("default list %q %v %v", list, own, err)
		}
		mine := []string{"统计数据", "报关单证", "进出口税收"}
		for _, tc := range []struct {
			who  audit.Actor
			code errs.Code
		}{{actorOf(legal), errs.Forbidden}, {actorOf(other), errs.Forbidden}, {audit.Public, errs.Forbidden}} {
			if err := db.SetRequestSubjectList(ctx, tc.who, fz.ID, mine); !errs.Is(err, tc.code) {
				t.Errorf("%s set the list: %v", tc.who.Name, err)
			}
		}
		if err := db.SetRequestSubjectList(ctx, actorOf(handler), fz.ID, []string{"统计数据", "统计数据"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("duplicate subject: %v", err)
		}
		if list, own, _ := db.RequestSubjectList(ctx, fz.ID); own || len(list) != len(requests.DefaultSubjects) {
			t.Fatalf("a refused change was written: %q", list)
		}
		if err := db.SetRequestSubjectList(ctx, actorOf(handler), fz.ID, mine); err != nil {
			t.Fatal(err)
		}
		if list, own, _ := db.RequestSubjectList(ctx, fz.ID); !own || !reflect.DeepEqual(list, mine) {
			t.Fatalf("stored list %q", list)
		}
		if list, own, _ := db.RequestSubjectList(ctx, mw.ID); own || len(list) != len(requests.DefaultSubjects) {
			t.Errorf("another unit's list changed: %q", list)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "setting", Limit: 1})
		if len(es) != 1 || es[0].ActorName != handler.DisplayName || !strings.Contains(string(es[0].After), "进出口税收") {
			t.Errorf("audit %+v", es)
		}
		// An empty list restores the default.
		if err := db.SetRequestSubjectList(ctx, actorOf(handler), fz.ID, nil); err != nil {
			t.Fatal(err)
		}
		if list, own, _ := db.RequestSubjectList(ctx, fz.ID); own || !reflect.DeepEqual(list, requests.DefaultSubjects) {
			t.Errorf("restored %q %v", list, own)
		}
	})
}

// Marking an application's subjects: by the unit's handlers only, from the
// unit's list, in any state, audited, the projection rewritten, the clock
// untouched; the counts for the report and the lists behind them.
func TestRequestSubjects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		chen := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		head := mustUser(t, db, fz.ID, "head", "password-123", org.RoleOfficeHead)
		wang := mustUser(t, db, mw.ID, "wang", "password-123", org.RoleHandler)
		n := 0
		submit := func(unit int64, received string) store.RequestApp {
			t.Helper()
			n++
			app, _, _, err := db.SubmitApplication(ctx, audit.Public, unit, fmt.Sprintf("tok-subjects-%06d-0123456789", n), sampleApplication(t, received))
			if err != nil {
				t.Fatal(err)
			}
			return app
		}
		mark := func(by audit.Actor, id int64, on string, subjects ...string) error {
			_, err := db.AppendRequestEvent(ctx, by, id, requests.Event{Kind: requests.SubjectsMarked, On: day(t, on), Role: org.RoleHandler, Subjects: subjects})
			return err
		}
		a := submit(fz.ID, "2024-03-11")
		// Refused: an office head claiming the handler's role, a handler
		// of another unit, a subject not on the list, none at all. Nothing
		// is written.
		for _, tc := range []struct {
			who      audit.Actor
			subjects []string
			code     errs.Code
			msg      string
		}{
			{actorOf(head), []string{"统计数据"}, errs.Forbidden, "标注申请内容"},
			{actorOf(wang), []string{"统计数据"}, errs.Forbidden, "标注申请内容"},
			{actorOf(chen), []string{"统计数据", "天气"}, errs.Invalid, "“天气”不在本单位的申请内容分类中"},
			{actorOf(chen), nil, errs.Invalid, "至少选择一项"},
		} {
			err := mark(tc.who, a.ID, "2024-03-12", tc.subjects...)
			if !errs.Is(err, tc.code) || !strings.Contains(errs.MessageOf(err), tc.msg) {
				t.Errorf("%s %q: %v", tc.who.Name, tc.subjects, err)
			}
		}
		if got, _ := db.RequestApplication(ctx, a.ID); got.EventCount != 1 || got.Subjects != nil {
			t.Fatalf("a refused marking was written: %+v", got)
		}
		before, _ := db.RequestApplication(ctx, a.ID)
		if err := mark(actorOf(chen), a.ID, "2024-03-12", "行政执法信息", "统计数据", "统计数据"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.RequestApplication(ctx, a.ID)
		if !reflect.DeepEqual(got.Subjects, []string{"统计数据", "行政执法信息"}) || got.DueOn != before.DueOn || got.Status != before.Status || got.EventCount != 2 {
			t.Fatalf("after marking: %+v", got)
		}
		evs, _ := db.RequestEvents(ctx, a.ID)
		if last := evs[len(evs)-1]; last.Kind != requests.SubjectsMarked || !reflect.DeepEqual(last.Subjects, []string{"统计数据", "行政执法信息"}) || last.ActorName != chen.DisplayName {
			t.Fatalf("stored event %+v", last)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 1})
		if len(es) != 1 || es[0].Action != "request.subjects" || !strings.Contains(string(es[0].After), "行政执法信息") {
			t.Fatalf("audit %+v", es)
		}
		// After the answer, a marking is still allowed; the last one counts.
		for _, e := range []requests.Event{{Kind: requests.Decided, On: day(t, "2024-03-20"), Outcome: annual.RowDisclosed}, {Kind: requests.Answered, On: day(t, "2024-03-20")}} {
			if _, err := db.AppendRequestEvent(ctx, audit.System("test"), a.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := mark(actorOf(chen), a.ID, "2025-01-05", "统计数据"); err != nil {
			t.Fatalf("marking after the answer: %v", err)
		}
		if got, _ := db.RequestApplication(ctx, a.ID); !reflect.DeepEqual(got.Subjects, []string{"统计数据"}) || got.DueOn != "" || got.ConcludedOn != "2024-03-20" {
			t.Fatalf("after the second marking: %+v", got)
		}

		// Registration by a handler marks the subjects in the submission's
		// transaction; the public cannot.
		reg := sampleApplication(t, "2024-06-17")
		reg.AssignTo, reg.Subjects = chen.ID, []string{"报关单证"}
		b, _, _, err := db.SubmitApplication(ctx, actorOf(chen), fz.ID, "tok-subjects-register-0123456789", reg)
		if err != nil || !reflect.DeepEqual(b.Subjects, []string{"报关单证"}) || b.AssigneeID != chen.ID {
			t.Fatalf("registered with subjects: %+v %v", b, err)
		}
		pub := sampleApplication(t, "2024-06-18")
		pub.Subjects = []string{"报关单证"}
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-subjects-public-0123456789", pub); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the public marked subjects: %v", err)
		}

		// The year's counts: received in 2024 (not 2023-12-31, not
		// 2025-01-01); ties by the list's order; a subject taken off the
		// list after the listed ones; an unmarked application under none.
		for _, c := range []struct {
			unit     int64
			received string
			subjects []string
		}{
			{fz.ID, "2023-12-31", []string{"政策文件"}},
			{fz.ID, "2024-01-01", []string{"报关单证", "行政执法信息"}},
			{fz.ID, "2024-12-31", []string{"行政执法信息", "企业信息"}},
			{fz.ID, "2025-01-01", []string{"企业信息"}},
			{fz.ID, "2024-07-01", nil},
			{mw.ID, "2024-05-06", []string{"企业信息"}},
		} {
			x := submit(c.unit, c.received)
			if c.subjects != nil {
				if err := mark(audit.System("test"), x.ID, c.received, c.subjects...); err != nil {
					t.Fatal(err)
				}
			}
		}
		counts := func(units ...int64) string {
			t.Helper()
			cs, err := db.RequestSubjectCounts(ctx, units, 2024)
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, c := range cs {
				parts = append(parts, fmt.Sprintf("%s%d", c.Subject, c.N))
			}
			return strings.Join(parts, " ")
		}
		// 统计数据 (a), 报关单证 (b and one more), 行政执法信息 two, 企业信息 one.
		if got, want := counts(fz.ID), "报关单证2 行政执法信息2 统计数据1 企业信息1"; got != want {
			t.Errorf("fuzhou 2024: %s, want %s", got, want)
		}
		if got, want := counts(fz.ID, mw.ID), "报关单证2 行政执法信息2 企业信息2 统计数据1"; got != want {
			t.Errorf("fuzhou and mawei 2024: %s, want %s", got, want)
		}
		// Reordering the list reorders the ties; a subject taken off the
		// list goes last.
		if err := db.SetRequestSubjectList(ctx, actorOf(head), fz.ID, []string{"企业信息", "行政执法信息", "统计数据"}); err != nil {
			t.Fatal(err)
		}
		if got, want := counts(fz.ID), "行政执法信息2 报关单证2 企业信息1 统计数据1"; got != want {
			t.Errorf("after reordering: %s, want %s", got, want)
		}
		if got := counts(); got != "" {
			t.Errorf("no units: %s", got)
		}
		if n, err := db.RequestUnmarkedCount(ctx, []int64{fz.ID}, 2024); err != nil || n != 1 {
			t.Errorf("unmarked %d %v", n, err)
		}
		// The figure links to the applications behind it.
		list := func(f store.RequestFilter) []string {
			t.Helper()
			f.UnitIDs = []int64{fz.ID}
			apps, err := db.RequestApplications(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range apps {
				out = append(out, a.ReceivedOn.String()+":"+strings.Join(a.Subjects, "、"))
			}
			return out
		}
		if got := list(store.RequestFilter{Year: 2024, Bucket: requests.BucketReceived, Subject: "行政执法信息"}); !reflect.DeepEqual(got,
			[]string{"2024-01-01:报关单证、行政执法信息", "2024-12-31:行政执法信息、企业信息"}) {
			t.Errorf("行政执法信息 2024: %q", got)
		}
		if got := list(store.RequestFilter{Subject: "企业信息"}); len(got) != 2 {
			t.Errorf("企业信息 all years: %q", got)
		}
		if got := list(store.RequestFilter{Year: 2024, Bucket: requests.BucketReceived, Unmarked: true}); !reflect.DeepEqual(got, []string{"2024-07-01:"}) {
			t.Errorf("unmarked 2024: %q", got)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// A marking made while a fee wait stops the clock does not move the stored
// due date, neither when it is appended nor when a calendar import
// recomputes the dates (the date in force on the last step that could move
// it: the fee notice, not the later marking).
func TestRequestSubjectsKeepTheClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-subjects-clock-0123456789", sampleApplication(t, "2026-12-15"))
		if err != nil {
			t.Fatal(err)
		}
		sys := audit.System("test")
		if _, err := db.AppendRequestEvent(ctx, sys, app.ID, requests.Event{Kind: requests.FeeNoticed, On: day(t, "2026-12-16"), Yuan: 100}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.RequestApplication(ctx, app.ID)
		if _, err := db.AppendRequestEvent(ctx, sys, app.ID, requests.Event{Kind: requests.SubjectsMarked, On: day(t, "2026-12-29"), Role: org.RoleHandler, Subjects: []string{"统计数据"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.DueOn != before.DueOn || before.DueOn != "2027-01-12" {
			t.Fatalf("due %s → %s", before.DueOn, got.DueOn)
		}
		entries, err := calendar.ParseEntries(strings.NewReader("2027-01-01,2027-01-03,holiday,元旦\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportCalendar(ctx, admin, entries, "测试"); err != nil {
			t.Fatal(err)
		}
		// As the application without a marking: 元旦 moves it one day.
		if got, _ := db.RequestApplication(ctx, app.ID); got.DueOn != "2027-01-13" {
			t.Fatalf("after the import: due %s, want 2027-01-13", got.DueOn)
		}
	})
}

func TestRequestLatestYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		if y, err := db.RequestLatestYear(ctx, fz.ID, 2030); err != nil || y != 0 {
			t.Fatalf("no records: %d %v", y, err)
		}
		for i, on := range []string{"2023-05-06", "2024-12-30"} {
			if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, fmt.Sprintf("tok-latest-%d-0123456789", i), sampleApplication(t, on)); err != nil {
				t.Fatal(err)
			}
		}
		for until, want := range map[int]int{2030: 2024, 2024: 2024, 2023: 2023, 2022: 0} {
			if y, err := db.RequestLatestYear(ctx, fz.ID, until); err != nil || y != want {
				t.Errorf("until %d: %d %v, want %d", until, y, err, want)
			}
		}
	})
}
