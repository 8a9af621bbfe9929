package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/rectify"
)

// RectifyRow is a problem in the register's list.
type RectifyRow struct {
	rectify.Problem
	Dept        string
	Overdue     bool
	DaysOverdue int
}

// RectifyListData is the register's page: a unit's problems filtered by
// year, status and source, overdue first, with the counts by status.
type RectifyListData struct {
	Scope    rectifyScope
	Year     int    // 0 for every year
	Status   string // a rectify.Status, "pending" (待整改 and 整改中), "overdue", or "" for all
	Source   string
	Years    []int
	Counts   rectify.Counts
	Rows     []RectifyRow
	Statuses []rectify.Status
	Sources  []rectify.Source
	ThisYear int
	Prepared int // the report being prepared (preparedYear)
}

// rectifyFilter reads the list's filters; a value that is not one of the
// choices is bad input, said in one sentence.
func rectifyFilter(r *http.Request) (year int, status, source string, err error) {
	q := r.URL.Query()
	if v := q.Get("year"); v != "" {
		year, err = strconv.Atoi(v)
		if err != nil || year < rectify.FirstYear || year > 9999 {
			return 0, "", "", errs.E(errs.Invalid, "年度“%s”不正确：应为 %d 年以后的四位年份", v, rectify.FirstYear)
		}
	}
	status = q.Get("status")
	switch status {
	case "", "pending", "overdue":
	default:
		if rectify.Status(status).Label() == status {
			return 0, "", "", errs.E(errs.Invalid, "整改状态“%s”不正确", status)
		}
	}
	source = q.Get("source")
	if source != "" {
		if _, ok := rectify.ParseSource(source); !ok {
			return 0, "", "", errs.E(errs.Invalid, "问题来源“%s”不正确", source)
		}
	}
	return year, status, source, nil
}

func (s *Server) rectifyList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.rectifyScopeOf(r)
	if err != nil {
		return err
	}
	year, status, source, err := rectifyFilter(r)
	if err != nil {
		return err
	}
	all, err := s.DB.Problems(ctx, []int64{sc.Unit.ID})
	if err != nil {
		return err
	}
	_, depts, err := s.departmentNames(ctx, sc.Unit.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	d := RectifyListData{Scope: sc, Year: year, Status: status, Source: source, Statuses: rectify.Statuses, Sources: rectify.Sources, ThisYear: rectify.Today(now).Year(), Prepared: preparedYear(now)}
	seen := map[int]bool{d.ThisYear: true}
	d.Years = []int{d.ThisYear}
	var base []rectify.Problem
	for _, p := range all {
		if sc.Owner != 0 && p.OwnerDept != sc.Owner {
			continue
		}
		if !seen[p.Year] {
			seen[p.Year] = true
			d.Years = append(d.Years, p.Year)
		}
		if (year == 0 || p.Year == year) && (source == "" || string(p.Source) == source) {
			base = append(base, p)
		}
	}
	if year != 0 && !seen[year] {
		d.Years = append(d.Years, year)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(d.Years)))
	d.Counts = rectify.CountOf(base, now)
	var rows []rectify.Problem
	for _, p := range base {
		switch status {
		case "":
		case "pending":
			if p.Status.Closed() {
				continue
			}
		case "overdue":
			if !p.Overdue(now) {
				continue
			}
		default:
			if string(p.Status) != status {
				continue
			}
		}
		rows = append(rows, p)
	}
	rectify.SortQueue(rows, now)
	for _, p := range rows {
		d.Rows = append(d.Rows, RectifyRow{Problem: p, Dept: depts[p.OwnerDept], Overdue: p.Overdue(now), DaysOverdue: p.DaysOverdue(now)})
	}
	p := s.page(w, r, "整改台账")
	p.Crumbs = rectifyCrumbs("", sc)
	p.Data = d
	return s.render(w, "admin/rectify_list", p)
}
