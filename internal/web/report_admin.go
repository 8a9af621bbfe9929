package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/report"
)

// reportHubPage is the annual reports of the user's units.
type reportHubPage struct {
	Year  int
	Years []int
	Rows  []reportHubRow
}

// reportHubRow is one unit's report of the year, in one scope.
type reportHubRow struct {
	Unit    org.Unit
	Depth   int
	Scope   annual.Scope
	Record  report.Record
	State   report.State
	Days    reportDays
	Href    string
	CanEdit bool
}

// reportHub lists the user's units' reports for a year with their state and
// deadline.
func (s *Server) reportHub(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	units, err := s.reportsDB().Units(ctx)
	if err != nil {
		return err
	}
	mine := reportUnits(u, units)
	if len(mine) == 0 {
		return errs.E(errs.Forbidden, "年度报告由统计人员、公开办负责人和系统管理员编制，您没有这些角色")
	}
	now := s.reportsDB().Now().In(shanghai)
	year := queryInt(r, "year")
	if year == 0 {
		year = now.Year() - 1
		if now.Month() == 12 {
			year = now.Year() // from 1 December the year under way
		}
	}
	if year < 2008 || year > now.Year() {
		return errs.E(errs.Invalid, "年度应在 2008 年至 %d 年之间", now.Year())
	}
	hp := reportHubPage{Year: year}
	for y := now.Year(); y >= now.Year()-5; y-- {
		hp.Years = append(hp.Years, y)
	}
	ids := make([]int64, len(mine))
	for i, x := range mine {
		ids[i] = x.ID
	}
	recs, err := s.reportsDB().ReportRecords(ctx, ids, year)
	if err != nil {
		return err
	}
	byKey := map[string]report.Record{}
	for _, rc := range recs {
		byKey[fmt.Sprintf("%d/%s", rc.UnitID, rc.Scope)] = rc
	}
	depth := map[int64]int{}
	for _, n := range org.Tree(units) {
		depth[n.Unit.ID] = n.Depth
	}
	for _, x := range mine {
		settings, err := s.reportsDB().UnitSettings(ctx, x.ID)
		if err != nil {
			return err
		}
		prof := report.ProfileOf(x, settings)
		days, err := s.reportDeadline(ctx, year, prof.GovernmentWide)
		if err != nil {
			return err
		}
		scopes := []annual.Scope{annual.ScopeSelf}
		if hasChildren(units, x.ID) {
			scopes = append(scopes, annual.ScopeAll)
		}
		for _, sc := range scopes {
			rc, ok := byKey[fmt.Sprintf("%d/%s", x.ID, sc)]
			if !ok {
				rc = report.Record{UnitID: x.ID, Year: year, Scope: sc}
			}
			hp.Rows = append(hp.Rows, reportHubRow{Unit: x, Depth: depth[x.ID], Scope: sc, Record: rc, State: report.StateOf(rc), Days: days,
				Href:    fmt.Sprintf("/admin/annual/%s/%d%s", x.Code, year, scopeQuery(sc)),
				CanEdit: report.Authorize(reportActor(u, units, x.ID, report.ActTemplate), report.ActTemplate) == nil})
		}
	}
	p := s.page(w, r, "年度报告")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", ""}}
	p.Data = hp
	return s.render(w, "admin/report_hub", p)
}

// reportPreviewPage is a draft built from the records now, with its checks,
// and the published versions.
type reportPreviewPage struct {
	Unit       org.Unit
	Year       int
	Scope      annual.Scope
	ScopeQuery string
	HasAll     bool
	Years      []int
	Doc        template.HTML
	Findings   []findingView
	Errors     int
	Warnings   int
	Record     report.Record
	State      report.State
	Days       reportDays
	Versions   []report.Version
	Prior      string // where last year's report for the cross-year checks came from
	Formats    []formatLink
	CanPublish bool
	CanForce   bool // the office head may override errors
	CanEdit    bool
	Correction bool // a version is already published: publishing again is a correction
	// DraftHash is the SHA-256 of the draft's JSON the page shows: a
	// publication must be of exactly what was looked at.
	DraftHash string
}

type formatLink struct{ Label, Href string }

func (s *Server) reportPreview(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "年度报告")
	pv, err := s.buildPreview(r)
	if err != nil {
		return err
	}
	p.Title = pv.title
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual?year=" + strconv.Itoa(pv.page.Year)}, {pv.title, ""}}
	p.Data = pv.page
	return s.render(w, "admin/report_preview", p)
}

type builtPreview struct {
	page  *reportPreviewPage
	draft *report.Draft
	title string
}

