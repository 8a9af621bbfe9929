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
	"gongkai/internal/rectify"
)

// The rectification register (整改台账). Every write here locks the problem,
// checks the step with rectify.Authorize and rectify.Apply, appends the
// event to rectify_events, rewrites the problem's derived state in
// rectify_problems and appends the audit entry — all in one transaction.
// Section 五 of the annual report reads the register through Problems.

// ProblemInput is a problem to register: its fields, and the measures
// already taken or planned (each becomes a measure_added event after the
// created one, dated the day of registration).
type ProblemInput struct {
	Fields   rectify.Fields
	Measures []string
}

// CreateProblem registers a problem of a unit.
func (db *DB) CreateProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, unitID int64, in ProblemInput) (rectify.Problem, error) {
	ps, err := db.CreateProblems(ctx, actor, who, unitID, []ProblemInput{in})
	if err != nil {
		return rectify.Problem{}, err
	}
	return ps[0], nil
}

// CreateProblems registers several problems of a unit at once, all or none
// (the candidates read from last year's report). A problem that fails is
// named by its place in the list when there are several.
func (db *DB) CreateProblems(ctx context.Context, actor audit.Actor, who rectify.Actor, unitID int64, ins []ProblemInput) ([]rectify.Problem, error) {
	if len(ins) == 0 {
		return nil, errs.E(errs.Invalid, "没有要登记的问题")
	}
	var out []rectify.Problem
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkUnit(ctx, unitID); err != nil {
			return err
		}
		now := db.Now()
		for i, in := range ins {
			p, err := tx.createProblem(ctx, actor, who, unitID, now, in)
			if err != nil {
				if len(ins) > 1 {
					return errs.Wrap(errs.CodeOf(err), err, "第 %d 个问题：%s", i+1, errs.MessageOf(err))
				}
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (t *Tx) createProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, unitID int64, now time.Time, in ProblemInput) (rectify.Problem, error) {
	p := rectify.Problem{UnitID: unitID}
	e := rectify.Event{Kind: rectify.EvCreated, At: now, ActorID: who.UserID, ActorName: who.Name, Fields: &in.Fields}
	if err := rectify.Authorize(p, e, who); err != nil {
		return p, err
	}
	p, err := t.applyProblem(ctx, actor, who, p, e)
	if err != nil {
		return p, err
	}
	for _, m := range in.Measures {
		if strings.TrimSpace(m) == "" {
			continue
		}
		if p, err = t.applyProblem(ctx, actor, who, p, rectify.Event{Kind: rectify.EvMeasureAdded, At: now, ActorID: who.UserID, ActorName: who.Name, Text: m}); err != nil {
			return p, err
		}
	}
	return p, nil
}

// ActOnProblem applies one step to a problem: an edit (e.Fields), a
// measure added, reworded or completed, a change of status (reopening
// included), closing it as done with its outcome, or dropping it with a
// reason. expect is the number of events the user saw (0 to skip the
// check); e.At is now, e.Seq follows the history.
func (db *DB) ActOnProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, id int64, expect int, e rectify.Event) (rectify.Problem, error) {
	var out rectify.Problem
	err := db.inTx(ctx, func(tx *Tx) error {
		p, err := tx.loadProblem(ctx, id, true)
		if err != nil {
			return err
		}
		if expect != 0 && expect != p.Events {
			return errs.E(errs.Conflict, "该问题已被他人修改，请刷新页面后查看最新情况")
		}
		if e.Kind == rectify.EvCreated {
			return errs.E(errs.Invalid, "登记新问题请使用登记表单")
		}
		e.At, e.ActorID, e.ActorName = db.Now(), who.UserID, who.Name
		if err := rectify.Authorize(p, e, who); err != nil {
			return err
		}
		out, err = tx.applyProblem(ctx, actor, who, p, e)
		return err
	})
	return out, err
}

// ImportProblem stores a problem with its whole history, for records kept
// before the system and for the demo world: who (a system actor or a
// manager of the unit) registers it; every event passes rectify.Apply in
// order, keeps its own time and actor name (who's when it has none) and may
// not lie in the future. It is audited as one entry.
func (db *DB) ImportProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, unitID int64, events []rectify.Event) (rectify.Problem, error) {
	var out rectify.Problem
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkUnit(ctx, unitID); err != nil {
			return err
		}
		if len(events) == 0 || events[0].Kind != rectify.EvCreated {
			return errs.E(errs.Invalid, "问题的历史须以“登记问题”开始")
		}
		p := rectify.Problem{UnitID: unitID}
		if err := rectify.Authorize(p, events[0], who); err != nil {
			return err
		}
		now := db.Now()
		evs := make([]rectify.Event, len(events))
		for i, e := range events {
			e.Seq = i + 1
			if e.ActorName == "" {
				e.ActorID, e.ActorName = who.UserID, who.Name
			}
			e = e.Normalized()
			if e.At.After(now) {
				return errs.E(errs.Invalid, "第 %d 个事件（%s）的时间晚于现在", i+1, e.Kind.Label())
			}
			next, err := rectify.Apply(p, e)
			if err == nil && e.Fields != nil {
				err = tx.checkProblemFields(ctx, unitID, 0, &next.Fields)
			}
			if err != nil {
				return errs.Wrap(errs.CodeOf(err), err, "第 %d 个事件（%s）：%s", i+1, e.Kind.Label(), errs.MessageOf(err))
			}
			p = next
			evs[i] = e
		}
		id, err := tx.insertProblem(ctx, p)
		if err != nil {
			return err
		}
		p.ID = id
		for _, e := range evs {
			if err := tx.insertProblemEvent(ctx, id, e); err != nil {
				return err
			}
		}
		out = p
		a := actor
		a.UnitID = unitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "rectify.import", ObjectType: "rectify_problem", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"year": p.Year, "source": p.Source, "description": p.Description, "status": p.Status, "events": len(evs)}})
	})
	return out, err
}

