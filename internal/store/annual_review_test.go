package store_test

import (
	"os"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// A finding's decision is kept by unit, year and finding ID, decided only by
// the unit's statisticians and administrators in the writing transaction,
// with its reason and audit entry; the latest applies, and it is applied
// again to the same finding of a report checked later — never to a finding
// whose number changed.
func TestFindingDecisions(t *testing.T) {
	seed, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The seed with table 四's reconsideration total changed: one T4.SUM
	// error.
	broken := string(seed)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		stats := mustUser(t, db, fz.ID, "stats", "password-1234", org.RoleStatistician)
		adm := mustUser(t, db, fz.ID, "adm", "password-1234", org.RoleAdmin)
		head := mustUser(t, db, fz.ID, "head", "password-1234", org.RoleOfficeHead)
		as := func(u org.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Username, UnitID: u.UnitID} }

		r := reportWith(t, broken, func(r *annual.Report) { r.Table4.Reconsideration.Total = annual.N(3) })
		if len(r.Findings) != 1 || r.Findings[0].Rule != annual.RuleT4Sum {
			t.Fatalf("findings %+v", r.Findings)
		}
		f := r.Findings[0]
		dismiss := annual.DecisionFor(fz.ID, r.Year, f, annual.VerdictDismiss, "总计栏按上级口径另行统计")

		// Who may not.
		for _, tc := range []struct {
			actor audit.Actor
			d     annual.Decision
		}{
			{as(head), dismiss},            // office head: not in the policy
			{audit.System("cli"), dismiss}, // the system decides nothing
			{audit.Public, dismiss},
			{as(stats), annual.DecisionFor(mw.ID, r.Year, f, annual.VerdictDismiss, "理由")}, // another unit's report
		} {
			if _, err := db.DecideFinding(ctx, tc.actor, tc.d); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s on unit %d: %v", tc.actor.Name, tc.d.UnitID, err)
			}
		}
		// A decision without its reason.
		var fe *errs.FormError
		if _, err := db.DecideFinding(ctx, as(stats), annual.DecisionFor(fz.ID, r.Year, f, annual.VerdictDismiss, "  ")); !asForm(err, &fe) || fe.Of("reason") == "" {
			t.Fatalf("no reason: %v", err)
		}
		if got, err := db.FindingDecisions(ctx, fz.ID); err != nil || len(got) != 0 {
			t.Fatalf("refused decisions were kept: %+v %v", got, err)
		}

		// Confirmed, then dismissed by the administrator: the latest applies.
		if _, err := db.DecideFinding(ctx, as(stats), annual.DecisionFor(fz.ID, r.Year, f, annual.VerdictConfirm, "确属错误")); err != nil {
			t.Fatal(err)
		}
		d, err := db.DecideFinding(ctx, as(adm), dismiss)
		if err != nil || d.By != "adm" || d.At.IsZero() {
			t.Fatalf("dismiss: %+v %v", d, err)
		}
		all, err := db.FindingDecisions(ctx, fz.ID, mw.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := all[store.UnitYear{UnitID: fz.ID, Year: 2024}]
		if len(all) != 1 || len(got) != 1 || got[f.ID].Verdict != annual.VerdictDismiss || got[f.ID].Reason != "总计栏按上级口径另行统计" ||
			got[f.ID].Rule != annual.RuleT4Sum || got[f.ID].By != "adm" {
			t.Fatalf("decisions %+v", all)
		}

		// The same report checked again: the finding is dismissed. The
		// total changed again: a new number, a new ID, not hidden.
		again := reportWith(t, broken, func(r *annual.Report) { r.Table4.Reconsideration.Total = annual.N(3) })
		if rv := annual.Review(again.Findings, got); len(rv.Dismissed) != 1 || len(rv.Open) != 0 {
			t.Errorf("reapplied: %+v", rv)
		}
		changed := reportWith(t, broken, func(r *annual.Report) { r.Table4.Reconsideration.Total = annual.N(4) })
		if rv := annual.Review(changed.Findings, got); len(rv.Dismissed) != 0 || len(rv.Open) != 1 {
			t.Errorf("a changed number was hidden: %+v", rv)
		}

		// The history cannot be rewritten, and each decision was audited.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE annual_decisions SET verdict = 'confirm'"); err == nil {
			t.Error("a decision was updated")
		}
		if _, err := db.SQL().ExecContext(ctx, "DELETE FROM annual_decisions"); err == nil {
			t.Error("a decision was deleted")
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'annual.decide_finding'").Scan(&n); err != nil || n != 2 {
			t.Errorf("audit entries: %d %v", n, err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		// A role withdrawn a moment ago counts: the statistician disabled.
		if err := db.SetDisabled(ctx, admin, stats.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecideFinding(ctx, as(stats), dismiss); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a disabled account decided: %v", err)
		}
	})
}

// reportWith reads a report's text, changes it, and checks it.
func reportWith(t *testing.T, text string, change func(*annual.Report)) *annual.Report {
	t.Helper()
	r, err := annual.Read([]byte(text), "r.txt")
	if err != nil {
		t.Fatal(err)
	}
	change(r)
	r.Findings = annual.Check(r)
	return r
}
