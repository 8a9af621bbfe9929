package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// BenchmarkInspectPortal inspects the own portal of a unit with 100,000
// published items in-process — every item and every column from the
// records, the portal's pages through its handler — and reports the time
// of one inspection and the peak heap during it:
//
//	go test ./cmd/gongkai -run '^$' -bench InspectPortal -benchtime 3x -timeout 2h
//
// GONGKAI_BENCH_ITEMS sets the number of items (default 100000);
// GONGKAI_BENCH_PG=1 runs it on PostgreSQL instead of SQLite. One item in
// ten links to another item, one in a hundred to an item that does not
// exist; the catalogue is the customs catalogue.
func BenchmarkInspectPortal(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("GONGKAI_BENCH_ITEMS")); err == nil && v > 0 {
		n = v
	}
	engine := store.SQLite
	if os.Getenv("GONGKAI_BENCH_PG") == "1" {
		engine = store.Postgres
	}
	now := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	db := storetest.Open(b, engine, store.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	sys := audit.System("bench")
	unit := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, sys, &unit); err != nil {
		b.Fatal(err)
	}
	var depts []org.Department
	for _, name := range []string{"办公室", "综合业务处", "关税处", "监管通关处"} {
		d := org.Department{UnitID: unit.ID, Name: name}
		if err := db.CreateDepartment(ctx, sys, &d); err != nil {
			b.Fatal(err)
		}
		depts = append(depts, d)
	}
	user := func(name string, r org.Role) org.User {
		u := org.User{Username: name, DisplayName: name, UnitID: unit.ID, Grants: []org.Grant{{UnitID: unit.ID, Role: r}}}
		if err := db.CreateUser(ctx, sys, &u, "x"); err != nil {
			b.Fatal(err)
		}
		return u
	}
	ed, rev := user("editor", org.RoleEditor), user("reviewer", org.RoleReviewer)
	user("head", org.RoleOfficeHead)
	if _, err := db.EnsureCatalogue(ctx, sys, unit.ID, publish.CustomsCatalogue()); err != nil {
		b.Fatal(err)
	}
	cats, err := db.PublishCategories(ctx, unit.ID)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 14))
	start := time.Now()
	const batch = 1000
	for done := 0; done < n; done += batch {
		var items []publish.ImportItem
		for i := done; i < n && i < done+batch; i++ {
			made := calendar.DateOf(time.Date(2020+rng.IntN(6), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC))
			t0 := time.Date(made.Year(), made.Month(), made.Day(), 1, 0, 0, 0, time.UTC)
			var body strings.Builder
			for _, p := range demo.GovParagraphs(rng, 2, 3) {
				body.WriteString("<p>" + p + "</p>")
			}
			switch {
			case i%100 == 7:
				body.WriteString(`<p><a href="/items/` + strconv.Itoa(n*10+i) + `">相关信息</a></p>`)
			case i%10 == 3:
				body.WriteString(`<p><a href="/items/` + strconv.Itoa(1+rng.IntN(max(i, 1))) + `">相关信息</a></p>`)
			}
			c := &publish.Content{Title: demo.GovTitle(rng), DocNo: fmt.Sprintf("福州关公告〔%d〕%d号", made.Year(), i+1),
				DepartmentID: depts[rng.IntN(len(depts))].ID, MadeOn: made, CategoryID: cats[rng.IntN(len(cats))].ID,
				Attribute: publish.Active, Ground: publish.DefaultActiveGround, Body: body.String()}
			pt := t0.Add(time.Duration(3+rng.IntN(24*40)) * time.Hour)
			if pt.After(now) {
				pt = now.Add(-time.Hour)
			}
			items = append(items, publish.ImportItem{Events: []publish.Event{
				{Kind: publish.EvCreate, At: t0, ActorID: ed.ID, ActorName: ed.DisplayName, Version: 1, Content: c},
				{Kind: publish.EvSubmit, At: t0.Add(time.Hour), ActorID: ed.ID, ActorName: ed.DisplayName, Version: 1},
				{Kind: publish.EvApprove, At: t0.Add(2 * time.Hour), ActorID: rev.ID, ActorName: rev.DisplayName, Version: 1},
				{Kind: publish.EvPublish, At: pt, ActorID: rev.ID, ActorName: rev.DisplayName, Version: 1, PublishAt: pt},
			}})
		}
		if _, err := db.ImportItems(ctx, sys, unit.ID, items); err != nil {
			b.Fatalf("import at %d: %v", done, err)
		}
	}
	b.Logf("%d items (%s) seeded in %s", n, engine, time.Since(start).Round(time.Second))
	in := &inspector{db: db, worker: "bench", now: func() time.Time { return now }}
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		r := &inspect.Run{UnitID: unit.ID, Target: inspect.Target{UnitID: unit.ID, Own: true}, Trigger: inspect.CLI}
		if _, err := db.QueueRun(ctx, sys, inspect.SystemActor("bench"), r); err != nil {
			b.Fatal(err)
		}
		var top atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m runtime.MemStats
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > top.Load() {
					top.Store(m.HeapAlloc)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		b.StartTimer()
		done, err := in.run(ctx, r.ID)
		b.StopTimer()
		close(stop)
		wg.Wait()
		if err != nil || done.Status != inspect.Complete || done.Stats.Items != n {
			b.Fatalf("run: %v %s %v items %d", err, done.Status, done.Reasons, done.Stats.Items)
		}
		if p := top.Load(); p > peak {
			peak = p
		}
		if i == 0 {
			b.Logf("findings: %d vetoes, %d warnings, %d deductions; pages %d, links %d", done.Vetoes, done.Warnings, done.Deductions, done.Stats.Pages, done.Stats.Links)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