func (t *Tx) checkUnit(ctx context.Context, unitID int64) error {
	var n int
	if err := t.row(ctx, "SELECT count(*) FROM units WHERE id = ?", unitID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.NotFound, "单位不存在")
	}
	return nil
}

// checkProblemFields checks what only the database knows: the owner
// department belongs to the unit, and a finding goes to the register once.
func (t *Tx) checkProblemFields(ctx context.Context, unitID, problemID int64, f *rectify.Fields) error {
	if f.OwnerDept > 0 {
		var n int
		if err := t.row(ctx, "SELECT count(*) FROM departments WHERE id = ? AND unit_id = ?", f.OwnerDept, unitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.FieldError("owner_dept", "所选责任部门不属于本单位")
		}
	}
	if f.FindingID > 0 && problemID == 0 {
		var id int64
		err := t.row(ctx, "SELECT id FROM rectify_problems WHERE finding_id = ?", f.FindingID).Scan(&id)
		if err == nil {
			return errs.E(errs.Conflict, "该检查发现已登记到整改台账（%s）", rectify.Ref(id))
		}
		if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// applyProblem checks e against p, writes it and the state that follows,
// and audits it.
func (t *Tx) applyProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, p rectify.Problem, e rectify.Event) (rectify.Problem, error) {
	e.Seq = p.Events + 1
	e = e.Normalized()
	next, err := rectify.Apply(p, e)
	if err != nil {
		return p, err
	}
	if e.Fields != nil {
		if err := t.checkProblemFields(ctx, next.UnitID, p.ID, &next.Fields); err != nil {
			return p, err
		}
	}
	if p.Events == 0 {
		id, err := t.insertProblem(ctx, next)
		if err != nil {
			if isConflict(err) && next.FindingID != 0 {
				return p, errs.E(errs.Conflict, "该检查发现已登记到整改台账")
			}
			return p, err
		}
		next.ID = id
	} else if err := t.saveProblem(ctx, next); err != nil {
		return p, err
	}
	if err := t.insertProblemEvent(ctx, next.ID, e); err != nil {
		return p, err
	}
	a := actor
	a.UnitID = next.UnitID
	var before any
	if p.Events > 0 {
		before = map[string]any{"status": p.Status, "events": p.Events}
	}
	return next, t.appendAudit(ctx, a, audit.Change{Action: "rectify." + string(e.Kind), ObjectType: "rectify_problem", ObjectID: strconv.FormatInt(next.ID, 10),
		Before: before, After: problemEventView(next, e)})
}

func problemEventView(p rectify.Problem, e rectify.Event) any {
	v := map[string]any{"event": e.Kind, "status": p.Status, "events": p.Events}
	if e.Fields != nil {
		v["year"], v["source"], v["description"] = e.Fields.Year, e.Fields.Source, e.Fields.Description
		v["owner_dept"], v["deadline"] = e.Fields.OwnerDept, e.Fields.Deadline.String()
	}
	if e.Measure != 0 {
		v["measure"] = e.Measure
	}
	if e.Text != "" {
		v["text"] = e.Text
	}
	if !e.On.IsZero() {
		v["on"] = e.On.String()
	}
	if e.Outcome != "" {
		v["outcome"] = e.Outcome
	}
	if e.Reason != "" {
		v["reason"] = e.Reason
	}
	return v
}

func measuresJSON(ms []rectify.Measure) (string, error) {
	if ms == nil {
		ms = []rectify.Measure{}
	}
	b, err := json.Marshal(ms)
	return string(b), err
}

func (t *Tx) insertProblem(ctx context.Context, p rectify.Problem) (int64, error) {
	ms, err := measuresJSON(p.Measures)
	if err != nil {
		return 0, err
	}
	return t.insert(ctx, `INSERT INTO rectify_problems (unit_id, year, source, source_ref, finding_id, description, measures, owner_dept, owner_name, deadline,
		status, outcome, done_on, drop_reason, events, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.UnitID, p.Year, string(p.Source), p.SourceRef, nullID(p.FindingID), p.Description, ms, p.OwnerDept, p.OwnerName, p.Deadline.String(),
		string(p.Status), p.Outcome, p.DoneOn.String(), p.DropReason, p.Events, ts(p.CreatedAt), ts(p.UpdatedAt))
}

func (t *Tx) saveProblem(ctx context.Context, p rectify.Problem) error {
	ms, err := measuresJSON(p.Measures)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `UPDATE rectify_problems SET year = ?, source = ?, source_ref = ?, finding_id = ?, description = ?, measures = ?, owner_dept = ?, owner_name = ?,
		deadline = ?, status = ?, outcome = ?, done_on = ?, drop_reason = ?, events = ?, updated_at = ? WHERE id = ?`,
		p.Year, string(p.Source), p.SourceRef, nullID(p.FindingID), p.Description, ms, p.OwnerDept, p.OwnerName,
		p.Deadline.String(), string(p.Status), p.Outcome, p.DoneOn.String(), p.DropReason, p.Events, ts(p.UpdatedAt), p.ID)
	return err
}

func (t *Tx) insertProblemEvent(ctx context.Context, problemID int64, e rectify.Event) error {
	var f rectify.Fields
	has := e.Fields != nil
	if has {
		f = *e.Fields
	}
	_, err := t.exec(ctx, `INSERT INTO rectify_events (problem_id, seq, kind, at, actor_id, actor_name, has_fields, year, source, source_ref, finding_id, description,
		owner_dept, owner_name, deadline, measure_no, text, on_day, status, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		problemID, e.Seq, string(e.Kind), ts(e.At), e.ActorID, e.ActorName, boolInt(has), f.Year, string(f.Source), f.SourceRef, f.FindingID, f.Description,
		f.OwnerDept, f.OwnerName, f.Deadline.String(), e.Measure, e.Text, e.On.String(), string(e.Status), e.Outcome, e.Reason)
	return err
}

const problemCols = "id, unit_id, year, source, source_ref, finding_id, description, measures, owner_dept, owner_name, deadline, status, outcome, done_on, drop_reason, events, created_at, updated_at"

func scanProblem(sc interface{ Scan(...any) error }) (rectify.Problem, error) {
	var p rectify.Problem
	var source, ms, deadline, status, doneOn, created, updated string
	var finding sql.NullInt64
	err := sc.Scan(&p.ID, &p.UnitID, &p.Year, &source, &p.SourceRef, &finding, &p.Description, &ms, &p.OwnerDept, &p.OwnerName, &deadline,
		&status, &p.Outcome, &doneOn, &p.DropReason, &p.Events, &created, &updated)
	if err != nil {
		return p, err
	}
	p.Source, p.Status, p.FindingID = rectify.Source(source), rectify.Status(status), finding.Int64
	p.Deadline, p.DoneOn = parseDate(deadline), parseDate(doneOn)
	p.CreatedAt, p.UpdatedAt = mustTS(created), mustTS(updated)
	if err := json.Unmarshal([]byte(ms), &p.Measures); err != nil {
		return p, fmt.Errorf("stored measures of problem %d: %w", p.ID, err)
	}
	return p, nil
}

func (t *Tx) loadProblem(ctx context.Context, id int64, lock bool) (rectify.Problem, error) {
	q := "SELECT " + problemCols + " FROM rectify_problems WHERE id = ?"
	if lock {
		q += t.db.forUpdate()
	}
	p, err := scanProblem(t.row(ctx, q, id))
	if err == sql.ErrNoRows {
		return p, errs.E(errs.NotFound, "整改台账中没有该问题")
	}
	return p, err
}

// Problem returns a problem as it stands.
func (db *DB) Problem(ctx context.Context, id int64) (rectify.Problem, error) {
	p, err := scanProblem(db.row(ctx, "SELECT "+problemCols+" FROM rectify_problems WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return p, errs.E(errs.NotFound, "整改台账中没有该问题")
	}
	return p, db.mapErr(err)
}

// ProblemByFinding returns the problem an inspection finding was sent to.
func (db *DB) ProblemByFinding(ctx context.Context, findingID int64) (rectify.Problem, error) {
	p, err := scanProblem(db.row(ctx, "SELECT "+problemCols+" FROM rectify_problems WHERE finding_id = ?", findingID))
	if err == sql.ErrNoRows {
		return p, errs.E(errs.NotFound, "该检查发现尚未登记到整改台账")
	}
	return p, db.mapErr(err)
}

// Problems lists the problems of the given units — of the given report
// years, or of every year when none is given — by year, then in the order
// they were registered (rectify.SortReport). No unit, no problem. The
// annual report's section 五 is rectify.SectionFive(Y, Problems(units, Y−1),
// Problems(units, Y)).
func (db *DB) Problems(ctx context.Context, unitIDs []int64, years ...int) ([]rectify.Problem, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	q := "SELECT " + problemCols + " FROM rectify_problems WHERE unit_id IN (" + placeholders(len(unitIDs)) + ")"
	var args []any
	for _, id := range unitIDs {
		args = append(args, id)
	}
	if len(years) > 0 {
		q += " AND year IN (" + placeholders(len(years)) + ")"
		for _, y := range years {
			args = append(args, y)
		}
	}
	return db.problems(ctx, q+" ORDER BY year, id", args...)
}

// ProblemsDue lists the problems of the units still being rectified whose
// deadline has passed or falls within the next within days (today
// included), overdue first (rectify.SortQueue).
func (db *DB) ProblemsDue(ctx context.Context, unitIDs []int64, now time.Time, within int) ([]rectify.Problem, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	limit := rectify.Today(now).AddDays(max(within, 0))
	q := "SELECT " + problemCols + " FROM rectify_problems WHERE status IN (?, ?) AND deadline <> '' AND deadline < ? AND unit_id IN (" + placeholders(len(unitIDs)) + ")"
	args := []any{string(rectify.Open), string(rectify.InProgress), limit.String()}
	for _, id := range unitIDs {
		args = append(args, id)
	}
	ps, err := db.problems(ctx, q+" ORDER BY deadline, id", args...)
	rectify.SortQueue(ps, now)
	return ps, err
}

func (db *DB) problems(ctx context.Context, q string, args ...any) ([]rectify.Problem, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rectify.Problem
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProblemEvents returns a problem's history in order.
func (db *DB) ProblemEvents(ctx context.Context, id int64) ([]rectify.Event, error) {
	rows, err := db.query(ctx, `SELECT seq, kind, at, actor_id, actor_name, has_fields, year, source, source_ref, finding_id, description, owner_dept, owner_name,
		deadline, measure_no, text, on_day, status, outcome, reason FROM rectify_events WHERE problem_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rectify.Event
	for rows.Next() {
		var e rectify.Event
		var f rectify.Fields
		var kind, at, source, deadline, on, status string
		var has int
		if err := rows.Scan(&e.Seq, &kind, &at, &e.ActorID, &e.ActorName, &has, &f.Year, &source, &f.SourceRef, &f.FindingID, &f.Description, &f.OwnerDept, &f.OwnerName,
			&deadline, &e.Measure, &e.Text, &on, &status, &e.Outcome, &e.Reason); err != nil {
			return nil, err
		}
		e.Kind, e.At, e.On, e.Status = rectify.Kind(kind), mustTS(at), parseDate(on), rectify.Status(status)
		if has != 0 {
			f.Source, f.Deadline = rectify.Source(source), parseDate(deadline)
			e.Fields = &f
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
