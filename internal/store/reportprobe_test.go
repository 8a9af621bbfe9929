package store_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/report"
)

// TestReportProbe times each read of one build and the peer once, on a
// world the benchmark left under /tmp (GONGKAI_PROBE=path).
func TestReportProbe(t *testing.T) {
	path := os.Getenv("GONGKAI_PROBE")
	if path == "" {
		t.Skip("GONGKAI_PROBE=file")
	}
	db := openB2(t, path)
	src := &timedSources{DB: db, spent: map[string]time.Duration{}}
	scope := annual.ScopeSelf
	units, _ := db.Units(ctx)
	ids := []int64{1}
	if len(units) > 1 {
		scope = annual.ScopeAll
		ids = nil
		for _, u := range units {
			ids = append(ids, u.ID)
		}
	}
	t0 := time.Now()
	if _, err := report.Build(ctx, src, report.Request{UnitID: 1, Year: 2024, Scope: scope, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("build %v: %s\n", time.Since(t0), src.breakdown(1))
	t0 = time.Now()
	peerFigures(t, db, ids, 2024)
	fmt.Printf("peer %v\n", time.Since(t0))
}
