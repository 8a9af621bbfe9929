package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/jobs"
)

var _ jobs.Store = (*DB)(nil)

// EnqueueJob adds a job unless an unfinished job has the same kind and key.
func (db *DB) EnqueueJob(ctx context.Context, j jobs.Job) (bool, error) {
	if j.Kind == "" {
		return false, errs.E(errs.Invalid, "任务类型为空")
	}
	if j.RunAt.IsZero() {
		j.RunAt = db.Now()
	}
	added := true
	err := db.inTx(ctx, func(tx *Tx) error {
		if j.Key != "" {
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM jobs WHERE kind = ? AND job_key = ? AND state IN ('pending', 'running')", j.Kind, j.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				added = false
				return nil
			}
		}
		_, err := tx.exec(ctx, "INSERT INTO jobs (kind, job_key, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?)",
			j.Kind, j.Key, j.Payload, ts(j.RunAt), ts(db.Now()))
		return err
	})
	if isConflict(err) {
		// Another instance added the same keyed job between our check and
		// our insert: that is the outcome we wanted.
		return false, nil
	}
	return added, err
}

// enqueueJob adds a job within a transaction that writes what the job
// works on, so that the two commit together; a job's key must not be held
// by an unfinished job of its kind (the unique index refuses it).
func (t *Tx) enqueueJob(ctx context.Context, j jobs.Job) error {
	if j.RunAt.IsZero() {
		j.RunAt = t.db.Now()
	}
	_, err := t.exec(ctx, "INSERT INTO jobs (kind, job_key, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?)",
		j.Kind, j.Key, j.Payload, ts(j.RunAt), ts(t.db.Now()))
	return err
}

// ClaimJobs takes due jobs (and jobs whose lease ran out) for a worker.
func (db *DB) ClaimJobs(ctx context.Context, worker string, kinds []string, n int, now time.Time, lease time.Duration) ([]jobs.Job, error) {
	if len(kinds) == 0 || n <= 0 {
		return nil, nil
	}
	var out []jobs.Job
	err := db.inTx(ctx, func(tx *Tx) error {
		args := []any{ts(now), ts(now)}
		for _, k := range kinds {
			args = append(args, k)
		}
		q := `SELECT id, kind, job_key, payload, run_at, attempts FROM jobs
			WHERE ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))
			AND kind IN (?` + strings.Repeat(", ?", len(kinds)-1) + `)
			ORDER BY run_at, id LIMIT ` + itoa(n) + db.SkipLocked()
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var j jobs.Job
			var runAt string
			if err := rows.Scan(&j.ID, &j.Kind, &j.Key, &j.Payload, &runAt, &j.Attempts); err != nil {
				rows.Close()
				return err
			}
			j.RunAt = mustTS(runAt)
			j.Attempts++
			out = append(out, j)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, j := range out {
			if _, err := tx.exec(ctx, "UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = ? WHERE id = ?",
				worker, ts(now.Add(lease)), j.Attempts, j.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// FinishJob marks a job done, or reschedules a recurring one.
func (db *DB) FinishJob(ctx context.Context, id int64, worker string, next time.Time) error {
	var err error
	if next.IsZero() {
		_, err = db.sql.ExecContext(ctx, db.rebind("UPDATE jobs SET state = 'done', finished_at = ?, locked_by = '', locked_until = '' WHERE id = ? AND locked_by = ?"),
			ts(db.Now()), id, worker)
	} else {
		_, err = db.sql.ExecContext(ctx, db.rebind("UPDATE jobs SET state = 'pending', run_at = ?, attempts = 0, last_error = '', locked_by = '', locked_until = '' WHERE id = ? AND locked_by = ?"),
			ts(next), id, worker)
	}
	return db.mapErr(err)
}

// FailJob records a failure and schedules a retry, or fails the job for good.
func (db *DB) FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time) error {
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	var err error
	if retryAt.IsZero() {
		_, err = db.sql.ExecContext(ctx, db.rebind("UPDATE jobs SET state = 'failed', last_error = ?, finished_at = ?, locked_by = '', locked_until = '' WHERE id = ? AND locked_by = ?"),
			msg, ts(db.Now()), id, worker)
	} else {
		_, err = db.sql.ExecContext(ctx, db.rebind("UPDATE jobs SET state = 'pending', last_error = ?, run_at = ?, locked_by = '', locked_until = '' WHERE id = ? AND locked_by = ?"),
			msg, ts(retryAt), id, worker)
	}
	return db.mapErr(err)
}

// JobCounts reports how many jobs are in each state, for the dashboard.
func (db *DB) JobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, "SELECT state, count(*) FROM jobs GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

func itoa(n int) string { return strconv.Itoa(n) }
