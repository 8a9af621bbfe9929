package web

import (
	"context"
	"fmt"
	"gongkai/internal/annual"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
)

// RectifyImportData is the page that reads last year's problems from last
// year's report: the report found, its section 五, and the candidates
// rectify.FromReportText read from it, each to confirm (and correct) before
// it is registered as a problem of that year.
type RectifyImportData struct {
	Scope      rectifyScope
	Year       int // the report being prepared
	LastYear   int
	Found      bool
	Title      string // the report read
	Section    string // its section 五 as kept
	Candidates []RectifyCandidate
	Registered []rectify.Problem // last year's problems already in the register
	Message    string
}

// RectifyCandidate is one problem read from the report.
type RectifyCandidate struct {
	N          int
	Text       string
	Picked     bool
	Registered int64 // the problem already registered with this text, 0 if none
	Err        string
}

// lastReport is the unit's report of a year as the register reads it: for
// now the imported history (annual_history, with its narrative); the
// published reports of the annual-report builder join here.
func (s *Server) lastReport(ctx context.Context, unitID int64, year int) (title, problems string, found bool, err error) {
	// The report as published (its current version), or as imported.
	r, _, err := s.DB.PriorReport(ctx, unitID, year, annual.ScopeSelf)
	if err != nil || r == nil {
		return "", "", false, err
	}
	return r.Title, r.Text.Problems, true, nil
}

// preparedYear is the report a unit is working towards on a day: last
// year's until the end of March (reports are published by 31 January, a
// government's whole report by 31 March: 条例第四十九条), this year's after.
func preparedYear(now time.Time) int {
	d := rectify.Today(now)
	if d.Month() <= time.March {
		return d.Year() - 1
	}
	return d.Year()
}

// importYear reads the year of the report being prepared (by default
// preparedYear), whose section 五（一） reports on the problems of the year
// before.
func importYear(v string) (int, error) {
	this := rectify.Today(time.Now()).Year()
	if strings.TrimSpace(v) == "" {
		return preparedYear(time.Now()), nil
	}
	y, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || y <= rectify.FirstYear || y > this+1 {
		return 0, errs.E(errs.Invalid, "年度“%s”不正确：应为 %d 至 %d 年之间正在编写年报的年度", v, rectify.FirstYear+1, this+1)
	}
	return y, nil
}

func (s *Server) rectifyImportData(ctx context.Context, sc rectifyScope, year int) (*RectifyImportData, error) {
	d := &RectifyImportData{Scope: sc, Year: year, LastYear: year - 1}
	title, text, found, err := s.lastReport(ctx, sc.Unit.ID, year-1)
	if err != nil {
		return nil, err
	}
	d.Found, d.Title, d.Section = found, title, text
	have, err := s.DB.Problems(ctx, []int64{sc.Unit.ID}, year-1)
	if err != nil {
		return nil, err
	}
	byText := map[string]int64{}
	for _, p := range have {
		if p.Source == rectify.FromLastReport {
			d.Registered = append(d.Registered, p)
			byText[strings.TrimSpace(p.Description)] = p.ID
		}
	}
	for i, c := range rectify.FromReportText(text) {
		rc := RectifyCandidate{N: i + 1, Text: c, Registered: byText[c]}
		rc.Picked = rc.Registered == 0
		d.Candidates = append(d.Candidates, rc)
	}
	return d, nil
}

func (s *Server) rectifyImportPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.managerScope(r)
	if err != nil {
		return err
	}
	year, err := importYear(r.FormValue("year"))
	if err != nil {
		return err
	}
	d, err := s.rectifyImportData(r.Context(), sc, year)
	if err != nil {
		return err
	}
	p := s.page(w, r, "从上年年报导入问题")
	p.Crumbs = rectifyCrumbs("从上年年报导入问题", sc)
	p.Data = d
	return s.render(w, "admin/rectify_import", p)
}

func (s *Server) rectifyImport(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.managerScope(r)
	if err != nil {
		return err
	}
	year, err := importYear(r.FormValue("year"))
	if err != nil {
		return err
	}
	d, err := s.rectifyImportData(r.Context(), sc, year)
	if err != nil {
		return err
	}
	ref := fmt.Sprintf("%d年年报", year-1)
	if d.Title != "" {
		ref = "《" + strings.TrimSpace(d.Title) + "》"
	}
	picked := map[int]bool{}
	for _, v := range r.PostForm["pick"] {
		if n, err := strconv.Atoi(v); err == nil {
			picked[n] = true
		}
	}
	// The candidates as the user left them: texts edited, boxes ticked.
	var ins []store.ProblemInput
	bad := false
	today := rectify.Today(time.Now())
	for i := range d.Candidates {
		c := &d.Candidates[i]
		c.Picked = picked[c.N]
		if v, ok := r.PostForm["text_"+strconv.Itoa(c.N)]; ok && len(v) > 0 {
			c.Text = strings.TrimSpace(v[0])
		}
		if !c.Picked {
			continue
		}
		f := rectify.Fields{Year: year - 1, Source: rectify.FromLastReport, SourceRef: ref, Description: c.Text}
		if err := rectify.ValidateFields(&f, today); err != nil {
			c.Err, bad = errs.MessageOf(err), true
			continue
		}
		ins = append(ins, store.ProblemInput{Fields: f})
	}
	switch {
	case !d.Found:
		err = errs.E(errs.Invalid, "没有找到 %d 年度的年报，无法导入", year-1)
	case bad:
		err = errs.E(errs.Invalid, "所选问题中有需要修改的内容，请按提示修改")
	case len(ins) == 0:
		err = errs.E(errs.Invalid, "请至少勾选一个问题")
	default:
		_, err = s.DB.CreateProblems(r.Context(), actorOf(r), sc.Actor, sc.Unit.ID, ins)
	}
	if err != nil {
		if c := errs.CodeOf(err); c != errs.Invalid && c != errs.Conflict {
			return err
		}
		d.Message = errs.MessageOf(err)
		p := s.page(w, r, "从上年年报导入问题")
		p.Crumbs = rectifyCrumbs("从上年年报导入问题", sc)
		p.Data = d
		p.Error = d.Message
		return s.render(w, "admin/rectify_import", p)
	}
	s.setFlash(w, fmt.Sprintf("已从%d年年报登记 %d 个问题。", year-1, len(ins)))
	http.Redirect(w, r, fmt.Sprintf("/admin/rectify?%s&year=%d&source=%s", sc.Query(), year-1, rectify.FromLastReport), http.StatusSeeOther)
	return nil
}
