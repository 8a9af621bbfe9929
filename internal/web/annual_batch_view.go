package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// batchPage is a batch's progress and its summary.
type batchPage struct {
	Batch   store.AnnualBatch
	Percent int
	Running bool
	Rows    []batchRow
	Heads   []sortHead
	Sort    string
	Dir     string
	Exports []formatLink
	Size    string // what the files came to
	// Totals over the files checked.
	Reports    int
	Unreadable int
	Errors     int
	Warnings   int
	Dismissed  int
}

// batchRow is one file of the summary, its counts with the reviewers'
// decisions applied (a dismissed finding is not counted).
type batchRow struct {
	store.BatchFileRow
	Href      string
	FormLabel string
	Errors    int
	Warnings  int
	Dismissed int
}

// sortHead is a column heading of the summary: a link that sorts by it,
// and the order it is sorted in now (aria-sort).
type sortHead struct {
	Label string
	Href  string
	Order string // ascending, descending or none
	Num   bool
}

// batchSorts are the summary's sort keys, their headings and the order a
// first click sorts in.
var batchSorts = []struct {
	key, label string
	num        bool
}{
	{"file", "文件", false}, {"unit", "单位", false}, {"year", "年度", true}, {"form", "形式", false},
	{"errors", "错误", true}, {"warnings", "警告", true}, {"unreadable", "无法读取", true},
}

// batchSortOf reads ?sort= and ?dir=: by file name in ascending order unless
// another key is asked for; a numeric key sorts the largest first unless
// dir=asc.
func batchSortOf(r *http.Request) (key, dir string) {
	key, dir = r.FormValue("sort"), r.FormValue("dir")
	num := false
	found := false
	for _, s := range batchSorts {
		if s.key == key {
			found, num = true, s.num
		}
	}
	if !found {
		key = "file"
	}
	if dir != "asc" && dir != "desc" {
		dir = "asc"
		if num {
			dir = "desc"
		}
	}
	return key, dir
}