// buildPreview builds the draft the page shows (and notes it, for the
// dashboards' states).
func (s *Server) buildPreview(r *http.Request) (*builtPreview, error) {
	ctx := r.Context()
	unit, units, err := s.reportUnit(r)
	if err != nil {
		return nil, err
	}
	year, err := reportYear(r)
	if err != nil {
		return nil, err
	}
	scope, err := reportScopeOf(r)
	if err != nil {
		return nil, err
	}
	u := userOf(r)
	if err := report.Authorize(reportActor(u, units, unit.ID, report.ActBuild), report.ActBuild); err != nil {
		return nil, err
	}
	d, err := report.Build(ctx, s.reportsDB(), report.Request{UnitID: unit.ID, Year: year, Scope: scope, Now: s.reportsDB().Now()})
	if err != nil {
		return nil, err
	}
	e, wn := d.Counts()
	if err := s.reportsDB().NoteDraft(ctx, actorOf(r), unit.ID, year, scope, e, wn); err != nil {
		return nil, err
	}
	rec, _, err := s.reportsDB().ReportRecord(ctx, unit.ID, year, scope)
	if err != nil {
		return nil, err
	}
	versions, err := s.reportsDB().ReportVersions(ctx, unit.ID, year, scope)
	if err != nil {
		return nil, err
	}
	days, err := s.reportDeadline(ctx, year, d.Facts.Profile.GovernmentWide)
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("/admin/annual/%s/%d", unit.Code, year)
	sq := scopeQuery(scope)
	recordsHref := func(param, v string) string {
		q := url.Values{param: {v}}
		if scope == annual.ScopeAll {
			q.Set("scope", "all")
		}
		return base + "/records?" + q.Encode()
	}
	html, err := export.HTML(d.Doc, export.HTMLOptions{
		FigureHref: func(key string) string {
			if st, ok := d.Stat(key); ok && st.Records != nil {
				return recordsHref("figure", key)
			}
			return ""
		},
		CellHref: func(where string) string {
			if _, ok := report.CellQuery(where, &d.Doc.Report.Table3, d.Facts.UnitIDs, year); ok {
				return recordsHref("cell", where)
			}
			return ""
		},
		Marks: export.MarksOf(d.Doc, d.Doc.Report.Findings),
	})
	if err != nil {
		return nil, err
	}
	pv := &reportPreviewPage{Unit: unit, Year: year, Scope: scope, ScopeQuery: sq, HasAll: hasChildren(units, unit.ID),
		Doc: template.HTML(html), Findings: findingViews(d.Doc.Report.Findings), Errors: e, Warnings: wn,
		Record: rec, State: report.StateOf(rec), Days: days, Versions: versions, Prior: d.PriorSource,
		CanPublish: report.Authorize(report.ActorOf(*u, unit.ID), report.ActPublish) == nil,
		CanForce:   report.Authorize(report.ActorOf(*u, unit.ID), report.ActOverride) == nil,
		CanEdit:    report.Authorize(report.ActorOf(*u, unit.ID), report.ActTemplate) == nil,
		Correction: rec.CurrentVersion > 0}
	first, err := s.reportsDB().FirstRecordYear(ctx, d.Facts.UnitIDs)
	if err != nil {
		return nil, err
	}
	for y := s.reportsDB().Now().In(shanghai).Year(); y >= first && first > 0; y-- {
		pv.Years = append(pv.Years, y)
	}
	for _, f := range report.Formats {
		pv.Formats = append(pv.Formats, formatLink{report.FormatLabel(f), base + "/draft/draft." + f + sq})
	}
	if pv.DraftHash, err = report.DraftHash(d); err != nil {
		return nil, err
	}
	return &builtPreview{page: pv, draft: d, title: d.Doc.Report.Title + "（草稿）"}, nil
}

// reportDraftFile downloads the draft in one format.
func (s *Server) reportDraftFile(w http.ResponseWriter, r *http.Request) error {
	name, format := splitFile(r.PathValue("file"))
	if name != "draft" || !report.ValidFormat(format) {
		return errNotFoundPage
	}
	pv, err := s.buildPreview(r)
	if err != nil {
		return err
	}
	opts, err := report.RenderOptionsOf(r.Context(), s.reportsDB())
	if err != nil {
		return err
	}
	data, err := report.Render(pv.draft.Doc, format, opts)
	if err != nil {
		return err
	}
	return sendReportFile(w, format, fmt.Sprintf("%s（草稿）.%s", pv.draft.Doc.Report.Title, format), data, true)
}

