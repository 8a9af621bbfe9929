package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
	"gongkai/internal/report"
	"gongkai/internal/requests"
)

// FigureRecords lists the records behind a figure or a table cell of the
// annual report: exactly the rows the figure counts, by the same predicates
// as the query that counts them, so that the number of records equals the
// figure (the preview's drill-down; TestFigureRecordsMatchFigures holds
// every count of the catalogue to it).
func (db *DB) FigureRecords(ctx context.Context, q report.RecordQuery, page, per int) (report.RecordPage, error) {
	if per <= 0 || per > 200 {
		per = 50
	}
	if page < 1 {
		page = 1
	}
	out := report.RecordPage{Page: page, Per: per}
	if len(q.UnitIDs) == 0 {
		return out, errs.E(errs.Invalid, "没有指定单位")
	}
	var rows []report.RecordRow
	var err error
	switch q.Kind {
	case report.RecApplications:
		return db.applicationRecords(ctx, q, page, per)
	case report.RecAppeals:
		rows, err = db.appealRecords(ctx, q)
	case report.RecFees:
		rows, err = db.feeRecords(ctx, q)
	case report.RecItems:
		rows, err = db.itemRecords(ctx, q)
	case report.RecDocuments:
		rows, err = db.documentRecords(ctx, q)
	case report.RecDecisions:
		return db.pagedRecords(ctx, page, per, decisionRecordsSQL(q))
	case report.RecAdminFees:
		return db.pagedRecords(ctx, page, per, adminFeeRecordsSQL(q))
	case report.RecCalls:
		return db.pagedRecords(ctx, page, per, callRecordsSQL(q))
	case report.RecHotline:
		return db.pagedRecords(ctx, page, per, hotlineRecordsSQL(q))
	case report.RecEnquiries:
		return db.pagedRecords(ctx, page, per, enquiryRecordsSQL(q))
	case report.RecVisits:
		return db.pagedRecords(ctx, page, per, visitRecordsSQL(q))
	case report.RecPosts:
		return db.pagedRecords(ctx, page, per, postRecordsSQL(q))
	case report.RecFollowers:
		return db.pagedRecords(ctx, page, per, followerRecordsSQL(q))
	case report.RecOutreach:
		return db.pagedRecords(ctx, page, per, outreachRecordsSQL(q))
	case report.RecSurveys:
		return db.pagedRecords(ctx, page, per, surveyRecordsSQL(q))
	case report.RecComplaints:
		return db.pagedRecords(ctx, page, per, complaintRecordsSQL(q))
	case report.RecProblems:
		in, args := unitArgs(q, q.ProblemYear)
		return db.pagedRecords(ctx, page, per, recordsSQL{from: "rectify_problems WHERE unit_id IN " + in + " AND year = ?", args: args,
			cols: "id, created_at, description, status", order: "id", href: "/admin/rectify/%d"})
	default:
		return out, errs.E(errs.Invalid, "未知的记录种类“%s”", q.Kind)
	}
	if err != nil {
		return out, err
	}
	out.Total, out.Sum = len(rows), int64(len(rows))
	lo := min((page-1)*per, len(rows))
	out.Rows = rows[lo:min(lo+per, len(rows))]
	return out, nil
}

// recordsSQL is a listing: its FROM … WHERE clause and arguments, the
// columns of a row (id, day, title, detail) and their order.
type recordsSQL struct {
	from  string
	args  []any
	cols  string // id, day, title, detail
	order string
	href  string // fmt pattern with the id, "" for none
	// count is what one row counts toward the figure: "" for 1 each, or an
	// expression summed (a day of visits counts its hits, an outreach event
	// its enterprises).
	count string
}

