package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/report"
)

// The annual report (issue 10): the back office builds, previews, checks,
// exports and publishes it; the portal's 年报 column shows what was
// published, with the open data.
func (s *Server) reportRoutes(mux *http.ServeMux) {
	// Back office.
	mux.Handle("GET /admin/annual", s.staff(s.reportHub))
	mux.Handle("GET /admin/annual/{unit}/{year}", s.staff(s.reportPreview))
	mux.Handle("GET /admin/annual/{unit}/{year}/draft/{file}", s.staff(s.reportDraftFile))
	mux.Handle("GET /admin/annual/{unit}/{year}/records", s.staff(s.reportRecords))
	mux.Handle("POST /admin/annual/{unit}/{year}/publish", s.staff(s.reportPublish))
	mux.Handle("GET /admin/annual/{unit}/{year}/versions/{file}", s.staff(s.reportVersionFile))
	mux.Handle("GET /admin/annual/{unit}/template", s.staff(s.reportTemplate))
	mux.Handle("POST /admin/annual/{unit}/template", s.staff(s.reportTemplateSave))
	mux.Handle("GET /admin/annual/{unit}/settings", s.staff(s.reportSettings))
	mux.Handle("POST /admin/annual/{unit}/settings", s.staff(s.reportSettingsSave))

	// Portal and open data (published versions only).
	mux.Handle("GET /reports/{unit}/{year}", s.cached(cacheItem, s.portalReport))
	mux.Handle("GET /reports/{unit}/{year}/{file}", s.public(s.portalReportFile))
	mux.Handle("GET /open/reports", s.public(s.openAPI(s.openReports)))
	mux.Handle("GET /open/reports/{unit}/{file}", s.public(s.openAPI(s.openReport)))
	mux.Handle("GET /open/stats/{unit}/{file}", s.public(s.openAPI(s.openStats)))
}

// reportsDB is the store as the report's pages see it (report.Service).
func (s *Server) reportsDB() report.Service { return s.DB }

// reportUnit resolves the {unit} of a report's path (a unit's code).
func (s *Server) reportUnit(r *http.Request) (org.Unit, []org.Unit, error) {
	units, err := s.reportsDB().Units(r.Context())
	if err != nil {
		return org.Unit{}, nil, err
	}
	code := r.PathValue("unit")
	for _, u := range units {
		if u.Code == code {
			return u, units, nil
		}
	}
	return org.Unit{}, nil, errs.E(errs.NotFound, "没有代码为“%s”的单位", code)
}

// reportYear reads the {year} of a path: four digits.
func reportYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1000 || y > 9999 {
		return 0, errs.E(errs.NotFound, "年度“%s”不是四位数的年份", r.PathValue("year"))
	}
	return y, nil
}

// reportScopeOf reads ?scope=self|all (self by default).
func reportScopeOf(r *http.Request) (annual.Scope, error) {
	v := r.FormValue("scope")
	if v == "" {
		return annual.ScopeSelf, nil
	}
	if v != "self" && v != "all" {
		return "", errs.E(errs.Invalid, "报告范围只能是 self（本级机关）或 all（全系统）")
	}
	return annual.Scope(v), nil
}

// reportActor is the user acting on a unit's report. For viewing and
// building, a role held in a superior unit counts too (a 直属海关's
// statistician sees its 隶属海关's reports); for everything else only the
// roles in the unit itself.
func reportActor(u *org.User, units []org.Unit, unitID int64, act report.Action) report.Actor {
	a := report.ActorOf(*u, unitID)
	if act != report.ActBuild {
		return a
	}
	seen := map[org.Role]bool{}
	for _, r := range a.Roles {
		seen[r] = true
	}
	for _, anc := range ancestors(units, unitID) {
		for _, r := range u.RolesIn(anc) {
			if !seen[r] {
				seen[r] = true
				a.Roles = append(a.Roles, r)
			}
		}
	}
	return a
}

// ancestors lists a unit's superiors, the nearest first.
func ancestors(units []org.Unit, id int64) []int64 {
	parent := map[int64]int64{}
	for _, u := range units {
		parent[u.ID] = u.ParentID
	}
	var out []int64
	for p := parent[id]; p != 0 && len(out) < len(units); p = parent[p] {
		out = append(out, p)
	}
	return out
}

// hasChildren reports whether a unit has units below it (a 全系统 report).
func hasChildren(units []org.Unit, id int64) bool {
	for _, u := range units {
		if u.ParentID == id {
			return true
		}
	}
	return false
}

// reportUnits lists the units whose reports a user may see: those where
// they hold a role that may build, and every unit below them.
func reportUnits(u *org.User, units []org.Unit) []org.Unit {
	in := map[int64]bool{}
	for _, g := range u.Grants {
		if report.Authorize(report.Actor{Roles: []org.Role{g.Role}}, report.ActBuild) == nil {
			in[g.UnitID] = true
			for _, d := range org.Descendants(units, g.UnitID) {
				in[d] = true
			}
		}
	}
	var out []org.Unit
	for _, n := range org.Tree(units) {
		if in[n.Unit.ID] {
			out = append(out, n.Unit)
		}
	}
	return out
}

// reportDays is the deadline of a unit's report and the working days left
// to it from today (negative days: overdue by so many calendar days).
type reportDays struct {
	Deadline calendar.Date
	Left     int  // working days after today up to the deadline
	Overdue  int  // calendar days past the deadline
	Assumed  bool // the calendar of the deadline's year is not known yet
}

func (s *Server) reportDeadline(ctx context.Context, year int, governmentWide bool) (reportDays, error) {
	d := reportDays{Deadline: report.Deadline(year, governmentWide)}
	today := calendar.DateOf(s.reportsDB().Now().In(shanghai))
	if today.After(d.Deadline) {
		d.Overdue = today.Sub(d.Deadline)
		return d, nil
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return d, err
	}
	res, err := cal.WorkdaysBetween(today, d.Deadline, nil)
	if err != nil {
		return d, err
	}
	d.Left, d.Assumed = res.Count, len(res.Warnings) > 0
	return d, nil
}

// findingView is a finding as pages show it: numbered, its rule and place
// in Chinese.
type findingView struct {
	N     int
	Rule  string
	Place string
	annual.Finding
}

func findingViews(fs []annual.Finding) []findingView {
	out := make([]findingView, len(fs))
	for i, f := range fs {
		out[i] = findingView{N: i + 1, Rule: annual.RuleLabel(f.Rule), Place: annual.PlaceLabel(f.Where), Finding: f}
	}
	return out
}

func scopeQuery(scope annual.Scope) string {
	if scope == annual.ScopeAll {
		return "?scope=all"
	}
	return ""
}

// splitFile reads "draft.pdf" / "v2.pdf" / "2024.json" into its name and
// format.
func splitFile(file string) (name, format string) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, ""
	}
	return file[:i], file[i+1:]
}
