package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
)

// The rectification register (整改台账, internal/rectify): the list of a
// unit's problems with its counts, registering a problem, a problem's page
// with its history and the steps the user may take, and reading last year's
// problems from last year's report. Who may do what is rectify.Authorize,
// applied again by the store in the write transaction; these pages only
// offer what it allows.
func (s *Server) rectifyRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/rectify", s.rectifyStaff(s.rectifyList))
	mux.Handle("GET /admin/rectify/new", s.rectifyStaff(s.rectifyNewForm))
	mux.Handle("POST /admin/rectify/new", s.rectifyStaff(s.rectifyCreate))
	mux.Handle("GET /admin/rectify/import", s.rectifyStaff(s.rectifyImportPage))
	mux.Handle("POST /admin/rectify/import", s.rectifyStaff(s.rectifyImport))
	mux.Handle("GET /admin/rectify/{id}", s.rectifyStaff(s.rectifyView))
	mux.Handle("POST /admin/rectify/{id}", s.rectifyStaff(s.rectifyAct))
}

// mayUseRegister reports whether a user sees the register at all: a
// manager's role in some unit, or a department whose problems they follow.
func mayUseRegister(u *org.User) bool {
	if u.DepartmentID != 0 {
		return true
	}
	for _, r := range rectify.ManagerRoles {
		if u.HasAnywhere(r) {
			return true
		}
	}
	return false
}

// rectifyStaff serves a register page to those who may use it.
func (s *Server) rectifyStaff(h handler) http.Handler {
	return s.staff(func(w http.ResponseWriter, r *http.Request) error {
		if !mayUseRegister(userOf(r)) {
			return errs.E(errs.Forbidden, "整改台账仅限统计、公开办负责人、系统管理员和问题责任部门的工作人员使用")
		}
		return h(w, r)
	})
}

// rectifyScope is the unit a register page shows: chosen with ?unit= among
// the units where the user manages the register or belongs to a department
// (their home unit). Owner is the user's department when they only follow
// their own department's problems there.
type rectifyScope struct {
	Units   []org.Unit
	Unit    org.Unit
	Manager bool
	Owner   int64
	Actor   rectify.Actor
}

func (s *Server) rectifyScopeOf(r *http.Request) (rectifyScope, error) {
	var sc rectifyScope
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return sc, err
	}
	u := userOf(r)
	for _, x := range units {
		if rectify.ActorOf(*u, x.ID).Manager() || (x.ID == u.UnitID && u.DepartmentID != 0) {
			sc.Units = append(sc.Units, x)
		}
	}
	if len(sc.Units) == 0 {
		return sc, errs.E(errs.Forbidden, "您在任何单位都没有使用整改台账的权限")
	}
	sc.Unit = sc.Units[0]
	if v := r.FormValue("unit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		found := false
		for _, x := range sc.Units {
			if err == nil && x.ID == id {
				sc.Unit, found = x, true
			}
		}
		if !found {
			return sc, errs.E(errs.Forbidden, "您无权查看该单位的整改台账")
		}
	}
	sc.Actor = rectify.ActorOf(*u, sc.Unit.ID)
	sc.Manager = sc.Actor.Manager()
	if !sc.Manager {
		sc.Owner = sc.Actor.DepartmentID
	}
	return sc, nil
}

// Query keeps the unit in links.
func (sc rectifyScope) Query() string { return "unit=" + strconv.FormatInt(sc.Unit.ID, 10) }

func rectifyCrumbs(last string, sc rectifyScope) []Crumb {
	if last == "" {
		return []Crumb{{"工作台", "/admin/"}, {"整改台账", ""}}
	}
	return []Crumb{{"工作台", "/admin/"}, {"整改台账", "/admin/rectify?" + sc.Query()}, {last, ""}}
}

// departmentNames names a unit's departments by id.
func (s *Server) departmentNames(ctx context.Context, unitID int64) ([]org.Department, map[int64]string, error) {
	ds, err := s.DB.Departments(ctx, unitID)
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, d := range ds {
		names[d.ID] = d.Name
	}
	return ds, names, nil
}

// rectifyFieldArgs feeds the problem fields' partials: the departments and
// sources offered, and where a field's value and message come from (the
// page's form, or one form of a problem's page).
type rectifyFieldArgs struct {
	Departments []org.Department
	Sources     []rectify.Source
	val, err    func(string) string
}

// Val is what the field holds.
func (a rectifyFieldArgs) Val(name string) string { return a.val(name) }

// Err is the field's message.
func (a rectifyFieldArgs) Err(name string) string { return a.err(name) }

func init() {
	funcs["rectifyArgs"] = func(p *Page, ds []org.Department, sources []rectify.Source, form string) rectifyFieldArgs {
		a := rectifyFieldArgs{Departments: ds, Sources: sources, val: p.Value, err: p.FieldError}
		if d, ok := p.Data.(*RectifyProblemData); ok && form != "" {
			a.val = func(n string) string { return d.Val(form, n) }
			a.err = func(n string) string { return d.Err(form, n) }
		}
		return a
	}
	funcs["list"] = func(v ...any) []any { return v }
	funcs["mayRectify"] = mayUseRegister
}

// rectifyPanel is the register's part of a manager's dashboard panel: the
// unit's problems still being rectified, the overdue ones and those due
// within a week.
func (s *Server) rectifyPanel(r *http.Request, rp *RolePanel, unitID int64) error {
	ps, err := s.DB.Problems(r.Context(), []int64{unitID})
	if err != nil {
		return err
	}
	return rectifyLines(rp, ps, unitID, 0)
}

func rectifyLines(rp *RolePanel, ps []rectify.Problem, unitID, dept int64) error {
	now := time.Now()
	open, over, soon := 0, 0, 0
	for _, p := range ps {
		if p.Status.Closed() || (dept != 0 && p.OwnerDept != dept) {
			continue
		}
		open++
		switch {
		case p.Overdue(now):
			over++
		case p.DueWithin(now, 7):
			soon++
		}
	}
	q := "/admin/rectify?unit=" + strconv.FormatInt(unitID, 10)
	line := fmt.Sprintf("整改台账中未完成的问题 %d 项", open)
	if over > 0 {
		line += fmt.Sprintf("，其中已超过整改时限 %d 项", over)
	}
	if soon > 0 {
		line += fmt.Sprintf("，7 天内到期 %d 项", soon)
	}
	rp.Lines = append(rp.Lines, line+"。")
	rp.Links = append(rp.Links, Crumb{"整改台账", q + "&status=pending"})
	return nil
}

// ownerPanel is the dashboard panel of a department's staff whose
// department owns problems still being rectified; nil when there are none.
func (s *Server) ownerPanel(r *http.Request, u *org.User, unit org.Unit) (*RolePanel, error) {
	if u.DepartmentID == 0 || rectify.ActorOf(*u, u.UnitID).Manager() {
		return nil, nil
	}
	ps, err := s.DB.Problems(r.Context(), []int64{u.UnitID})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.OwnerDept == u.DepartmentID && !p.Status.Closed() {
			rp := &RolePanel{Title: "本部门整改任务", Unit: unit}
			return rp, rectifyLines(rp, ps, u.UnitID, u.DepartmentID)
		}
	}
	return nil, nil
}