func (db *DB) pagedRecords(ctx context.Context, page, per int, s recordsSQL) (report.RecordPage, error) {
	out := report.RecordPage{Page: page, Per: per}
	sumExpr := "count(*)"
	if s.count != "" {
		sumExpr = "COALESCE(SUM(" + s.count + "), 0)"
	}
	var total, sum int64
	if err := db.row(ctx, "SELECT count(*), "+sumExpr+" FROM "+s.from, s.args...).Scan(&total, &sum); err != nil {
		return out, db.mapErr(err)
	}
	out.Total, out.Sum = int(total), sum
	rows, err := db.query(ctx, "SELECT "+s.cols+" FROM "+s.from+" ORDER BY "+s.order+" LIMIT ? OFFSET ?", append(append([]any{}, s.args...), per, (page-1)*per)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var r report.RecordRow
		if err := rows.Scan(&r.ID, &r.Day, &r.Title, &r.Detail); err != nil {
			return out, err
		}
		r.Day = civilDay(r.Day)
		if s.href != "" {
			r.Href = fmt.Sprintf(s.href, r.ID)
		}
		out.Rows = append(out.Rows, r)
	}
	return out, rows.Err()
}

// civilDay turns a stored instant into its Beijing date; a civil date stays.
func civilDay(s string) string {
	if len(s) > 10 {
		if t, err := parseTS(s); err == nil {
			return t.In(beijing).Format("2006-01-02")
		}
	}
	return s
}

func yearInstants(year int) (string, string) {
	from, to := desk.YearRange(year)
	return ts(from), ts(to)
}

func yearDays(year int) (string, string) { return requests.YearBounds(year) }

func unitArgs(q report.RecordQuery, extra ...any) (string, []any) {
	in, args := inList(q.UnitIDs)
	return in, append(args, extra...)
}

// sumOf is the expression a summing query adds up, "" when it counts.
func sumOf(q report.RecordQuery, expr string) string {
	if q.Sum == "" {
		return ""
	}
	return expr
}

func decisionRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, q.DecisionKind, d0, d1)
	return recordsSQL{from: "publish_decisions WHERE unit_id IN " + in + " AND kind = ? AND decided_on >= ? AND decided_on <= ?", args: args,
		cols: "id, decided_on, doc_no || '　' || subject, matter || '：' || result", order: "decided_on, id"}
}

func adminFeeRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	return recordsSQL{from: "publish_fees WHERE unit_id IN " + in + " AND collected_on >= ? AND collected_on <= ?", args: args,
		cols: "id, collected_on, item, payer || '　' || receipt_no", order: "collected_on, id"}
}

func callRecordsSQL(q report.RecordQuery) recordsSQL {
	t0, t1 := yearInstants(q.Year)
	in, args := unitArgs(q, t0, t1)
	where := "desk_cdr c JOIN desk_imports i ON i.id = c.import_id WHERE i.state = 'done' AND c.unit_id IN " + in + " AND c.started_at >= ? AND c.started_at < ?"
	if q.Answered {
		where += " AND c.answered = 1"
	}
	return recordsSQL{from: where, args: args, order: "c.started_at, c.id",
		cols: "c.id, c.started_at, '话单 ' || c.call_id, CASE WHEN c.answered = 1 THEN '已接听，通话' || c.talk_secs || '秒' ELSE '未接通，等待' || c.wait_secs || '秒' END"}
}

func hotlineRecordsSQL(q report.RecordQuery) recordsSQL {
	t0, t1 := yearInstants(q.Year)
	in, args := unitArgs(q, t0, t1)
	where := "desk_calls c LEFT JOIN desk_imports i ON i.id = c.import_id WHERE (c.import_id IS NULL OR i.state = 'done') AND c.unit_id IN " + in + " AND c.at >= ? AND c.at < ?"
	if q.Rated {
		where += " AND c.rating > 0"
	}
	return recordsSQL{from: where, args: args, order: "c.at, c.id",
		cols: "c.id, c.at, c.question, CASE WHEN c.rating > 0 THEN '评价' || c.rating || '星' ELSE '未评价' END"}
}

func enquiryRecordsSQL(q report.RecordQuery) recordsSQL {
	t0, t1 := yearInstants(q.Year)
	in, args := unitArgs(q, q.EnquiryKind, t0, t1)
	col := "received_at"
	if q.Handled {
		col = "answered_at"
	}
	return recordsSQL{from: "desk_enquiries WHERE unit_id IN " + in + " AND kind = ? AND " + col + " >= ? AND " + col + " < ?", args: args,
		cols: "id, " + col + ", subject, ref", order: col + ", id", href: "/admin/desk/enquiries/%d"}
}

func visitRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	return recordsSQL{from: "desk_visits WHERE unit_id IN " + in + " AND day >= ? AND day <= ?", args: args, count: sumOf(q, "hits"),
		cols: "unit_id, day, page_group, hits || '次'", order: "day, page_group"}
}

func postRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	where := "desk_posts p JOIN desk_accounts a ON a.id = p.account_id WHERE a.unit_id IN " + in + " AND p.day >= ? AND p.day <= ?"
	if q.Platform != "" {
		where += " AND a.platform = ?"
		args = append(args, q.Platform)
	}
	if q.PostKind != "" {
		where += " AND p.kind = ?"
		args = append(args, q.PostKind)
	}
	if q.MediaColumn != "" {
		where += " AND p.column_name = ?"
		args = append(args, q.MediaColumn)
	}
	return recordsSQL{from: where, args: args, order: "p.day, p.id",
		cols: "p.id, p.day, p.title, a.name || CASE WHEN p.column_name <> '' THEN '　“' || p.column_name || '”专栏' ELSE '' END"}
}

func followerRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	args = append(args, q.Platform)
	// Each account's last count of the year, as the figure sums them.
	return recordsSQL{from: `desk_followers f JOIN desk_accounts a ON a.id = f.account_id WHERE a.unit_id IN ` + in + `
		AND f.day = (SELECT MAX(g.day) FROM desk_followers g WHERE g.account_id = f.account_id AND g.day >= ? AND g.day <= ?) AND a.platform = ?`,
		args: args, count: sumOf(q, "f.followers"), order: "a.id", cols: "a.id, f.day, a.name, f.followers || '人'"}
}

func outreachRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	where := "desk_outreach WHERE unit_id IN " + in + " AND day >= ? AND day <= ?"
	if q.OutreachKind != "" {
		where += " AND kind = ?"
		args = append(args, q.OutreachKind)
	}
	return recordsSQL{from: where, args: args, count: sumOf(q, "enterprises"),
		cols: "id, day, title, '覆盖企业' || enterprises || '家'", order: "day, id"}
}

func surveyRecordsSQL(q report.RecordQuery) recordsSQL {
	t0, t1 := yearInstants(q.Year)
	in, args := unitArgs(q, t1, t0)
	// The year's bounds are also written into the column expression: they
	// are timestamps this function made, not input.
	answers := "(SELECT count(*) FROM desk_responses r WHERE r.survey_id = s.id AND r.at >= '" + t0 + "' AND r.at < '" + t1 + "')"
	return recordsSQL{from: "desk_surveys s WHERE s.unit_id IN " + in + " AND s.opened_at <> '' AND s.opened_at < ? AND (s.closed_at = '' OR s.closed_at >= ?)",
		args: args, order: "s.id", href: "/admin/desk/surveys/%d", count: sumOf(q, answers),
		cols: "s.id, s.opened_at, s.title, '本年答卷' || (SELECT count(*) FROM desk_responses r WHERE r.survey_id = s.id AND r.at >= '" + t0 + "' AND r.at < '" + t1 + "') || '份'"}
}

func complaintRecordsSQL(q report.RecordQuery) recordsSQL {
	d0, d1 := yearDays(q.Year)
	in, args := unitArgs(q, d0, d1)
	return recordsSQL{from: "desk_complaints WHERE unit_id IN " + in + " AND received_on >= ? AND received_on <= ?", args: args,
		cols: "id, received_on, complainant, channel", order: "received_on, id"}
}

