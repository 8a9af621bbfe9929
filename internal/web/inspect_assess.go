package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/errs"
	"gongkai/internal/inspect"
)

// The assessment (考核): each department's and subordinate unit's measures
// for a quarter or a year, every figure linked to its records, the trend
// by month and the comparison of departments as server-rendered SVG (with
// the same numbers in the tables), and the XLSX export.

// AssessCell is one figure of the table, with the link to its records.
type AssessCell struct {
	Figure inspect.Figure
	Href   string
}

// AssessRowView is a row of the table.
type AssessRowView struct {
	Row   inspect.Row
	Cells []AssessCell
}

// InspectAssessData is the assessment page.
type InspectAssessData struct {
	Scope      inspectScope
	Period     inspect.Period
	Periods    []inspect.Period
	Measures   []inspect.MeasureSpec
	Rows       []AssessRowView
	Total      AssessRowView
	Weights    string
	HasWeights bool
	Trend      template.HTML
	Compare    template.HTML
	TrendRows  []AssessRowView // one per month, Row.Name the month
}

func (s *Server) assessQuery(r *http.Request, sc inspectScope) (inspect.AssessQuery, error) {
	now := s.inspectDB().Now()
	q := inspect.AssessQuery{UnitID: sc.Unit.ID, Now: now}
	v := r.FormValue("period")
	if v == "" {
		t := now.In(shanghai)
		q.Period = inspect.Period{Year: t.Year(), Quarter: (int(t.Month())-1)/3 + 1}
		return q, nil
	}
	p, err := inspect.ParsePeriod(v)
	q.Period = p
	return q, err
}

func (s *Server) inspectAssessPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	q, err := s.assessQuery(r, sc)
	if err != nil {
		return err
	}
	a, err := s.inspectDB().Assess(r.Context(), q)
	if err != nil {
		return err
	}
	if r.FormValue("format") == "xlsx" {
		b, err := assessXLSX(a, sc.Unit.Name)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%s-%s.xlsx"`, sc.Unit.Code, q.Period))
		_, err = w.Write(b)
		return err
	}
	d := InspectAssessData{Scope: sc, Period: q.Period, Measures: inspect.Measures, Weights: a.Weights.String(), HasWeights: len(a.Weights) > 0}
	y := q.Now.In(shanghai).Year()
	for yy := y; yy >= y-1; yy-- {
		d.Periods = append(d.Periods, inspect.Period{Year: yy})
		for k := 4; k >= 1; k-- {
			d.Periods = append(d.Periods, inspect.Period{Year: yy, Quarter: k})
		}
	}
	base := "/admin/inspect/assess/records?unit=" + strconv.FormatInt(sc.Unit.ID, 10) + "&period=" + q.Period.String()
	view := func(row inspect.Row, month time.Time) AssessRowView {
		v := AssessRowView{Row: row}
		for _, m := range inspect.Measures {
			href := base + "&measure=" + string(m.ID) + "&scope=" + string(row.Scope) + "&id=" + strconv.FormatInt(row.ID, 10)
			if !month.IsZero() {
				href += "&month=" + month.Format("2006-01")
			}
			v.Cells = append(v.Cells, AssessCell{Figure: row.Figures[m.ID], Href: href})
		}
		return v
	}
	var bars []Bar
	for _, row := range a.Rows {
		d.Rows = append(d.Rows, view(row, time.Time{}))
		val, note := row.Score, "得分"
		if !row.HasScore {
			f := row.Figures[inspect.PubTimely]
			val, note = f.Rate(), "发布及时率"
			if !f.HasRate() {
				continue
			}
		}
		bars = append(bars, Bar{Label: row.Name, Value: int64(val + 0.5), Note: fmt.Sprintf("%s %s", note, strconv.FormatFloat(val, 'f', -1, 64))})
	}
	d.Total = view(a.Total, time.Time{})
	var labels []string
	series := map[inspect.Measure][]float64{}
	for _, m := range a.Trend {
		labels = append(labels, m.Month.Format("1月"))
		row := inspect.Row{Scope: inspect.ScopeUnit, ID: sc.Unit.ID, Name: m.Month.Format("2006年1月"), Figures: m.Figures}
		d.TrendRows = append(d.TrendRows, view(row, m.Month))
		for _, spec := range inspect.Measures {
			f := m.Figures[spec.ID]
			v := -1.0
			if f.HasRate() {
				v = f.Rate()
			}
			series[spec.ID] = append(series[spec.ID], v)
		}
	}
	var lines []LineSeries
	colors := []string{"#1d4f91", "#d4351c", "#00703c", "#f47738", "#4c2c92"}
	for i, spec := range inspect.Measures {
		lines = append(lines, LineSeries{Name: spec.Label, Values: series[spec.ID], Stroke: colors[i%len(colors)]})
	}
	d.Trend = lineChart(q.Period.Label()+"各项考核指标按月趋势（%）", labels, lines)
	title := "各部门和下级单位比较（发布及时率，%）"
	if d.HasWeights {
		title = "各部门和下级单位比较（加权得分）"
	}
	d.Compare = hbarChart(title, bars)
	p := s.page(w, r, "考核")
	p.Crumbs = inspectCrumbs(sc, "考核")
	p.Data = d
	return s.render(w, "admin/inspect_assess", p)
}

