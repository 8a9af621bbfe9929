package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/report"
)

// The portal's side of the annual report: the 年报 column, each published
// report's page and downloads, and the open data. Everything here reads
// published versions only — a version exists only once published, and
// drafts are never stored — through publishedReports.

// publishedReports is what the portal may read of reports.
type publishedReports interface {
	PublishedReports(ctx context.Context, unitIDs []int64) ([]report.Version, error)
	ReportVersions(ctx context.Context, unitID int64, year int, scope annual.Scope) ([]report.Version, error)
	ReportVersion(ctx context.Context, id int64) (report.Version, error)
	ReportFile(ctx context.Context, versionID int64, format string) (report.File, error)
}

func (s *Server) reports() publishedReports { return s.DB }

// siteUnits lists the units the portal publishes for: the site unit and
// every unit below it.
func (s *Server) siteUnits(ctx context.Context, site org.Unit) ([]org.Unit, error) {
	units, err := s.DB.Units(ctx)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{site.ID: true}
	for _, id := range org.Descendants(units, site.ID) {
		in[id] = true
	}
	var out []org.Unit
	for _, n := range org.Tree(units) {
		if in[n.Unit.ID] {
			out = append(out, n.Unit)
		}
	}
	return out, nil
}

// portalReportRow is a published report in the column.
type portalReportRow struct {
	Unit    org.Unit
	Year    int
	Scope   annual.Scope
	Title   string
	Version int
	At      time.Time
	Href    string
	Files   []formatLink
	SHA256  string
}

// reportsColumnPage is the 年报 column: the published reports, and the
// items of the column's categories (reports published before the system).
type reportsColumnPage struct {
	Column  Column
	Reports []portalReportRow
	Items   any
	Pager   any
}

// portalReportsColumn serves the 政府信息公开年报 column.
func (s *Server) portalReportsColumn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, _ := columnBySlug("reports")
	p := s.page(w, r, c.Title)
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, ""}}
	data := reportsColumnPage{Column: c}
	if p.SiteReady {
		rows, err := s.portalReportRows(ctx, p.Site)
		if err != nil {
			return err
		}
		data.Reports = rows
		cat, err := s.catalogueOnly(ctx, p.Site.ID)
		if err != nil {
			return err
		}
		if ids := cat.inColumn("reports"); len(ids) > 0 {
			page, err := s.pub().List(ctx, publish.ListQuery{UnitID: p.Site.ID, CategoryIDs: ids, Page: queryInt(r, "page"), PerPage: 30})
			if err != nil {
				return err
			}
			data.Items = cat.lines(page.Items)
			data.Pager = pager(r, page.Page, page.Pages(), page.Total)
		}
	}
	p.Data = data
	return s.render(w, "portal/report_column", p)
}

func (s *Server) portalReportRows(ctx context.Context, site org.Unit) ([]portalReportRow, error) {
	units, err := s.siteUnits(ctx, site)
	if err != nil {
		return nil, err
	}
	byID := map[int64]org.Unit{}
	ids := make([]int64, len(units))
	for i, u := range units {
		byID[u.ID], ids[i] = u, u.ID
	}
	vs, err := s.reports().PublishedReports(ctx, ids)
	if err != nil {
		return nil, err
	}
	var rows []portalReportRow
	for _, v := range vs {
		u := byID[v.UnitID]
		href := fmt.Sprintf("/reports/%s/%d%s", u.Code, v.Year, scopeQuery(v.Scope))
		row := portalReportRow{Unit: u, Year: v.Year, Scope: v.Scope, Title: report.Title(u, v.Scope, v.Year), Version: v.Number, At: v.PublishedAt, Href: href, SHA256: v.SHA256}
		for _, f := range []string{"pdf", "docx"} {
			row.Files = append(row.Files, formatLink{report.FormatLabel(f), fmt.Sprintf("/reports/%s/%d/v%d.%s%s", u.Code, v.Year, v.Number, f, scopeQuery(v.Scope))})
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Year > rows[j].Year })
	return rows, nil
}

// portalReportPage is one published report: its current version as
// published, the downloads, and the earlier versions with their reasons.
type portalReportPage struct {
	Unit     org.Unit
	Year     int
	Scope    annual.Scope
	Current  report.Version
	Doc      template.HTML
	Files    []formatLink
	Versions []portalVersion
	Open     string
}