// applicationRecords lists the applications of a table 三 cell, a group of
// outcome rows, or a subject, by the year boundaries of requests.Buckets.
func (db *DB) applicationRecords(ctx context.Context, q report.RecordQuery, page, per int) (report.RecordPage, error) {
	first, last := requests.YearBounds(q.Year)
	in, args := unitArgs(q)
	where := "unit_id IN " + in
	switch q.Bucket {
	case requests.BucketReceived:
		where += " AND received_on >= ? AND received_on <= ?"
		args = append(args, first, last)
	case requests.BucketCarriedOver:
		where += " AND received_on < ? AND (concluded_on = '' OR concluded_on >= ?)"
		args = append(args, first, first)
	case requests.BucketConcluded:
		where += " AND concluded_on >= ? AND concluded_on <= ?"
		args = append(args, first, last)
	case requests.BucketCarriedForward:
		where += " AND received_on <= ? AND (concluded_on = '' OR concluded_on > ?)"
		args = append(args, last, last)
	default:
		return report.RecordPage{}, errs.E(errs.Invalid, "未知的表三口径")
	}
	outcomes := q.Outcomes
	if q.Outcome != "" {
		outcomes = append(outcomes, q.Outcome)
	}
	if len(outcomes) > 0 {
		where += " AND outcome IN (?" + strings.Repeat(", ?", len(outcomes)-1) + ")"
		for _, o := range outcomes {
			args = append(args, string(o))
		}
	}
	if q.SubKind != "" {
		where += " AND sub_kind = ?"
		args = append(args, q.SubKind)
	}
	if q.NoSubKind {
		where += " AND sub_kind = ''"
	}
	if q.NotSubKind != "" {
		where += " AND NOT (outcome = ? AND sub_kind = ?)"
		args = append(args, string(annual.RowOtherOther), q.NotSubKind)
	}
	switch {
	case q.Column == -2:
		where += " AND applicant_type <> ?"
		args = append(args, string(requests.NaturalPerson))
	case q.Column >= 0 && q.Column < int(annual.ColTotal):
		where += " AND applicant_type = ?"
		args = append(args, annual.ColumnKeys[q.Column])
	}
	if q.Subject != "" {
		where += " AND id IN (SELECT application_id FROM req_subjects WHERE subject = ?)"
		args = append(args, q.Subject)
	}
	return db.pagedRecords(ctx, page, per, recordsSQL{from: "req_applications WHERE " + where, args: args, order: "received_on, id",
		cols: "id, received_on, receipt_no, description", href: "/admin/requests/%d"})
}

func (db *DB) appealRecords(ctx context.Context, q report.RecordQuery) ([]report.RecordRow, error) {
	appeals, err := db.RequestAppealsOf(ctx, q.UnitIDs, q.Year)
	if err != nil {
		return nil, err
	}
	var out []report.RecordRow
	for _, a := range appeals {
		// The same rule as requests.Table4: filed by the year's end and not
		// decided before it.
		if a.FiledOn.Year() > q.Year || (!a.DecidedOn.IsZero() && a.DecidedOn.Year() < q.Year) {
			continue
		}
		switch q.AppealKind {
		case "":
		case "litigation":
			if a.Kind != requests.LawsuitDirect && a.Kind != requests.LawsuitAfterRecon {
				continue
			}
		default:
			if string(a.Kind) != q.AppealKind {
				continue
			}
		}
		result := requests.ResultPending
		if !a.DecidedOn.IsZero() && a.DecidedOn.Year() == q.Year {
			result = a.Result
		}
		if c := q.AppealCell; c != "" && c != "total" && (c == "pending" && result != requests.ResultPending || c != "pending" && string(result) != c) {
			continue
		}
		out = append(out, report.RecordRow{ID: a.ApplicationID, Day: a.FiledOn.String(), Title: requests.AppealKindLabel(a.Kind), Detail: requests.AppealResultLabel(result),
			Href: fmt.Sprintf("/admin/requests/%d", a.ApplicationID)})
	}
	return out, nil
}

