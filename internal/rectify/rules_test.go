package rectify_test

import (
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
)

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is noon of a day, Beijing time.
func at(s string) time.Time {
	d := day(s)
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

func fields(year int) *rectify.Fields {
	return &rectify.Fields{Year: year, Source: rectify.FromInspection, SourceRef: "2024年第三季度网站检查", Description: "部分栏目更新不及时", OwnerDept: 7, OwnerName: "王芳", Deadline: day("2024-12-31")}
}

// history applies events in order, numbering them, and fails on a refusal.
func history(t *testing.T, evs ...rectify.Event) rectify.Problem {
	t.Helper()
	p := rectify.Problem{ID: 1, UnitID: 1}
	for i, e := range evs {
		e.Seq = i + 1
		var err error
		if p, err = rectify.Apply(p, e); err != nil {
			t.Fatalf("event %d (%s): %v", i+1, e.Kind, err)
		}
	}
	return p
}

func created(on string) rectify.Event {
	return rectify.Event{Kind: rectify.EvCreated, At: at(on), Fields: fields(2024)}
}

func TestApplySteps(t *testing.T) {
	p := history(t, created("2024-03-01"))
	if p.Status != rectify.Open || p.Year != 2024 || p.Description != "部分栏目更新不及时" || !p.CreatedAt.Equal(at("2024-03-01")) {
		t.Fatalf("created: %+v", p)
	}
	p = history(t, created("2024-03-01"),
		rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "  建立栏目更新台账；  "},
		rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-05"), Text: "每月检查一次", On: day("2024-03-04")},
		rectify.Event{Kind: rectify.EvMeasureEdited, At: at("2024-03-06"), Measure: 2, Text: "每月开展一次栏目检查"},
		rectify.Event{Kind: rectify.EvMeasureDone, At: at("2024-04-01"), Measure: 1},
	)
	if p.Status != rectify.InProgress || len(p.Measures) != 2 || p.Measures[0].Text != "建立栏目更新台账；" ||
		p.Measures[0].AddedOn != day("2024-03-02") || p.Measures[0].DoneOn != day("2024-04-01") ||
		p.Measures[1].Text != "每月开展一次栏目检查" || p.Measures[1].AddedOn != day("2024-03-04") || p.Measures[1].Done() || p.MeasuresDone() != 1 {
		t.Fatalf("measures: %+v", p)
	}
	// Closing completes the measures still under way on its day.
	closed := history(t, created("2024-03-01"),
		rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建立栏目更新台账"},
		rectify.Event{Kind: rectify.EvClosed, At: at("2024-06-01"), On: day("2024-05-30"), Outcome: "栏目均按期更新"},
	)
	if closed.Status != rectify.Done || closed.DoneOn != day("2024-05-30") || closed.Outcome != "栏目均按期更新" || closed.Measures[0].DoneOn != day("2024-05-30") {
		t.Fatalf("closed: %+v", closed)
	}
	// Reopening clears the outcome; it may be closed again.
	reopened := history(t, created("2024-03-01"),
		rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建立栏目更新台账"},
		rectify.Event{Kind: rectify.EvClosed, At: at("2024-06-01"), Outcome: "栏目均按期更新"},
		rectify.Event{Kind: rectify.EvStatus, At: at("2024-07-01"), Status: rectify.InProgress, Reason: "复查发现仍有栏目未更新"},
	)
	if reopened.Status != rectify.InProgress || reopened.Outcome != "" || !reopened.DoneOn.IsZero() {
		t.Fatalf("reopened: %+v", reopened)
	}
	dropped := history(t, created("2024-03-01"), rectify.Event{Kind: rectify.EvDropped, At: at("2024-03-03"), Reason: "栏目已撤销"})
	if dropped.Status != rectify.Dropped || dropped.DropReason != "栏目已撤销" {
		t.Fatalf("dropped: %+v", dropped)
	}
	edited := history(t, created("2024-03-01"), rectify.Event{Kind: rectify.EvEdited, At: at("2024-03-03"),
		Fields: &rectify.Fields{Year: 2024, Source: rectify.FromSurvey, Description: "问卷反映栏目更新不及时", Deadline: day("2024-09-30")}})
	if edited.Source != rectify.FromSurvey || edited.Description != "问卷反映栏目更新不及时" || edited.OwnerDept != 0 || edited.Deadline != day("2024-09-30") || edited.Status != rectify.Open {
		t.Fatalf("edited: %+v", edited)
	}
}

