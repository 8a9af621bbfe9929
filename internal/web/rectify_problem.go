package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
)

// RectifyProblemData is a problem's page: where it stands, its measures,
// the forms of the steps the user may take, and its history.
type RectifyProblemData struct {
	Scope       rectifyScope
	Problem     rectify.Problem
	Dept        string
	Overdue     bool
	DaysOverdue int
	Measures    []RectifyMeasure
	Can         RectifyCan
	History     []RectifyEventView
	Departments []org.Department
	Sources     []rectify.Source
	Today       string
	// Form names the form whose submission failed ("edit", "measure_add",
	// "measure_edit-2", "measure_done-2", "status", "close", "drop"), with
	// its messages and what was typed.
	Form    string
	Errors  map[string]string
	Values  map[string]string
	Message string
}

// RectifyMeasure is a measure with its number and the steps allowed on it.
type RectifyMeasure struct {
	N int
	rectify.Measure
	CanDone, CanEdit bool
}

// RectifyCan says which steps the page offers; the domain decides each.
type RectifyCan struct {
	Edit, AddMeasure, Progress, BackToOpen, Reopen, Close, Drop bool
	// NeedsMeasure: a manager could close the problem once a measure is added.
	NeedsMeasure bool
}

// RectifyEventView is a line of the history.
type RectifyEventView struct {
	rectify.Event
	Detail string
}

// Err is a field's message when form failed.
func (d RectifyProblemData) Err(form, field string) string {
	if d.Form != form {
		return ""
	}
	return d.Errors[field]
}

// Failed is the whole-form message when form failed without a field.
func (d RectifyProblemData) Failed(form string) string {
	if d.Form != form || len(d.Errors) > 0 {
		return ""
	}
	return d.Message
}

// Val is what was typed into a field of the failed form, or the field's
// current value for the edit form.
func (d RectifyProblemData) Val(form, field string) string {
	if d.Form == form {
		return d.Values[field]
	}
	if form != "edit" {
		return ""
	}
	p := d.Problem
	switch field {
	case "year":
		return strconv.Itoa(p.Year)
	case "source":
		return string(p.Source)
	case "source_ref":
		return p.SourceRef
	case "description":
		return p.Description
	case "owner_dept":
		return strconv.FormatInt(p.OwnerDept, 10)
	case "owner_name":
		return p.OwnerName
	case "deadline":
		return p.Deadline.String()
	}
	return ""
}

// MeasureForm names a measure's form.
func (d RectifyProblemData) MeasureForm(step string, n int) string {
	return step + "-" + strconv.Itoa(n)
}

// loadProblem reads the problem of the path for a user who may see it.
func (s *Server) loadProblem(r *http.Request) (rectify.Problem, rectifyScope, error) {
	var sc rectifyScope
	id, err := pathID(r)
	if err != nil {
		return rectify.Problem{}, sc, err
	}
	p, err := s.DB.Problem(r.Context(), id)
	if err != nil {
		return p, sc, err
	}
	u, err := s.DB.Unit(r.Context(), p.UnitID)
	if err != nil {
		return p, sc, err
	}
	sc.Unit, sc.Units = u, []org.Unit{u}
	sc.Actor = rectify.ActorOf(*userOf(r), u.ID)
	sc.Manager = sc.Actor.Manager()
	if !sc.Manager {
		sc.Owner = sc.Actor.DepartmentID
	}
	if !rectify.CanView(p, sc.Actor) {
		return p, sc, errs.E(errs.Forbidden, "您无权查看该问题：整改台账仅对统计、公开办负责人、系统管理员和问题的责任部门开放")
	}
	return p, sc, nil
}

// allowed tries a step on the problem: the domain's own rules decide which
// forms the page shows.
func allowed(p rectify.Problem, a rectify.Actor, e rectify.Event) bool {
	e.Seq, e.At = p.Events+1, time.Now()
	if e.At.Before(p.UpdatedAt) {
		e.At = p.UpdatedAt
	}
	if rectify.Authorize(p, e, a) != nil {
		return false
	}
	_, err := rectify.Apply(p, e)
	return err == nil
}

