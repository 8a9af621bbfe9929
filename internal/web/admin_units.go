package web

import (
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func (s *Server) unitList(w http.ResponseWriter, r *http.Request) error {
	scope, units, err := s.adminScope(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "单位与部门")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"单位与部门", ""}}
	return s.renderUnits(w, p, scope, units)
}

func (s *Server) renderUnits(w http.ResponseWriter, p *Page, scope map[int64]bool, units []org.Unit) error {
	p.Data = map[string]any{"Tree": inScopeUnits(scope, units)}
	return s.render(w, "admin/units", p)
}

func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) error {
	scope, units, err := s.adminScope(r)
	if err != nil {
		return err
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	u := org.Unit{ParentID: parent, Code: r.PostFormValue("code"), Name: r.PostFormValue("name")}
	if parent == 0 || !scope[parent] {
		err = errs.FieldError("parent", "请选择您管理范围内的上级单位")
	} else {
		err = s.DB.CreateUnit(r.Context(), actorOf(r), &u)
	}
	if err != nil {
		p := s.page(w, r, "单位与部门")
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"单位与部门", ""}}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.renderUnits(w, p, scope, units)
	}
	s.setFlash(w, "已新建单位 "+u.Name)
	http.Redirect(w, r, "/admin/units/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

// unitInScope reads the unit id from the path and checks that the user
// administers it.
func (s *Server) unitInScope(r *http.Request) (int64, []org.Unit, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	scope, units, err := s.adminScope(r)
	if err != nil {
		return 0, nil, err
	}
	if !scope[id] {
		return 0, nil, errs.E(errs.Forbidden, "您无权管理该单位")
	}
	return id, units, nil
}

func (s *Server) unitView(w http.ResponseWriter, r *http.Request) error {
	id, units, err := s.unitInScope(r)
	if err != nil {
		return err
	}
	return s.renderUnit(w, r, id, units, nil)
}

func (s *Server) renderUnit(w http.ResponseWriter, r *http.Request, id int64, units []org.Unit, formErr error) error {
	u, err := s.DB.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	depts, err := s.DB.Departments(r.Context(), id)
	if err != nil {
		return err
	}
	var parent org.Unit
	var children []org.Unit
	for _, x := range units {
		if x.ID == u.ParentID {
			parent = x
		}
		if x.ParentID == u.ID {
			children = append(children, x)
		}
	}
	p := s.page(w, r, u.Name)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"单位与部门", "/admin/units"}, {u.Name, ""}}
	if formErr != nil {
		if ferr := formError(p, r, formErr); ferr != nil {
			return ferr
		}
	}
	p.Data = map[string]any{"Unit": u, "Parent": parent, "Children": children, "Departments": depts}
	return s.render(w, "admin/unit", p)
}

func (s *Server) departmentCreate(w http.ResponseWriter, r *http.Request) error {
	id, units, err := s.unitInScope(r)
	if err != nil {
		return err
	}
	d := org.Department{UnitID: id, Name: r.PostFormValue("name")}
	if err := s.DB.CreateDepartment(r.Context(), actorOf(r), &d); err != nil {
		return s.renderUnit(w, r, id, units, err)
	}
	s.setFlash(w, "已新建部门 "+d.Name)
	http.Redirect(w, r, "/admin/units/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
