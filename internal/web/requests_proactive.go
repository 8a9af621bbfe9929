package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
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
}

// ProactiveGroup is one group of similar applications.
type ProactiveGroup struct {
	Apps       []ProactiveRow
	Applicants int
}

// ProactiveRow is an application of a group with its outcome in Chinese.
type ProactiveRow struct {
	requests.Asked
	OutcomeLabel string
}

func (s *Server) requestProactive(w http.ResponseWriter, r *http.Request) error {
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
	if v := r.URL.Query().Get("unit"); v != "" {
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
	for _, g := range requests.Clusters(asked, d.Set) {
		who := map[string]bool{}
		for _, a := range g {
			k := a.ApplicantKey
			if k == "" {
				k = "#" + strconv.FormatInt(a.ID, 10)
			}
			who[k] = true
		}
		pg := ProactiveGroup{Applicants: len(who)}
		for _, a := range g {
			label := "办理中"
			if a.Outcome != "" {
				label = outcomeLabel(a.Outcome, "")
			}
			pg.Apps = append(pg.Apps, ProactiveRow{a, label})
		}
		d.Groups = append(d.Groups, pg)
	}
	p := s.page(w, r, "多人申请的信息（第四十四条）")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"多人申请的信息", ""}}
	p.Data = d
	return s.render(w, "admin/requests_proactive", p)
}
