package store_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestUnitSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		if err := db.SetUnitSettings(ctx, admin, fz.ID, map[string]string{"report.postcode": "350015", "report.email": "a@b.cn"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUnitSettings(ctx, admin, fz.ID, map[string]string{"report.postcode": "350016", "report.email": ""}); err != nil {
			t.Fatal(err)
		}
		got, err := db.UnitSettings(ctx, fz.ID)
		if err != nil || len(got) != 1 || got["report.postcode"] != "350016" {
			t.Fatalf("settings %v %v", got, err)
		}
		if other, _ := db.UnitSettings(ctx, mw.ID); len(other) != 0 {
			t.Fatalf("another unit's settings leaked: %v", other)
		}
		entries, err := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "unit", ObjectID: strconv.FormatInt(fz.ID, 10)})
		n := 0
		for _, e := range entries {
			if e.Action == "unit.settings" {
				n++
			}
		}
		if err != nil || n != 2 {
			t.Fatalf("audit entries: %d %v", n, err)
		}
	})
}

// TestUnitSettingsAuthorized: the store itself refuses a setting the actor
// may not change (org.AuthorizeSettings), in the write's transaction, so
// no caller can bypass the rule; nothing is written and nothing audited.
func TestUnitSettingsAuthorized(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		as := func(u org.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Username, UnitID: u.UnitID} }
		stat := mustUser(t, db, fz.ID, "stat", "correct-horse-1", org.RoleStatistician)
		rev := mustUser(t, db, fz.ID, "rev", "correct-horse-1", org.RoleReviewer)
		sysadm := mustUser(t, db, fz.ID, "sysadm", "correct-horse-1", org.RoleAdmin)

		refused := func(who audit.Actor, unitID int64, values map[string]string) {
			t.Helper()
			err := db.SetUnitSettings(ctx, who, unitID, values)
			if !errs.Is(err, errs.Forbidden) {
				t.Fatalf("%s %v: err = %v, want Forbidden", who.Name, values, err)
			}
			if !strings.Contains(errs.MessageOf(err), "仅限") {
				t.Errorf("refusal not in Chinese: %q", errs.MessageOf(err))
			}
		}
		// A non-admin may not change a setting no area declares, nor one
		// of an area he has no role in; the reviewer has none for the report.
		refused(as(stat), fz.ID, map[string]string{"misc.flag": "on"})
		refused(as(rev), fz.ID, map[string]string{"report.postcode": "350015"})
		refused(as(stat), fz.ID, map[string]string{"report.email": "a@b.cn", "inspect.expressions": "x"})
		// Roles are of the unit: the statistician of 福州 has none in 马尾.
		refused(as(stat), mw.ID, map[string]string{"report.postcode": "350015"})
		refused(audit.Public, fz.ID, map[string]string{"report.postcode": "350015"})
		if got, _ := db.UnitSettings(ctx, fz.ID); len(got) != 0 {
			t.Fatalf("a refused change was written: %v", got)
		}

		if err := db.SetUnitSettings(ctx, as(stat), fz.ID, map[string]string{"report.postcode": "350015"}); err != nil {
			t.Fatalf("statistician, report profile: %v", err)
		}
		if err := db.SetUnitSettings(ctx, as(sysadm), fz.ID, map[string]string{"misc.flag": "on"}); err != nil {
			t.Fatalf("admin, undeclared key: %v", err)
		}
		if err := db.SetUnitSettings(ctx, audit.System("demo"), mw.ID, map[string]string{"report.postcode": "350015", "inspect.weights": ""}); err != nil {
			t.Fatalf("system: %v", err)
		}
		// A disabled account holds no roles.
		if err := db.SetDisabled(ctx, admin, stat.ID, true); err != nil {
			t.Fatal(err)
		}
		refused(as(stat), fz.ID, map[string]string{"report.postcode": "350016"})
		if got, _ := db.UnitSettings(ctx, fz.ID); got["report.postcode"] != "350015" || got["misc.flag"] != "on" {
			t.Fatalf("settings %v", got)
		}
	})
}

