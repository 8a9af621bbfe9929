package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"time"

	"gongkai/internal/desk"
)

// CountVisit adds one page view to a unit's counter for the day and page
// group. It is one upsert, so any number of server instances add to the
// same row without losing a count.
func (db *DB) CountVisit(ctx context.Context, unitID int64, day, group string, n int64) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`INSERT INTO desk_visits (unit_id, day, page_group, hits) VALUES (?, ?, ?, ?)
		ON CONFLICT (unit_id, day, page_group) DO UPDATE SET hits = desk_visits.hits + excluded.hits`), unitID, day, group, n)
	return db.mapErr(err)
}

// VisitDay is a day's page views of one group.
type VisitDay struct {
	Day   string
	Group string
	Hits  int64
}

// Visits lists the daily counters of the units between two dates (inclusive).
func (db *DB) Visits(ctx context.Context, unitIDs []int64, from, to string) ([]VisitDay, error) {
	in, args := inList(unitIDs)
	args = append(args, from, to)
	rows, err := db.query(ctx, "SELECT day, page_group, SUM(hits) FROM desk_visits WHERE unit_id IN "+in+" AND day >= ? AND day <= ? GROUP BY day, page_group ORDER BY day, page_group", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VisitDay
	for rows.Next() {
		var v VisitDay
		if err := rows.Scan(&v.Day, &v.Group, &v.Hits); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (db *DB) visitFigures(ctx context.Context, unitIDs []int64, year int, f *desk.Figures) error {
	in, args := inList(unitIDs)
	from, to := desk.YearRange(year)
	args = append(args, desk.Day(from), desk.Day(to.Add(-time.Second)))
	rows, err := db.query(ctx, "SELECT page_group, SUM(hits) FROM desk_visits WHERE unit_id IN "+in+" AND day >= ? AND day <= ? GROUP BY page_group", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	f.VisitsByGroup = map[string]int64{}
	for rows.Next() {
		var g string
		var n int64
		if err := rows.Scan(&g, &n); err != nil {
			return err
		}
		f.VisitsByGroup[g] = n
		f.PageViews += n
	}
	return rows.Err()
}

// DeskFigures counts every figure of the desk for the units and a year
// (Beijing time), from the records. Nothing it returns is stored.
func (db *DB) DeskFigures(ctx context.Context, unitIDs []int64, year int) (desk.Figures, error) {
	f := desk.Figures{Year: year}
	if err := db.hotlineFigures(ctx, unitIDs, year, &f); err != nil {
		return f, db.mapErr(err)
	}
	lim, err := db.UnansweredLimit(ctx)
	if err != nil {
		return f, err
	}
	if f.Consult, err = db.enquiryFigures(ctx, unitIDs, desk.KindConsult, year, lim); err != nil {
		return f, db.mapErr(err)
	}
	if f.Message, err = db.enquiryFigures(ctx, unitIDs, desk.KindMessage, year, lim); err != nil {
		return f, db.mapErr(err)
	}
	if err := db.visitFigures(ctx, unitIDs, year, &f); err != nil {
		return f, db.mapErr(err)
	}
	if err := db.mediaFigures(ctx, unitIDs, year, &f); err != nil {
		return f, db.mapErr(err)
	}
	return f, nil
}

// SectionOneThree is section 一（三）'s figures for the units and a year,
// with the year before's for growth.
func (db *DB) SectionOneThree(ctx context.Context, unitIDs []int64, year int) (desk.SectionOneThree, error) {
	s := desk.SectionOneThree{Scope: desk.Scope{UnitIDs: unitIDs}, Year: year}
	var err error
	if s.Current, err = db.DeskFigures(ctx, unitIDs, year); err != nil {
		return s, err
	}
	s.Previous, err = db.DeskFigures(ctx, unitIDs, year-1)
	return s, err
}

// mediaFigures counts new media, press conferences and outreach, surveys
// and complaints of the year.
func (db *DB) mediaFigures(ctx context.Context, unitIDs []int64, year int, f *desk.Figures) error {
	in, uargs := inList(unitIDs)
	from, to := desk.YearRange(year)
	d0, d1 := desk.Day(from), desk.Day(to.Add(-time.Second))
	args := append(append([]any{}, uargs...), d0, d1)
	// Posts and live streams per platform.
	rows, err := db.query(ctx, `SELECT a.platform, COUNT(DISTINCT a.id), SUM(CASE WHEN p.kind = 'post' THEN 1 ELSE 0 END), SUM(CASE WHEN p.kind = 'live' THEN 1 ELSE 0 END)
		FROM desk_accounts a LEFT JOIN desk_posts p ON p.account_id = a.id AND p.day >= ? AND p.day <= ?
		WHERE a.unit_id IN `+in+` GROUP BY a.platform`, append([]any{d0, d1}, uargs...)...)
	if err != nil {
		return err
	}
	byPlat := map[string]*desk.PlatformFigures{}
	for rows.Next() {
		var pf desk.PlatformFigures
		var posts, lives *int64
		if err := rows.Scan(&pf.Platform, &pf.Accounts, &posts, &lives); err != nil {
			rows.Close()
			return err
		}
		if posts != nil {
			pf.Posts = *posts
		}
		if lives != nil {
			pf.Lives = *lives
		}
		byPlat[pf.Platform] = &pf
	}
	rows.Close()
	// Followers: each account's last count recorded in the year (a year
	// without a count has no follower figure, rather than last year's).
	frows, err := db.query(ctx, `SELECT a.platform, f.followers FROM desk_followers f JOIN desk_accounts a ON a.id = f.account_id
		WHERE a.unit_id IN `+in+` AND f.day = (SELECT MAX(g.day) FROM desk_followers g WHERE g.account_id = f.account_id AND g.day >= ? AND g.day <= ?)`, append(append([]any{}, uargs...), d0, d1)...)
	if err != nil {
		return err
	}
	for frows.Next() {
		var plat string
		var n int64
		if err := frows.Scan(&plat, &n); err != nil {
			frows.Close()
			return err
		}
		if pf := byPlat[plat]; pf != nil {
			pf.Followers += n
			pf.FollowersKnown = true
		}
	}
	frows.Close()
	for _, p := range desk.Platforms {
		if pf := byPlat[p.Key]; pf != nil {
			f.Platforms = append(f.Platforms, *pf)
			f.Lives += pf.Lives
		}
	}
	// Special columns.
	crows, err := db.query(ctx, `SELECT a.platform, p.column_name, count(*) FROM desk_posts p JOIN desk_accounts a ON a.id = p.account_id
		WHERE a.unit_id IN `+in+` AND p.day >= ? AND p.day <= ? AND p.column_name <> '' GROUP BY a.platform, p.column_name`, args...)
	if err != nil {
		return err
	}
	for crows.Next() {
		var c desk.ColumnFigures
		if err := crows.Scan(&c.Platform, &c.Column, &c.Issues); err != nil {
			crows.Close()
			return err
		}
		f.Columns = append(f.Columns, c)
	}
	crows.Close()
	desk.SortColumns(f.Columns)
	// Press conferences and outreach.
	orows, err := db.query(ctx, "SELECT kind, count(*), SUM(enterprises) FROM desk_outreach WHERE unit_id IN "+in+" AND day >= ? AND day <= ? GROUP BY kind", args...)
	if err != nil {
		return err
	}
	for orows.Next() {
		var k string
		var n, e int64
		if err := orows.Scan(&k, &n, &e); err != nil {
			orows.Close()
			return err
		}
		if k == "press" {
			f.PressConferences = n
		} else {
			f.OutreachEvents = n
		}
		f.Enterprises += e
	}
	orows.Close()
	// Surveys open during the year, and responses received in it.
	srows, err := db.query(ctx, `SELECT s.id, s.title, (SELECT count(*) FROM desk_responses r WHERE r.survey_id = s.id AND r.at >= ? AND r.at < ?)
		FROM desk_surveys s WHERE s.unit_id IN `+in+` AND s.opened_at <> '' AND s.opened_at < ? AND (s.closed_at = '' OR s.closed_at >= ?) ORDER BY s.id`,
		append(append([]any{ts(from), ts(to)}, uargs...), ts(to), ts(from))...)
	if err != nil {
		return err
	}
	for srows.Next() {
		var s desk.SurveyFigures
		if err := srows.Scan(&s.ID, &s.Title, &s.Responses); err != nil {
			srows.Close()
			return err
		}
		f.Surveys = append(f.Surveys, s)
		f.SurveyResponses += s.Responses
	}
	srows.Close()
	// Complaints.
	if err := db.row(ctx, "SELECT count(*) FROM desk_complaints WHERE unit_id IN "+in+" AND received_on >= ? AND received_on <= ?", args...).Scan(&f.ComplaintsReceived); err != nil {
		return err
	}
	f.ComplaintOutcomes = map[string]int64{}
	cr, err := db.query(ctx, "SELECT outcome, count(*) FROM desk_complaints WHERE unit_id IN "+in+" AND concluded_on >= ? AND concluded_on <= ? AND outcome <> '' GROUP BY outcome", args...)
	if err != nil {
		return err
	}
	defer cr.Close()
	for cr.Next() {
		var o string
		var n int64
		if err := cr.Scan(&o, &n); err != nil {
			return err
		}
		f.ComplaintOutcomes[o] = n
		f.ComplaintsConcluded += n
	}
	return cr.Err()
}

// DeskYears lists the years (Beijing time) in which the units have any desk
// record — a call-detail record, a hotline record, an enquiry received, a
// day of visits, a post, an outreach event or a complaint — newest first.
func (db *DB) DeskYears(ctx context.Context, unitIDs []int64) ([]int, error) {
	in, args := inList(unitIDs)
	found := map[int]bool{}
	// Civil dates are Beijing dates already.
	for _, q := range []string{
		"SELECT DISTINCT substr(day, 1, 4) FROM desk_visits WHERE unit_id IN " + in,
		"SELECT DISTINCT substr(p.day, 1, 4) FROM desk_posts p JOIN desk_accounts a ON a.id = p.account_id WHERE a.unit_id IN " + in,
		"SELECT DISTINCT substr(day, 1, 4) FROM desk_outreach WHERE unit_id IN " + in,
		"SELECT DISTINCT substr(received_on, 1, 4) FROM desk_complaints WHERE unit_id IN " + in,
	} {
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var y string
			if err := rows.Scan(&y); err != nil {
				rows.Close()
				return nil, err
			}
			if n, err := strconv.Atoi(y); err == nil {
				found[n] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// Instants are UTC: each year between the first and the last record
	// (in Beijing time) is checked with an index range.
	for _, t := range []struct{ table, col string }{{"desk_cdr", "started_at"}, {"desk_calls", "at"}, {"desk_enquiries", "received_at"}} {
		var lo, hi sql.NullString
		if err := db.row(ctx, "SELECT MIN("+t.col+"), MAX("+t.col+") FROM "+t.table+" WHERE unit_id IN "+in, args...).Scan(&lo, &hi); err != nil {
			return nil, db.mapErr(err)
		}
		if !lo.Valid {
			continue
		}
		y0, y1 := mustTS(lo.String).In(desk.Shanghai).Year(), mustTS(hi.String).In(desk.Shanghai).Year()
		for y := y0; y <= y1; y++ {
			if found[y] {
				continue
			}
			from, to := desk.YearRange(y)
			var one int
			err := db.row(ctx, "SELECT 1 FROM "+t.table+" WHERE unit_id IN "+in+" AND "+t.col+" >= ? AND "+t.col+" < ? LIMIT 1", append(append([]any{}, args...), ts(from), ts(to))...).Scan(&one)
			if err == nil {
				found[y] = true
			} else if err != sql.ErrNoRows {
				return nil, db.mapErr(err)
			}
		}
	}
	var out []int
	for y := range found {
		out = append(out, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out, nil
}
