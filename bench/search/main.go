// Command search benchmarks gongkai's Chinese full-text search on a
// generated corpus: the time to load the corpus through the product's own
// import (items, history, public rows and index), the time to rebuild the
// index alone, and the latency of queries of one to four characters and of
// several words — on SQLite FTS5, on PostgreSQL tsvector, and, side by side
// on the same texts and queries, on Bleve v2 with its CJK analyzer.
//
// It lives in its own module so that the product does not depend on Bleve.
// Run it from this directory:
//
//	go run . -n 100000 -engines sqlite,postgres,bleve
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/search"
	"gongkai/internal/store"
)

var queries = []string{"关", "税", "港", "海关", "关税", "公开", "原产地", "跨境电", "营商环境", "通关便利", "海关 公告", "关税 政策 企业", "跨境电商 监管"}

type doc struct{ title, body string }

// docAt is document i of the corpus; the same seed gives the same texts on
// every engine.
func docAt(seed uint64, i int) doc {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	return doc{title: demo.GovTitle(rng), body: strings.Join(demo.GovParagraphs(rng, 2+rng.IntN(3), 3), "\n")}
}

type result struct {
	engine  string
	load    time.Duration
	reindex time.Duration
	size    int64
	lat     map[string][]time.Duration
	hits    map[string]int
}

func pct(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(float64(len(s)-1)*p)]
}

func main() {
	n := flag.Int("n", 100000, "documents in the corpus")
	engines := flag.String("engines", "sqlite,postgres,bleve", "engines to measure")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "gongkai-bench"), "working directory")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL database (a schema is created in it)")
	runs := flag.Int("runs", 20, "runs of each query")
	seed := flag.Uint64("seed", 1, "corpus seed")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	reuse := flag.Bool("reuse", false, "keep a corpus of this size left by an earlier run (SQLite file, PostgreSQL schema) and measure only the queries")
	flag.Parse()
	os.MkdirAll(*dir, 0o755)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	var results []result
	for _, e := range strings.Split(*engines, ",") {
		var r result
		var err error
		switch e {
		case "sqlite", "postgres":
			r, err = benchStore(ctx, e, *n, *dir, *pg, *runs, *seed, *reuse)
		case "bleve":
			r, err = benchBleve(*n, *dir, *runs, *seed)
		default:
			err = fmt.Errorf("unknown engine %q", e)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, e+":", err)
			os.Exit(1)
		}
		results = append(results, r)
	}
	fmt.Printf("\ncorpus: %d documents (seed %d), %d runs per query\n\n", *n, *seed, *runs)
	fmt.Printf("%-10s %14s %14s %12s\n", "engine", "load", "index build", "size")
	for _, r := range results {
		fmt.Printf("%-10s %14s %14s %10.0fMB\n", r.engine, r.load.Round(time.Millisecond), r.reindex.Round(time.Millisecond), float64(r.size)/(1<<20))
	}
	fmt.Printf("\n%-16s", "query")
	for _, r := range results {
		fmt.Printf(" | %-30s", r.engine+" hits  p50  p95")
	}
	fmt.Println()
	for _, q := range queries {
		fmt.Printf("%-16s", q)
		for _, r := range results {
			fmt.Printf(" | %8d %9s %9s", r.hits[q], pct(r.lat[q], .5).Round(10*time.Microsecond), pct(r.lat[q], .95).Round(10*time.Microsecond))
		}
		fmt.Println()
	}
}