// seedDocument is the seed read as a document, to publish.
func seedDocument(t *testing.T) *annual.Document {
	t.Helper()
	b, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := annual.Read(b, "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return annual.DocumentOf(r)
}

func TestPublishReportVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		stat := mustUser(t, db, fz.ID, "tongji", "gongkai-test-pw", org.RoleStatistician)
		head := mustUser(t, db, fz.ID, "fuze", "gongkai-test-pw", org.RoleOfficeHead)
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		doc := seedDocument(t)
		body, _ := json.Marshal(doc)
		v := &report.Version{UnitID: fz.ID, Year: 2024, Scope: annual.ScopeSelf, Document: body,
			Files: []report.File{{Format: "json", Content: body}, {Format: "html", Content: []byte("<html>2024</html>")}}}
		if err := db.NoteDraft(ctx, admin, fz.ID, 2024, annual.ScopeSelf, 1, 2); err != nil {
			t.Fatal(err)
		}
		rec, ok, err := db.ReportRecord(ctx, fz.ID, 2024, annual.ScopeSelf)
		if err != nil || !ok || report.StateOf(rec) != report.StateErrors {
			t.Fatalf("after a draft with errors: %+v %v %v", rec, ok, err)
		}
		// Errors need the office head's override.
		v.Errors = 1
		if err := db.PublishReport(ctx, admin, report.ActorOf(stat, fz.ID), v); err == nil {
			t.Fatal("a report with errors published without an override")
		}
		v.Override = "已核实"
		if err := db.PublishReport(ctx, admin, report.ActorOf(stat, fz.ID), v); err == nil {
			t.Fatal("a statistician overrode errors")
		}
		// The roles are read in the transaction, not taken from the caller.
		claimed := report.ActorOf(stat, fz.ID)
		claimed.Roles = []org.Role{org.RoleOfficeHead}
		if err := db.PublishReport(ctx, admin, claimed, v); err == nil {
			t.Fatalf("a statistician claiming the office head's role: %v", err)
		}
		gens := func() [2]int64 {
			g, err := db.PortalGenerations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return [2]int64{g[fz.ID][0], g[mw.ID][0]}
		}
		before := gens()
		if err := db.PublishReport(ctx, admin, report.ActorOf(head, fz.ID), v); err != nil {
			t.Fatal(err)
		}
		// The portal's 年报 pages are cached: a publication moves the
		// generation of its unit and of every other unit's site.
		if after := gens(); after[0] == before[0] || after[1] == before[1] {
			t.Fatalf("portal generations %v after publishing, %v before", after, before)
		}
		if v.Number != 1 || v.ID == 0 || v.SHA256 == "" {
			t.Fatalf("version %+v", v)
		}
		// A correction needs its reason.
		v2 := &report.Version{UnitID: fz.ID, Year: 2024, Scope: annual.ScopeSelf, Document: body, Files: []report.File{{Format: "json", Content: body}}}
		if err := db.PublishReport(ctx, admin, report.ActorOf(stat, fz.ID), v2); !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err.(*errs.FormError).Fields[0]), "更正") {
			t.Fatalf("correction without reason: %v", err)
		}
		v2.Reason = "更正表二行政许可数量"
		if err := db.PublishReport(ctx, admin, report.ActorOf(stat, fz.ID), v2); err != nil || v2.Number != 2 {
			t.Fatalf("correction: %v %+v", err, v2)
		}
		vs, err := db.ReportVersions(ctx, fz.ID, 2024, annual.ScopeSelf)
		if err != nil || len(vs) != 2 || vs[0].Override != "已核实" || vs[1].Reason != v2.Reason || len(vs[0].Files) != 2 {
			t.Fatalf("versions %+v %v", vs, err)
		}
		f, err := db.ReportFile(ctx, vs[0].ID, "html")
		if err != nil || string(f.Content) != "<html>2024</html>" {
			t.Fatalf("file %v %q", err, f.Content)
		}
		if _, err := db.ReportFile(ctx, vs[0].ID, "pdf"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("missing format: %v", err)
		}
		pub, err := db.PublishedReports(ctx, []int64{fz.ID})
		if err != nil || len(pub) != 1 || pub[0].Number != 2 {
			t.Fatalf("published %+v %v", pub, err)
		}
		full, err := db.ReportVersion(ctx, vs[1].ID)
		if err != nil || !bytes.Equal(full.Document, body) {
			t.Fatalf("version document %v", err)
		}
		// The prior report of 2025 is this one, as published.
		prior, source, err := db.PriorReport(ctx, fz.ID, 2024, annual.ScopeSelf)
		if err != nil || prior == nil || source != "已发布" || prior.Table3.Get(annual.RowReceived, annual.ColTotal) != annual.N(6) {
			t.Fatalf("prior %v %s %v", prior, source, err)
		}
		if p, _, err := db.PriorReport(ctx, fz.ID, 2024, annual.ScopeAll); err != nil || p != nil {
			t.Fatalf("prior of another scope %v %v", p, err)
		}
		// Versions and files never change.
		for _, q := range []string{"UPDATE annual_report_versions SET reason = 'x'", "DELETE FROM annual_report_versions", "UPDATE annual_report_files SET size = 0", "DELETE FROM annual_report_files"} {
			if _, err := db.SQL().ExecContext(ctx, q); err == nil {
				t.Errorf("%s was allowed", q)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRollUpSources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		if y, err := db.FirstRecordYear(ctx, []int64{fz.ID, mw.ID}); err != nil || y != 0 {
			t.Fatalf("first year with no records: %d %v", y, err)
		}
		t2, err := db.Table2Of(ctx, []int64{fz.ID, mw.ID}, 2024)
		if err != nil || t2.LicensingDecisions != annual.N(0) {
			t.Fatalf("empty table 二: %+v %v", t2, err)
		}
		// A report imported as history is last year's report, with its text.
		b, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
		if err != nil {
			t.Fatal(err)
		}
		up, err := db.SaveAnnualUpload(ctx, admin, "2024.txt", b)
		if err != nil {
			t.Fatal(err)
		}
		r, err := annual.Read(b, "2024.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportAnnualHistory(ctx, admin, mw.ID, up.ID, r); err != nil {
			t.Fatal(err)
		}
		prior, source, err := db.PriorReport(ctx, mw.ID, 2024, annual.ScopeSelf)
		if err != nil || prior == nil || source != "已导入" || !strings.Contains(prior.Text.Problems, "目前存在问题") {
			t.Fatalf("imported prior: %v %q %v", prior, source, err)
		}
	})
}
