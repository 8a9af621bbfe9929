package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
)

// Inspection runs and their findings (migration 0060). A run is queued
// (by the schedule, once per target and due time; on demand; by the command
// line), claimed by the one worker that runs it, and finished with its
// result in one transaction: the findings merged into the target's
// findings (one row per defect across runs), those a complete run no
// longer sees closed, the responsible staff told of what is new or more
// urgent, the run's judgements kept, and the audit entry.

const runCols = `id, unit_id, target, own, url, site_id, allow_private, trigger_kind, due_at, status, actor_name, created_at, started_at, finished_at,
	reasons, judgements, stats, vetoes, warnings, deductions`

func scanRun(sc interface{ Scan(...any) error }) (inspect.Run, error) {
	var r inspect.Run
	var own, priv int
	var trig, due, status, created, started, finished, reasons, judgements, stats string
	err := sc.Scan(&r.ID, &r.UnitID, new(string), &own, &r.Target.URL, &r.Target.SiteID, &priv, &trig, &due, &status, &r.ActorName, &created, &started, &finished,
		&reasons, &judgements, &stats, &r.Vetoes, &r.Warnings, &r.Deductions)
	if err != nil {
		return r, err
	}
	r.Target.UnitID, r.Target.Own, r.Target.AllowPrivate = r.UnitID, own != 0, priv != 0
	r.Trigger, r.Status = inspect.Trigger(trig), inspect.Status(status)
	r.DueAt, r.CreatedAt, r.StartedAt, r.FinishedAt = mustTS(due), mustTS(created), mustTS(started), mustTS(finished)
	if err := json.Unmarshal([]byte(reasons), &r.Reasons); err != nil {
		return r, fmt.Errorf("run %d reasons: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(judgements), &r.Judgements); err != nil {
		return r, fmt.Errorf("run %d judgements: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(stats), &r.Stats); err != nil {
		return r, fmt.Errorf("run %d stats: %w", r.ID, err)
	}
	return r, nil
}

// QueueRun records a run to be made. A scheduled run (r.DueAt set) is
// recorded once per unit, target and due time: when another instance
// queued it first, queued is false and nothing is written.
func (db *DB) QueueRun(ctx context.Context, actor audit.Actor, who inspect.Actor, r *inspect.Run) (queued bool, err error) {
	if err := inspect.Authorize(who, inspect.ActRun); err != nil {
		return false, err
	}
	if !r.Target.Own && r.Target.URL == "" {
		return false, errs.E(errs.Invalid, "请填写要检查的网站地址")
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkUnit(ctx, r.UnitID); err != nil {
			return err
		}
		if !who.System {
			if err := tx.authorize(ctx, actor, r.UnitID, org.ActInspectRun); err != nil {
				return err
			}
		}
		if !r.DueAt.IsZero() {
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM inspect_runs WHERE unit_id = ? AND target = ? AND due_at = ?", r.UnitID, r.Target.Key(), ts(r.DueAt)).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
		}
		r.Status, r.CreatedAt, r.ActorName = inspect.Queued, db.Now(), who.Name
		id, err := tx.insert(ctx, `INSERT INTO inspect_runs (unit_id, target, own, url, site_id, allow_private, trigger_kind, due_at, status, actor_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.UnitID, r.Target.Key(), boolInt(r.Target.Own), r.Target.URL, r.Target.SiteID, boolInt(r.Target.AllowPrivate),
			string(r.Trigger), ts(r.DueAt), string(r.Status), r.ActorName, ts(r.CreatedAt))
		if err != nil {
			return err
		}
		r.ID, r.Target.UnitID, queued = id, r.UnitID, true
		a := actor
		a.UnitID = r.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.run_queue", ObjectType: "inspect_run", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"target": r.Target.Key(), "trigger": r.Trigger, "due_at": ts(r.DueAt)}})
	})
	if isConflict(err) && !r.DueAt.IsZero() {
		return false, nil
	}
	return queued, err
}

// ClaimRun takes a queued run for worker; ok is false when another worker
// has it (or it is finished).
func (db *DB) ClaimRun(ctx context.Context, id int64, worker string) (inspect.Run, bool, error) {
	res, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_runs SET status = ?, started_at = ?, worker = ? WHERE id = ? AND status = ?"),
		string(inspect.Running), ts(db.Now()), worker, id, string(inspect.Queued))
	if err != nil {
		return inspect.Run{}, false, db.mapErr(err)
	}
	n, _ := res.RowsAffected()
	r, err := db.InspectRun(ctx, id)
	return r, n == 1, err
}

// AbandonRuns records as incomplete the runs started before before and
// never finished (their instance stopped).
func (db *DB) AbandonRuns(ctx context.Context, before time.Time) (int, error) {
	reasons, _ := json.Marshal([]string{"检查中断：执行检查的服务实例已停止，请重新发起检查"})
	res, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_runs SET status = ?, finished_at = ?, reasons = ? WHERE status = ? AND started_at < ?"),
		string(inspect.Incomplete), ts(db.Now()), string(reasons), string(inspect.Running), ts(before))
	if err != nil {
		return 0, db.mapErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// InspectRun returns a run.
func (db *DB) InspectRun(ctx context.Context, id int64) (inspect.Run, error) {
	r, err := scanRun(db.row(ctx, "SELECT "+runCols+" FROM inspect_runs WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return r, errs.E(errs.NotFound, "没有该次检查")
	}
	return r, db.mapErr(err)
}

// InspectRuns lists a unit's runs, newest first.
func (db *DB) InspectRuns(ctx context.Context, unitID int64, limit int) ([]inspect.Run, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.query(ctx, "SELECT "+runCols+" FROM inspect_runs WHERE unit_id = ? ORDER BY created_at DESC, id DESC LIMIT "+strconv.Itoa(limit), unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inspect.Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FinishRun stores a run's result: the findings (merged by defect), the
// closing of those a complete run no longer sees, the notices, the run's
// summary and its audit entry.
func (db *DB) FinishRun(ctx context.Context, actor audit.Actor, id int64, res inspect.Result) (inspect.Run, error) {
	var out inspect.Run
	err := db.inTx(ctx, func(tx *Tx) error {
		r, err := scanRun(tx.row(ctx, "SELECT "+runCols+" FROM inspect_runs WHERE id = ?"+db.forUpdate(), id))
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "没有该次检查")
		}
		if err != nil {
			return err
		}
		if r.Status == inspect.Complete || r.Status == inspect.Incomplete {
			return errs.E(errs.Conflict, "该次检查已经结束")
		}
		now := db.Now()
		rec := &recipients{tx: tx, unitID: r.UnitID, dept: map[int64][]int64{}, staff: map[int64]bool{}}
		target := r.Target.Key()
		for _, f := range res.Findings {
			fid, notify, err := tx.mergeFinding(ctx, r, target, f, now)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, "INSERT INTO inspect_run_findings (run_id, finding_id, level, message) VALUES (?, ?, ?, ?)", id, fid, string(f.Level), f.Message); err != nil {
				return err
			}
			if notify {
				users, err := rec.of(ctx, f)
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("【%s·%s】%s", f.Level.Label(), f.Indicator.Label(), f.Message)
				for _, u := range users {
					if _, err := tx.exec(ctx, `INSERT INTO inspect_notices (user_id, unit_id, finding_id, run_id, on_date, level, message, created_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, finding_id, on_date) DO NOTHING`, u, r.UnitID, fid, id, inspect.Today(now).String(), string(f.Level), msg, ts(now)); err != nil {
						return err
					}
				}
			}
		}
		status := inspect.Complete
		if !res.Complete() {
			status = inspect.Incomplete
		} else {
			// A complete run closes the open findings it judged and no
			// longer saw.
			var judged []any
			for _, j := range res.Judgements {
				if j.Verdict != inspect.Unknown {
					judged = append(judged, string(j.Indicator))
				}
			}
			if len(judged) > 0 {
				args := append([]any{ts(now), id, r.UnitID, target, id}, judged...)
				if _, err := tx.exec(ctx, `UPDATE inspect_findings SET closed_at = ?, closed_run = ? WHERE unit_id = ? AND target = ? AND closed_at = '' AND last_run <> ?
					AND indicator IN (`+placeholders(len(judged))+`)`, args...); err != nil {
					return err
				}
			}
		}
		reasons, _ := json.Marshal(nonNil(res.Reasons))
		judgements, _ := json.Marshal(res.Judgements)
		stats, _ := json.Marshal(res.Stats)
		v, w, d := res.Count()
		if _, err := tx.exec(ctx, `UPDATE inspect_runs SET status = ?, finished_at = ?, reasons = ?, judgements = ?, stats = ?, vetoes = ?, warnings = ?, deductions = ?,
			started_at = CASE WHEN started_at = '' THEN ? ELSE started_at END WHERE id = ?`,
			string(status), ts(now), string(reasons), string(judgements), string(stats), v, w, d, ts(now), id); err != nil {
			return err
		}
		out, err = scanRun(tx.row(ctx, "SELECT "+runCols+" FROM inspect_runs WHERE id = ?", id))
		if err != nil {
			return err
		}
		a := actor
		a.UnitID = r.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.run_finish", ObjectType: "inspect_run", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"status": status, "vetoes": v, "warnings": w, "deductions": d, "reasons": res.Reasons}})
	})
	return out, err
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// mergeFinding writes a run's finding into the target's findings: a new
// defect is inserted; one seen before is updated (and reopened if it had
// been closed). notify says whether its people are to be told: it is new,
// reopened, or more urgent than before.
func (t *Tx) mergeFinding(ctx context.Context, r inspect.Run, target string, f inspect.Finding, now time.Time) (int64, bool, error) {
	var id int64
	var level, closed string
	err := t.row(ctx, "SELECT id, level, closed_at FROM inspect_findings WHERE unit_id = ? AND target = ? AND indicator = ? AND fkey = ?",
		r.UnitID, target, string(f.Indicator), f.Key).Scan(&id, &level, &closed)
	if err == sql.ErrNoRows {
		id, err = t.insert(ctx, `INSERT INTO inspect_findings (unit_id, target, indicator, fkey, level, url, message, context, item_id, category_id, enquiry_id, account_id,
			department_id, staff_id, staff_name, first_run, last_run, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.UnitID, target, string(f.Indicator), f.Key, string(f.Level), clipText(f.URL, 2000), clipText(f.Message, 1000), clipText(f.Context, 1000), f.ItemID, f.CategoryID, f.EnquiryID,
			f.AccountID, f.DepartmentID, f.StaffID, f.StaffName, r.ID, r.ID, ts(now), ts(now))
		return id, true, err
	}
	if err != nil {
		return 0, false, err
	}
	_, err = t.exec(ctx, `UPDATE inspect_findings SET level = ?, url = ?, message = ?, context = ?, item_id = ?, category_id = ?, enquiry_id = ?, account_id = ?,
		department_id = ?, staff_id = ?, staff_name = ?, last_run = ?, last_seen = ?, closed_at = '', closed_run = 0 WHERE id = ?`,
		string(f.Level), clipText(f.URL, 2000), clipText(f.Message, 1000), clipText(f.Context, 1000), f.ItemID, f.CategoryID, f.EnquiryID, f.AccountID,
		f.DepartmentID, f.StaffID, f.StaffName, r.ID, ts(now), id)
	return id, closed != "" || f.Level.Rank() < inspect.Level(level).Rank(), err
}

// clipText shortens a text to n characters, marking the cut.
func clipText(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// recipients resolves who is told of a finding (inspect.Recipients): its
// staff member while their account is active, else its department's
// active staff, else the unit's inspection office.
type recipients struct {
	tx     *Tx
	unitID int64
	dept   map[int64][]int64
	staff  map[int64]bool
	office []int64
	done   bool
}

func (r *recipients) of(ctx context.Context, f inspect.Finding) ([]int64, error) {
	var staff, dept []int64
	if f.StaffID != 0 {
		ok, seen := r.staff[f.StaffID]
		if !seen {
			var n int
			if err := r.tx.row(ctx, "SELECT count(*) FROM users WHERE id = ? AND disabled = 0", f.StaffID).Scan(&n); err != nil {
				return nil, err
			}
			ok = n > 0
			r.staff[f.StaffID] = ok
		}
		if ok {
			staff = []int64{f.StaffID}
		}
	}
	if f.DepartmentID != 0 {
		ids, seen := r.dept[f.DepartmentID]
		if !seen {
			var err error
			if ids, err = r.tx.ids(ctx, "SELECT id FROM users WHERE department_id = ? AND disabled = 0 ORDER BY id", f.DepartmentID); err != nil {
				return nil, err
			}
			r.dept[f.DepartmentID] = ids
		}
		dept = ids
	}
	if !r.done {
		p, _ := org.PermissionOf(org.ActInspectRun)
		args := []any{r.unitID}
		for _, role := range p.Roles {
			args = append(args, string(role))
		}
		var err error
		r.office, err = r.tx.ids(ctx, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE ur.unit_id = ? AND u.disabled = 0
			AND ur.role IN (`+placeholders(len(p.Roles))+`) ORDER BY u.id`, args...)
		if err != nil {
			return nil, err
		}
		r.done = true
	}
	return inspect.Recipients(f, staff, dept, r.office), nil
}

func (t *Tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// FindingRow is a finding as the pages list it (inspect.FindingRecord).
type FindingRow = inspect.FindingRecord

const findingCols = `f.id, f.unit_id, f.target, f.indicator, f.fkey, f.level, f.url, f.message, f.context, f.item_id, f.category_id, f.enquiry_id, f.account_id,
	f.department_id, f.staff_id, f.staff_name, f.first_run, f.last_run, f.first_seen, f.last_seen, f.closed_at,
	(SELECT rp.id FROM rectify_problems rp WHERE rp.finding_id = f.id), (SELECT d.name FROM departments d WHERE d.id = f.department_id)`

func scanFinding(sc interface{ Scan(...any) error }, extra ...any) (FindingRow, error) {
	var f FindingRow
	var ind, level, first, last, closed string
	var problem sql.NullInt64
	var dept sql.NullString
	dest := append([]any{&f.ID, &f.UnitID, &f.Target, &ind, &f.Key, &level, &f.URL, &f.Message, &f.Context, &f.ItemID, &f.CategoryID, &f.EnquiryID, &f.AccountID,
		&f.DepartmentID, &f.StaffID, &f.StaffName, &f.FirstRun, &f.LastRun, &first, &last, &closed, &problem, &dept}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return f, err
	}
	f.Indicator, f.Level = inspect.Indicator(ind), inspect.Level(level)
	f.FirstSeen, f.LastSeen, f.Closed, f.ProblemID, f.Dept = mustTS(first), mustTS(last), mustTS(closed), problem.Int64, dept.String
	return f, nil
}

// InspectFinding returns a finding.
func (db *DB) InspectFinding(ctx context.Context, id int64) (FindingRow, error) {
	f, err := scanFinding(db.row(ctx, "SELECT "+findingCols+" FROM inspect_findings f WHERE f.id = ?", id))
	if err == sql.ErrNoRows {
		return f, errs.E(errs.NotFound, "没有该检查发现")
	}
	return f, db.mapErr(err)
}

// RunFindings lists what a run found, each at the class and with the
// message it had in that run, most urgent first.
func (db *DB) RunFindings(ctx context.Context, runID int64) ([]FindingRow, error) {
	rows, err := db.query(ctx, "SELECT "+findingCols+", rf.level, rf.message FROM inspect_run_findings rf JOIN inspect_findings f ON f.id = rf.finding_id WHERE rf.run_id = ? ORDER BY f.id", runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingRow
	for rows.Next() {
		var level, msg string
		f, err := scanFinding(rows, &level, &msg)
		if err != nil {
			return nil, err
		}
		f.Level, f.Message = inspect.Level(level), msg
		out = append(out, f)
	}
	sortFindingRows(out)
	return out, rows.Err()
}

func sortFindingRows(rows []FindingRow) {
	fs := make([]inspect.Finding, len(rows))
	idx := map[int64]FindingRow{}
	for i, r := range rows {
		fs[i] = r.Finding
		idx[r.ID] = r
	}
	inspect.SortFindings(fs)
	for i, f := range fs {
		r := idx[f.ID]
		r.Finding = f
		rows[i] = r
	}
}

// FindingFilter selects findings (inspect.FindingFilter).
type FindingFilter = inspect.FindingFilter

// Findings lists findings first seen in [From, To) (when given), most
// urgent first.
func (db *DB) Findings(ctx context.Context, f FindingFilter) ([]FindingRow, error) {
	if len(f.UnitIDs) == 0 {
		return nil, nil
	}
	q := "SELECT " + findingCols + " FROM inspect_findings f WHERE f.unit_id IN (" + placeholders(len(f.UnitIDs)) + ")"
	var args []any
	for _, id := range f.UnitIDs {
		args = append(args, id)
	}
	if f.Open != nil {
		if *f.Open {
			q += " AND f.closed_at = ''"
		} else {
			q += " AND f.closed_at <> ''"
		}
	}
	switch {
	case f.DepartmentID > 0:
		q += " AND f.department_id = ?"
		args = append(args, f.DepartmentID)
	case f.DepartmentID < 0:
		q += " AND f.department_id = 0"
	}
	if !f.From.IsZero() {
		q += " AND f.first_seen >= ?"
		args = append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		q += " AND f.first_seen < ?"
		args = append(args, ts(f.To))
	}
	if f.Indicator != "" {
		q += " AND f.indicator = ?"
		args = append(args, string(f.Indicator))
	}
	rows, err := db.query(ctx, q+" ORDER BY f.id LIMIT 5000", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingRow
	for rows.Next() {
		r, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sortFindingRows(out)
	return out, rows.Err()
}

// FindingHistory lists the runs that saw a finding, newest first.
func (db *DB) FindingHistory(ctx context.Context, findingID int64) ([]inspect.Run, []inspect.Level, error) {
	rows, err := db.query(ctx, "SELECT "+prefixCols("r.", runCols)+", rf.level FROM inspect_run_findings rf JOIN inspect_runs r ON r.id = rf.run_id WHERE rf.finding_id = ? ORDER BY r.id DESC LIMIT 100", findingID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var runs []inspect.Run
	var levels []inspect.Level
	for rows.Next() {
		var level string
		var r inspect.Run
		var own, priv int
		var trig, due, status, created, started, finished, reasons, judgements, stats string
		if err := rows.Scan(&r.ID, &r.UnitID, new(string), &own, &r.Target.URL, &r.Target.SiteID, &priv, &trig, &due, &status, &r.ActorName, &created, &started, &finished,
			&reasons, &judgements, &stats, &r.Vetoes, &r.Warnings, &r.Deductions, &level); err != nil {
			return nil, nil, err
		}
		r.Target.Own, r.Trigger, r.Status, r.CreatedAt, r.FinishedAt = own != 0, inspect.Trigger(trig), inspect.Status(status), mustTS(created), mustTS(finished)
		runs = append(runs, r)
		levels = append(levels, inspect.Level(level))
	}
	return runs, levels, rows.Err()
}

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
