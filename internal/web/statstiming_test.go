package web

import (
	"os"
	"sort"
	"testing"
	"time"

	"gongkai/internal/store"
)

// TestPubStatsTiming times /admin/publish/stats over the demo world, by
// hand: GONGKAI_STATS_TIMING=1 go test ./internal/web -run TestPubStatsTiming -v.
// It asserts nothing about time.
func TestPubStatsTiming(t *testing.T) {
	if os.Getenv("GONGKAI_STATS_TIMING") == "" {
		t.Skip("GONGKAI_STATS_TIMING not set")
	}
	d := store.SQLite
	if os.Getenv("GONGKAI_STATS_TIMING") == "postgres" {
		d = store.Postgres
	}
	e := newReportEnv(t, d)
	c := e.client()
	c.demoLogin("editor")
	for _, p := range []string{"/admin/publish/stats", "/admin/publish/stats?year=2024"} {
		var ds []time.Duration
		for range 5 {
			t0 := time.Now()
			if code, _ := c.get(p); code != 200 {
				t.Fatalf("%s: %d", p, code)
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-32s median %v (min %v max %v)", p, ds[2], ds[0], ds[4])
	}
}
