package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// The service desk (internal/desk): the portal's 互动交流 column (web
// consultations, messages, the public Q&A lists, surveys, looking up one's
// own reply) and the back office's desk pages (the enquiry work queue with
// its review, hotline records, CSV imports, visits, new media, press and
// outreach, surveys, complaints and the section 一（三） figures).
func (s *Server) deskRoutes(mux *http.ServeMux) {
	// Portal.
	mux.Handle("GET /interact", s.public(s.interactHome))
	mux.Handle("GET /interact/lookup", s.public(s.interactLookupForm))
	mux.Handle("POST /interact/lookup", s.public(s.interactLookup))
	mux.Handle("GET /interact/surveys/{id}", s.public(s.surveyForm))
	mux.Handle("POST /interact/surveys/{id}", s.public(s.surveySubmit))
	for _, k := range []string{desk.KindConsult, desk.KindMessage} {
		mux.Handle("GET /interact/"+k, s.public(withKind(k, s.interactList)))
		mux.Handle("GET /interact/"+k+"/new", s.public(withKind(k, s.enquiryForm)))
		mux.Handle("POST /interact/"+k+"/new", s.public(withKind(k, s.enquirySubmit)))
	}

	// Back office.
	mux.Handle("GET /admin/desk", s.deskStaff(deskViewRoles, s.deskOverview))
	mux.Handle("POST /admin/desk/settings", s.admin(s.deskSettings))
	mux.Handle("GET /admin/desk/enquiries", s.deskStaff(deskQueueRoles, s.enquiryQueue))
	mux.Handle("GET /admin/desk/enquiries/{id}", s.deskStaff(deskQueueRoles, s.enquiryView))
	mux.Handle("POST /admin/desk/enquiries/{id}", s.deskStaff(deskQueueRoles, s.enquiryAct))
	mux.Handle("GET /admin/desk/calls", s.deskStaff(deskWorkRoles, s.callList))
	mux.Handle("GET /admin/desk/calls/new", s.deskStaff(deskWorkRoles, s.callForm))
	mux.Handle("POST /admin/desk/calls/new", s.deskStaff(deskWorkRoles, s.callCreate))
	mux.Handle("GET /admin/desk/imports", s.deskStaff(deskWorkRoles, s.importList))
	mux.Handle("POST /admin/desk/imports", s.deskStaff(deskWorkRoles, s.importUpload))
	mux.Handle("GET /admin/desk/imports/upload/{id}", s.deskStaff(deskWorkRoles, s.importMapping))
	mux.Handle("POST /admin/desk/imports/upload/{id}", s.deskStaff(deskWorkRoles, s.importRun))
	mux.Handle("GET /admin/desk/imports/{id}", s.deskStaff(deskWorkRoles, s.importView))
	mux.Handle("GET /admin/desk/visits", s.deskStaff(deskViewRoles, s.visitsPage))
	mux.Handle("GET /admin/desk/media", s.deskStaff(deskWorkRoles, s.mediaPage))
	mux.Handle("POST /admin/desk/media/{what}", s.deskStaff(deskWorkRoles, s.mediaCreate))
	mux.Handle("GET /admin/desk/outreach", s.deskStaff(deskWorkRoles, s.outreachPage))
	mux.Handle("POST /admin/desk/outreach", s.deskStaff(deskWorkRoles, s.outreachCreate))
	mux.Handle("GET /admin/desk/surveys", s.deskStaff(deskWorkRoles, s.surveyList))
	mux.Handle("POST /admin/desk/surveys", s.deskStaff(deskWorkRoles, s.surveyCreate))
	mux.Handle("GET /admin/desk/surveys/{id}", s.deskStaff(deskWorkRoles, s.surveyEdit))
	mux.Handle("POST /admin/desk/surveys/{id}/{what}", s.deskStaff(deskWorkRoles, s.surveyChange))
	mux.Handle("GET /admin/desk/complaints", s.deskStaff(deskWorkRoles, s.complaintList))
	mux.Handle("POST /admin/desk/complaints", s.deskStaff(deskWorkRoles, s.complaintCreate))
	mux.Handle("POST /admin/desk/complaints/{id}", s.deskStaff(deskWorkRoles, s.complaintConclude))
}

// withKind serves a page of one enquiry kind (咨询 or 留言).
func withKind(kind string, h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		r.SetPathValue("kind", kind)
		return h(w, r)
	}
}

// Who may use which desk pages, as the access policy declares it
// (org.Policy): drafting replies and keeping the records is the hotline's
// work (热线坐席, with the editors who run the new media and the office
// head); approving replies is review (先审查、后公开: reviewers and the office
// head); the figures are also for statisticians.
var (
	deskWorkRoles  = org.RolesFor(org.ActDeskWork)
	deskQueueRoles = org.RolesFor(org.ActDeskQueue)
	deskViewRoles  = org.RolesFor(org.ActDeskView)
	deskDraftRoles = org.RolesFor(org.ActDeskDraft)
	deskReview     = org.RolesFor(org.ActDeskReview)
)

// deskStaff serves a desk page to staff holding one of the roles in some unit.
func (s *Server) deskStaff(roles []org.Role, h handler) http.Handler {
	return s.staff(func(w http.ResponseWriter, r *http.Request) error {
		u := userOf(r)
		for _, role := range roles {
			if u.HasAnywhere(role) {
				return h(w, r)
			}
		}
		var names []string
		for _, role := range roles {
			names = append(names, role.Label())
		}
		return errs.E(errs.Forbidden, "此页面仅限%s使用", joinLabels(names))
	})
}

