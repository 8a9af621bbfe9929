package web

import (
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/rectify"
)

// InspectFindingData is one finding with the runs that saw it.
type InspectFindingData struct {
	Scope   inspectScope
	Finding inspect.FindingRecord
	Runs    []inspect.Run
	Levels  []inspect.Level
}

func (s *Server) inspectFinding(r *http.Request) (inspectScope, inspect.FindingRecord, error) {
	var f inspect.FindingRecord
	id, err := pathID(r)
	if err != nil {
		return inspectScope{}, f, err
	}
	if f, err = s.inspectDB().InspectFinding(r.Context(), id); err != nil {
		return inspectScope{}, f, err
	}
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return sc, f, err
	}
	if !sc.has(f.UnitID) {
		return sc, f, errs.E(errs.Forbidden, "您不能查看其他单位的检查发现")
	}
	for _, u := range sc.Units {
		if u.ID == f.UnitID {
			sc.Unit = u
		}
	}
	sc.Actor = inspect.ActorOf(*userOf(r), f.UnitID)
	sc.Rectify = inspect.Authorize(sc.Actor, inspect.ActRectify) == nil
	return sc, f, nil
}

func (s *Server) inspectFindingPage(w http.ResponseWriter, r *http.Request) error {
	sc, f, err := s.inspectFinding(r)
	if err != nil {
		return err
	}
	runs, levels, err := s.inspectDB().FindingHistory(r.Context(), f.ID)
	if err != nil {
		return err
	}
	p := s.page(w, r, "检查发现")
	p.Crumbs = inspectCrumbs(sc, "检查发现 "+strconv.FormatInt(f.ID, 10))
	p.Data = InspectFindingData{Scope: sc, Finding: f, Runs: runs, Levels: levels}
	return s.render(w, "admin/inspect_finding", p)
}

// inspectSendFinding registers a finding in the rectification register in
// one click (source 网站检查) and opens the problem.
func (s *Server) inspectSendFinding(w http.ResponseWriter, r *http.Request) error {
	sc, f, err := s.inspectFinding(r)
	if err != nil {
		return err
	}
	reg := rectify.ActorOf(*userOf(r), f.UnitID)
	p, err := s.inspectDB().SendFindingToRegister(r.Context(), actorOf(r), sc.Actor, reg, f.ID)
	if err != nil {
		if errs.CodeOf(err) == errs.Conflict || errs.CodeOf(err) == errs.Invalid {
			return errs.E(errs.CodeOf(err), "%s", errs.MessageOf(err))
		}
		return err
	}
	s.setFlash(w, "已登记到整改台账："+rectify.Ref(p.ID))
	http.Redirect(w, r, "/admin/rectify/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}
