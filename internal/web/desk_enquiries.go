package web

import (
	"net/http"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// The staff side of web consultations and messages: a work queue, and one
// page per enquiry with its history and the step the user may take next
// (draft a reply; approve or return it; publish it; dismiss the enquiry).

// queueTabs are the work queue's views.
var queueTabs = []struct {
	Key, Label string
	States     []string
}{
	{"todo", "待答复", []string{desk.EvReceived, desk.EvReturned}},
	{"review", "待审核", []string{desk.EvDrafted}},
	{"open", "全部未办结", []string{desk.EvReceived, desk.EvDrafted, desk.EvReturned}},
	{"done", "已办结", []string{desk.EvApproved, desk.EvPublished, desk.EvWithdrawn, desk.EvDismissed}},
	{"all", "全部", nil},
}

// EnquiryRow is an enquiry in the work queue.
type EnquiryRow struct {
	E       desk.Enquiry
	Unit    string
	Due     time.Time
	Urgency desk.Urgency
	Open    bool
}

func (s *Server) enquiryQueue(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskQueueRoles, false)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	tab := q.Get("state")
	if tab == "" {
		tab = "open"
	}
	var states []string
	found := false
	for _, t := range queueTabs {
		if t.Key == tab {
			states, found = t.States, true
		}
	}
	if !found {
		tab, states = "open", queueTabs[2].States
	}
	kind := q.Get("kind")
	if !desk.ValidKind(kind) {
		kind = ""
	}
	page := pageParam(r)
	const per = 50
	list, total, err := s.Enquiries.Enquiries(r.Context(), desk.EnquiryFilter{UnitIDs: sc.UnitIDs, Kind: kind, States: states, Limit: per, Offset: (page - 1) * per})
	if err != nil {
		return err
	}
	lim, err := s.Enquiries.UnansweredLimit(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	var rows []EnquiryRow
	for _, e := range list {
		row := EnquiryRow{E: e, Unit: sc.UnitName(e.UnitID), Open: desk.Open(e.State), Due: lim.Deadline(e.ReceivedAt)}
		if row.Open {
			row.Urgency = lim.UrgencyAt(e.ReceivedAt, now)
		}
		rows = append(rows, row)
	}
	p := s.page(w, r, "咨询和留言")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"咨询和留言", ""}}
	p.Data = enquiryQueuePage{Scope: sc, Tabs: queueTabs, Tab: tab, Kind: kind, Rows: rows, Total: total,
		Page: page, Pages: int((total + per - 1) / per), Limit: lim}
	return s.render(w, "admin/desk_queue", p)
}

// loadEnquiry returns an enquiry the user may see, with its history.
func (s *Server) loadEnquiry(r *http.Request) (desk.Enquiry, []desk.Event, error) {
	id, err := pathID(r)
	if err != nil {
		return desk.Enquiry{}, nil, err
	}
	e, evs, err := s.Enquiries.Enquiry(r.Context(), id)
	if err != nil {
		return e, nil, err
	}
	if !hasRoleIn(userOf(r), e.UnitID, deskQueueRoles) {
		return e, nil, errs.E(errs.Forbidden, "您无权查看该单位的咨询和留言")
	}
	return e, evs, nil
}

// enquiryQueuePage is the work queue's page model.
type enquiryQueuePage struct {
	Scope deskScope
	Tabs  []struct {
		Key, Label string
		States     []string
	}
	Tab, Kind   string
	Rows        []EnquiryRow
	Total       int64
	Page, Pages int
	Limit       desk.Limit
}

// enquiryPage is one enquiry's page model: the enquiry with its history,
// its deadline, and the steps the user's roles in its unit offer now.
type enquiryPage struct {
	E                               desk.Enquiry
	Events                          []desk.Event
	Draft                           desk.Event // the latest draft
	Limit                           desk.Limit
	Due                             time.Time
	Urgency                         desk.Urgency
	IsOpen                          bool
	CanDraft, CanDismiss, CanReview bool
	OwnDraft                        bool // the user wrote the draft: someone else reviews it
	CanPublish, CanWithdraw         bool
	PublicBody, PublicTitle         string // the question and title as they would be published (redacted)
	Action                          string // the step whose form failed, if any
}

