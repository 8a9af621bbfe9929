package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
)

// The assessment (考核, inspect.Assess*): every figure counted here from
// the records of the unit and the units below it in the period, record by
// record, so that the records page lists exactly what a figure counts.

// assessRec is one record behind the assessment.
type assessRec struct {
	measure inspect.Measure
	unitID  int64
	deptID  int64
	at      time.Time // when it counts (Beijing month of the trend)
	inspect.AssessRecord
}

// assessRecs gathers the records of every measure for the units in the
// period.
func (db *DB) assessRecs(ctx context.Context, unitIDs []int64, p inspect.Period, now time.Time) ([]assessRec, error) {
	from, to := p.Range()
	fromD, toD := calendar.DateOf(from), calendar.DateOf(to)
	in, uargs := inList(unitIDs)
	var out []assessRec
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	// 信息发布及时率: each publication of a 主动公开 version in the period,
	// on time when published within 20 working days of being made.
	rows, err := db.query(ctx, `SELECT i.unit_id, v.department_id, v.made_on, e.publish_at, v.title, i.id FROM publish_events e
		JOIN publish_items i ON i.id = e.item_id JOIN publish_versions v ON v.item_id = e.item_id AND v.version = e.version
		WHERE e.kind = 'publish' AND e.publish_at >= ? AND e.publish_at < ? AND v.attribute = 'active' AND i.unit_id IN `+in+` ORDER BY e.publish_at`,
		append([]any{ts(from), ts(to)}, uargs...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r assessRec
		var made, at string
		var item int64
		if err := rows.Scan(&r.unitID, &r.deptID, &made, &at, &r.Label, &item); err != nil {
			rows.Close()
			return nil, err
		}
		r.measure, r.at = inspect.PubTimely, mustTS(at)
		pub := inspect.Today(r.at)
		r.When, r.Link = pub.String(), "/admin/publish/items/"+strconv.FormatInt(item, 10)
		if m := parseDate(made); !m.IsZero() {
			res, err := cal.AddWorkdays(m, 20, nil)
			if err == nil {
				r.Good = !pub.After(res.Due)
				r.Note = fmt.Sprintf("%s 形成，期限 %s", m, res.Due)
			}
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// 依申请按期答复率: each application concluded in the period, on time
	// when concluded by its due date.
	rows, err = db.query(ctx, `SELECT a.id, a.unit_id, COALESCE(u.department_id, 0), a.receipt_no, a.due_on, a.concluded_on FROM req_applications a
		LEFT JOIN users u ON u.id = a.assignee_id WHERE a.unit_id IN `+in+` AND a.concluded_on >= ? AND a.concluded_on < ? AND a.due_on <> '' ORDER BY a.concluded_on`,
		append(append([]any{}, uargs...), fromD.String(), toD.String())...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r assessRec
		var id int64
		var due, done string
		if err := rows.Scan(&id, &r.unitID, &r.deptID, &r.Label, &due, &done); err != nil {
			rows.Close()
			return nil, err
		}
		d := parseDate(done)
		r.measure, r.at, r.When = inspect.RequestsOnTime, dayTime(d), done
		r.Good, r.Note, r.Link = done <= due, "答复期限 "+due, "/admin/requests/"+strconv.FormatInt(id, 10)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// 留言咨询按期答复率: each enquiry answered in the period (on time within
	// the desk's limit), and each still open whose limit ran out in it.
	lim, err := db.UnansweredLimit(ctx)
	if err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT e.id, e.unit_id, e.ref, e.subject, e.received_at, e.answered_at, e.state,
		COALESCE((SELECT u.department_id FROM desk_enquiry_events ev JOIN users u ON u.id = ev.actor_id WHERE ev.enquiry_id = e.id AND ev.kind = 'drafted' ORDER BY ev.seq DESC LIMIT 1), 0)
		FROM desk_enquiries e WHERE e.unit_id IN `+in+` AND ((e.answered_at >= ? AND e.answered_at < ?) OR e.state IN (?, ?, ?)) ORDER BY e.received_at`,
		append(append([]any{}, uargs...), ts(from), ts(to), desk.EvReceived, desk.EvDrafted, desk.EvReturned)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r assessRec
		var id int64
		var ref, subject, rec, ans, state string
		if err := rows.Scan(&id, &r.unitID, &ref, &subject, &rec, &ans, &state, &r.deptID); err != nil {
			rows.Close()
			return nil, err
		}
		due := lim.Deadline(mustTS(rec))
		r.measure, r.Label, r.Link = inspect.MessagesOnTime, ref+" "+subject, "/admin/desk/enquiries/"+strconv.FormatInt(id, 10)
		if desk.Open(state) {
			if due.Before(from) || !due.Before(to) || due.After(now) {
				continue
			}
			r.at, r.When, r.Note = due, inspect.Today(due).String(), "超过答复期限仍未答复"
		} else {
			a := mustTS(ans)
			r.at, r.When, r.Good, r.Note = a, inspect.Today(a).String(), !a.After(due), "答复期限 "+inspect.Today(due).String()
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// 检查发现整改率: each finding first seen in the period, good once a
	// complete run no longer finds it.
	rows, err = db.query(ctx, `SELECT f.id, f.unit_id, f.department_id, f.indicator, f.message, f.first_seen, f.closed_at FROM inspect_findings f
		WHERE f.unit_id IN `+in+` AND f.first_seen >= ? AND f.first_seen < ? ORDER BY f.first_seen`, append(append([]any{}, uargs...), ts(from), ts(to))...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r assessRec
		var id int64
		var ind, msg, first, closed string
		if err := rows.Scan(&id, &r.unitID, &r.deptID, &ind, &msg, &first, &closed); err != nil {
			rows.Close()
			return nil, err
		}
		r.measure, r.at = inspect.FindingsClosed, mustTS(first)
		r.Label, r.When, r.Good, r.Link = inspect.Indicator(ind).Label()+"："+msg, inspect.Today(r.at).String(), closed != "", "/admin/inspect/findings/"+strconv.FormatInt(id, 10)
		if closed != "" {
			r.Note = "复查于 " + inspect.Today(mustTS(closed)).String() + " 不再发现"
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// 整改按期率: each problem of the register whose deadline fell in the
	// period (up to today), good when done by it.
	ps, err := db.problems(ctx, "SELECT "+problemCols+" FROM rectify_problems WHERE unit_id IN "+in+" AND deadline <> '' AND deadline >= ? AND deadline < ? ORDER BY deadline, id",
		append(append([]any{}, uargs...), fromD.String(), toD.String())...)
	if err != nil {
		return nil, err
	}
	today := inspect.Today(now)
	for _, p := range ps {
		if !p.Deadline.Before(today) && !p.Status.Closed() {
			continue // not yet due
		}
		r := assessRec{measure: inspect.RectifyOnTime, unitID: p.UnitID, deptID: p.OwnerDept, at: dayTime(p.Deadline)}
		r.Label, r.When, r.Link = p.Description, p.Deadline.String(), "/admin/rectify/"+strconv.FormatInt(p.ID, 10)
		switch {
		case p.Status == rectify.Done:
			r.Good, r.Note = !p.DoneOn.After(p.Deadline), "整改完成于 "+p.DoneOn.String()
		case p.Status == rectify.Dropped:
			continue
		default:
			r.Note = fmt.Sprintf("已超期 %d 天", p.DaysOverdue(now))
		}
		out = append(out, r)
	}
	return out, nil
}

func dayTime(d calendar.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, beijing)
}

// assessScope is the unit, its departments and its direct subordinates
// (each with the units below it).
func (db *DB) assessScope(ctx context.Context, unitID int64) (all []int64, depts []org.Department, subs map[int64][]int64, names map[int64]string, err error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	all = org.Descendants(units, unitID)
	subs, names = map[int64][]int64{}, map[int64]string{}
	for _, u := range units {
		names[u.ID] = u.Name
		if u.ParentID == unitID {
			subs[u.ID] = org.Descendants(units, u.ID)
		}
	}
	depts, err = db.Departments(ctx, unitID)
	return all, depts, subs, names, err
}

// Assess is the assessment of a unit's departments and subordinate units
// for a period, with the trend by month and the unit's weights.
func (db *DB) Assess(ctx context.Context, q inspect.AssessQuery) (inspect.Assessment, error) {
	a := inspect.Assessment{Query: q}
	all, depts, subs, names, err := db.assessScope(ctx, q.UnitID)
	if err != nil {
		return a, err
	}
	us, err := db.UnitSettings(ctx, q.UnitID)
	if err != nil {
		return a, err
	}
	if a.Weights, err = inspect.ParseWeights(us[inspect.WeightsKey]); err != nil {
		a.Weights = inspect.Weights{}
	}
	recs, err := db.assessRecs(ctx, all, q.Period, q.Now)
	if err != nil {
		return a, err
	}
	count := func(keep func(assessRec) bool) map[inspect.Measure]inspect.Figure {
		m := map[inspect.Measure]inspect.Figure{}
		for _, r := range recs {
			if keep(r) {
				f := m[r.measure]
				f.All++
				if r.Good {
					f.Good++
				}
				m[r.measure] = f
			}
		}
		return m
	}
	for _, d := range depts {
		id := d.ID
		a.Rows = append(a.Rows, inspect.Row{Scope: inspect.ScopeDept, ID: id, Name: d.Name, Figures: count(func(r assessRec) bool { return r.unitID == q.UnitID && r.deptID == id })})
	}
	if f := count(func(r assessRec) bool { return r.unitID == q.UnitID && !deptOf(depts, r.deptID) }); len(f) > 0 {
		a.Rows = append(a.Rows, inspect.Row{Scope: inspect.ScopeDept, ID: 0, Name: "（未指定部门）", Figures: f})
	}
	var subIDs []int64
	for id := range subs {
		subIDs = append(subIDs, id)
	}
	sort.Slice(subIDs, func(i, j int) bool { return subIDs[i] < subIDs[j] })
	for _, id := range subIDs {
		set := map[int64]bool{}
		for _, x := range subs[id] {
			set[x] = true
		}
		a.Rows = append(a.Rows, inspect.Row{Scope: inspect.ScopeUnit, ID: id, Name: names[id], Figures: count(func(r assessRec) bool { return set[r.unitID] })})
	}
	a.Total = inspect.Row{Scope: inspect.ScopeUnit, ID: q.UnitID, Name: names[q.UnitID], Figures: count(func(assessRec) bool { return true })}
	for _, m := range q.Period.Months() {
		next := m.AddDate(0, 1, 0)
		a.Trend = append(a.Trend, inspect.MonthPoint{Month: m, Figures: count(func(r assessRec) bool { return !r.at.Before(m) && r.at.Before(next) })})
	}
	a.Score()
	return a, nil
}

func deptOf(ds []org.Department, id int64) bool {
	for _, d := range ds {
		if d.ID == id {
			return true
		}
	}
	return false
}

// AssessRecords lists the records behind one figure: a measure of a
// department (scope dept, id 0 for none), a subordinate unit (scope unit)
// or the whole (scope unit, id the unit's); month, when set, narrows to
// the trend's month.
func (db *DB) AssessRecords(ctx context.Context, q inspect.AssessQuery, m inspect.Measure, scope inspect.Scope, id int64, month time.Time) ([]inspect.AssessRecord, error) {
	all, depts, subs, _, err := db.assessScope(ctx, q.UnitID)
	if err != nil {
		return nil, err
	}
	recs, err := db.assessRecs(ctx, all, q.Period, q.Now)
	if err != nil {
		return nil, err
	}
	set := map[int64]bool{}
	if scope == inspect.ScopeUnit && id != q.UnitID {
		for _, x := range subs[id] {
			set[x] = true
		}
	}
	var out []inspect.AssessRecord
	for _, r := range recs {
		if r.measure != m {
			continue
		}
		if !month.IsZero() && (r.at.Before(month) || !r.at.Before(month.AddDate(0, 1, 0))) {
			continue
		}
		switch {
		case scope == inspect.ScopeDept && id == 0:
			if r.unitID != q.UnitID || deptOf(depts, r.deptID) {
				continue
			}
		case scope == inspect.ScopeDept:
			if r.unitID != q.UnitID || r.deptID != id {
				continue
			}
		case id != q.UnitID:
			if !set[r.unitID] {
				continue
			}
		}
		out = append(out, r.AssessRecord)
	}
	return out, nil
}

var _ inspect.Service = (*DB)(nil)
