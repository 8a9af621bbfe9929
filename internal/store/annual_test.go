package store_test

import (
	"bytes"
	"encoding/json"
	"os"
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
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
