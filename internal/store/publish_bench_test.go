package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/search"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The search benchmark. It runs only under -bench:
//
//	GONGKAI_BENCH_ITEMS=100000 GONGKAI_BENCH_ENGINES=sqlite,postgres \
//	  go test ./internal/store -run '^$' -bench PublishSearch -benchtime 200x -timeout 2h
//
// GONGKAI_BENCH_CLASSES=2char,selective runs only those query classes.
//
// It builds a corpus of published items (titles and bodies of generated
// customs writing from demo's vocabulary, three paragraphs of about 300
// characters), imported through ImportItems in batches of 1,000 — the
// path that writes pub_items and the search index as publishing does — and
// reports the build time; then it runs queries of one to four characters
// and of several words through Public().Search and reports p50 and p95.

var benchQueries = map[string][]string{
	"1char": {"关", "税", "港", "检", "证"},
	"2char": {"海关", "关税", "公开", "通关", "检疫"},
	"3char": {"报关单", "集装箱", "原产地", "跨境电", "综合保"},
	"4char": {"营商环境", "税款担保", "信用管理", "打击走私", "汇总征税"},
	// A 文号's serial number: one item each (selective queries).
	"selective": {"12345", "67890", "4242", "99999", "777"},
	"multiword": {"海关 关税", "跨境电商 监管", "原产地 管理", "口岸 营商环境", "行政许可 公示 海关"},
}

func benchCorpus(b *testing.B, db *store.DB, n int) (org.Unit, time.Duration) {
	b.Helper()
	unit := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, admin, &unit); err != nil {
		b.Fatal(err)
	}
	var depts []org.Department
	for _, name := range []string{"办公室", "综合业务处", "关税处", "监管通关处", "企业管理和稽查处", "政策法规处"} {
		d := org.Department{UnitID: unit.ID, Name: name}
		if err := db.CreateDepartment(ctx, admin, &d); err != nil {
			b.Fatal(err)
		}
		depts = append(depts, d)
	}
	user := func(name string, r org.Role) org.User {
		u := org.User{Username: name, DisplayName: name, UnitID: unit.ID, Grants: []org.Grant{{UnitID: unit.ID, Role: r}}}
		if err := db.CreateUser(ctx, admin, &u, "x"); err != nil {
			b.Fatal(err)
		}
		return u
	}
	ed, rev := user("editor", org.RoleEditor), user("reviewer", org.RoleReviewer)
	if _, err := db.EnsureCatalogue(ctx, admin, unit.ID, publish.CustomsCatalogue()); err != nil {
		b.Fatal(err)
	}
	cats, err := db.PublishCategories(ctx, unit.ID)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2024, 5))
	start := time.Now()
	const batch = 1000
	for done := 0; done < n; done += batch {
		var items []publish.ImportItem
		for i := done; i < n && i < done+batch; i++ {
			made := calendar.DateOf(time.Date(2019+rng.IntN(6), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC))
			t0 := time.Date(made.Year(), made.Month(), made.Day(), 1, 0, 0, 0, time.UTC)
			var body strings.Builder
			for _, p := range demo.GovParagraphs(rng, 3, 3) {
				body.WriteString("<p>" + p + "</p>")
			}
			c := &publish.Content{Title: demo.GovTitle(rng), DocNo: fmt.Sprintf("福州关公告〔%d〕%d号", made.Year(), i+1),
				DepartmentID: depts[rng.IntN(len(depts))].ID, MadeOn: made, CategoryID: cats[rng.IntN(len(cats))].ID,
				Attribute: publish.Active, Ground: publish.DefaultActiveGround, Body: body.String()}
			pt := t0.Add(3 * time.Hour)
			items = append(items, publish.ImportItem{Events: []publish.Event{
				{Kind: publish.EvCreate, At: t0, ActorID: ed.ID, ActorName: ed.DisplayName, Version: 1, Content: c},
				{Kind: publish.EvSubmit, At: t0.Add(time.Hour), ActorID: ed.ID, ActorName: ed.DisplayName, Version: 1},
				{Kind: publish.EvApprove, At: t0.Add(2 * time.Hour), ActorID: rev.ID, ActorName: rev.DisplayName, Version: 1},
				{Kind: publish.EvPublish, At: pt, ActorID: rev.ID, ActorName: rev.DisplayName, Version: 1, PublishAt: pt},
			}})
		}
		if _, err := db.ImportItems(ctx, admin, unit.ID, items); err != nil {
			b.Fatalf("import at %d: %v", done, err)
		}
		if done > 0 && done%(50*batch) == 0 {
			b.Logf("%d items in %s", done, time.Since(start).Round(time.Second))
		}
	}
	return unit, time.Since(start)
}

func BenchmarkPublishSearch(b *testing.B) {
	n := 100000
	if s := os.Getenv("GONGKAI_BENCH_ITEMS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	engines := []store.Dialect{store.SQLite, store.Postgres}
	if s := os.Getenv("GONGKAI_BENCH_ENGINES"); s != "" {
		engines = nil
		for _, e := range strings.Split(s, ",") {
			engines = append(engines, store.Dialect(e))
		}
	}
	for _, d := range engines {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d, store.Options{Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }})
			unit, took := benchCorpus(b, db, n)
			b.Logf("%s: built %d items with their index in %s (%.0f items/s)", d, n, took.Round(time.Second), float64(n)/took.Seconds())
			classes := make([]string, 0, len(benchQueries))
			for k := range benchQueries {
				classes = append(classes, k)
			}
			sort.Strings(classes)
			only := os.Getenv("GONGKAI_BENCH_CLASSES")
			for _, class := range classes {
				if only != "" && !strings.Contains(","+only+",", ","+class+",") {
					continue
				}
				qs := benchQueries[class]
				b.Run(class, func(b *testing.B) {
					var lat []time.Duration
					hits := map[string]int{}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						q := qs[i%len(qs)]
						t := time.Now()
						res, err := db.Public().Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: unit.ID, PerPage: 20}, Query: search.Parse(q)})
						if err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t))
						hits[q] = res.Total
					}
					b.StopTimer()
					sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
					p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
					b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
					b.Logf("%s %s: p50 %s p95 %s; hits %v", d, class, p50, p95, hits)
				})
			}
		})
	}
}
