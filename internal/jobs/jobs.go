// Package jobs runs background work (后台任务) on every server instance
// without running anything twice.
//
// A job is a row in the database. A runner on each instance claims due jobs
// with a row lock (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's write lock
// serialises claims), marks them running under a lease, runs the handler for
// the job's kind, and records the outcome. A job whose instance died is
// taken again when its lease expires. A recurring job is one row that is
// rescheduled after each run; its key makes it unique, so every instance may
// ask for it at start-up and only one row exists.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Job is one unit of background work.
type Job struct {
	ID       int64
	Kind     string // selects the handler, e.g. "requests.reminders"
	Key      string // unique among unfinished jobs of the kind; "" for none
	Payload  string // JSON or plain text for the handler
	RunAt    time.Time
	Attempts int // including the current one
}

// Store keeps the jobs.
type Store interface {
	// EnqueueJob adds a job. A job with a non-empty key is not added when an
	// unfinished job of the same kind and key exists; added reports which.
	EnqueueJob(ctx context.Context, j Job) (added bool, err error)
	// ClaimJobs takes up to n due jobs of the given kinds for worker until
	// now+lease.
	ClaimJobs(ctx context.Context, worker string, kinds []string, n int, now time.Time, lease time.Duration) ([]Job, error)
	// FinishJob marks a claimed job done, or reschedules it at next when
	// next is non-zero (a recurring job).
	FinishJob(ctx context.Context, id int64, worker string, next time.Time) error
	// FailJob records an error; the job runs again at retryAt, or is marked
	// failed for good when retryAt is zero.
	FailJob(ctx context.Context, id int64, worker string, msg string, retryAt time.Time) error
}

// Handler runs one job. It returns the time of the next run for a
// recurring job, or the zero time when the job is done.
type Handler func(ctx context.Context, j Job) (next time.Time, err error)

// Runner claims and runs jobs.
type Runner struct {
	Store       Store
	Worker      string // this instance's name, for locked_by
	Handlers    map[string]Handler
	Interval    time.Duration // how often to look for due jobs (default 5s)
	Lease       time.Duration // how long a claim holds (default 5m)
	MaxAttempts int           // attempts before a job fails for good (default 5)
	Log         *slog.Logger
	Now         func() time.Time
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Runner) kinds() []string {
	var ks []string
	for k := range r.Handlers {
		ks = append(ks, k)
	}
	return ks
}

// Run loops until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	interval := r.Interval
	if interval == 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil && r.Log != nil {
			r.Log.Warn("jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue claims and runs the jobs due now, and returns how many ran.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	lease := r.Lease
	if lease == 0 {
		lease = 5 * time.Minute
	}
	max := r.MaxAttempts
	if max == 0 {
		max = 5
	}
	ran := 0
	for {
		js, err := r.Store.ClaimJobs(ctx, r.Worker, r.kinds(), 10, r.now(), lease)
		if err != nil {
			return ran, fmt.Errorf("claim jobs: %w", err)
		}
		if len(js) == 0 {
			return ran, nil
		}
		for _, j := range js {
			ran++
			next, err := r.runOne(ctx, j)
			if err != nil {
				var retry time.Time
				if j.Attempts < max {
					// Back off: 1, 4, 9, 16 minutes…
					retry = r.now().Add(time.Duration(j.Attempts*j.Attempts) * time.Minute)
				}
				if r.Log != nil {
					r.Log.Warn("job failed", "kind", j.Kind, "id", j.ID, "attempt", j.Attempts, "err", err)
				}
				if ferr := r.Store.FailJob(ctx, j.ID, r.Worker, err.Error(), retry); ferr != nil {
					return ran, ferr
				}
				continue
			}
			if err := r.Store.FinishJob(ctx, j.ID, r.Worker, next); err != nil {
				return ran, err
			}
		}
	}
}

func (r *Runner) runOne(ctx context.Context, j Job) (next time.Time, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job panicked: %v", v)
		}
	}()
	h := r.Handlers[j.Kind]
	if h == nil {
		return time.Time{}, fmt.Errorf("no handler for job kind %q", j.Kind)
	}
	return h(ctx, j)
}

// Every makes sure a recurring job of the kind exists, first due at first.
// Every instance may call it at start-up; the key keeps one row.
func Every(ctx context.Context, s Store, kind string, first time.Time) error {
	_, err := s.EnqueueJob(ctx, Job{Kind: kind, Key: "recurring", RunAt: first})
	return err
}
