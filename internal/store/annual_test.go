package store_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestAnnualHistory(t *testing.T) {
	seed, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		up, err := db.SaveAnnualUpload(ctx, admin, "2024.txt", seed)
		if err != nil {
			t.Fatal(err)
		}
		back, err := db.AnnualUpload(ctx, up.ID)
		if err != nil || !bytes.Equal(back.Content, seed) || back.SHA256 != up.SHA256 {
			t.Fatalf("upload round trip: %v", err)
		}
		r, err := annual.Read(back.Content, back.Name)
		if err != nil {
			t.Fatal(err)
		}
		r.Findings = annual.Check(r)
		if _, err := db.ImportAnnualHistory(ctx, admin, fz.ID, up.ID, r); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportAnnualHistory(ctx, admin, fz.ID, up.ID, r); !errs.Is(err, errs.Conflict) {
			t.Fatalf("second import of the same year: %v", err)
		}
		hs, err := db.AnnualHistory(ctx, fz.ID)
		if err != nil || len(hs) != 1 || hs[0].Year != 2024 {
			t.Fatalf("history: %+v %v", hs, err)
		}
		want, _ := json.Marshal(r)
		got, _ := json.Marshal(hs[0].Report)
		if !bytes.Equal(want, got) {
			t.Fatalf("stored report differs:\nwant %s\ngot  %s", want, got)
		}
		// The narrative is kept beside the JSON shape, which leaves it out.
		if hs[0].Report.Text != r.Text || !strings.Contains(hs[0].Report.Text.Problems, "（二）目前存在问题。") {
			t.Fatalf("narrative not kept: %+v", hs[0].Report.Text)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		// A report imported before the narrative was kept gets it from its
		// stored upload after migrating.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE annual_history SET text_json = ''"); err != nil {
			t.Fatal(err)
		}
		if h, err := db.AnnualHistoryReport(ctx, hs[0].ID); err != nil || h.Report.Text.Problems != "" {
			t.Fatalf("blanked: %v", err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if h, err := db.AnnualHistoryReport(ctx, hs[0].ID); err != nil || h.Report.Text != r.Text {
			t.Fatalf("backfilled: %+v %v", h.Report.Text, err)
		}
	})
}
