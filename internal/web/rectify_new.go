package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
)

// RectifyFormData feeds the form that registers or edits a problem.
type RectifyFormData struct {
	Scope       rectifyScope
	Departments []org.Department
	Sources     []rectify.Source
	ThisYear    int
	Action      string
}

// fieldsFromForm reads a problem's fields from the form; what cannot even be
// read (a year that is not a number, a date not written YYYY-MM-DD) is
// reported by field.
func fieldsFromForm(r *http.Request) (rectify.Fields, errs.Fields) {
	var f rectify.Fields
	var bad errs.Fields
	v := strings.TrimSpace(r.PostFormValue("year"))
	if y, err := strconv.Atoi(v); err == nil {
		f.Year = y
	} else {
		bad.Add("year", "请填写问题所属年度（四位年份，如 %d）", rectify.Today(time.Now()).Year())
	}
	f.Source = rectify.Source(r.PostFormValue("source"))
	f.SourceRef = r.PostFormValue("source_ref")
	f.Description = r.PostFormValue("description")
	f.OwnerName = r.PostFormValue("owner_name")
	if v := strings.TrimSpace(r.PostFormValue("owner_dept")); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id >= 0 {
			f.OwnerDept = id
		} else {
			bad.Add("owner_dept", "请选择责任部门")
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("deadline")); v != "" {
		if d, err := calendar.ParseDate(v); err == nil {
			f.Deadline = d
		} else {
			bad.Add("deadline", "整改时限应写作 YYYY-MM-DD，如 %d-12-31", rectify.Today(time.Now()).Year())
		}
	}
	return f, bad
}

// withFieldErrors adds the domain's verdict on the fields that could be read
// to the fields that could not, so the form shows every field at fault.
func withFieldErrors(bad errs.Fields, f rectify.Fields) error {
	if len(bad) == 0 {
		return nil
	}
	has := map[string]bool{}
	for _, e := range bad {
		has[e.Field] = true
	}
	var fe *errs.FormError
	if errors.As(rectify.ValidateFields(&f, rectify.Today(time.Now())), &fe) {
		for _, e := range fe.Fields {
			if !has[e.Field] {
				bad = append(bad, e)
			}
		}
	}
	return bad.Err()
}

func (s *Server) rectifyFormPage(w http.ResponseWriter, r *http.Request, sc rectifyScope) (*Page, error) {
	ds, _, err := s.departmentNames(r.Context(), sc.Unit.ID)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "登记问题")
	p.Crumbs = rectifyCrumbs("登记问题", sc)
	p.Data = RectifyFormData{Scope: sc, Departments: ds, Sources: rectify.Sources, ThisYear: rectify.Today(time.Now()).Year(),
		Action: "/admin/rectify/new?" + sc.Query()}
	return p, nil
}

// managerScope is the scope of a page only the register's managers use.
func (s *Server) managerScope(r *http.Request) (rectifyScope, error) {
	sc, err := s.rectifyScopeOf(r)
	if err == nil && !sc.Manager {
		err = rectify.Authorize(rectify.Problem{UnitID: sc.Unit.ID}, rectify.Event{Kind: rectify.EvCreated}, sc.Actor)
	}
	return sc, err
}

func (s *Server) rectifyNewForm(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.managerScope(r)
	if err != nil {
		return err
	}
	p, err := s.rectifyFormPage(w, r, sc)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"year": strconv.Itoa(rectify.Today(time.Now()).Year()), "source": r.FormValue("source")}
	return s.render(w, "admin/rectify_new", p)
}

func (s *Server) rectifyCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.managerScope(r)
	if err != nil {
		return err
	}
	f, bad := fieldsFromForm(r)
	var measures []string
	for _, line := range strings.Split(strings.ReplaceAll(r.PostFormValue("measures"), "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			measures = append(measures, line)
		}
	}
	err = withFieldErrors(bad, f)
	var created rectify.Problem
	if err == nil {
		created, err = s.DB.CreateProblem(r.Context(), actorOf(r), sc.Actor, sc.Unit.ID, store.ProblemInput{Fields: f, Measures: measures})
	}
	if err != nil {
		p, perr := s.rectifyFormPage(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/rectify_new", p)
	}
	s.setFlash(w, "已登记"+rectify.Ref(created.ID)+"。")
	http.Redirect(w, r, "/admin/rectify/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
	return nil
}