// Each illegal step is refused with its code and one Chinese sentence.
func TestApplyRefusals(t *testing.T) {
	open := []rectify.Event{created("2024-03-01")}
	withMeasure := append(append([]rectify.Event(nil), open...), rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建立栏目更新台账"})
	done := append(append([]rectify.Event(nil), withMeasure...), rectify.Event{Kind: rectify.EvClosed, At: at("2024-06-01"), Outcome: "已按期更新"})
	dropped := append(append([]rectify.Event(nil), open...), rectify.Event{Kind: rectify.EvDropped, At: at("2024-03-03"), Reason: "栏目已撤销"})
	bad := func(f func(*rectify.Fields)) *rectify.Fields {
		x := fields(2024)
		f(x)
		return x
	}
	cases := []struct {
		name   string
		before []rectify.Event
		e      rectify.Event
		code   errs.Code
		want   string
	}{
		{"close without a measure", open, rectify.Event{Kind: rectify.EvClosed, At: at("2024-06-01")}, errs.Invalid, "尚未登记整改措施"},
		{"deadline before the year", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Deadline = day("2023-12-31") })}, errs.Invalid, "整改时限不能早于 2024 年 1 月 1 日"},
		{"a future year", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Year = 2025 })}, errs.Invalid, "年度应为 2008 至 2024 年之间"},
		{"before the 条例", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Year = 2007 })}, errs.Invalid, "年度应为 2008"},
		{"no description", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Description = "  " })}, errs.Invalid, "请填写问题描述"},
		{"unknown source", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Source = "rumour" })}, errs.Invalid, "请选择问题来源"},
		{"a finding not from an inspection", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Source, f.FindingID = rectify.FromHotline, 9 })}, errs.Invalid, "来源应为“网站检查”"},
		{"too long", nil, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: bad(func(f *rectify.Fields) { f.Description = strings.Repeat("问", 1001) })}, errs.Invalid, "问题描述不能超过 1000 字"},
		{"created twice", open, created("2024-03-02"), errs.Conflict, "问题已登记"},
		{"edit a done problem", done, rectify.Event{Kind: rectify.EvEdited, At: at("2024-07-01"), Fields: fields(2024)}, errs.Conflict, "该问题已“已整改”，不能修改问题；如需继续整改，请先重新打开"},
		{"edit a dropped problem", dropped, rectify.Event{Kind: rectify.EvEdited, At: at("2024-07-01"), Fields: fields(2024)}, errs.Conflict, "已“不再整改”"},
		{"measure on a done problem", done, rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-07-01"), Text: "再查一次"}, errs.Conflict, "请先重新打开"},
		{"empty measure", open, rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "；"[:0]}, errs.Invalid, "请填写整改措施"},
		{"measure dated in the future", open, rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建台账", On: day("2024-03-03")}, errs.Invalid, "措施日期不能晚于今天"},
		{"measure before the year", open, rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建台账", On: day("2023-12-01")}, errs.Invalid, "不能早于问题所属年度 2024 年"},
		{"no such measure", withMeasure, rectify.Event{Kind: rectify.EvMeasureDone, At: at("2024-03-05"), Measure: 2}, errs.Invalid, "第 2 项措施不存在"},
		{"done before added", withMeasure, rectify.Event{Kind: rectify.EvMeasureDone, At: at("2024-03-05"), Measure: 1, On: day("2024-03-01")}, errs.Invalid, "完成日期不能早于措施添加的日期 2024-03-02"},
		{"done twice", append(append([]rectify.Event(nil), withMeasure...), rectify.Event{Kind: rectify.EvMeasureDone, At: at("2024-03-05"), Measure: 1}), rectify.Event{Kind: rectify.EvMeasureDone, At: at("2024-03-06"), Measure: 1}, errs.Conflict, "第 1 项措施已于 2024-03-05 完成"},
		{"same wording", withMeasure, rectify.Event{Kind: rectify.EvMeasureEdited, At: at("2024-03-05"), Measure: 1, Text: "建立栏目更新台账"}, errs.Invalid, "措施表述没有改变"},
		{"close before a measure", withMeasure, rectify.Event{Kind: rectify.EvClosed, At: at("2024-06-01"), On: day("2024-03-01")}, errs.Invalid, "整改完成日期不能早于第 1 项措施的日期"},
		{"close twice", done, rectify.Event{Kind: rectify.EvClosed, At: at("2024-07-01")}, errs.Conflict, "不能整改完成"},
		{"drop without a reason", open, rectify.Event{Kind: rectify.EvDropped, At: at("2024-03-02")}, errs.Invalid, "请填写不再整改的理由"},
		{"drop a done problem", done, rectify.Event{Kind: rectify.EvDropped, At: at("2024-07-01"), Reason: "x"}, errs.Conflict, "不能不再整改"},
		{"reopen without a reason", done, rectify.Event{Kind: rectify.EvStatus, At: at("2024-07-01"), Status: rectify.InProgress}, errs.Invalid, "请填写重新打开的理由"},
		{"status to done", open, rectify.Event{Kind: rectify.EvStatus, At: at("2024-07-01"), Status: rectify.Done}, errs.Invalid, "整改完成或不再整改请使用相应的表单"},
		{"same status", open, rectify.Event{Kind: rectify.EvStatus, At: at("2024-07-01"), Status: rectify.Open}, errs.Conflict, "当前已是“待整改”"},
		{"back in time", withMeasure, rectify.Event{Kind: rectify.EvDropped, At: at("2024-03-01"), Reason: "x"}, errs.Invalid, "事件时间早于上一事件"},
		{"year after a measure", append(append([]rectify.Event(nil), open...), rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建台账"}), rectify.Event{Kind: rectify.EvEdited, At: at("2025-03-01"), Fields: func() *rectify.Fields { f := fields(2025); f.Deadline = calendar.Date{}; return f }()}, errs.Invalid, "年度不能改为 2025"},
		{"unknown step", open, rectify.Event{Kind: "archive", At: at("2024-03-02")}, errs.Invalid, "未知操作"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := history(t, c.before...)
			e := c.e
			e.Seq = p.Events + 1
			next, err := rectify.Apply(p, e)
			if err == nil || errs.CodeOf(err) != c.code || !strings.Contains(errs.MessageOf(err), c.want) {
				t.Fatalf("got %v (%s), want %s %q", err, errs.CodeOf(err), c.code, c.want)
			}
			if next.Events != p.Events || next.Status != p.Status || len(next.Measures) != len(p.Measures) {
				t.Fatalf("a refused step changed the problem: %+v", next)
			}
		})
	}
	// A step that did not see the latest history is refused.
	p := history(t, open...)
	if _, err := rectify.Apply(p, rectify.Event{Seq: 1, Kind: rectify.EvDropped, At: at("2024-03-02"), Reason: "x"}); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "已被他人修改") {
		t.Fatalf("stale: %v", err)
	}
	// An edit keeps the finding the problem came from.
	f := fields(2024)
	f.FindingID = 42
	p = history(t, rectify.Event{Kind: rectify.EvCreated, At: at("2024-03-01"), Fields: f})
	g := fields(2024)
	g.FindingID = 0
	g.Source = rectify.FromOther
	if _, err := rectify.Apply(p, rectify.Event{Seq: 2, Kind: rectify.EvEdited, At: at("2024-03-02"), Fields: g}); err == nil || !strings.Contains(errs.MessageOf(err), "来自网站检查发现") {
		t.Fatalf("finding's source changed: %v", err)
	}
	g.Source = rectify.FromInspection
	if q, err := rectify.Apply(p, rectify.Event{Seq: 2, Kind: rectify.EvEdited, At: at("2024-03-02"), Fields: g}); err != nil || q.FindingID != 42 {
		t.Fatalf("finding kept: %+v %v", q, err)
	}
}

