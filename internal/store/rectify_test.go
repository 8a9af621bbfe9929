package store_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// rectifyWorld is a database on a clock the test moves, with a unit, two of
// its departments and the register's actors.
type rectifyWorld struct {
	db      *store.DB
	now     *time.Time
	unit    org.Unit
	dept    org.Department // owns the problems
	other   org.Department
	stats   rectify.Actor
	owner   rectify.Actor
	outside rectify.Actor
}

func eachRectify(t *testing.T, fn func(t *testing.T, w *rectifyWorld)) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			now := time.Date(2024, 6, 10, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
			db := storetest.Open(t, d, store.Options{Now: func() time.Time { return now }})
			w := &rectifyWorld{db: db, now: &now}
			w.unit = mustUnit(t, db, 0, "fuzhou", "福州海关")
			for _, p := range []*org.Department{&w.dept, &w.other} {
				p.UnitID, p.Name = w.unit.ID, "办公室"
				if p == &w.other {
					p.Name = "综合业务处"
				}
				if err := db.CreateDepartment(ctx, admin, p); err != nil {
					t.Fatal(err)
				}
			}
			user := func(id, dept int64, roles ...org.Role) rectify.Actor {
				u := org.User{ID: id, DisplayName: "测试" + string(rune('甲'+id)), UnitID: w.unit.ID, DepartmentID: dept}
				for _, r := range roles {
					u.Grants = append(u.Grants, org.Grant{UnitID: w.unit.ID, Role: r})
				}
				return rectify.ActorOf(u, w.unit.ID)
			}
			w.stats = user(1, 0, org.RoleStatistician)
			w.owner = user(2, w.dept.ID)
			w.outside = user(3, w.other.ID, org.RoleEditor)
			fn(t, w)
		})
	}
}

func (w *rectifyWorld) tick(d time.Duration) { *w.now = w.now.Add(d) }

func (w *rectifyWorld) fields() rectify.Fields {
	return rectify.Fields{Year: 2024, Source: rectify.FromInspection, SourceRef: "2024年第二季度网站检查", Description: "部分栏目更新不及时",
		OwnerDept: w.dept.ID, OwnerName: "王芳", Deadline: mustDay("2024-06-30")}
}

