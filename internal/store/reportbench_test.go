package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/rectify"
	"gongkai/internal/report"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestReportPeer holds the annual report's build to the peer's GROUP BYs
// over the same generated rows: one unit of 10,000 of each record, and a
// 全系统 roll-up of ten units of 1,000. Every figure of tables 二, 三, 四 and
// of section 一 that either side counts must be equal, and each part must
// count something (an empty world would agree trivially).
func TestReportPeer(t *testing.T) {
	for _, s := range []genShape{{1, 10_000}, {10, 1_000}} {
		t.Run(s.String(), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ids := generate(t, db, s)
				scope := annual.ScopeSelf
				if s.Units > 1 {
					scope = annual.ScopeAll
				}
				d, err := report.Build(ctx, db, report.Request{UnitID: ids[0], Year: 2024, Scope: scope, Now: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
				if got := d.Facts.UnitIDs; len(got) != s.Units {
					t.Fatalf("the report covers %d units, want %d", len(got), s.Units)
				}
				peer, got := peerFigures(t, db, ids, 2024), draftFigures(d)
				if os.Getenv("GONGKAI_BENCH_DEBUG") != "" {
					t.Logf("peer %v\nreport %v", peer, got)
				}
				for _, part := range []string{"t2.", "t3.", "t3.extra.", "t4.", "pub.", "req.subject.", "req.fees", "desk.rating.", "desk.message.", "desk.prev."} {
					n := 0
					for k := range peer {
						if strings.HasPrefix(k, part) {
							n++
						}
					}
					if n == 0 {
						t.Errorf("the peer counts nothing under %s", part)
					}
				}
				if diff := diffFigures(peer, got); len(diff) > 0 {
					t.Errorf("report ≠ peer on %d of %d figures:\n%s", len(diff), len(peer), strings.Join(diff, "\n"))
				}
			})
		})
	}
}