type portalVersion struct {
	report.Version
	Files []formatLink
}

// publishedReport finds the versions of the report the path names, within
// the site; it is NotFound when nothing was published.
func (s *Server) publishedReport(r *http.Request, site org.Unit) (org.Unit, int, annual.Scope, []report.Version, error) {
	ctx := r.Context()
	units, err := s.siteUnits(ctx, site)
	if err != nil {
		return org.Unit{}, 0, "", nil, err
	}
	code := r.PathValue("unit")
	var unit org.Unit
	for _, u := range units {
		if u.Code == code {
			unit = u
		}
	}
	year, err := reportYear(r)
	if err != nil {
		return unit, 0, "", nil, err
	}
	scope, err := reportScopeOf(r)
	if err != nil {
		return unit, 0, "", nil, err
	}
	if unit.ID == 0 {
		return unit, 0, "", nil, errs.E(errs.NotFound, "没有找到该单位的政府信息公开工作年度报告")
	}
	vs, err := s.reports().ReportVersions(ctx, unit.ID, year, scope)
	if err != nil {
		return unit, 0, "", nil, err
	}
	if len(vs) == 0 {
		return unit, 0, "", nil, errs.E(errs.NotFound, "%s（%s）%d年度政府信息公开工作年度报告尚未发布", unit.Name, scope.Label(), year)
	}
	return unit, year, scope, vs, nil
}

func (s *Server) portalReport(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "政府信息公开年报")
	if !p.SiteReady {
		return errNotFoundPage
	}
	unit, year, scope, vs, err := s.publishedReport(r, p.Site)
	if err != nil {
		return err
	}
	cur := vs[len(vs)-1]
	full, err := s.reports().ReportVersion(r.Context(), cur.ID)
	if err != nil {
		return err
	}
	var doc annual.Document
	if err := json.Unmarshal(full.Document, &doc); err != nil {
		return fmt.Errorf("published report %d: %w", cur.ID, err)
	}
	html, err := export.HTML(&doc, export.HTMLOptions{})
	if err != nil {
		return err
	}
	sq := scopeQuery(scope)
	rp := portalReportPage{Unit: unit, Year: year, Scope: scope, Current: cur, Doc: template.HTML(html),
		Open: fmt.Sprintf("/open/reports/%s/%d.json%s", unit.Code, year, sq)}
	for _, f := range []string{"pdf", "docx", "html", "xlsx", "json"} {
		rp.Files = append(rp.Files, formatLink{report.FormatLabel(f), fmt.Sprintf("/reports/%s/%d/v%d.%s%s", unit.Code, year, cur.Number, f, sq)})
	}
	for i := len(vs) - 2; i >= 0; i-- {
		pv := portalVersion{Version: vs[i]}
		for _, f := range []string{"pdf", "docx"} {
			pv.Files = append(pv.Files, formatLink{report.FormatLabel(f), fmt.Sprintf("/reports/%s/%d/v%d.%s%s", unit.Code, year, vs[i].Number, f, sq)})
		}
		rp.Versions = append(rp.Versions, pv)
	}
	c, _ := columnBySlug("reports")
	p.Title = doc.Report.Title
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, "/column/reports"}, {doc.Report.Title, ""}}
	p.Data = rp
	return s.render(w, "portal/report_page", p)
}

// portalReportFile downloads a published version's file: /reports/{unit}/{year}/v{n}.{format}.
func (s *Server) portalReportFile(w http.ResponseWriter, r *http.Request) error {
	p := s.page(nil, r, "")
	if !p.SiteReady {
		return errNotFoundPage
	}
	name, format := splitFile(r.PathValue("file"))
	n, err := strconv.Atoi(strings.TrimPrefix(name, "v"))
	if !strings.HasPrefix(name, "v") || err != nil || !report.ValidFormat(format) {
		return errNotFoundPage
	}
	unit, year, scope, vs, err := s.publishedReport(r, p.Site)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if v.Number == n {
			f, err := s.reports().ReportFile(r.Context(), v.ID, format)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s（第%d版）.%s", report.Title(unit, scope, year), n, format)
			return sendReportFile(w, format, name, f.Content, format != "html")
		}
	}
	return errs.E(errs.NotFound, "该年度报告没有第 %d 版", n)
}