// InspectRecordsData is the list of records behind a figure.
type InspectRecordsData struct {
	Scope   inspectScope
	Period  inspect.Period
	Measure inspect.MeasureSpec
	Of      string
	Month   string
	Records []inspect.AssessRecord
	Good    int
}

func (s *Server) inspectAssessRecords(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	q, err := s.assessQuery(r, sc)
	if err != nil {
		return err
	}
	m := inspect.Measure(r.FormValue("measure"))
	spec := inspect.MeasureOf(m)
	if spec.All == "" {
		return errs.E(errs.Invalid, "考核指标“%s”不存在", m)
	}
	scope := inspect.Scope(r.FormValue("scope"))
	if scope != inspect.ScopeDept && scope != inspect.ScopeUnit {
		return errs.E(errs.Invalid, "范围应为部门或单位")
	}
	id, _ := strconv.ParseInt(r.FormValue("id"), 10, 64)
	var month time.Time
	if v := r.FormValue("month"); v != "" {
		if month, err = time.ParseInLocation("2006-01", v, shanghai); err != nil {
			return errs.E(errs.Invalid, "月份“%s”应写作 2026-04", v)
		}
	}
	recs, err := s.inspectDB().AssessRecords(r.Context(), q, m, scope, id, month)
	if err != nil {
		return err
	}
	d := InspectRecordsData{Scope: sc, Period: q.Period, Measure: spec, Records: recs, Of: sc.Unit.Name}
	if !month.IsZero() {
		d.Month = month.Format("2006年1月")
	}
	a, err := s.inspectDB().Assess(r.Context(), q)
	if err != nil {
		return err
	}
	for _, row := range a.Rows {
		if row.Scope == scope && row.ID == id {
			d.Of = row.Name
		}
	}
	for _, x := range recs {
		if x.Good {
			d.Good++
		}
	}
	p := s.page(w, r, spec.Label)
	p.Crumbs = append(inspectCrumbs(sc, ""), Crumb{"考核", "/admin/inspect/assess?unit=" + strconv.FormatInt(sc.Unit.ID, 10) + "&period=" + q.Period.String()}, Crumb{spec.Label, ""})
	p.Data = d
	return s.render(w, "admin/inspect_records", p)
}