// sendReportFile writes an export; attachment unless it is a page to view.
func sendReportFile(w http.ResponseWriter, format, name string, data []byte, attachment bool) error {
	w.Header().Set("Content-Type", report.ContentType(format))
	disp := "inline"
	if attachment || format != "json" {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err := w.Write(data)
	return err
}

// reportPublish publishes the draft as the report's next version: built now
// from the records, checked, every export rendered and kept with its hash —
// provided the records did not change since the page was shown.
func (s *Server) reportPublish(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pv, err := s.buildPreview(r)
	if err != nil {
		return err
	}
	unit, year, scope := pv.page.Unit, pv.page.Year, pv.page.Scope
	opts, err := report.RenderOptionsOf(ctx, s.reportsDB())
	if err != nil {
		return err
	}
	v, _, err := report.Publish(ctx, s.reportsDB(), actorOf(r), report.ActorOf(*userOf(r), unit.ID), report.Publication{
		Request: report.Request{UnitID: unit.ID, Year: year, Scope: scope, Now: s.reportsDB().Now()},
		Reason:  r.PostFormValue("reason"), Override: r.PostFormValue("override"), Expect: r.PostFormValue("draft")}, opts)
	if err != nil {
		p := s.page(w, r, pv.title)
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual?year=" + strconv.Itoa(year)}, {pv.title, ""}}
		p.Data = pv.page
		return s.render(w, "admin/report_preview", p)
	}
	title := pv.draft.Doc.Report.Title
	msg := fmt.Sprintf("已发布%s第 %d 版，门户网站“政府信息公开年报”栏目已更新。", title, v.Number)
	if v.Number > 1 {
		msg = fmt.Sprintf("已发布%s的更正（第 %d 版），更正说明与之一同公开。", title, v.Number)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/annual/%s/%d%s", unit.Code, year, scopeQuery(scope)), http.StatusSeeOther)
	return nil
}

// reportVersionFile downloads a published version's file, as frozen:
// …/versions/v{n}.{format}.
func (s *Server) reportVersionFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name, format := splitFile(r.PathValue("file"))
	n, err := strconv.Atoi(strings.TrimPrefix(name, "v"))
	if !strings.HasPrefix(name, "v") || err != nil || !report.ValidFormat(format) {
		return errNotFoundPage
	}
	unit, units, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	year, err := reportYear(r)
	if err != nil {
		return err
	}
	scope, err := reportScopeOf(r)
	if err != nil {
		return err
	}
	if err := report.Authorize(reportActor(userOf(r), units, unit.ID, report.ActBuild), report.ActBuild); err != nil {
		return err
	}
	vs, err := s.reportsDB().ReportVersions(ctx, unit.ID, year, scope)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if v.Number == n {
			f, err := s.reportsDB().ReportFile(ctx, v.ID, format)
			if err != nil {
				return err
			}
			return sendReportFile(w, format, fmt.Sprintf("%s（第%d版）.%s", report.Title(unit, scope, year), n, format), f.Content, true)
		}
	}
	return errs.E(errs.NotFound, "该年度报告没有第 %d 版", n)
}

// reportRecordsPage lists the records behind a figure or a table cell.
type reportRecordsPage struct {
	Unit    org.Unit
	Year    int
	Scope   annual.Scope
	What    string // the figure's meaning, or the cell's place
	Value   string
	Key     string
	Records report.RecordPage
	Back    string
	Pager   any
	Note    string
}

// reportRecords is the preview's drill-down: the records a figure or a
// table cell counts, each linked to its own page.
func (s *Server) reportRecords(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pv, err := s.buildPreview(r)
	if err != nil {
		return err
	}
	d := pv.draft
	rp := reportRecordsPage{Unit: pv.page.Unit, Year: pv.page.Year, Scope: pv.page.Scope,
		Back: fmt.Sprintf("/admin/annual/%s/%d%s", pv.page.Unit.Code, pv.page.Year, pv.page.ScopeQuery)}
	var q report.RecordQuery
	switch key, where := r.FormValue("figure"), r.FormValue("cell"); {
	case key != "":
		st, ok := d.Stat(key)
		if !ok || st.Records == nil {
			return errs.E(errs.NotFound, "统计项“%s”没有对应的业务记录", key)
		}
		q, rp.What, rp.Value, rp.Key = *st.Records, st.Def.Label, st.Figure.Text, key
	case where != "":
		cq, ok := report.CellQuery(where, &d.Doc.Report.Table3, d.Facts.UnitIDs, pv.page.Year)
		if !ok {
			return errs.E(errs.NotFound, "表格中没有这个单元格")
		}
		q, rp.What = cq, annual.PlaceLabel(where)
		for _, tb := range []string{annual.TableTwo, annual.TableThree, annual.TableFour} {
			for _, row := range d.Doc.Grid(tb).Rows {
				for _, c := range row.Cells {
					if c.Where == where {
						rp.Value = c.Text
					}
				}
			}
		}
	default:
		return errs.E(errs.Invalid, "请指定统计项或表格单元格")
	}
	page := max(queryInt(r, "page"), 1)
	if page > 100000 {
		page = 100000
	}
	if rp.Records, err = s.reportsDB().FigureRecords(ctx, q, page, 50); err != nil {
		return err
	}
	rp.Pager = pager(r, rp.Records.Page, rp.Records.Pages(), rp.Records.Total)
	switch {
	case strconv.FormatInt(rp.Records.Sum, 10) != rp.Value:
		rp.Note = "这个数字是由这些记录计算出的比率或平均数"
	case rp.Records.Sum != int64(rp.Records.Total):
		rp.Note = fmt.Sprintf("各条记录的数值合计为 %d", rp.Records.Sum)
	}
	p := s.page(w, r, "统计数字对应的记录")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual?year=" + strconv.Itoa(pv.page.Year)}, {pv.title, rp.Back}, {"对应记录", ""}}
	p.Data = rp
	return s.render(w, "admin/report_records", p)
}