// BenchmarkReportBuild times the annual report's build with every check
// (report.Build) against the peer's GROUP BYs, interleaved, over the
// generated worlds: one unit with 1,000,000 of each record (本级机关), and a
// 全系统 roll-up of 1,000 units of 1,000. It runs only with GONGKAI_LONG=1:
//
//	GONGKAI_LONG=1 go test ./internal/store -run '^$' -bench ReportBuild -benchtime 1x -timeout 2h -v
//
// GONGKAI_BENCH_ENGINES=sqlite,postgres and GONGKAI_BENCH_SHAPES=1x1000000,1000x1000
// choose; GONGKAI_BENCH_ROUNDS (default 7) sets the rounds. The SQLite
// worlds are kept under /tmp (gongkai-reportbench-SHAPE.db) for the next
// run; PostgreSQL's are written into a schema of their own, dropped after.
func BenchmarkReportBuild(b *testing.B) {
	if os.Getenv("GONGKAI_LONG") != "1" {
		b.Skip("GONGKAI_LONG=1 runs the annual report benchmark")
	}
	engines := envList("GONGKAI_BENCH_ENGINES", "sqlite,postgres")
	shapes := envList("GONGKAI_BENCH_SHAPES", "1x1000000,1000x1000")
	rounds := 7
	if n, err := strconv.Atoi(os.Getenv("GONGKAI_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	for _, e := range engines {
		for _, sh := range shapes {
			var s genShape
			if _, err := fmt.Sscanf(sh, "%dx%d", &s.Units, &s.PerUnit); err != nil {
				b.Fatalf("GONGKAI_BENCH_SHAPES: %q", sh)
			}
			b.Run(e+"/"+s.String(), func(b *testing.B) {
				db, ids, gen := benchWorld(b, store.Dialect(e), s)
				scope := annual.ScopeSelf
				if s.Units > 1 {
					scope = annual.ScopeAll
				}
				req := report.Request{UnitID: ids[0], Year: 2024, Scope: scope, Now: time.Now()}
				src := &timedSources{DB: db, spent: map[string]time.Duration{}}
				build := func() figureMap {
					d, err := report.Build(ctx, src, req)
					if err != nil {
						b.Fatal(err)
					}
					return draftFigures(d)
				}
				peer := func() figureMap { return peerFigures(b, db, ids, 2024) }
				// A first run of each, not timed, also checks them equal.
				if diff := diffFigures(peer(), build()); len(diff) > 0 {
					b.Fatalf("report ≠ peer:\n%s", strings.Join(diff, "\n"))
				}
				for k := range src.spent {
					delete(src.spent, k)
				}
				var tb, tp []time.Duration
				for r := range rounds {
					first, second := build, peer
					if r%2 == 1 {
						first, second = peer, build
					}
					t0 := time.Now()
					first()
					t1 := time.Now()
					second()
					t2 := time.Now()
					if r%2 == 0 {
						tb, tp = append(tb, t1.Sub(t0)), append(tp, t2.Sub(t1))
					} else {
						tp, tb = append(tp, t1.Sub(t0)), append(tb, t2.Sub(t1))
					}
				}
				mb, mp := median(tb), median(tp)
				b.ReportMetric(float64(mb.Microseconds())/1000, "build-ms")
				b.ReportMetric(float64(mp.Microseconds())/1000, "peer-ms")
				b.ReportMetric(float64(mb)/float64(mp), "ratio")
				fmt.Printf("%-8s %-10s generate %6.1fs  build %8.1f ms  peer %8.1f ms  ratio %.2f  (%d rounds)\n",
					e, s, gen.Seconds(), ms(mb), ms(mp), float64(mb)/float64(mp), rounds)
				fmt.Printf("         build's reads: %s\n", src.breakdown(rounds))
			})
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func envList(name, def string) []string {
	v := os.Getenv(name)
	if v == "" {
		v = def
	}
	return strings.Split(v, ",")
}

// benchWorld opens the world of a shape: SQLite's from its file under /tmp
// when an earlier run left it, else generated (and kept); PostgreSQL's
// generated into a fresh schema.
func benchWorld(b *testing.B, d store.Dialect, s genShape) (*store.DB, []int64, time.Duration) {
	ids := make([]int64, s.Units)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	if d == store.SQLite {
		path := filepath.Join(os.TempDir(), "gongkai-reportbench-"+s.String()+".db")
		if _, err := os.Stat(path); err != nil {
			tmp := path + ".tmp"
			os.Remove(tmp)
			db, err := store.Open(ctx, tmp, store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			generate(b, db, s)
			gen := time.Since(t0)
			db.Close()
			if err := os.Rename(tmp, path); err != nil {
				b.Fatal(err)
			}
			db = openB(b, path)
			return db, ids, gen
		}
		return openB(b, path), ids, 0
	}
	db := storetest.Open(b, d, store.Options{})
	t0 := time.Now()
	generate(b, db, s)
	return db, ids, time.Since(t0)
}

func openB2(t testing.TB, dsn string) *store.DB {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openB(b *testing.B, dsn string) *store.DB {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// timedSources is the store as report.Sources, adding up the time of each
// read: where a build spends its time.
type timedSources struct {
	*store.DB
	spent map[string]time.Duration
}

func (s *timedSources) time(name string, t0 time.Time) { s.spent[name] += time.Since(t0) }

func (s *timedSources) breakdown(rounds int) string {
	type kv struct {
		k string
		v time.Duration
	}
	var all []kv
	for k, v := range s.spent {
		all = append(all, kv{k, v / time.Duration(rounds)})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	var parts []string
	for _, e := range all {
		if e.v >= time.Millisecond {
			parts = append(parts, fmt.Sprintf("%s %.0f ms", e.k, ms(e.v)))
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" (mean of %d builds)", rounds)
}

func (s *timedSources) Unit(ctx context.Context, id int64) (org.Unit, error) {
	defer s.time("Unit", time.Now())
	return s.DB.Unit(ctx, id)
}
func (s *timedSources) Units(ctx context.Context) ([]org.Unit, error) {
	defer s.time("Units", time.Now())
	return s.DB.Units(ctx)
}
func (s *timedSources) UnitSettings(ctx context.Context, id int64) (map[string]string, error) {
	defer s.time("UnitSettings", time.Now())
	return s.DB.UnitSettings(ctx, id)
}
func (s *timedSources) FirstRecordYear(ctx context.Context, ids []int64) (int, error) {
	defer s.time("FirstRecordYear", time.Now())
	return s.DB.FirstRecordYear(ctx, ids)
}
func (s *timedSources) PublishStatsOf(ctx context.Context, ids []int64, year int) (publish.YearStats, error) {
	defer s.time("PublishStatsOf", time.Now())
	return s.DB.PublishStatsOf(ctx, ids, year)
}
func (s *timedSources) Table2Of(ctx context.Context, ids []int64, year int) (*annual.Table2, error) {
	defer s.time("Table2Of", time.Now())
	return s.DB.Table2Of(ctx, ids, year)
}
func (s *timedSources) RequestCountsOf(ctx context.Context, ids []int64, year int) ([]requests.Count, error) {
	defer s.time("RequestCountsOf", time.Now())
	return s.DB.RequestCountsOf(ctx, ids, year)
}
func (s *timedSources) RequestAppealsOf(ctx context.Context, ids []int64, year int) ([]requests.Appeal, error) {
	defer s.time("RequestAppealsOf", time.Now())
	return s.DB.RequestAppealsOf(ctx, ids, year)
}
func (s *timedSources) RequestFeesOf(ctx context.Context, ids []int64, year int) (int, int, error) {
	defer s.time("RequestFeesOf", time.Now())
	return s.DB.RequestFeesOf(ctx, ids, year)
}
func (s *timedSources) RequestSubjectCounts(ctx context.Context, ids []int64, year int) ([]requests.SubjectCount, error) {
	defer s.time("RequestSubjectCounts", time.Now())
	return s.DB.RequestSubjectCounts(ctx, ids, year)
}
func (s *timedSources) SectionOneThree(ctx context.Context, ids []int64, year int) (desk.SectionOneThree, error) {
	defer s.time("SectionOneThree", time.Now())
	return s.DB.SectionOneThree(ctx, ids, year)
}
func (s *timedSources) MediaColumns(ctx context.Context, ids []int64) ([]desk.ColumnFigures, error) {
	defer s.time("MediaColumns", time.Now())
	return s.DB.MediaColumns(ctx, ids)
}
func (s *timedSources) Problems(ctx context.Context, ids []int64, years ...int) ([]rectify.Problem, error) {
	defer s.time("Problems", time.Now())
	return s.DB.Problems(ctx, ids, years...)
}
func (s *timedSources) PriorReport(ctx context.Context, id int64, year int, scope annual.Scope) (*annual.Report, string, error) {
	defer s.time("PriorReport", time.Now())
	return s.DB.PriorReport(ctx, id, year, scope)
}

var _ report.Sources = (*timedSources)(nil)