func mustDay(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	if db.Dialect() == store.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The stored state is what replaying the stored history gives.
func sameAsReplay(t *testing.T, w *rectifyWorld, id int64) rectify.Problem {
	t.Helper()
	p, err := w.db.Problem(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := w.db.ProblemEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rectify.Replay(id, p.UnitID, evs)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if got, want := problemString(p), problemString(r); got != want {
		t.Fatalf("stored state differs from the replay:\nstored %s\nreplay %s", got, want)
	}
	return p
}

func problemString(p rectify.Problem) string {
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return fmt.Sprintf("%+v", p)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRectifySteps(t *testing.T) {
	eachRectify(t, func(t *testing.T, w *rectifyWorld) {
		db := w.db
		p, err := db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: w.fields(), Measures: []string{"建立栏目更新台账", " "}})
		if err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Status != rectify.InProgress || len(p.Measures) != 1 || p.Events != 2 || p.Measures[0].AddedOn != mustDay("2024-06-10") {
			t.Fatalf("created: %+v", p)
		}
		act := func(who rectify.Actor, e rectify.Event) (rectify.Problem, error) {
			w.tick(time.Hour)
			return db.ActOnProblem(ctx, admin, who, p.ID, 0, e)
		}
		// The owner department adds a measure, completes one, rewords one.
		if p, err = act(w.owner, rectify.Event{Kind: rectify.EvMeasureAdded, Text: "每月开展一次栏目检查"}); err != nil {
			t.Fatal(err)
		}
		if p, err = act(w.owner, rectify.Event{Kind: rectify.EvMeasureDone, Measure: 1}); err != nil {
			t.Fatal(err)
		}
		if p, err = act(w.owner, rectify.Event{Kind: rectify.EvMeasureEdited, Measure: 2, Text: "每月开展一次栏目全面检查"}); err != nil {
			t.Fatal(err)
		}
		// …but may not close it, nor may another department touch it.
		if _, err := act(w.owner, rectify.Event{Kind: rectify.EvClosed, Outcome: "按期更新"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("owner closes: %v", err)
		}
		if _, err := act(w.outside, rectify.Event{Kind: rectify.EvMeasureAdded, Text: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another department: %v", err)
		}
		// The statistician edits it and closes it.
		f := w.fields()
		f.Description, f.Deadline = "部分栏目更新不及时，个别栏目长期空白", mustDay("2024-07-31")
		if p, err = act(w.stats, rectify.Event{Kind: rectify.EvEdited, Fields: &f}); err != nil {
			t.Fatal(err)
		}
		if p, err = act(w.stats, rectify.Event{Kind: rectify.EvClosed, Outcome: "各栏目均按期更新"}); err != nil {
			t.Fatal(err)
		}
		if p.Status != rectify.Done || p.Outcome != "各栏目均按期更新" || p.DoneOn != mustDay("2024-06-10") || p.MeasuresDone() != 2 || p.Description != f.Description {
			t.Fatalf("closed: %+v", p)
		}
		sameAsReplay(t, w, p.ID)
		// A closed problem is not edited; it is reopened with a reason.
		before := count(t, db, "SELECT count(*) FROM audit_log")
		if _, err := act(w.stats, rectify.Event{Kind: rectify.EvEdited, Fields: &f}); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "请先重新打开") {
			t.Fatalf("edit closed: %v", err)
		}
		if _, err := act(w.stats, rectify.Event{Kind: rectify.EvStatus, Status: rectify.InProgress}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("reopen without reason: %v", err)
		}
		// Nothing of a refused step is written, nor audited.
		if n := count(t, db, "SELECT count(*) FROM rectify_events WHERE problem_id = ?", p.ID); n != p.Events {
			t.Fatalf("%d events stored for %d applied", n, p.Events)
		}
		if count(t, db, "SELECT count(*) FROM audit_log") != before {
			t.Fatal("a refused step was audited")
		}
		if p, err = act(w.stats, rectify.Event{Kind: rectify.EvStatus, Status: rectify.InProgress, Reason: "复查发现仍有空白栏目"}); err != nil {
			t.Fatal(err)
		}
		if p, err = act(w.stats, rectify.Event{Kind: rectify.EvDropped, Reason: "栏目已撤销"}); err != nil {
			t.Fatal(err)
		}
		got := sameAsReplay(t, w, p.ID)
		if got.Status != rectify.Dropped || got.Outcome != "" || got.DropReason != "栏目已撤销" {
			t.Fatalf("dropped: %+v", got)
		}
		// Every step is audited, in its transaction.
		if n := count(t, db, "SELECT count(*) FROM audit_log WHERE object_type = 'rectify_problem' AND object_id = ?", itoa(p.ID)); n != p.Events {
			t.Fatalf("%d audit entries for %d events", n, p.Events)
		}
		if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'rectify.dropped'"); n != 1 {
			t.Fatalf("%d drop entries", n)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		// A form that saw an older history is refused.
		if _, err := db.ActOnProblem(ctx, admin, w.stats, p.ID, p.Events-1, rectify.Event{Kind: rectify.EvStatus, Status: rectify.Open, Reason: "x"}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("stale form: %v", err)
		}
		if _, err := db.ActOnProblem(ctx, admin, w.stats, p.ID+100, 0, rectify.Event{Kind: rectify.EvDropped, Reason: "x"}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("missing problem: %v", err)
		}
		if _, err := db.ActOnProblem(ctx, admin, w.stats, p.ID, 0, rectify.Event{Kind: rectify.EvCreated, Fields: &f}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("created through ActOnProblem: %v", err)
		}
	})
}

func TestRectifyRefusals(t *testing.T) {
	eachRectify(t, func(t *testing.T, w *rectifyWorld) {
		db := w.db
		// Closing without a measure.
		p, err := db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: w.fields()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(ctx, admin, w.stats, p.ID, p.Events, rectify.Event{Kind: rectify.EvClosed}); !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "尚未登记整改措施") {
			t.Fatalf("close without measure: %v", err)
		}
		// The owner reports progress; only a manager puts it back.
		if p, err = db.ActOnProblem(ctx, admin, w.owner, p.ID, p.Events, rectify.Event{Kind: rectify.EvStatus, Status: rectify.InProgress}); err != nil || p.Status != rectify.InProgress {
			t.Fatalf("owner starts: %+v %v", p, err)
		}
		if _, err := db.ActOnProblem(ctx, admin, w.owner, p.ID, p.Events, rectify.Event{Kind: rectify.EvStatus, Status: rectify.Open}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("owner puts back: %v", err)
		}
		if p, err = db.ActOnProblem(ctx, admin, w.stats, p.ID, p.Events, rectify.Event{Kind: rectify.EvStatus, Status: rectify.Open}); err != nil || p.Status != rectify.Open {
			t.Fatalf("manager puts back: %+v %v", p, err)
		}
		sameAsReplay(t, w, p.ID)
		// Field errors, all at once; a department of another unit.
		bad := w.fields()
		bad.Year, bad.Description, bad.Deadline = 2025, "", mustDay("2023-01-01")
		_, err = db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: bad})
		var fe *errs.FormError
		if !errsAs(err, &fe) || fe.Of("year") == "" || fe.Of("description") == "" {
			t.Fatalf("bad fields: %v", err)
		}
		other := mustUnit(t, db, w.unit.ID, "mawei", "马尾海关")
		f := w.fields()
		f.OwnerDept = w.dept.ID
		if _, err := db.CreateProblem(ctx, admin, w.stats, other.ID, store.ProblemInput{Fields: f}); err == nil || !strings.Contains(errs.MessageOf(err), "所选责任部门不属于本单位") {
			t.Fatalf("foreign department: %v", err)
		}
		if _, err := db.CreateProblem(ctx, admin, w.owner, w.unit.ID, store.ProblemInput{Fields: w.fields()}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("owner registers: %v", err)
		}
		if _, err := db.CreateProblem(ctx, admin, w.stats, 999, store.ProblemInput{Fields: w.fields()}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("no unit: %v", err)
		}
		// A finding goes to the register once.
		f = w.fields()
		f.FindingID = 77
		first, err := db.CreateProblem(ctx, admin, rectify.SystemActor("网站检查"), w.unit.ID, store.ProblemInput{Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: f}); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), rectify.Ref(first.ID)) {
			t.Fatalf("finding twice: %v", err)
		}
		if got, err := db.ProblemByFinding(ctx, 77); err != nil || got.ID != first.ID {
			t.Fatalf("by finding: %+v %v", got, err)
		}
		if _, err := db.ProblemByFinding(ctx, 78); !errs.Is(err, errs.NotFound) {
			t.Fatal(err)
		}
		// The system registers, but does not act.
		if _, err := db.ActOnProblem(ctx, admin, rectify.SystemActor("网站检查"), first.ID, 0, rectify.Event{Kind: rectify.EvDropped, Reason: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("system acts: %v", err)
		}
		// Several at once: all or none.
		n := count(t, db, "SELECT count(*) FROM rectify_problems")
		ok := w.fields()
		ok.OwnerDept = 0
		empty := ok
		empty.Description = " "
		if _, err := db.CreateProblems(ctx, admin, w.stats, w.unit.ID, []store.ProblemInput{{Fields: ok}, {Fields: empty}}); err == nil || !strings.Contains(errs.MessageOf(err), "第 2 个问题") {
			t.Fatalf("batch: %v", err)
		}
		if count(t, db, "SELECT count(*) FROM rectify_problems") != n || count(t, db, "SELECT count(*) FROM rectify_events WHERE problem_id > ?", first.ID) != 0 {
			t.Fatal("a refused batch left problems")
		}
	})
}

