package web

import (
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// The unit's list of application subjects (申请内容分类): what a handler
// may mark an application with, in the order that breaks ties in the
// annual report's sentence. The policy (org.ActRequestSubjectList) says
// who may change it; the store decides with it. Routes in
// routes_requests.go.

// subjectUnits are the units whose list the user may change.
func (s *Server) subjectUnits(r *http.Request) ([]org.Unit, error) {
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range units {
		if userOf(r).May(u.ID, org.ActRequestSubjectList) {
			out = append(out, u)
		}
	}
	return out, nil
}

// SubjectListPage is the page of a unit's list.
type SubjectListPage struct {
	Units    []org.Unit
	UnitID   int64
	Own      bool // the unit's own list (false: the default)
	Default  []string
	MaxItems int
	MaxRunes int
}

func (s *Server) requestSubjectList(w http.ResponseWriter, r *http.Request) error {
	units, err := s.subjectUnits(r)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return org.Refusal(org.ActRequestSubjectList)
	}
	unit := units[0]
	if v := r.URL.Query().Get("unit"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		found := false
		for _, u := range units {
			if u.ID == id {
				unit, found = u, true
			}
		}
		if !found {
			return errs.E(errs.NotFound, "单位不存在或不在您的管理范围内。")
		}
	}
	p := s.page(w, r, "申请内容分类")
	list, own, err := s.DB.RequestSubjectList(r.Context(), unit.ID)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"subjects": requests.JoinSubjects(list)}
	return s.renderSubjectList(w, p, units, unit.ID, own)
}

func (s *Server) renderSubjectList(w http.ResponseWriter, p *Page, units []org.Unit, unitID int64, own bool) error {
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"申请内容分类", ""}}
	p.Data = SubjectListPage{Units: units, UnitID: unitID, Own: own, Default: requests.DefaultSubjects,
		MaxItems: requests.MaxSubjects, MaxRunes: requests.MaxSubjectRunes}
	return s.render(w, "admin/requests_subjects", p)
}

func (s *Server) requestSubjectListSave(w http.ResponseWriter, r *http.Request) error {
	units, err := s.subjectUnits(r)
	if err != nil {
		return err
	}
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	var list []string
	if r.PostFormValue("restore") == "" {
		list, err = requests.ParseSubjectList(r.PostFormValue("subjects"))
	}
	if err == nil {
		err = s.DB.SetRequestSubjectList(r.Context(), actorOf(r), unitID, list)
	}
	if err != nil {
		p := s.page(w, r, "申请内容分类")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		_, own, rerr := s.DB.RequestSubjectList(r.Context(), unitID)
		if rerr != nil {
			return rerr
		}
		return s.renderSubjectList(w, p, units, unitID, own)
	}
	if list == nil {
		s.setFlash(w, "已恢复默认的申请内容分类。")
	} else {
		s.setFlash(w, "已保存申请内容分类（"+strconv.Itoa(len(list))+"项）。")
	}
	http.Redirect(w, r, "/admin/requests/subjects?unit="+strconv.FormatInt(unitID, 10), http.StatusSeeOther)
	return nil
}
