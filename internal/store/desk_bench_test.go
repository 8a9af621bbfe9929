package store_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// BenchmarkDeskImportCDR imports a generated call-detail CSV (1,000,000
// rows; GONGKAI_BENCH_ROWS to change) into a fresh database on each engine
// and reports rows/s. It runs only under -bench:
//
//	go test ./internal/store -run '^$' -bench DeskImportCDR -benchtime 1x
func BenchmarkDeskImportCDR(b *testing.B) {
	rows := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("GONGKAI_BENCH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	path := filepath.Join(b.TempDir(), "cdr.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := desk.WriteSampleCDR(f, rows, 2024, 7); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	kind, _ := desk.KindByKey(desk.ImportCDR)
	open := func() (io.ReadCloser, int64, error) {
		f, err := os.Open(path)
		return f, st.Size(), err
	}
	for _, d := range storetest.Backends {
		b.Run(string(d), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, d, store.Options{})
				u := org.Unit{Code: "fz", Name: "福州海关"}
				if err := db.CreateUnit(ctx, audit.System("bench"), &u); err != nil {
					b.Fatal(err)
				}
				// The heap is sampled after each batch: it must not grow
				// with the file.
				var peak uint64
				var ms runtime.MemStats
				sample := func(desk.Progress) {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				b.StartTimer()
				res, err := db.ImportDesk(ctx, audit.System("bench"), u.ID, kind, "cdr.csv", desk.SampleMapping(), desk.ModeGood, open, 0, sample)
				b.StopTimer()
				if err != nil || res.Imported != int64(rows) {
					b.Fatalf("import: %+v %v", res, err)
				}
				b.ReportMetric(float64(rows)/res.Elapsed.Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				fig, err := db.DeskFigures(ctx, []int64{u.ID}, 2024)
				if err != nil || fig.CallsOffered != int64(rows) {
					b.Fatalf("figures: %d %v", fig.CallsOffered, err)
				}
				b.Logf("%s: %d rows in %s (%.0f rows/s, peak heap %.1f MiB); 接通率 %s", d, rows, res.Elapsed, float64(rows)/res.Elapsed.Seconds(), float64(peak)/(1<<20), fig.Connection)
				b.StartTimer()
			}
		})
	}
}
