package web

import (
	"context"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// 条例第四十四条: the application page says when several applicants have
// asked for similar information (requests.AlsoAsked), and the office head's
// list shows each such group (requests.Clusters) over the last window.
// Route in routes_redact.go, declared in routes_policy.go.

func monthsFrom(d calendar.Date, months int) calendar.Date {
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	return calendar.DateOf(t)
}

// alsoAsked fills the application page's 第四十四条 hint.
func (s *Server) alsoAsked(ctx context.Context, app store.RequestApp, m *RequestPage) error {
	set, err := s.DB.ProactiveSettings(ctx)
	if err != nil {
		return err
	}
	asked, err := s.DB.RequestsAsked(ctx, app.UnitID, monthsFrom(app.ReceivedOn, -set.Months), monthsFrom(app.ReceivedOn, set.Months))
	if err != nil {
		return err
	}
	self := requests.Asked{ID: app.ID, Description: app.Description, ReceivedOn: app.ReceivedOn}
	for _, a := range asked {
		if a.ID == app.ID {
			self = a
		}
	}
	m.AlsoAsked, m.Proactive = requests.AlsoAsked(self, asked, set)
	m.ProactiveSet = set
	return nil
}

// ProactivePage is the office head's list of groups.
type ProactivePage struct {
	Units   []org.Unit
	UnitID  int64
	Set     requests.ProactiveSettings
	Percent int // the threshold in per cent
	From    calendar.Date
	Groups  []ProactiveGroup
	// MayPropose: the user may draft an item in the unit (publish's own
	// rule: an editor); Departments and Categories fill the proposal's form.
	MayPropose  bool
	Departments []org.Department
	Categories  []publish.Category
	Today       calendar.Date
}

// ProactiveGroup is one group of similar applications.
type ProactiveGroup struct {
	Apps       []ProactiveRow
	Applicants int
	Items      []int64 // draft items already proposed from its applications
	Title      string  // the proposal's suggested title
}

// ProactiveRow is an application of a group with its outcome in Chinese.
type ProactiveRow struct {
	requests.Asked
	OutcomeLabel string
}

func (s *Server) requestProactive(w http.ResponseWriter, r *http.Request) error {
	return s.renderProactive(w, r, s.page(w, r, "多人申请的信息（第四十四条）"))
}

func (s *Server) renderProactive(w http.ResponseWriter, r *http.Request, p *Page) error {
	ctx := r.Context()
	all, err := s.DB.Units(ctx)
	if err != nil {
		return err
	}
	d := ProactivePage{}
	for _, u := range all {
		if userOf(r).May(u.ID, org.ActRequestView) {
			d.Units = append(d.Units, u)
		}
	}
	if len(d.Units) == 0 {
		return org.Refusal(org.ActRequestView)
	}
	d.UnitID = d.Units[0].ID
	v := r.URL.Query().Get("unit")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("unit")
	}
	if v != "" {
		found := false
		for _, u := range d.Units {
			if v == strconv.FormatInt(u.ID, 10) {
				d.UnitID, found = u.ID, true
			}
		}
		if !found {
			return errs.E(errs.NotFound, "单位不存在或不在您的管理范围内。")
		}
	}
	if d.Set, err = s.DB.ProactiveSettings(ctx); err != nil {
		return err
	}
	d.Percent = int(d.Set.Threshold*100 + 0.5)
	to := today()
	d.From = monthsFrom(to, -d.Set.Months)
	asked, err := s.DB.RequestsAsked(ctx, d.UnitID, d.From, to)
	if err != nil {
		return err
	}
	links, err := s.DB.ProactiveItems(ctx, d.UnitID)
	if err != nil {
		return err
	}
	d.Today = to
	if d.MayPropose = userOf(r).May(d.UnitID, org.ActPublishDraft); d.MayPropose {
		if d.Departments, err = s.DB.Departments(ctx, d.UnitID); err != nil {
			return err
		}
		if d.Categories, err = s.DB.PublishCategories(ctx, d.UnitID); err != nil {
			return err
		}
	}
	for _, g := range requests.Clusters(asked, d.Set) {
		who := map[string]bool{}
		for _, a := range g {
			k := a.ApplicantKey
			if k == "" {
				k = "#" + strconv.FormatInt(a.ID, 10)
			}
			who[k] = true
		}
		pg := ProactiveGroup{Applicants: len(who), Title: g[0].Description}
		seen := map[int64]bool{}
		for _, a := range g {
			for _, it := range links[a.ID] {
				if !seen[it] {
					seen[it] = true
					pg.Items = append(pg.Items, it)
				}
			}
			label := "办理中"
			if a.Outcome != "" {
				label = outcomeLabel(a.Outcome, "")
			}
			pg.Apps = append(pg.Apps, ProactiveRow{a, label})
		}
		d.Groups = append(d.Groups, pg)
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"多人申请的信息", ""}}
	p.Data = d
	return s.render(w, "admin/requests_proactive", p)
}

// requestPropose creates the draft item of a group (store.ProposeProactive:
// publish's own rules decide who may draft and what the content needs).
func (s *Server) requestPropose(w http.ResponseWriter, r *http.Request) error {
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	var ids []int64
	var lines []string
	for _, v := range r.PostForm["app"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.E(errs.Invalid, "申请编号无效。")
		}
		ids = append(ids, id)
	}
	dept, _ := strconv.ParseInt(r.PostFormValue("department"), 10, 64)
	cat, _ := strconv.ParseInt(r.PostFormValue("category"), 10, 64)
	made, _ := calendar.ParseDate(strings.TrimSpace(r.PostFormValue("made_on")))
	for _, id := range ids {
		if app, err := s.DB.RequestApplication(r.Context(), id); err == nil && app.UnitID == unitID {
			lines = append(lines, "<li>"+html.EscapeString(app.ReceiptNo+"："+app.Description)+"</li>")
		}
	}
	c := publish.Content{Title: strings.TrimSpace(r.PostFormValue("title")), DepartmentID: dept, CategoryID: cat, MadeOn: made, Attribute: publish.Active,
		Body: "<p>本信息系多个申请人申请公开的政府信息，依照《中华人民共和国政府信息公开条例》第四十四条纳入主动公开范围。所涉申请：</p><ul>" + strings.Join(lines, "") + "</ul>"}
	it, err := s.DB.ProposeProactive(r.Context(), actorOf(r), publish.ActorOf(*userOf(r), unitID), unitID, ids, c)
	if err != nil {
		p := s.page(w, r, "多人申请的信息（第四十四条）")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.renderProactive(w, r, p)
	}
	s.setFlash(w, "已起草主动公开信息草稿，请完善内容后送审。")
	http.Redirect(w, r, "/admin/publish/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}