func joinLabels(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += "和"
		default:
			out += "、"
		}
		out += n
	}
	return out
}

// hasRoleIn reports whether the user holds one of the roles in the unit.
func hasRoleIn(u *org.User, unitID int64, roles []org.Role) bool {
	for _, r := range roles {
		if u.Has(r, unitID) {
			return true
		}
	}
	return false
}

// deskScope is what a desk page shows: the units where the user holds one
// of the roles (those and, for a roll-up, their subordinate units), the unit
// chosen with ?unit= (the first by default), and whether subordinate units
// are included (?sub=1).
type deskScope struct {
	Units    []org.Unit // units the user may choose
	Unit     org.Unit   // the chosen one
	Sub      bool       // include subordinate units
	UnitIDs  []int64    // what the figures count
	Year     int
	Years    []int
	AllUnits []org.Unit
}

func (s *Server) deskScopeOf(r *http.Request, roles []org.Role, annual bool) (deskScope, error) {
	var sc deskScope
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return sc, err
	}
	sc.AllUnits = units
	u := userOf(r)
	for _, x := range units {
		if hasRoleIn(u, x.ID, roles) {
			sc.Units = append(sc.Units, x)
		}
	}
	if len(sc.Units) == 0 {
		return sc, errs.E(errs.Forbidden, "您在任何单位都没有使用此页面的角色")
	}
	sc.Unit = sc.Units[0]
	if id, err := strconv.ParseInt(r.FormValue("unit"), 10, 64); err == nil {
		found := false
		for _, x := range sc.Units {
			if x.ID == id {
				sc.Unit, found = x, true
			}
		}
		if !found {
			return sc, errs.E(errs.Forbidden, "您无权查看该单位的记录")
		}
	}
	sc.Sub = r.FormValue("sub") == "1"
	if sc.Sub {
		sc.UnitIDs = org.Descendants(units, sc.Unit.ID)
	} else {
		sc.UnitIDs = []int64{sc.Unit.ID}
	}
	// The years offered are those with records, and the current one. A
	// register opens on the current year; a page of annual figures opens on
	// the latest past year with records (the report is written after the
	// year ends).
	now := time.Now().In(desk.Shanghai)
	have, err := s.DB.DeskYears(r.Context(), sc.UnitIDs)
	if err != nil {
		return sc, err
	}
	sc.Year = now.Year()
	if annual {
		for _, y := range have {
			if y < now.Year() {
				sc.Year = y
				break
			}
		}
	}
	seen := map[int]bool{}
	for _, y := range append([]int{now.Year()}, have...) {
		if !seen[y] && y <= now.Year()+1 {
			seen[y] = true
			sc.Years = append(sc.Years, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(sc.Years)))
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil && y >= 2000 && y <= now.Year()+1 {
		sc.Year = y
		if !seen[y] {
			sc.Years = append(sc.Years, y)
			sort.Sort(sort.Reverse(sort.IntSlice(sc.Years)))
		}
	}
	return sc, nil
}

// Query is the scope's query string, for links that keep it.
func (sc deskScope) Query() string {
	q := "unit=" + strconv.FormatInt(sc.Unit.ID, 10) + "&year=" + strconv.Itoa(sc.Year)
	if sc.Sub {
		q += "&sub=1"
	}
	return q
}

// UnitName names a unit of the scope by id.
func (sc deskScope) UnitName(id int64) string {
	for _, u := range sc.AllUnits {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

func sortedKeys(m map[string]int64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// deskPanel fills the dashboard panel of a hotline agent or a reviewer:
// what waits for them in the unit, the overdue first.
func (s *Server) deskPanel(r *http.Request, rp *RolePanel, unitID int64) error {
	ctx := r.Context()
	states := []string{desk.EvReceived, desk.EvReturned}
	label := "待答复"
	if rp.Role == org.RoleReviewer {
		states, label = []string{desk.EvDrafted}, "待审核"
	}
	_, n, err := s.DB.Enquiries(ctx, store.EnquiryFilter{UnitIDs: []int64{unitID}, States: states, Limit: 1})
	if err != nil {
		return err
	}
	alerts, lim, err := s.DB.UnansweredAlerts(ctx, []int64{unitID}, time.Now())
	if err != nil {
		return err
	}
	over := 0
	for _, a := range alerts {
		if a.Urgency == desk.Overdue {
			over++
		}
	}
	rp.Lines = append(rp.Lines, fmt.Sprintf("%s的网上咨询和留言 %d 件。", label, n))
	if over > 0 {
		rp.Lines = append(rp.Lines, fmt.Sprintf("已超过 %s 未答复的 %d 件，请优先办理。", lim.Label(), over))
	}
	tab := "todo"
	if rp.Role == org.RoleReviewer {
		tab = "review"
	}
	rp.Links = append(rp.Links, Crumb{"咨询和留言", "/admin/desk/enquiries?state=" + tab + "&unit=" + strconv.FormatInt(unitID, 10)}, Crumb{"服务台", "/admin/desk"})
	if rp.Role == org.RoleHotline {
		rp.Links = append(rp.Links, Crumb{"登记热线工单", "/admin/desk/calls/new"})
	}
	return nil
}