func TestReplay(t *testing.T) {
	evs := []rectify.Event{created("2024-03-01"),
		{Kind: rectify.EvMeasureAdded, At: at("2024-03-02"), Text: "建立栏目更新台账"},
		{Kind: rectify.EvClosed, At: at("2024-06-01"), Outcome: "已按期更新"}}
	for i := range evs {
		evs[i].Seq = i + 1
	}
	p, err := rectify.Replay(5, 9, evs)
	if err != nil || p.ID != 5 || p.UnitID != 9 || p.Status != rectify.Done || p.Events != 3 {
		t.Fatalf("%+v %v", p, err)
	}
	evs[2].Outcome, evs[1].Kind = "", rectify.EvDropped
	if _, err := rectify.Replay(5, 9, evs); err == nil || !strings.Contains(errs.MessageOf(err), "第 2 个事件（不再整改）：请填写不再整改的理由") {
		t.Fatalf("bad history: %v", err)
	}
}

func TestAuthorize(t *testing.T) {
	const unit = 1
	user := func(dept int64, roles ...org.Role) org.User {
		u := org.User{ID: 10, DisplayName: "某人", UnitID: unit, DepartmentID: dept}
		for _, r := range roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: unit, Role: r})
		}
		return u
	}
	owned := rectify.Problem{ID: 1, UnitID: unit, Fields: rectify.Fields{OwnerDept: 7}, Status: rectify.InProgress}
	doneOwned := owned
	doneOwned.Status = rectify.Done
	stats := rectify.ActorOf(user(0, org.RoleStatistician), unit)
	head := rectify.ActorOf(user(3, org.RoleOfficeHead), unit)
	admin := rectify.ActorOf(user(0, org.RoleAdmin), unit)
	owner := rectify.ActorOf(user(7), unit)                       // the owner department, no role
	ownerEditor := rectify.ActorOf(user(7, org.RoleEditor), unit) // an editor of the owner department
	other := rectify.ActorOf(user(8, org.RoleHotline), unit)      // another department
	nobody := rectify.ActorOf(user(0, org.RoleHandler, org.RoleReviewer), unit)
	// The owner department counts only in the user's own unit.
	elsewhere := rectify.ActorOf(org.User{ID: 11, UnitID: 2, DepartmentID: 7}, unit)
	system := rectify.SystemActor("演示数据")

	ev := func(k rectify.Kind) rectify.Event { return rectify.Event{Kind: k} }
	status := func(s rectify.Status) rectify.Event { return rectify.Event{Kind: rectify.EvStatus, Status: s} }
	all := []rectify.Event{ev(rectify.EvCreated), ev(rectify.EvEdited), ev(rectify.EvMeasureAdded), ev(rectify.EvMeasureEdited),
		ev(rectify.EvMeasureDone), status(rectify.InProgress), status(rectify.Open), ev(rectify.EvClosed), ev(rectify.EvDropped)}
	cases := []struct {
		name  string
		a     rectify.Actor
		p     rectify.Problem
		allow map[string]bool // event (kind, or status_changed:status) → allowed
	}{
		{"statistician", stats, owned, nil},
		{"office head", head, owned, nil},
		{"admin", admin, owned, nil},
		{"owner department", owner, owned, map[string]bool{"measure_added": true, "measure_edited": true, "measure_done": true, "status_changed:in_progress": true}},
		{"owner department (editor)", ownerEditor, owned, map[string]bool{"measure_added": true, "measure_edited": true, "measure_done": true, "status_changed:in_progress": true}},
		{"owner may not reopen", owner, doneOwned, map[string]bool{"measure_added": true, "measure_edited": true, "measure_done": true}},
		{"another department", other, owned, map[string]bool{}},
		{"other roles", nobody, owned, map[string]bool{}},
		{"same department id elsewhere", elsewhere, owned, map[string]bool{}},
		{"system", system, owned, map[string]bool{"created": true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, e := range all {
				key := string(e.Kind)
				if e.Kind == rectify.EvStatus {
					key += ":" + string(e.Status)
				}
				want := c.allow == nil || c.allow[key]
				err := rectify.Authorize(c.p, e, c.a)
				if (err == nil) != want {
					t.Errorf("%s: allowed=%v, want %v (%v)", key, err == nil, want, err)
				}
				wantMsg := "“统计”"
				if c.a.System {
					wantMsg = "系统只能登记问题"
				}
				if err != nil && (!errs.Is(err, errs.Forbidden) || !strings.Contains(errs.MessageOf(err), wantMsg)) {
					t.Errorf("%s: %v", key, err)
				}
			}
		})
	}
	if !rectify.CanView(owned, owner) || rectify.CanView(owned, other) || !rectify.CanView(owned, stats) {
		t.Fatal("CanView")
	}
}