func (db *DB) feeRecords(ctx context.Context, q report.RecordQuery) ([]report.RecordRow, error) {
	first, last := requests.YearBounds(q.Year)
	in, args := unitArgs(q, first, last)
	rows, err := db.query(ctx, `SELECT a.id, e.on_date, a.receipt_no FROM req_events e JOIN req_applications a ON a.id = e.application_id
		WHERE a.unit_id IN `+in+` AND e.kind = 'fee_paid' AND e.on_date >= ? AND e.on_date <= ? ORDER BY e.on_date, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []report.RecordRow
	for rows.Next() {
		var r report.RecordRow
		if err := rows.Scan(&r.ID, &r.Day, &r.Title); err != nil {
			return nil, err
		}
		r.Detail, r.Href = "已缴纳信息处理费", fmt.Sprintf("/admin/requests/%d", r.ID)
		out = append(out, r)
	}
	return out, rows.Err()
}

// itemRecords lists the publications a 主动公开 figure counts: the same
// publications PublishStatsOf counts (publish.Publications), filtered by
// category and by new or updated.
func (db *DB) itemRecords(ctx context.Context, q report.RecordQuery) ([]report.RecordRow, error) {
	pubs, cats, err := db.publicationsOf(ctx, q.UnitIDs, q.Year)
	if err != nil {
		return nil, err
	}
	var catID int64
	if q.Category != "" {
		for _, c := range cats {
			if c.Slug == q.Category {
				catID = c.ID
			}
		}
		if catID == 0 {
			return nil, errs.E(errs.NotFound, "没有栏目“%s”", q.Category)
		}
	}
	var ids []int64
	at := map[int64][]time.Time{}
	for _, p := range pubs {
		if p.At.In(beijing).Year() != q.Year || p.Revision != q.Revision || (catID != 0 && p.CategoryID != catID) {
			continue
		}
		if len(at[p.ItemID]) == 0 {
			ids = append(ids, p.ItemID)
		}
		at[p.ItemID] = append(at[p.ItemID], p.At)
	}
	titles := map[int64]string{}
	for lo := 0; lo < len(ids); lo += 500 {
		in, args := inList(ids[lo:min(lo+500, len(ids))])
		rows, err := db.query(ctx, "SELECT id, title FROM publish_items WHERE id IN "+in, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var t string
			if err := rows.Scan(&id, &t); err != nil {
				rows.Close()
				return nil, err
			}
			titles[id] = t
		}
		rows.Close()
	}
	var out []report.RecordRow
	for _, id := range ids {
		for _, t := range at[id] {
			detail := "首次发布"
			if q.Revision {
				detail = "更新"
			}
			out = append(out, report.RecordRow{ID: id, Day: t.In(beijing).Format("2006-01-02"), Title: titles[id], Detail: detail, Href: fmt.Sprintf("/admin/publish/items/%d", id)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Day < out[j].Day || out[i].Day == out[j].Day && out[i].ID < out[j].ID
	})
	return out, nil
}

// documentRecords lists the rules or normative documents a count of table 二
// counts, by publish.DocCountsOf's rules.
func (db *DB) documentRecords(ctx context.Context, q report.RecordQuery) ([]report.RecordRow, error) {
	in, args := unitArgs(q, q.DocKind)
	rows, err := db.query(ctx, `SELECT id, title, made_on, validity, validity_on FROM publish_items
		WHERE unit_id IN `+in+` AND doc_kind = ? AND first_publish_at <> '' ORDER BY made_on, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	end, _ := calendar.NewDate(q.Year, time.December, 31)
	var out []report.RecordRow
	for rows.Next() {
		var id int64
		var title, made, validity, on string
		if err := rows.Scan(&id, &title, &made, &validity, &on); err != nil {
			return nil, err
		}
		f := publish.DocFact{Kind: publish.DocKind(q.DocKind), MadeOn: parseDate(made), Validity: publish.Validity(validity), ValidityOn: parseDate(on)}
		var ok bool
		day := made
		switch q.DocCount {
		case "issued":
			ok = f.MadeOn.Year() == q.Year
		case "abolished":
			ok, day = f.Validity == publish.Abolished && f.ValidityOn.Year() == q.Year, on
		case "in_force":
			ok = f.InForceOn(end)
		}
		if ok {
			out = append(out, report.RecordRow{ID: id, Day: day, Title: title, Detail: publish.Validity(validity).Label(), Href: fmt.Sprintf("/admin/publish/items/%d", id)})
		}
	}
	return out, rows.Err()
}
