package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/jobs"
)

// InspectHomeData is the inspection's main page: the unit's open findings,
// most urgent first, its runs, and the form to inspect now.
type InspectHomeData struct {
	Scope                        inspectScope
	Runs                         []inspect.Run
	Open                         []inspect.FindingRecord
	Vetoes, Warnings, Deductions int
	Sites                        []inspect.Site
	Indicators                   []inspect.IndicatorSpec
}

func (s *Server) inspectHome(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "网站检查")
	p.Crumbs = inspectCrumbs(sc, "")
	d, err := s.inspectHomeData(r, sc)
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, "admin/inspect_home", p)
}

func (s *Server) inspectHomeData(r *http.Request, sc inspectScope) (*InspectHomeData, error) {
	ctx := r.Context()
	db := s.inspectDB()
	d := &InspectHomeData{Scope: sc, Indicators: inspect.Indicators}
	var err error
	if d.Runs, err = db.InspectRuns(ctx, sc.Unit.ID, 20); err != nil {
		return nil, err
	}
	open := true
	if d.Open, err = db.Findings(ctx, inspect.FindingFilter{UnitIDs: []int64{sc.Unit.ID}, Open: &open}); err != nil {
		return nil, err
	}
	for _, f := range d.Open {
		switch f.Level {
		case inspect.Veto:
			d.Vetoes++
		case inspect.Warning:
			d.Warnings++
		default:
			d.Deductions++
		}
	}
	if d.Sites, err = db.InspectSites(ctx, sc.Unit.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// inspectRunNow queues a run of the own portal, a registered site or a
// given address, for the job runner; a malformed address is refused on its
// field, an unreachable one makes an incomplete run.
func (s *Server) inspectRunNow(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	db := s.inspectDB()
	t := inspect.Target{UnitID: sc.Unit.ID}
	switch v := r.PostFormValue("target"); {
	case v == "portal" || v == "":
		t.Own = true
		us, err := db.UnitSettings(ctx, sc.Unit.ID)
		if err != nil {
			return err
		}
		t.URL = strings.TrimSpace(us["report.portal_url"])
	case v == "url":
		u, err := inspect.ParseURL(r.PostFormValue("url"))
		if err != nil {
			p := s.page(w, r, "网站检查")
			p.Crumbs = inspectCrumbs(sc, "")
			if ferr := formError(p, r, errs.FieldError("url", "%s", err.Error())); ferr != nil {
				return ferr
			}
			d, derr := s.inspectHomeData(r, sc)
			if derr != nil {
				return derr
			}
			p.Data = d
			return s.render(w, "admin/inspect_home", p)
		}
		t.URL = u.String()
		t.AllowPrivate = sc.Settings && r.PostFormValue("allow_private") == "1"
	default:
		id, _ := strconv.ParseInt(strings.TrimPrefix(v, "site:"), 10, 64)
		sites, err := db.InspectSites(ctx, sc.Unit.ID)
		if err != nil {
			return err
		}
		for _, x := range sites {
			if x.ID == id {
				t.URL, t.SiteID, t.AllowPrivate = x.URL, x.ID, x.AllowPrivate
			}
		}
		if t.SiteID == 0 {
			return errs.E(errs.Invalid, "请选择要检查的网站")
		}
	}
	run := &inspect.Run{UnitID: sc.Unit.ID, Target: t, Trigger: inspect.Manual}
	if _, err := db.QueueRun(ctx, actorOf(r), sc.Actor, run); err != nil {
		return err
	}
	id := strconv.FormatInt(run.ID, 10)
	if _, err := db.EnqueueJob(ctx, jobs.Job{Kind: InspectRunJob, Key: "run:" + id, Payload: id}); err != nil {
		return err
	}
	s.setFlash(w, "检查已排队，稍后刷新本页查看结果（第 "+id+" 次检查）")
	http.Redirect(w, r, "/admin/inspect/runs/"+id, http.StatusSeeOther)
	return nil
}

// inspectPanel is the inspection's line on a manager's dashboard panel:
// the unit's open findings by class.
func (s *Server) inspectPanel(r *http.Request, rp *RolePanel, unitID int64) error {
	open := true
	fs, err := s.inspectDB().Findings(r.Context(), inspect.FindingFilter{UnitIDs: []int64{unitID}, Open: &open})
	if err != nil {
		return err
	}
	var v, w, d int
	for _, f := range fs {
		switch f.Level {
		case inspect.Veto:
			v++
		case inspect.Warning:
			w++
		default:
			d++
		}
	}
	rp.Lines = append(rp.Lines, "网站检查待整改：单项否决 "+strconv.Itoa(v)+" 项，预警 "+strconv.Itoa(w)+" 项，扣分 "+strconv.Itoa(d)+" 项。")
	rp.Links = append(rp.Links, Crumb{"网站检查", "/admin/inspect?unit=" + strconv.FormatInt(unitID, 10)})
	return nil
}