// openReportEntry is one report in the open data's list.
type openReportEntry struct {
	Unit        string `json:"unit"`
	UnitName    string `json:"unit_name"`
	Year        int    `json:"year"`
	Scope       string `json:"scope"`
	Title       string `json:"title"`
	Version     int    `json:"version"`
	PublishedAt string `json:"published_at"`
	SHA256      string `json:"sha256"`
	JSON        string `json:"json"`
	Statistics  string `json:"statistics"`
	Page        string `json:"page"`
}

// openReports is GET /open/reports: every published report of the site.
func (s *Server) openReports(w http.ResponseWriter, r *http.Request) error {
	p := s.page(nil, r, "")
	out := []openReportEntry{}
	if p.SiteReady {
		rows, err := s.portalReportRows(r.Context(), p.Site)
		if err != nil {
			return err
		}
		for _, row := range rows {
			sq := scopeQuery(row.Scope)
			out = append(out, openReportEntry{Unit: row.Unit.Code, UnitName: row.Unit.Name, Year: row.Year, Scope: string(row.Scope), Title: row.Title,
				Version: row.Version, PublishedAt: row.At.In(shanghai).Format(time.RFC3339), SHA256: row.SHA256,
				JSON:       fmt.Sprintf("/open/reports/%s/%d.json%s", row.Unit.Code, row.Year, sq),
				Statistics: fmt.Sprintf("/open/stats/%s/%d.json%s", row.Unit.Code, row.Year, sq),
				Page:       row.Href})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"format": "gongkai.annual-report-list/v1", "reports": out})
}

// openReport is GET /open/reports/{unit}/{year}.json: the current version's
// document, as published.
func (s *Server) openReport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.openVersion(w, r, "json")
	if err != nil {
		return err
	}
	f, err := s.reports().ReportFile(r.Context(), v.ID, "json")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err = w.Write(f.Content)
	return err
}

// openVersion resolves /open/…/{unit}/{year}.{ext} to the current version.
func (s *Server) openVersion(w http.ResponseWriter, r *http.Request, exts ...string) (report.Version, error) {
	p := s.page(nil, r, "")
	if !p.SiteReady {
		return report.Version{}, errNotFoundPage
	}
	name, ext := splitFile(r.PathValue("file"))
	ok := false
	for _, e := range exts {
		ok = ok || e == ext
	}
	if !ok {
		return report.Version{}, errs.E(errs.NotFound, "开放数据只提供 %s 格式", strings.Join(exts, "、"))
	}
	r.SetPathValue("year", name)
	_, _, _, vs, err := s.publishedReport(r, p.Site)
	if err != nil {
		return report.Version{}, err
	}
	return vs[len(vs)-1], nil
}

// openStats is GET /open/stats/{unit}/{year}.json|.csv: the statistics
// behind sections 一 to 六 of the published report.
func (s *Server) openStats(w http.ResponseWriter, r *http.Request) error {
	v, err := s.openVersion(w, r, "json", "csv")
	if err != nil {
		return err
	}
	full, err := s.reports().ReportVersion(r.Context(), v.ID)
	if err != nil {
		return err
	}
	var doc annual.Document
	if err := json.Unmarshal(full.Document, &doc); err != nil {
		return fmt.Errorf("published report %d: %w", v.ID, err)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if _, ext := splitFile(r.PathValue("file")); ext == "csv" {
		var b bytes.Buffer
		b.WriteString("\ufeff") // Excel reads UTF-8 with its mark
		cw := csv.NewWriter(&b)
		cw.Write([]string{"key", "label", "kind", "text", "value", "previous"})
		for _, f := range doc.Figures {
			cw.Write([]string{f.Key, f.Label, string(f.Kind), f.Text, optInt(f.Value), optInt(f.Previous)})
		}
		cw.Flush()
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_, err := w.Write(b.Bytes())
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"format": "gongkai.annual-report-statistics/v1", "unit": doc.Report.Unit, "year": doc.Report.Year,
		"scope": doc.Scope, "version": v.Number, "published_at": v.PublishedAt.In(shanghai).Format(time.RFC3339), "statistics": doc.Figures})
}

func optInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// openAPI answers an open-data request's error as JSON ({"error": …}),
// as the other APIs do.
func (s *Server) openAPI(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := h(w, r); err != nil {
			return s.apiError(w, r, err)
		}
		return nil
	}
}
