package web

import (
	"bytes"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// Limits on the reports uploaded for checking: a published report is a few
// hundred kilobytes as text, a PDF or a DOCX with pictures a few megabytes;
// a file may use the whole form.
const (
	maxReportFiles = 20
	maxReportForm  = 40 << 20
	maxReportFile  = maxReportForm
)

func (s *Server) annualRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/reports", s.statistician(s.annualIndex))
	mux.Handle("POST /admin/reports/check", s.statistician(s.annualCheck))
	mux.Handle("POST /admin/reports/import", s.statistician(s.annualImport))
	mux.Handle("GET /admin/reports/history/{id}", s.statistician(s.annualHistoryView))
	mux.Handle("GET /admin/reports/uploads/{id}", s.statistician(s.annualUpload))
	mux.Handle("POST /admin/reports/uploads/{id}/decide", s.statistician(s.annualUploadDecide))
	mux.Handle("GET "+batchUploadPath, s.statistician(s.batchList))
	mux.Handle("POST "+batchUploadPath, s.statistician(s.batchCreate))
	mux.Handle("GET /admin/reports/batches/{id}", s.statistician(s.batchView))
	mux.Handle("GET /admin/reports/batches/{id}/{file}", s.statistician(s.batchExport))
	mux.Handle("GET /admin/reports/batches/{id}/files/{file}", s.statistician(s.batchFile))
	mux.Handle("POST /admin/reports/batches/{id}/files/{file}/decide", s.statistician(s.batchFileDecide))
}

// statistician serves pages for the annual report: statisticians and
// administrators.
func (s *Server) statistician(h handler) http.Handler {
	return s.staff(func(w http.ResponseWriter, r *http.Request) error {
		u := userOf(r)
		if !u.HasAnywhere(org.RoleStatistician) && !u.HasAnywhere(org.RoleAdmin) {
			return errs.E(errs.Forbidden, "此页面仅限统计人员和系统管理员使用")
		}
		return h(w, r)
	})
}

// reportScope is the set of units for whose history the user may import:
// units where they are statistician, and the units an administrator
// manages.
func (s *Server) reportScope(r *http.Request) (map[int64]bool, []org.Unit, error) {
	scope, units, err := s.adminScope(r)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range userOf(r).Grants {
		if g.Role == org.RoleStatistician {
			scope[g.UnitID] = true
		}
	}
	return scope, units, nil
}

// HistoryRow is an imported report in the list.
type HistoryRow struct {
	store.HistoryReport
	UnitName string
	Errors   int
	Warnings int
}

func (s *Server) annualIndex(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "年度报告检查")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", ""}}
	return s.renderAnnualIndex(w, r, p)
}

func (s *Server) renderAnnualIndex(w http.ResponseWriter, r *http.Request, p *Page) error {
	scope, units, err := s.reportScope(r)
	if err != nil {
		return err
	}
	var ids []int64
	for id := range scope {
		ids = append(ids, id)
	}
	var rows []HistoryRow
	if len(ids) > 0 {
		hs, err := s.DB.AnnualHistory(r.Context(), ids...)
		if err != nil {
			return err
		}
		names := unitNames(units)
		decisions, err := s.DB.FindingDecisions(r.Context(), ids...)
		if err != nil {
			return err
		}
		for _, h := range hs {
			row := HistoryRow{HistoryReport: h, UnitName: names[h.UnitID]}
			for _, f := range annual.Review(h.Report.Findings, decisions[store.UnitYear{UnitID: h.UnitID, Year: h.Year}]).Findings() {
				if f.Severity == annual.Error {
					row.Errors++
				} else {
					row.Warnings++
				}
			}
			rows = append(rows, row)
		}
	}
	p.Data = map[string]any{"History": rows}
	return s.render(w, "admin/annual_index", p)
}

// CheckedReport is one uploaded file and what the reader made of it.
type CheckedReport struct {
	Name     string
	UploadID int64
	Err      string
	Report   *annual.Report
	View     *checkedView
	Units    []org.TreeNode
	UnitID   int64 // the unit the report seems to be of, for the import form
	Imported bool  // the unit already has this year in its history
}

