package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"gongkai/internal/auth"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// BenchmarkListingPages renders the listing pages afresh (no page cache)
// over an existing database, to compare their cost by the database's
// size — e.g. bench/search's corpora of 1,000 and 100,000 items:
//
//	GONGKAI_BENCH_DB=/tmp/gongkai-bench/bench-1000.db go test ./internal/web -run '^$' -bench ListingPages
//
// Run it on each size in turn (interleaved) and compare the medians.
func BenchmarkListingPages(b *testing.B) {
	dsn := os.Getenv("GONGKAI_BENCH_DB")
	if dsn == "" {
		b.Skip("GONGKAI_BENCH_DB names the database to measure")
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srv, err := web.New(db, &auth.Service{Store: db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: "fuzhou"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	cat := os.Getenv("GONGKAI_BENCH_CATEGORY")
	if cat == "" {
		cat = "notices"
	}
	for _, p := range []struct{ name, path string }{{"home", "/"}, {"catalogue", "/column/catalog"}, {"category", "/catalog/" + cat}, {"category-page-50", "/catalog/" + cat + "?page=50"}} {
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", p.path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
		})
	}
}
