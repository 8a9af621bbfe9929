package web

import (
	"net/http"

	"gongkai/internal/errs"
	"gongkai/internal/inspect"
)

// InspectRunData is one run: its target, status, reasons, the judgement of
// each indicator and its findings.
type InspectRunData struct {
	Scope    inspectScope
	Run      inspect.Run
	Findings []inspect.FindingRecord
}

// JudgementRow is a judgement with its indicator's description.
type JudgementRow struct {
	inspect.Judgement
	Spec inspect.IndicatorSpec
}

// Rows are the run's judgements in the indicators' order.
func (d InspectRunData) Rows() []JudgementRow {
	var out []JudgementRow
	for _, j := range d.Run.Judgements {
		out = append(out, JudgementRow{Judgement: j, Spec: inspect.SpecOf(j.Indicator)})
	}
	return out
}

func (s *Server) inspectRunPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	run, err := s.inspectDB().InspectRun(r.Context(), id)
	if err != nil {
		return err
	}
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	if !sc.has(run.UnitID) {
		return errs.E(errs.Forbidden, "您不能查看其他单位的检查")
	}
	if sc.Unit.ID != run.UnitID {
		for _, u := range sc.Units {
			if u.ID == run.UnitID {
				sc.Unit = u
			}
		}
		sc.Actor.Roles = userOf(r).RolesIn(run.UnitID)
		sc.Rectify = inspect.Authorize(sc.Actor, inspect.ActRectify) == nil
	}
	fs, err := s.inspectDB().RunFindings(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.page(w, r, "检查结果")
	p.Crumbs = inspectCrumbs(sc, "第 "+itoa(int(id))+" 次检查")
	p.Data = InspectRunData{Scope: sc, Run: run, Findings: fs}
	return s.render(w, "admin/inspect_run", p)
}