func benchStore(ctx context.Context, engine string, n int, dir, pg string, runs int, seed uint64, reuse bool) (result, error) {
	r := result{engine: engine, lat: map[string][]time.Duration{}, hits: map[string]int{}}
	dsn := filepath.Join(dir, fmt.Sprintf("bench-%d.db", n))
	if reuse {
		if engine == "postgres" {
			dsn = pg + fmt.Sprintf("&search_path=bench_%d", n)
		}
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			return r, err
		}
		defer db.Close()
		var unitID int64
		var count int
		db.SQL().QueryRow("SELECT min(unit_id), count(*) FROM pub_items").Scan(&unitID, &count)
		if count != n {
			return r, fmt.Errorf("-reuse: %s holds %d public items, not %d", dsn, count, n)
		}
		return measure(ctx, r, engine, db, unitID, runs)
	}
	if engine == "postgres" {
		db, err := store.Connect(ctx, pg, store.Options{})
		if err != nil {
			return r, err
		}
		schema := fmt.Sprintf("bench_%d", n)
		db.SQL().Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
		if _, err := db.SQL().Exec("CREATE SCHEMA " + schema); err != nil {
			return r, err
		}
		db.Close()
		dsn = pg + "&search_path=" + schema
	} else {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dsn + suffix)
		}
	}
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return r, err
	}
	defer db.Close()
	actor := audit.System("bench")
	unit := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, actor, &unit); err != nil {
		return r, err
	}
	dept := org.Department{UnitID: unit.ID, Name: "办公室"}
	if err := db.CreateDepartment(ctx, actor, &dept); err != nil {
		return r, err
	}
	if _, err := db.EnsureCatalogue(ctx, actor, unit.ID, publish.CustomsCatalogue()); err != nil {
		return r, err
	}
	cats, err := db.PublishCategories(ctx, unit.ID)
	if err != nil {
		return r, err
	}
	made, _ := calendar.ParseDate("2024-03-01")
	t0 := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	start := time.Now()
	const chunk = 5000
	for i := 0; i < n; i += chunk {
		var items []publish.ImportItem
		for j := i; j < min(i+chunk, n); j++ {
			d := docAt(seed, j)
			c := &publish.Content{Title: d.title, DepartmentID: dept.ID, MadeOn: made, CategoryID: cats[1+j%20].ID, Attribute: publish.Active, Body: publish.BodyFromInput(d.body)}
			items = append(items, publish.ImportItem{Events: []publish.Event{
				{Kind: publish.EvCreate, At: t0, ActorID: 1, ActorName: "起草", Version: 1, Content: c},
				{Kind: publish.EvSubmit, At: t0, ActorID: 1, ActorName: "起草", Version: 1},
				{Kind: publish.EvApprove, At: t0, ActorID: 2, ActorName: "审查", Version: 1},
				{Kind: publish.EvPublish, At: t0, ActorID: 2, ActorName: "审查", Version: 1, PublishAt: t0},
			}})
		}
		if _, err := db.ImportItems(ctx, actor, unit.ID, items); err != nil {
			return r, err
		}
		fmt.Fprintf(os.Stderr, "\r%s: %d/%d loaded (%s)", engine, min(i+chunk, n), n, time.Since(start).Round(time.Second))
	}
	r.load = time.Since(start)
	fmt.Fprintln(os.Stderr)
	start = time.Now()
	if _, err := db.Reindex(ctx); err != nil {
		return r, err
	}
	r.reindex = time.Since(start)
	if engine == "postgres" {
		db.SQL().Exec("VACUUM ANALYZE pub_search")
		db.SQL().Exec("VACUUM ANALYZE pub_items")
		db.SQL().QueryRow("SELECT pg_total_relation_size('pub_search') + pg_total_relation_size('pub_items')").Scan(&r.size)
	} else {
		db.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.SQL().Exec("ANALYZE")
		if st, err := os.Stat(dsn); err == nil {
			r.size = st.Size()
		}
	}
	return measure(ctx, r, engine, db, unit.ID, runs)
}

func measure(ctx context.Context, r result, engine string, db *store.DB, unitID int64, runs int) (result, error) {
	pub := db.Public()
	for _, q := range queries {
		for k := 0; k < runs+1; k++ {
			s := time.Now()
			res, err := pub.Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: unitID, PerPage: 20}, Query: search.Parse(q)})
			if err != nil {
				return r, err
			}
			if k > 0 { // the first run warms the cache
				r.lat[q] = append(r.lat[q], time.Since(s))
			}
			r.hits[q] = res.Total
		}
		fmt.Fprintf(os.Stderr, "%s %q: %d hits, p50 %s\n", engine, q, r.hits[q], pct(r.lat[q], .5))
	}
	return r, nil
}

func benchBleve(n int, dir string, runs int, seed uint64) (result, error) {
	r := result{engine: "bleve", lat: map[string][]time.Duration{}, hits: map[string]int{}}
	path := filepath.Join(dir, fmt.Sprintf("bleve-%d", n))
	os.RemoveAll(path)
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = "cjk"
	idx, err := bleve.New(path, m)
	if err != nil {
		return r, err
	}
	defer idx.Close()
	start := time.Now()
	b := idx.NewBatch()
	for i := 0; i < n; i++ {
		d := docAt(seed, i)
		if err := b.Index(fmt.Sprint(i), map[string]any{"title": d.title, "body": d.body}); err != nil {
			return r, err
		}
		if b.Size() >= 1000 {
			if err := idx.Batch(b); err != nil {
				return r, err
			}
			b = idx.NewBatch()
			fmt.Fprintf(os.Stderr, "\rbleve: %d/%d indexed (%s)", i+1, n, time.Since(start).Round(time.Second))
		}
	}
	if err := idx.Batch(b); err != nil {
		return r, err
	}
	r.load = time.Since(start)
	r.reindex = r.load
	fmt.Fprintln(os.Stderr)
	filepath.Walk(path, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			r.size += info.Size()
		}
		return nil
	})
	for _, q := range queries {
		var terms []query.Query
		for _, w := range strings.Fields(q) {
			var fields []query.Query
			for _, f := range []string{"title", "body"} {
				mq := bleve.NewMatchPhraseQuery(w)
				mq.SetField(f)
				fields = append(fields, mq)
			}
			terms = append(terms, bleve.NewDisjunctionQuery(fields...))
		}
		req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(terms...), 20, 0, false)
		for k := 0; k < runs+1; k++ {
			s := time.Now()
			res, err := idx.Search(req)
			if err != nil {
				return r, err
			}
			if k > 0 {
				r.lat[q] = append(r.lat[q], time.Since(s))
			}
			r.hits[q] = int(res.Total)
		}
		fmt.Fprintf(os.Stderr, "bleve %q: %d hits, p50 %s\n", q, r.hits[q], pct(r.lat[q], .5))
	}
	return r, nil
}
