package web

import (
	"fmt"
	"net/http"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/report"
)

// reportBoard is the dashboard's account of the annual reports: from 1
// December to 31 March (report.DueYear), each of the user's units' report of
// the year with its state and the working days left to its deadline
// (31 January, or 31 March for a 本级政府's 主管部门; 条例第四十九条); a
// superior unit sees its subordinates'.
type reportBoard struct {
	Year int
	Rows []reportHubRow
}

func (s *Server) reportBoard(r *http.Request) (*reportBoard, error) {
	ctx := r.Context()
	u := userOf(r)
	year, ok := report.DueYear(calendar.DateOf(s.reportsDB().Now().In(shanghai)))
	if !ok {
		return nil, nil
	}
	units, err := s.reportsDB().Units(ctx)
	if err != nil {
		return nil, err
	}
	mine := reportUnits(u, units)
	if len(mine) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(mine))
	for i, x := range mine {
		ids[i] = x.ID
	}
	recs, err := s.reportsDB().ReportRecords(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	byUnit := map[int64]report.Record{}
	for _, rc := range recs {
		if rc.Scope == annual.ScopeSelf {
			byUnit[rc.UnitID] = rc
		}
	}
	depth := map[int64]int{}
	for _, n := range org.Tree(units) {
		depth[n.Unit.ID] = n.Depth
	}
	b := &reportBoard{Year: year}
	for _, x := range mine {
		settings, err := s.reportsDB().UnitSettings(ctx, x.ID)
		if err != nil {
			return nil, err
		}
		days, err := s.reportDeadline(ctx, year, report.ProfileOf(x, settings).GovernmentWide)
		if err != nil {
			return nil, err
		}
		rc, ok := byUnit[x.ID]
		if !ok {
			rc = report.Record{UnitID: x.ID, Year: year, Scope: annual.ScopeSelf}
		}
		b.Rows = append(b.Rows, reportHubRow{Unit: x, Depth: depth[x.ID], Scope: annual.ScopeSelf, Record: rc, State: report.StateOf(rc), Days: days,
			Href: fmt.Sprintf("/admin/annual/%s/%d", x.Code, year)})
	}
	return b, nil
}