func sortBatchRows(rows []batchRow, key, dir string) {
	less := func(a, b batchRow) int {
		switch key {
		case "unit":
			return strings.Compare(a.Unit, b.Unit)
		case "year":
			return a.Year - b.Year
		case "form":
			return strings.Compare(a.Form, b.Form)
		case "errors":
			return a.Errors - b.Errors
		case "warnings":
			return a.Warnings - b.Warnings
		case "unreadable":
			return boolInt(a.ReadError != "") - boolInt(b.ReadError != "")
		}
		return strings.Compare(a.Name, b.Name)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		c := less(rows[i], rows[j])
		if dir == "desc" {
			c = -c
		}
		if c == 0 {
			return rows[i].Pos < rows[j].Pos
		}
		return c < 0
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// batchView is a batch's page: while its job runs, the progress (the page
// reloads itself every few seconds); the summary of the files checked so
// far, sorted as asked.
func (s *Server) batchView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	b, err := s.batchOf(r)
	if err != nil {
		return err
	}
	files, err := s.DB.AnnualBatchFiles(ctx, b.ID)
	if err != nil {
		return err
	}
	reviewed, err := s.batchReviewed(ctx, b.ID, files)
	if err != nil {
		return err
	}
	key, dir := batchSortOf(r)
	bp := batchPage{Batch: b, Running: !b.Finished() && !b.JobFailed, Sort: key, Dir: dir}
	if b.Files > 0 {
		bp.Percent = b.Done * 100 / b.Files
	}
	bp.Size = strconv.FormatFloat(float64(b.Bytes)/(1<<20), 'f', 1, 64) + " MB"
	for _, f := range files {
		if !f.Done {
			continue
		}
		row := batchRow{BatchFileRow: f, FormLabel: formLabels[f.Form], Errors: f.Errors, Warnings: f.Warnings,
			Href: fmt.Sprintf("%s/files/%d", batchPath(b.ID), f.ID)}
		if rv, ok := reviewed[f.ID]; ok {
			row.Errors, row.Warnings = 0, 0
			for _, x := range rv.Open {
				if x.Severity == annual.Error {
					row.Errors++
				} else {
					row.Warnings++
				}
			}
			row.Dismissed = len(rv.Dismissed)
		}
		if f.ReadError != "" {
			bp.Unreadable++
		} else {
			bp.Reports++
		}
		bp.Errors += row.Errors
		bp.Warnings += row.Warnings
		bp.Dismissed += row.Dismissed
		bp.Rows = append(bp.Rows, row)
	}
	sortBatchRows(bp.Rows, key, dir)
	for _, sh := range batchSorts {
		h := sortHead{Label: sh.label, Order: "none", Num: sh.num}
		next := "asc"
		if sh.num {
			next = "desc"
		}
		if sh.key == key {
			h.Order = map[string]string{"asc": "ascending", "desc": "descending"}[dir]
			next = map[string]string{"asc": "desc", "desc": "asc"}[dir]
		}
		h.Href = batchPath(b.ID) + "?" + url.Values{"sort": {sh.key}, "dir": {next}}.Encode()
		bp.Heads = append(bp.Heads, h)
	}
	if b.Finished() {
		bp.Exports = []formatLink{{"Excel 工作簿（.xlsx）", batchPath(b.ID) + "/summary.xlsx"}, {"CSV（与 gongkai report check --csv 的列相同）", batchPath(b.ID) + "/summary.csv"}}
	}
	p := s.page(w, r, "批量检查："+b.Name)
	if bp.Running {
		p.Refresh = 3
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {"批量检查", batchUploadPath}, {b.Name, ""}}
	p.Data = bp
	return s.render(w, "admin/annual_batch", p)
}

// batchReviewed applies the decisions in force to the checked files whose
// unit and year have any: those files are read whole and reviewed; the
// others keep the counts the check stored.
func (s *Server) batchReviewed(ctx context.Context, batchID int64, files []store.BatchFileRow) (map[int64]annual.Reviewed, error) {
	units, err := s.DB.Units(ctx)
	if err != nil {
		return nil, err
	}
	tree := org.Tree(units)
	unitOf := map[int64]int64{}
	seen := map[int64]bool{}
	var ids []int64
	for _, f := range files {
		if !f.Done || f.ReadError != "" || f.Year == 0 {
			continue
		}
		if id := guessUnit(f.Unit, tree); id != 0 {
			unitOf[f.ID] = id
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	decisions, err := s.DB.FindingDecisions(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := map[int64]annual.Reviewed{}
	for _, f := range files {
		ds := decisions[store.UnitYear{UnitID: unitOf[f.ID], Year: f.Year}]
		if unitOf[f.ID] == 0 || len(ds) == 0 {
			continue
		}
		r := f.Report
		if r == nil {
			full, err := s.DB.AnnualBatchFile(ctx, batchID, f.ID)
			if err != nil {
				return nil, err
			}
			r = full.Report
		}
		if r != nil {
			out[f.ID] = annual.Review(r.Findings, ds)
		}
	}
	return out, nil
}

// batchColumns are the summary's columns in the exports: those of report
// check --csv, then the findings dismissed by a reviewer (not counted in
// the others).
var batchColumns = append(append([]annual.BatchColumn(nil), annual.BatchColumns...), annual.BatchColumn{Key: "dismissed", Label: "已排除", Number: true})

// batchExport downloads a completed batch's summary: summary.xlsx or
// summary.csv, one row per file in the batch's order with the counts after
// the reviewers' decisions.
func (s *Server) batchExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	format := strings.TrimPrefix(r.PathValue("file"), "summary.")
	if format != "xlsx" && format != "csv" {
		return errNotFoundPage
	}
	b, err := s.batchOf(r)
	if err != nil {
		return err
	}
	if !b.Finished() {
		return errs.E(errs.Conflict, "批量检查尚未完成，完成后才能导出汇总")
	}
	files, err := s.DB.AnnualBatchReports(ctx, b.ID)
	if err != nil {
		return err
	}
	reviewed, err := s.batchReviewed(ctx, b.ID, files)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, f := range files {
		if f.Report == nil {
			reason := f.ReadError
			if reason == "" {
				reason = "无法读取"
			}
			rows = append(rows, append(annual.BatchRow(f.Name, nil, errors.New(reason)), ""))
			continue
		}
		rep, dismissed := *f.Report, 0
		if rv, ok := reviewed[f.ID]; ok {
			rep.Findings, dismissed = rv.Findings(), len(rv.Dismissed)
		}
		rows = append(rows, append(annual.BatchRow(f.Name, &rep, nil), strconv.Itoa(dismissed)))
	}
	name := "批量检查汇总（" + b.Name + "）." + format
	if format == "csv" {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		header := make([]string, len(batchColumns))
		for i, c := range batchColumns {
			header[i] = c.Key
		}
		cw.Write(header)
		cw.WriteAll(rows)
		if err := cw.Error(); err != nil {
			return err
		}
		return sendFile(w, "text/csv; charset=utf-8", name, buf.Bytes())
	}
	data, err := export.BatchXLSX("批量检查汇总："+b.Name, batchColumns, rows)
	if err != nil {
		return err
	}
	return sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name, data)
}

// sendFile writes a download.
func sendFile(w http.ResponseWriter, ctype, name string, data []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err := w.Write(data)
	return err
}

// batchFilePage is one file of a batch: the report as read with its
// findings marked, or the reason it could not be read.
type batchFilePage struct {
	Batch store.AnnualBatch
	File  store.BatchFileRow
	View  *checkedView
	Back  string
}

func (s *Server) batchFileReport(r *http.Request) (store.AnnualBatch, store.BatchFileRow, error) {
	b, err := s.batchOf(r)
	if err != nil {
		return b, store.BatchFileRow{}, err
	}
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return b, store.BatchFileRow{}, errNotFoundPage
	}
	f, err := s.DB.AnnualBatchFile(r.Context(), b.ID, fid)
	return b, f, err
}

func (s *Server) batchFile(w http.ResponseWriter, r *http.Request) error {
	return s.renderBatchFile(w, r, s.page(w, r, ""))
}

func (s *Server) renderBatchFile(w http.ResponseWriter, r *http.Request, p *Page) error {
	b, f, err := s.batchFileReport(r)
	if err != nil {
		return err
	}
	fp := batchFilePage{Batch: b, File: f, Back: batchPath(b.ID)}
	if f.Report != nil {
		rs, decisions, err := s.reviewOf(r.Context(), userOf(r), f.Report, fmt.Sprintf("%s/files/%d/decide", batchPath(b.ID), f.ID))
		if err != nil {
			return err
		}
		if fp.View, err = newCheckedView(f.Report, "finding-", decisions, rs); err != nil {
			return err
		}
	}
	if !f.Done {
		p.Refresh = 3
	}
	p.Title = f.Name
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {"批量检查", batchUploadPath}, {b.Name, fp.Back}, {f.Name, ""}}
	p.Data = fp
	return s.render(w, "admin/annual_batch_file", p)
}

// batchFileDecide records a decision on a finding of a batch's report.
func (s *Server) batchFileDecide(w http.ResponseWriter, r *http.Request) error {
	b, f, err := s.batchFileReport(r)
	if err != nil {
		return err
	}
	if f.Report == nil {
		return errs.E(errs.NotFound, "这个文件没有读出报告，没有可确认或排除的问题")
	}
	return s.decideFinding(w, r, f.Report, fmt.Sprintf("%s/files/%d", batchPath(b.ID), f.ID), func(p *Page) error { return s.renderBatchFile(w, r, p) })
}