// annualCheck reads and checks uploaded reports. Each file is kept, so that
// "import as history" re-reads exactly what was checked.
func (s *Server) annualCheck(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxReportForm)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		p := s.page(w, r, "年度报告检查")
		p.Error = "上传失败：文件总大小不能超过 40 MB"
		return s.renderAnnualIndexStatus(w, r, p)
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 || len(files) > maxReportFiles {
		p := s.page(w, r, "年度报告检查")
		p.Error = "请选择 1 至 20 份年度报告文件（PDF、Word .docx、网页 .html 或文本 .txt）"
		return s.renderAnnualIndexStatus(w, r, p)
	}
	scope, units, err := s.reportScope(r)
	if err != nil {
		return err
	}
	var checked []*CheckedReport
	var reports []*annual.Report
	for _, fh := range files {
		cr := &CheckedReport{Name: fh.Filename}
		checked = append(checked, cr)
		if fh.Size > maxReportFile {
			cr.Err = "文件过大：单个年报文件不能超过 40 MB"
			continue
		}
		f, err := fh.Open()
		if err != nil {
			cr.Err = "无法读取上传的文件"
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, maxReportFile+1))
		f.Close()
		if err != nil {
			cr.Err = "无法读取上传的文件"
			continue
		}
		up, err := s.DB.SaveAnnualUpload(ctx, actorOf(r), fh.Filename, data)
		if err != nil {
			return err
		}
		cr.UploadID = up.ID
		rep, err := annual.Read(data, fh.Filename)
		if err != nil {
			cr.Err = err.Error()
			if isArchive(fh.Filename, data) {
				cr.Err = "这是 ZIP 压缩包，不是一份年度报告：整个文件夹或压缩包请在“批量检查”页面上传"
			}
			continue
		}
		rep.Findings = annual.Check(rep)
		reports = append(reports, rep)
		cr.Report = rep
	}
	if err := s.checkWithHistory(r, reports); err != nil {
		return err
	}
	history, err := s.DB.AnnualHistory(ctx)
	if err != nil {
		return err
	}
	tree := inScopeUnits(scope, units)
	for i, cr := range checked {
		if cr.Report == nil {
			continue
		}
		rs, decisions, err := s.reviewOf(ctx, userOf(r), cr.Report, uploadPath(cr.UploadID)+"/decide")
		if err != nil {
			return err
		}
		if cr.View, err = newCheckedView(cr.Report, "finding-r"+itoa(i+1)+"-", decisions, rs); err != nil {
			return err
		}
		cr.Units = tree
		cr.UnitID = guessUnit(cr.Report.Unit, tree)
		for _, h := range history {
			if h.UnitID == cr.UnitID && h.Year == cr.Report.Year {
				cr.Imported = true
			}
		}
	}
	p := s.page(w, r, "年度报告检查结果")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {"检查结果", ""}}
	p.Data = map[string]any{"Checked": checked}
	return s.render(w, "admin/annual_result", p)
}

func (s *Server) renderAnnualIndexStatus(w http.ResponseWriter, r *http.Request, p *Page) error {
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", ""}}
	p.Form = nil
	return s.renderAnnualIndex(w, r, p)
}

// checkWithHistory applies the rules across years to the reports, together
// with the previous year of each unit where that is in the imported history.
func (s *Server) checkWithHistory(r *http.Request, reports []*annual.Report) error {
	if len(reports) == 0 {
		return nil
	}
	history, err := s.DB.AnnualHistory(r.Context())
	if err != nil {
		return err
	}
	set := append([]*annual.Report(nil), reports...)
	for _, rep := range reports {
		for _, h := range history {
			if h.Year == rep.Year-1 && annual.UnitKey(h.Report.Unit) == annual.UnitKey(rep.Unit) {
				set = append(set, h.Report)
			}
		}
	}
	annual.CheckAcrossYears(set)
	return nil
}

// guessUnit picks the unit whose name the report's unit starts with, the
// longest such name winning (福州海关（本级机关） → 福州海关).
func guessUnit(name string, tree []org.TreeNode) int64 {
	var best int64
	bestLen := 0
	for _, n := range tree {
		if strings.HasPrefix(name, n.Unit.Name) && len(n.Unit.Name) > bestLen {
			best, bestLen = n.Unit.ID, len(n.Unit.Name)
		}
	}
	return best
}

// annualImport stores an uploaded report as a unit's own report for its year.
func (s *Server) annualImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	uploadID, _ := strconv.ParseInt(r.PostFormValue("upload"), 10, 64)
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	scope, _, err := s.reportScope(r)
	if err != nil {
		return err
	}
	if unitID == 0 || !scope[unitID] {
		return errs.E(errs.Forbidden, "请选择您有权导入年报的单位")
	}
	up, err := s.DB.AnnualUpload(ctx, uploadID)
	if err != nil {
		return err
	}
	rep, err := annual.Read(up.Content, up.Name)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "%s", err.Error())
	}
	unit, err := s.DB.Unit(ctx, unitID)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(annual.UnitKey(rep.Unit), annual.UnitKey(unit.Name)) {
		return errs.E(errs.Invalid, "年报所属单位“%s”与所选单位“%s”不一致，未导入", rep.Unit, unit.Name)
	}
	rep.Findings = annual.Check(rep)
	if err := s.checkWithHistory(r, []*annual.Report{rep}); err != nil {
		return err
	}
	id, err := s.DB.ImportAnnualHistory(ctx, actorOf(r), unitID, up.ID, rep)
	if err != nil {
		return err
	}
	s.setFlash(w, "已将《"+rep.Title+"》导入为历史年报")
	http.Redirect(w, r, "/admin/reports/history/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) annualHistoryView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := s.DB.AnnualHistoryReport(r.Context(), id)
	if err != nil {
		return err
	}
	scope, units, err := s.reportScope(r)
	if err != nil {
		return err
	}
	if !scope[h.UnitID] {
		return errs.E(errs.Forbidden, "您无权查看该单位的历史年报")
	}
	p := s.page(w, r, h.Report.Title)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {strconv.Itoa(h.Year) + " 年度", ""}}
	rs, decisions, err := s.reviewOf(r.Context(), userOf(r), h.Report, "")
	if err != nil {
		return err
	}
	v, err := newCheckedView(h.Report, "finding-", decisions, rs)
	if err != nil {
		return err
	}
	p.Data = map[string]any{"View": v, "UnitName": unitNames(units)[h.UnitID], "History": h}
	return s.render(w, "admin/annual_history", p)
}

// isArchive reports whether an upload is a zip of files rather than a DOCX
// (which is a zip too): named .zip, or a zip without word/document.xml.
func isArchive(name string, data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK")) {
		return false
	}
	if strings.EqualFold(path.Ext(name), ".zip") {
		return true
	}
	return !bytes.Contains(data, []byte("word/document.xml"))
}
