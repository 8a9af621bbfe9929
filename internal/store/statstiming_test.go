package store_test

import (
	"os"
	"sort"
	"testing"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestStatsTiming times the store calls of /admin/publish/stats on a demo
// database, by hand: GONGKAI_STATS_TIMING=1 go test ./internal/store -run TestStatsTiming -v.
// It asserts nothing about time.
func TestStatsTiming(t *testing.T) {
	if os.Getenv("GONGKAI_STATS_TIMING") == "" {
		t.Skip("GONGKAI_STATS_TIMING not set")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) { statsTiming(t, db) })
}

func statsTiming(t *testing.T, db *store.DB) {
	if err := demo.Load(ctx, db, demo.Generate(1), auth.Params{Memory: 1024, Time: 1, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	u, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	unit := u.ID
	step := func(name string, f func() error) time.Duration {
		var ds []time.Duration
		for range 5 {
			t0 := time.Now()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-18s median %v (min %v max %v)", name, ds[2], ds[0], ds[4])
		return ds[2]
	}
	year := 0
	step("PublishLatestYear", func() (err error) { year, err = db.PublishLatestYear(ctx, unit, 2026); return })
	t.Logf("year %d", year)
	step("PublishStats", func() error { _, err := db.PublishStats(ctx, unit, year); return err })
	step("Table2", func() error { _, err := db.Table2(ctx, unit, year); return err })
	step("page (all three)", func() error {
		y, err := db.PublishLatestYear(ctx, unit, 2026)
		if err != nil {
			return err
		}
		if _, err := db.PublishStats(ctx, unit, y); err != nil {
			return err
		}
		_, err = db.Table2(ctx, unit, y)
		return err
	})
}