func TestOverdueAndQueue(t *testing.T) {
	now := at("2024-06-10")
	mk := func(id int64, deadline string, s rectify.Status) rectify.Problem {
		p := rectify.Problem{ID: id, Status: s, UpdatedAt: now.Add(time.Duration(id) * time.Minute)}
		if deadline != "" {
			p.Deadline = day(deadline)
		}
		return p
	}
	if !mk(1, "2024-06-09", rectify.Open).Overdue(now) || mk(1, "2024-06-10", rectify.Open).Overdue(now) ||
		mk(1, "2024-06-01", rectify.Done).Overdue(now) || mk(1, "", rectify.InProgress).Overdue(now) {
		t.Fatal("Overdue")
	}
	if n := mk(1, "2024-06-01", rectify.InProgress).DaysOverdue(now); n != 9 {
		t.Fatalf("DaysOverdue %d", n)
	}
	// Midnight in Beijing is still the previous day in UTC: the day is Beijing's.
	late := time.Date(2024, 6, 9, 16, 30, 0, 0, time.UTC) // 2024-06-10 00:30 Beijing
	if !mk(1, "2024-06-09", rectify.Open).Overdue(late) {
		t.Fatal("Beijing day")
	}
	if !mk(1, "2024-06-12", rectify.Open).DueWithin(now, 3) || mk(1, "2024-06-13", rectify.Open).DueWithin(now, 3) || mk(1, "2024-06-01", rectify.Open).DueWithin(now, 3) {
		t.Fatal("DueWithin")
	}
	ps := []rectify.Problem{mk(1, "", rectify.Open), mk(2, "2024-06-01", rectify.Done), mk(3, "2024-07-01", rectify.InProgress),
		mk(4, "2024-06-05", rectify.Open), mk(5, "2024-05-01", rectify.InProgress), mk(6, "", rectify.Dropped), mk(7, "2024-06-20", rectify.Open)}
	rectify.SortQueue(ps, now)
	var got []int64
	for _, p := range ps {
		got = append(got, p.ID)
	}
	want := []int64{5, 4, 7, 3, 1, 6, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("queue order %v, want %v", got, want)
		}
	}
	c := rectify.CountOf(ps, now)
	if c.All != 7 || c.Open != 3 || c.InProgress != 2 || c.Done != 1 || c.Dropped != 1 || c.Overdue != 2 {
		t.Fatalf("counts %+v", c)
	}
}
