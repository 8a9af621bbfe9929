package store_test

import (
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/redact"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// answerApp takes an application to an answer with the outcome.
func answerApp(t *testing.T, db *store.DB, handler, legal audit.Actor, id int64, outcome annual.RowKey, on string) {
	t.Helper()
	for _, e := range []requests.Event{
		{Kind: requests.Decided, On: day(t, on), Outcome: outcome},
		{Kind: requests.LegalReviewed, On: day(t, on), Role: org.RoleLegal, Approved: true},
		{Kind: requests.Answered, On: day(t, on)},
	} {
		who := handler
		if e.Kind == requests.LegalReviewed {
			if outcome == annual.RowDisclosed {
				continue // 予以公开 needs no legal review
			}
			who = legal
		}
		if _, err := db.AppendRequestEvent(ctx, who, id, e); err != nil {
			t.Fatal(err)
		}
	}
}

// The public log: off by default, a proposal without the applicant's data,
// only approved entries' approved fields public, documents only for
// 予以公开, every decision a new version that cannot be changed.
func TestPublog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler))
		legal := actorOf(mustUser(t, db, fz.ID, "legal", "password-123", org.RoleLegal))
		other := actorOf(mustUser(t, db, mw.ID, "other", "password-123", org.RoleHandler))
		if on, err := db.PublogEnabled(ctx, fz.ID); err != nil || on {
			t.Fatalf("default %v %v", on, err)
		}
		if err := db.SetPublogEnabled(ctx, other, fz.ID, true); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another unit's handler switched it: %v", err)
		}
		if err := db.SetPublogEnabled(ctx, handler, fz.ID, true); err != nil {
			t.Fatal(err)
		}
		if on, _ := db.PublogEnabled(ctx, fz.ID); !on {
			t.Fatal("not switched on")
		}
		a := sampleApplication(t, "2024-09-02")
		a.Description = "本人张三（电话13912345678，身份证350102198807154321）请公开福州海关2024年行政处罚决定书目录"
		app, _, _, err := db.SubmitApplication(ctx, handler, fz.ID, "tok-publog-1-0123456789", a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecidePublog(ctx, handler, app.ID, store.PublogApproved, "请公开目录", nil); !errs.Is(err, errs.Conflict) {
			t.Fatalf("before the answer: %v", err)
		}
		answerApp(t, db, handler, legal, app.ID, annual.RowDisclosed, "2024-09-20")
		c, err := db.PublogCaseOf(ctx, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"张三", "13912345678", "350102198807154321"} {
			if strings.Contains(c.Proposed, secret) {
				t.Errorf("proposal keeps %q: %s", secret, c.Proposed)
			}
		}
		if !strings.Contains(c.Proposed, "行政处罚决定书目录") || !strings.Contains(c.Proposed, redact.LogRemoved) || c.Current() != nil || !c.Answered {
			t.Fatalf("case %+v", c)
		}
		if _, err := db.DecidePublog(ctx, handler, app.ID, store.PublogApproved, a.Description, nil); !errs.Is(err, errs.Invalid) {
			t.Fatalf("the raw question approved: %v", err)
		}
		if _, err := db.DecidePublog(ctx, other, app.ID, store.PublogApproved, c.Proposed, nil); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another unit's handler approved: %v", err)
		}
		if _, err := db.AddPublogFile(ctx, handler, app.ID, "目录.exe", []byte("MZ")); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a bad file: %v", err)
		}
		f, err := db.AddPublogFile(ctx, handler, app.ID, "目录.pdf", []byte("%PDF-1.4 目录"))
		if err != nil {
			t.Fatal(err)
		}
		// Not approved yet: nothing public.
		if got, n, err := db.PublicLog(ctx, fz.ID, 1, 20); err != nil || n != 0 || len(got) != 0 {
			t.Fatalf("before approval %v %d %v", got, n, err)
		}
		v, err := db.DecidePublog(ctx, handler, app.ID, store.PublogApproved, "  请公开福州海关2024年行政处罚决定书目录 ", []int64{f.ID})
		if err != nil {
			t.Fatal(err)
		}
		got, n, err := db.PublicLog(ctx, fz.ID, 1, 20)
		if err != nil || n != 1 || len(got) != 1 {
			t.Fatalf("approved %v %d %v", got, n, err)
		}
		if e := got[0]; e.Question != "请公开福州海关2024年行政处罚决定书目录" || e.Outcome != annual.RowDisclosed || e.AnsweredOn.String() != "2024-09-20" || len(e.Files) != 1 || e.Files[0].Name != "目录.pdf" {
			t.Fatalf("entry %+v", e)
		}
		if got, err := db.PublicLogFile(ctx, fz.ID, v.ID, f.ID); err != nil || string(got.Content) != "%PDF-1.4 目录" {
			t.Fatalf("file %v", err)
		}
		if _, err := db.PublicLogFile(ctx, mw.ID, v.ID, f.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another unit's log: %v", err)
		}
		// A 部分公开 lists no documents; a second entry, newer, first.
		b := sampleApplication(t, "2024-09-03")
		app2, _, _, err := db.SubmitApplication(ctx, handler, fz.ID, "tok-publog-2-0123456789", b)
		if err != nil {
			t.Fatal(err)
		}
		answerApp(t, db, handler, legal, app2.ID, annual.RowPartlyDisclosed, "2024-09-25")
		if _, err := db.AddPublogFile(ctx, handler, app2.ID, "目录.pdf", []byte("%PDF-1.4")); !errs.Is(err, errs.Conflict) {
			t.Fatalf("a file for 部分公开: %v", err)
		}
		if _, err := db.DecidePublog(ctx, handler, app2.ID, store.PublogApproved, "请公开某某目录", []int64{f.ID}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("documents listed for 部分公开: %v", err)
		}
		if _, err := db.DecidePublog(ctx, handler, app2.ID, store.PublogApproved, "请公开某某目录", nil); err != nil {
			t.Fatal(err)
		}
		got, n, _ = db.PublicLog(ctx, fz.ID, 1, 1)
		if n != 2 || len(got) != 1 || got[0].Question != "请公开某某目录" {
			t.Fatalf("newest first %+v %d", got, n)
		}
		if got, _, _ = db.PublicLog(ctx, fz.ID, 2, 1); len(got) != 1 || got[0].ID != v.ID {
			t.Fatalf("page 2 %+v", got)
		}
		// Withheld: off the portal, the history kept.
		if _, err := db.DecidePublog(ctx, handler, app.ID, store.PublogWithheld, "", nil); err != nil {
			t.Fatal(err)
		}
		if got, n, _ = db.PublicLog(ctx, fz.ID, 1, 20); n != 1 || got[0].Question != "请公开某某目录" {
			t.Fatalf("after withholding %+v", got)
		}
		if _, err := db.PublicLogFile(ctx, fz.ID, v.ID, f.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("a withheld entry's file: %v", err)
		}
		if c, _ = db.PublogCaseOf(ctx, app.ID); len(c.History) != 2 || c.Current().Status != store.PublogWithheld || len(c.Files) != 1 {
			t.Fatalf("history %+v", c.History)
		}
		if list, err := db.PublogList(ctx, fz.ID, 50); err != nil || len(list) != 2 || list[0].ID != app2.ID || list[0].Status != store.PublogApproved || list[1].Status != store.PublogWithheld {
			t.Fatalf("list %+v %v", list, err)
		}
		if _, err := db.SQL().ExecContext(ctx, "UPDATE req_publog_versions SET question = 'x'"); err == nil {
			t.Error("a version changed")
		}
		if _, err := db.SQL().ExecContext(ctx, "DELETE FROM req_publog_files"); err == nil {
			t.Error("a file deleted")
		}
		var audits int
		db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'request.publog_%'").Scan(&audits)
		if audits != 4 {
			t.Errorf("%d audit entries", audits)
		}
	})
}