func (s *Server) rectifyProblemPage(w http.ResponseWriter, r *http.Request, p rectify.Problem, sc rectifyScope) (*Page, *RectifyProblemData, error) {
	ctx := r.Context()
	ds, names, err := s.departmentNames(ctx, p.UnitID)
	if err != nil {
		return nil, nil, err
	}
	events, err := s.DB.ProblemEvents(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	a := sc.Actor
	d := &RectifyProblemData{Scope: sc, Problem: p, Dept: names[p.OwnerDept], Overdue: p.Overdue(now), DaysOverdue: p.DaysOverdue(now),
		Departments: ds, Sources: rectify.Sources, Today: rectify.Today(now).String()}
	fields := p.Fields
	d.Can = RectifyCan{
		Edit:       allowed(p, a, rectify.Event{Kind: rectify.EvEdited, Fields: &fields}),
		AddMeasure: allowed(p, a, rectify.Event{Kind: rectify.EvMeasureAdded, Text: "措施"}),
		Progress:   p.Status == rectify.Open && allowed(p, a, rectify.Event{Kind: rectify.EvStatus, Status: rectify.InProgress}),
		BackToOpen: p.Status == rectify.InProgress && allowed(p, a, rectify.Event{Kind: rectify.EvStatus, Status: rectify.Open}),
		Reopen:     p.Status.Closed() && allowed(p, a, rectify.Event{Kind: rectify.EvStatus, Status: rectify.InProgress, Reason: "理由"}),
		Close:      allowed(p, a, rectify.Event{Kind: rectify.EvClosed}),
		Drop:       allowed(p, a, rectify.Event{Kind: rectify.EvDropped, Reason: "理由"}),
	}
	d.Can.NeedsMeasure = sc.Manager && !p.Status.Closed() && len(p.Measures) == 0
	for i, m := range p.Measures {
		n := i + 1
		d.Measures = append(d.Measures, RectifyMeasure{N: n, Measure: m,
			CanDone: !m.Done() && allowed(p, a, rectify.Event{Kind: rectify.EvMeasureDone, Measure: n}),
			CanEdit: allowed(p, a, rectify.Event{Kind: rectify.EvMeasureEdited, Measure: n, Text: m.Text + "（修改）"})})
	}
	d.History = historyView(events, names)
	pg := s.page(w, r, rectify.Ref(p.ID))
	pg.Crumbs = rectifyCrumbs(rectify.Ref(p.ID), sc)
	pg.Data = d
	return pg, d, nil
}

// historyView words each event, newest first.
func historyView(events []rectify.Event, depts map[int64]string) []RectifyEventView {
	var out []RectifyEventView
	measures := 0
	for _, e := range events {
		v := RectifyEventView{Event: e}
		switch e.Kind {
		case rectify.EvCreated, rectify.EvEdited:
			if f := e.Fields; f != nil {
				parts := []string{fmt.Sprintf("%d年度", f.Year), "来源：" + f.Source.Label()}
				if f.SourceRef != "" {
					parts[1] += "（" + f.SourceRef + "）"
				}
				if n := depts[f.OwnerDept]; n != "" {
					parts = append(parts, "责任部门："+n)
				}
				if f.OwnerName != "" {
					parts = append(parts, "责任人："+f.OwnerName)
				}
				if !f.Deadline.IsZero() {
					parts = append(parts, "整改时限："+f.Deadline.String())
				}
				v.Detail = strings.Join(parts, "；") + "。问题描述：" + f.Description
			}
		case rectify.EvMeasureAdded:
			measures++
			v.Detail = fmt.Sprintf("第 %d 项（%s）：%s", measures, e.On, e.Text)
		case rectify.EvMeasureEdited:
			v.Detail = fmt.Sprintf("第 %d 项改为：%s", e.Measure, e.Text)
		case rectify.EvMeasureDone:
			v.Detail = fmt.Sprintf("第 %d 项于 %s 完成", e.Measure, e.On)
		case rectify.EvStatus:
			v.Detail = "改为“" + e.Status.Label() + "”"
			if e.Reason != "" {
				v.Detail += "；理由：" + e.Reason
			}
		case rectify.EvClosed:
			v.Detail = "于 " + e.On.String() + " 整改完成"
			if e.Outcome != "" {
				v.Detail += "；整改成效：" + e.Outcome
			}
		case rectify.EvDropped:
			v.Detail = "理由：" + e.Reason
		}
		out = append([]RectifyEventView{v}, out...)
	}
	return out
}

func (s *Server) rectifyView(w http.ResponseWriter, r *http.Request) error {
	p, sc, err := s.loadProblem(r)
	if err != nil {
		return err
	}
	pg, _, err := s.rectifyProblemPage(w, r, p, sc)
	if err != nil {
		return err
	}
	return s.render(w, "admin/rectify_problem", pg)
}

// dayField reads an optional date field: blank is today (zero), a date not
// written YYYY-MM-DD is a field error.
func dayField(r *http.Request, name, label string) (calendar.Date, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return d, errs.FieldError(name, "%s应写作 YYYY-MM-DD，如 %s", label, rectify.Today(time.Now()))
	}
	return d, nil
}