// assessXLSX writes the assessment as a workbook: the table and the trend.
func assessXLSX(a inspect.Assessment, unit string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "考核"
	f.SetSheetName("Sheet1", sheet)
	head := []any{"部门或下级单位", "类别"}
	for _, m := range inspect.Measures {
		head = append(head, m.Label+"（"+m.Good+"）", m.Label+"（"+m.All+"）", m.Label+"（%）")
	}
	head = append(head, "加权得分")
	title := fmt.Sprintf("%s %s 政务公开考核", unit, a.Query.Period.Label())
	if err := f.SetSheetRow(sheet, "A1", &[]any{title}); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(sheet, "A2", &head); err != nil {
		return nil, err
	}
	write := func(n int, row inspect.Row, kind string) error {
		vals := []any{row.Name, kind}
		for _, m := range inspect.Measures {
			fig := row.Figures[m.ID]
			vals = append(vals, fig.Good, fig.All)
			if fig.HasRate() {
				vals = append(vals, fig.Rate())
			} else {
				vals = append(vals, "—")
			}
		}
		if row.HasScore {
			vals = append(vals, row.Score)
		} else {
			vals = append(vals, "—")
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return f.SetSheetRow(sheet, cell, &vals)
	}
	n := 3
	for _, row := range a.Rows {
		kind := "内设部门"
		if row.Scope == inspect.ScopeUnit {
			kind = "下级单位"
		}
		if err := write(n, row, kind); err != nil {
			return nil, err
		}
		n++
	}
	if err := write(n, a.Total, "合计"); err != nil {
		return nil, err
	}
	trend := "按月趋势"
	if _, err := f.NewSheet(trend); err != nil {
		return nil, err
	}
	head[0], head[1] = "月份", "范围"
	if err := f.SetSheetRow(trend, "A1", &head); err != nil {
		return nil, err
	}
	for i, m := range a.Trend {
		vals := []any{m.Month.Format("2006-01"), unit}
		for _, spec := range inspect.Measures {
			fig := m.Figures[spec.ID]
			vals = append(vals, fig.Good, fig.All)
			if fig.HasRate() {
				vals = append(vals, fig.Rate())
			} else {
				vals = append(vals, "—")
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(trend, cell, &vals); err != nil {
			return nil, err
		}
	}
	if len(a.Weights) > 0 {
		f.SetCellValue(sheet, fmt.Sprintf("A%d", n+2), "权重："+a.Weights.String())
	} else {
		f.SetCellValue(sheet, fmt.Sprintf("A%d", n+2), "本单位未设置权重，不计算加权得分")
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// LineSeries is one line of a line chart; a negative value is a month
// without records (no point).
type LineSeries struct {
	Name   string
	Values []float64
	Stroke string
}

// lineChart draws percentages (0–100) by month, one line per series, with
// gaps where a month has no records.
func lineChart(title string, labels []string, series []LineSeries) template.HTML {
	const w, h, left, bottom, top = 720, 300, 48, 40, 36
	plotW, plotH := float64(w-left-16), float64(h-top-bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`, w, h, esc(title), esc(title))
	for i := 0; i <= 4; i++ {
		y := float64(top) + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#dddddd"/><text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#505a5f">%d%%</text>`, left, y, w-16, y, left-6, y+4, 25*i)
	}
	n := len(labels)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(left) + plotW/2
		}
		return float64(left) + plotW*float64(i)/float64(n-1)
	}
	for i, l := range labels {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#1b1b1b">%s</text>`, x(i), h-bottom+18, esc(l))
	}
	for _, s := range series {
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, s.Stroke, strings.Join(pts, " "))
			}
			pts = nil
		}
		for i, v := range s.Values {
			if v < 0 {
				flush()
				continue
			}
			y := float64(top) + plotH - plotH*v/100
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s：%s%%</title></circle>`, x(i), y, s.Stroke, esc(s.Name), esc(labels[i]), strconv.FormatFloat(v, 'f', -1, 64))
		}
		flush()
	}
	lx := left
	for _, s := range series {
		fmt.Fprintf(&b, `<rect x="%d" y="8" width="12" height="12" fill="%s"/><text x="%d" y="18" font-size="12" fill="#1b1b1b">%s</text>`, lx, s.Stroke, lx+16, esc(s.Name))
		lx += 30 + 12*len([]rune(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// InspectNoticesData is a user's notices of findings.
type InspectNoticesData struct {
	Notices []inspect.Notice
	Unread  int
}

func (s *Server) inspectNoticesPage(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.inspectDB().InspectNotices(r.Context(), userOf(r).ID, 200)
	if err != nil {
		return err
	}
	d := InspectNoticesData{Notices: ns}
	for _, n := range ns {
		if !n.Read {
			d.Unread++
		}
	}
	p := s.page(w, r, "检查提醒")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"检查提醒", ""}}
	p.Data = d
	return s.render(w, "admin/inspect_notices", p)
}

func (s *Server) inspectNoticeRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.inspectDB().MarkInspectNoticeRead(r.Context(), userOf(r).ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/inspect/notices", http.StatusSeeOther)
	return nil
}
