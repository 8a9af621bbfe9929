package web

import (
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
)

// Site inspection (网站检查, issue 14; internal/inspect): the unit's runs and
// open findings with a run asked for on demand, a run's page with its
// judgements, a finding's page with its history and its sending to the
// rectification register, the settings (thresholds, columns' classes,
// expressions, sites, new-media channels), the assessment (考核) with its
// charts, its records and its XLSX export, and each user's notices. Who may
// do what is inspect.Authorize, applied again by the store in the write
// transaction; the pages hold inspect.Service, not the store.
func (s *Server) inspectRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/inspect", s.staff(s.inspectHome))
	mux.Handle("POST /admin/inspect/run", s.staff(s.inspectRunNow))
	mux.Handle("GET /admin/inspect/runs/{id}", s.staff(s.inspectRunPage))
	mux.Handle("GET /admin/inspect/findings/{id}", s.staff(s.inspectFindingPage))
	mux.Handle("POST /admin/inspect/findings/{id}/rectify", s.staff(s.inspectSendFinding))
	mux.Handle("GET /admin/inspect/settings", s.staff(s.inspectSettingsPage))
	mux.Handle("POST /admin/inspect/settings", s.staff(s.inspectSettingsSave))
	mux.Handle("GET /admin/inspect/assess", s.staff(s.inspectAssessPage))
	mux.Handle("GET /admin/inspect/assess/records", s.staff(s.inspectAssessRecords))
	mux.Handle("GET /admin/inspect/notices", s.staff(s.inspectNoticesPage))
	mux.Handle("POST /admin/inspect/notices/{id}/read", s.staff(s.inspectNoticeRead))
}

// inspectDB is the store as the inspection's pages see it.
func (s *Server) inspectDB() inspect.Service { return s.DB }

// InspectRunJob is the job that makes a run asked for in the back office.
const InspectRunJob = "inspect.run"

func init() {
	funcs["mayInspect"] = func(u *org.User) bool { return u != nil && u.MayAnywhere(org.ActInspectRun) }
}

// inspectScope is the unit an inspection page shows: chosen with ?unit=
// among the units where the user may run inspections.
type inspectScope struct {
	Units    []org.Unit
	Unit     org.Unit
	Actor    inspect.Actor
	Settings bool // may change the settings
	Rectify  bool // may send findings to the register
	Weights  bool // may set the assessment's weights
}

func (s *Server) inspectScopeOf(r *http.Request) (inspectScope, error) {
	var sc inspectScope
	units, err := s.inspectDB().Units(r.Context())
	if err != nil {
		return sc, err
	}
	u := userOf(r)
	for _, x := range units {
		if u.May(x.ID, org.ActInspectRun) {
			sc.Units = append(sc.Units, x)
		}
	}
	if len(sc.Units) == 0 {
		return sc, org.Refusal(org.ActInspectRun)
	}
	sc.Unit = sc.Units[0]
	for _, x := range sc.Units {
		if x.ID == u.UnitID {
			sc.Unit = x
		}
	}
	if v := r.FormValue("unit"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		found := false
		for _, x := range sc.Units {
			if x.ID == id {
				sc.Unit, found = x, true
			}
		}
		if !found {
			return sc, errs.E(errs.Forbidden, "您在该单位没有“%s”的权限", org.ActInspectRun.Label())
		}
	}
	sc.Actor = inspect.ActorOf(*u, sc.Unit.ID)
	sc.Settings = inspect.Authorize(sc.Actor, inspect.ActSettings) == nil
	sc.Rectify = inspect.Authorize(sc.Actor, inspect.ActRectify) == nil
	sc.Weights = inspect.Authorize(sc.Actor, inspect.ActWeights) == nil
	return sc, nil
}

// unitOfRecord checks that a record of unit id is in the user's scope.
func (sc inspectScope) has(unitID int64) bool {
	for _, u := range sc.Units {
		if u.ID == unitID {
			return true
		}
	}
	return false
}

func inspectCrumbs(sc inspectScope, last string) []Crumb {
	cs := []Crumb{{"工作台", "/admin/"}, {"网站检查", "/admin/inspect?unit=" + strconv.FormatInt(sc.Unit.ID, 10)}}
	if last != "" {
		cs = append(cs, Crumb{last, ""})
	}
	return cs
}