func errsAs(err error, fe **errs.FormError) bool {
	for err != nil {
		if f, ok := err.(*errs.FormError); ok {
			*fe = f
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func TestRectifyImportAndLists(t *testing.T) {
	eachRectify(t, func(t *testing.T, w *rectifyWorld) {
		db := w.db
		bj := time.FixedZone("CST", 8*3600)
		at := func(s string) time.Time {
			d := mustDay(s)
			return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, bj)
		}
		history := []rectify.Event{
			{Kind: rectify.EvCreated, At: at("2024-01-20"), ActorName: "演示", Fields: &rectify.Fields{Year: 2023, Source: rectify.FromLastReport, SourceRef: "2023年年报",
				Description: "对外提供服务的事业单位信息公开工作还有差距"}},
			{Kind: rectify.EvMeasureAdded, At: at("2024-02-01"), Text: "压实工作责任"},
			{Kind: rectify.EvMeasureAdded, At: at("2024-02-01"), Text: "加强工作指导"},
			{Kind: rectify.EvClosed, At: at("2024-05-20"), Outcome: "投诉事项明显下降。"},
		}
		sys := rectify.SystemActor("演示数据")
		last, err := db.ImportProblem(ctx, admin, sys, w.unit.ID, history)
		if err != nil {
			t.Fatal(err)
		}
		if last.Status != rectify.Done || len(last.Measures) != 2 || last.DoneOn != mustDay("2024-05-20") || !last.CreatedAt.Equal(at("2024-01-20")) {
			t.Fatalf("imported: %+v", last)
		}
		sameAsReplay(t, w, last.ID)
		evs, _ := db.ProblemEvents(ctx, last.ID)
		if evs[0].ActorName != "演示" || evs[1].ActorName != "演示数据" || evs[1].On != mustDay("2024-02-01") {
			t.Fatalf("events: %+v", evs)
		}
		if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'rectify.import'"); n != 1 {
			t.Fatalf("%d import entries", n)
		}
		// A history in the future, one that breaks a rule, one by a non-manager.
		future := append([]rectify.Event(nil), history...)
		future[3].At = at("2024-07-01")
		if _, err := db.ImportProblem(ctx, admin, sys, w.unit.ID, future); err == nil || !strings.Contains(errs.MessageOf(err), "第 4 个事件（整改完成）的时间晚于现在") {
			t.Fatalf("future: %v", err)
		}
		broken := []rectify.Event{history[0], history[3]}
		if _, err := db.ImportProblem(ctx, admin, sys, w.unit.ID, broken); err == nil || !strings.Contains(errs.MessageOf(err), "第 2 个事件（整改完成）：该问题尚未登记整改措施") {
			t.Fatalf("broken: %v", err)
		}
		if _, err := db.ImportProblem(ctx, admin, w.owner, w.unit.ID, history); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("owner imports: %v", err)
		}
		if _, err := db.ImportProblem(ctx, admin, sys, w.unit.ID, history[1:]); !errs.Is(err, errs.Invalid) {
			t.Fatalf("no created: %v", err)
		}

		// This year's problems: one overdue, one due soon, one without a deadline, one closed.
		mk := func(desc, deadline string) rectify.Problem {
			f := w.fields()
			f.Description, f.Deadline = desc, calendar.Date{}
			if deadline != "" {
				f.Deadline = mustDay(deadline)
			}
			w.tick(time.Minute)
			p, err := db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: f, Measures: []string{"措施"}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		overdue := mk("超期的问题", "2024-06-01")
		soon := mk("即将到期的问题", "2024-06-12")
		later := mk("时限较远的问题", "2024-09-30")
		mk("没有时限的问题", "")
		closed := mk("已整改的问题", "2024-06-02")
		if _, err := db.ActOnProblem(ctx, admin, w.stats, closed.ID, 0, rectify.Event{Kind: rectify.EvClosed, Outcome: "已完成"}); err != nil {
			t.Fatal(err)
		}
		sub := mustUnit(t, db, w.unit.ID, "mawei", "马尾海关")
		f := w.fields()
		f.OwnerDept, f.Year = 0, 2023
		subP, err := db.CreateProblem(ctx, admin, w.stats, sub.ID, store.ProblemInput{Fields: f})
		if err != nil {
			t.Fatal(err)
		}

		ids := func(ps []rectify.Problem) string {
			var s []string
			for _, p := range ps {
				s = append(s, itoa(p.ID))
			}
			return strings.Join(s, ",")
		}
		join := func(ps ...rectify.Problem) string { return ids(ps) }
		all, err := db.Problems(ctx, []int64{w.unit.ID})
		if err != nil || len(all) != 6 || all[0].ID != last.ID {
			t.Fatalf("all: %s %v", ids(all), err)
		}
		y23, err := db.Problems(ctx, []int64{w.unit.ID, sub.ID}, 2023)
		if err != nil || ids(y23) != join(last, subP) {
			t.Fatalf("2023: %s %v", ids(y23), err)
		}
		both, err := db.Problems(ctx, []int64{sub.ID}, 2023, 2024)
		if err != nil || ids(both) != join(subP) {
			t.Fatalf("sub: %s %v", ids(both), err)
		}
		if none, err := db.Problems(ctx, nil); err != nil || none != nil {
			t.Fatalf("no unit: %v %v", none, err)
		}
		due, err := db.ProblemsDue(ctx, []int64{w.unit.ID}, *w.now, 3)
		if err != nil || ids(due) != join(overdue, soon) || !due[0].Overdue(*w.now) || due[1].Overdue(*w.now) {
			t.Fatalf("due: %s %v", ids(due), err)
		}
		if due, err := db.ProblemsDue(ctx, []int64{w.unit.ID}, *w.now, 0); err != nil || ids(due) != join(overdue) {
			t.Fatalf("overdue: %s %v", ids(due), err)
		}
		_ = later
		// The register's section 五 for 2024.
		this, _ := db.Problems(ctx, []int64{w.unit.ID}, 2024)
		s := rectify.SectionFive(2024, y23[:1], this)
		if !strings.Contains(s.Paragraphs[0], "针对“对外提供服务的事业单位信息公开工作还有差距”，采取2方面措施进行整改：一是压实工作责任；二是加强工作指导。投诉事项明显下降。") {
			t.Fatal(s.Paragraphs[0])
		}
	})
}

// The register's history is append-only in the database itself.
func TestRectifyAppendOnly(t *testing.T) {
	eachRectify(t, func(t *testing.T, w *rectifyWorld) {
		if _, err := w.db.CreateProblem(ctx, admin, w.stats, w.unit.ID, store.ProblemInput{Fields: w.fields()}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE rectify_events SET text = 'x'", "DELETE FROM rectify_events"} {
			if _, err := w.db.SQL().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		if n := count(t, w.db, "SELECT count(*) FROM rectify_events"); n != 1 {
			t.Fatalf("%d events", n)
		}
	})
}
