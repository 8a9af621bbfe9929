package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestJobsRunOnceAcrossRunners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 60
		for i := 0; i < n; i++ {
			if _, err := db.EnqueueJob(ctx, jobs.Job{Kind: "count", Payload: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string]int{}
		handler := func(ctx context.Context, j jobs.Job) (time.Time, error) {
			mu.Lock()
			seen[j.Payload]++
			mu.Unlock()
			time.Sleep(time.Millisecond)
			return time.Time{}, nil
		}
		var wg sync.WaitGroup
		var total atomic.Int64
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := &jobs.Runner{Store: db, Worker: fmt.Sprintf("w%d", w), Handlers: map[string]jobs.Handler{"count": handler}}
				ran, err := r.RunDue(ctx)
				if err != nil {
					t.Error(err)
				}
				total.Add(int64(ran))
			}(w)
		}
		wg.Wait()
		if total.Load() != n || len(seen) != n {
			t.Fatalf("ran %d, distinct %d, want %d", total.Load(), len(seen), n)
		}
		for k, c := range seen {
			if c != 1 {
				t.Fatalf("job %s ran %d times", k, c)
			}
		}
		counts, _ := db.JobCounts(ctx)
		if counts["done"] != n {
			t.Fatalf("counts %v", counts)
		}
	})
}

func TestJobsRecurringRetryAndLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2024, 9, 27, 8, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		// A recurring job is one row, however many instances ask for it.
		for i := 0; i < 3; i++ {
			if err := jobs.Every(ctx, db, "tick", now); err != nil {
				t.Fatal(err)
			}
		}
		ticks := 0
		fails := 0
		r := &jobs.Runner{Store: db, Worker: "a", Now: clock, Handlers: map[string]jobs.Handler{
			"tick": func(ctx context.Context, j jobs.Job) (time.Time, error) { ticks++; return now.Add(time.Hour), nil },
			"flaky": func(ctx context.Context, j jobs.Job) (time.Time, error) {
				fails++
				if fails < 3 {
					return time.Time{}, errors.New("smtp down")
				}
				return time.Time{}, nil
			},
		}}
		db.EnqueueJob(ctx, jobs.Job{Kind: "flaky", RunAt: now})
		if ran, err := r.RunDue(ctx); err != nil || ran != 2 || ticks != 1 {
			t.Fatalf("first round: ran %d ticks %d err %v", ran, ticks, err)
		}
		// Nothing is due until time passes.
		if ran, _ := r.RunDue(ctx); ran != 0 {
			t.Fatalf("ran %d with nothing due", ran)
		}
		now = now.Add(61 * time.Minute) // the tick is due; the flaky retry (1 min back-off) too
		r.RunDue(ctx)
		now = now.Add(5 * time.Minute) // second back-off is 4 minutes
		r.RunDue(ctx)
		if ticks != 2 || fails != 3 {
			t.Fatalf("ticks %d fails %d", ticks, fails)
		}
		counts, _ := db.JobCounts(ctx)
		if counts["done"] != 1 || counts["pending"] != 1 {
			t.Fatalf("counts %v", counts)
		}
		// A claim whose instance died is taken again after its lease.
		db.EnqueueJob(ctx, jobs.Job{Kind: "orphan", RunAt: now})
		if js, _ := db.ClaimJobs(ctx, "dead", []string{"orphan"}, 1, now, time.Minute); len(js) != 1 {
			t.Fatal("claim")
		}
		if js, _ := db.ClaimJobs(ctx, "b", []string{"orphan"}, 1, now.Add(30*time.Second), time.Minute); len(js) != 0 {
			t.Fatal("a leased job was claimed twice")
		}
		if js, _ := db.ClaimJobs(ctx, "b", []string{"orphan"}, 1, now.Add(2*time.Minute), time.Minute); len(js) != 1 || js[0].Attempts != 2 {
			t.Fatalf("expired lease not reclaimed: %+v", js)
		}
	})
}