// stepFromForm reads the step a form asks for, and the form's name.
func stepFromForm(r *http.Request) (rectify.Event, string, error) {
	step := r.PostFormValue("step")
	n, _ := strconv.Atoi(r.PostFormValue("measure"))
	var e rectify.Event
	var err error
	switch step {
	case "edit":
		f, bad := fieldsFromForm(r)
		e = rectify.Event{Kind: rectify.EvEdited, Fields: &f}
		return e, step, withFieldErrors(bad, f)
	case "measure_add":
		e = rectify.Event{Kind: rectify.EvMeasureAdded, Text: r.PostFormValue("measure_text")}
		e.On, err = dayField(r, "measure_on", "措施日期")
	case "measure_edit":
		e = rectify.Event{Kind: rectify.EvMeasureEdited, Measure: n, Text: r.PostFormValue("measure_text")}
		step += "-" + strconv.Itoa(n)
	case "measure_done":
		e = rectify.Event{Kind: rectify.EvMeasureDone, Measure: n}
		e.On, err = dayField(r, "done_on", "完成日期")
		step += "-" + strconv.Itoa(n)
	case "status":
		e = rectify.Event{Kind: rectify.EvStatus, Status: rectify.Status(r.PostFormValue("status")), Reason: r.PostFormValue("reason")}
	case "close":
		e = rectify.Event{Kind: rectify.EvClosed, Outcome: r.PostFormValue("outcome")}
		e.On, err = dayField(r, "done_on", "整改完成日期")
	case "drop":
		e = rectify.Event{Kind: rectify.EvDropped, Reason: r.PostFormValue("reason")}
	default:
		return e, "", errs.E(errs.Invalid, "未知操作")
	}
	return e, step, err
}

func (s *Server) rectifyAct(w http.ResponseWriter, r *http.Request) error {
	p, sc, err := s.loadProblem(r)
	if err != nil {
		return err
	}
	e, form, err := stepFromForm(r)
	if err == nil {
		expect, _ := strconv.Atoi(r.PostFormValue("expect"))
		_, err = s.DB.ActOnProblem(r.Context(), actorOf(r), sc.Actor, p.ID, expect, e)
	}
	if err != nil {
		if c := errs.CodeOf(err); c != errs.Invalid && c != errs.Conflict {
			return err
		}
		if fresh, lerr := s.DB.Problem(r.Context(), p.ID); lerr == nil {
			p = fresh
		}
		pg, d, perr := s.rectifyProblemPage(w, r, p, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(pg, r, err); ferr != nil {
			return ferr
		}
		d.Form, d.Values, d.Message, d.Errors = form, pg.Values, pg.Error, map[string]string{}
		if pg.Form != nil {
			for _, f := range pg.Form.Fields {
				d.Errors[f.Field] = f.Message
			}
		}
		return s.render(w, "admin/rectify_problem", pg)
	}
	msg := "已" + e.Kind.Label() + "。"
	if e.Kind == rectify.EvStatus {
		msg = "已改为“" + e.Status.Label() + "”。"
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/rectify/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}
