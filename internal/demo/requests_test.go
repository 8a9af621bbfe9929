package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestDemoRequests loads the demo and checks that 福州海关本级's 2024 tables
// 三 and 四, computed from the demo's applications, are those of its
// published annual report, and that every demo year passes the checker.
func TestDemoRequests(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, store.Options{})
	if err := demo.Load(ctx, db, demo.Generate(1), auth.Params{Memory: 1024, Time: 1, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	fz, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.RequestReport(ctx, fz.ID, 2024)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var seed annual.Report
	if err := json.Unmarshal(b, &seed); err != nil {
		t.Fatal(err)
	}
	for _, spec := range annual.Table3Rows {
		for c := 0; c < annual.NumColumns; c++ {
			w, g := seed.Table3.Get(spec.Key, annual.Column(c)).Int(), got.Table3.Get(spec.Key, annual.Column(c)).Int()
			if w != g {
				t.Errorf("2024 %s[%s] = %d, report says %d", spec.Key, annual.ColumnKeys[c], g, w)
			}
		}
	}
	if len(got.Table3.ExtraRows) != 2 || got.Table3.ExtraRows[1].Values[annual.ColTotal].Int() != 4 {
		t.Errorf("extra rows %+v", got.Table3.ExtraRows)
	}
	units, _ := db.Units(ctx)
	total := 0
	for _, u := range units {
		for _, y := range []int{2024, 2025, 2026} {
			r, err := db.RequestReport(ctx, u.ID, y)
			if err != nil {
				t.Fatal(err)
			}
			if f := annual.Check(r); len(f) != 0 {
				t.Errorf("%s %d: %+v", u.Name, y, f)
			}
			total += r.Table3.Get(annual.RowReceived, annual.ColTotal).Int()
		}
	}
	if total < 50 {
		t.Errorf("only %d demo applications", total)
	}
	// Section 一（二）: 「内容涉及统计数据、报关单证和行政执法信息等」, from the
	// subjects the handler marked; every demo application has some.
	subjects, err := db.RequestSubjectCounts(ctx, []int64{fz.ID}, 2024)
	if err != nil {
		t.Fatal(err)
	}
	var got2024 []string
	for _, c := range subjects {
		got2024 = append(got2024, fmt.Sprintf("%s%d", c.Subject, c.N))
	}
	if g := strings.Join(got2024, " "); g != "统计数据3 报关单证2 行政执法信息1 行政许可1" {
		t.Errorf("2024 subjects: %s", g)
	}
	for _, u := range units {
		for _, y := range []int{2024, 2025, 2026} {
			if n, err := db.RequestUnmarkedCount(ctx, []int64{u.ID}, y); err != nil || n != 0 {
				t.Errorf("%s %d: %d applications without subjects, %v", u.Name, y, n, err)
			}
		}
	}
	varied := map[string]bool{}
	for _, y := range []int{2025, 2026} {
		cs, err := db.RequestSubjectCounts(ctx, []int64{fz.ID}, y)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			varied[c.Subject] = true
		}
	}
	if len(varied) < 5 {
		t.Errorf("2025–2026 subjects not varied: %v", varied)
	}
	r25, _ := db.RequestReport(ctx, fz.ID, 2025)
	if r25.Table4.Reconsideration.Total.Int() != 1 {
		t.Errorf("2025 table 四: %+v", r25.Table4)
	}
}