func (s *Server) enquiryPageData(r *http.Request, e desk.Enquiry, evs []desk.Event) (*enquiryPage, error) {
	u := userOf(r)
	lim, err := s.Enquiries.UnansweredLimit(r.Context())
	if err != nil {
		return nil, err
	}
	var draft desk.Event
	for _, ev := range evs {
		if ev.Kind == desk.EvDrafted {
			draft = ev
		}
	}
	roles := u.RolesIn(e.UnitID)
	canDraft := desk.Permits(desk.EvDrafted, roles) == nil
	canReview := desk.Permits(desk.EvApproved, roles) == nil
	d := &enquiryPage{
		E: e, Events: evs, Draft: draft, Limit: lim, Due: lim.Deadline(e.ReceivedAt),
		Urgency:     lim.UrgencyAt(e.ReceivedAt, time.Now()),
		IsOpen:      desk.Open(e.State),
		CanDraft:    canDraft && desk.Open(e.State),
		CanDismiss:  canDraft && desk.Open(e.State),
		CanReview:   canReview && e.State == desk.EvDrafted,
		OwnDraft:    draft.ActorID == u.ID,
		CanPublish:  canReview && e.PublicOK && (e.State == desk.EvApproved || e.State == desk.EvWithdrawn),
		CanWithdraw: canReview && e.State == desk.EvPublished,
		PublicBody:  desk.Redact(e.Body),
		PublicTitle: desk.Redact(e.Subject),
	}
	return d, nil
}

func (s *Server) enquiryView(w http.ResponseWriter, r *http.Request) error {
	e, evs, err := s.loadEnquiry(r)
	if err != nil {
		return err
	}
	// Staff see the asker's personal details: the view is recorded.
	a := actorOf(r)
	a.UnitID = e.UnitID
	if err := s.Enquiries.Record(r.Context(), a, audit.Change{Action: "desk.enquiry_view", ObjectType: "desk_enquiry", ObjectID: strconv.FormatInt(e.ID, 10)}); err != nil {
		return err
	}
	p := s.page(w, r, desk.KindLabel(e.Kind)+" "+e.Ref)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"咨询和留言", "/admin/desk/enquiries"}, {e.Ref, ""}}
	d, err := s.enquiryPageData(r, e, evs)
	if err != nil {
		return err
	}
	p.Data = d
	p.Values = map[string]string{"title": desk.Redact(e.Subject)}
	return s.render(w, "admin/desk_enquiry", p)
}

// enquiryAct takes one step on an enquiry. Approving may publish at once
// when the asker agreed and the reviewer ticks the box.
func (s *Server) enquiryAct(w http.ResponseWriter, r *http.Request) error {
	e, evs, err := s.loadEnquiry(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	a := desk.Action{Kind: r.PostFormValue("action"), Body: r.PostFormValue("body"), Note: r.PostFormValue("note")}
	// The page's own check of the role, before the form is read further;
	// the store decides again with desk.Authorize in the transaction.
	if err := desk.Permits(a.Kind, u.RolesIn(e.UnitID)); err != nil {
		return err
	}
	if a.Kind == desk.EvPublished {
		a.Note = r.PostFormValue("title")
	}
	actor := actorOf(r)
	actor.UnitID = e.UnitID
	err = s.Enquiries.ActOnEnquiry(r.Context(), actor, e.ID, a, time.Time{})
	msg := map[string]string{desk.EvDrafted: "已保存答复草稿，等待审核", desk.EvDismissed: "已作不予答复处理",
		desk.EvApproved: "已审核通过，留言人可查询到答复", desk.EvReturned: "已退回修改",
		desk.EvPublished: "已在网站公开", desk.EvWithdrawn: "已撤回公开"}[a.Kind]
	if err == nil && a.Kind == desk.EvApproved && r.PostFormValue("publish") == "1" && e.PublicOK {
		pub := desk.Action{Kind: desk.EvPublished, Body: r.PostFormValue("public_body"), Note: r.PostFormValue("title")}
		if err = s.Enquiries.ActOnEnquiry(r.Context(), actor, e.ID, pub, time.Time{}); err == nil {
			msg = "已审核通过并在网站公开"
		} else {
			// The approval stands; the page shows why publication did not.
			e, evs, _ = s.Enquiries.Enquiry(r.Context(), e.ID)
		}
	}
	if err != nil {
		// A refusal that is not the form's goes to serveError as it is.
		var failed Page
		if ferr := formError(&failed, r, err); ferr != nil {
			return ferr
		}
		p := s.page(w, r, desk.KindLabel(e.Kind)+" "+e.Ref)
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"咨询和留言", "/admin/desk/enquiries"}, {e.Ref, ""}}
		p.Form, p.Error, p.Values = failed.Form, failed.Error, failed.Values
		d, derr := s.enquiryPageData(r, e, evs)
		if derr != nil {
			return derr
		}
		d.Action = a.Kind
		p.Data = d
		return s.render(w, "admin/desk_enquiry", p)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/desk/enquiries/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
	return nil
}
