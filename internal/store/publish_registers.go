package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
)

// The registers of 条例第二十条 (publish/registers.go says what each one
// counts): decisions and fees are stored one row per decision or amount;
// rules and normative documents are the items of those kinds.

// AddDecisions stores decisions (one typed in, or a whole import file) in
// one transaction: all or none. batch names the import for the record.
func (db *DB) AddDecisions(ctx context.Context, actor audit.Actor, unitID int64, ds []publish.Decision, batch string) error {
	if len(ds) == 0 {
		return errs.E(errs.Invalid, "没有决定记录")
	}
	for i := range ds {
		if err := publish.ValidateDecision(&ds[i]); err != nil {
			if len(ds) == 1 {
				return err
			}
			return errs.Wrap(errs.Invalid, err, "第 %d 条：%s", i+1, errs.MessageOf(err))
		}
	}
	now := db.Now()
	err := db.inTx(ctx, func(tx *Tx) error {
		const per = 200
		for start := 0; start < len(ds); start += per {
			chunk := ds[start:min(start+per, len(ds))]
			var args []any
			for _, d := range chunk {
				args = append(args, unitID, string(d.Kind), d.DocNo, d.Subject, d.SubjectType, d.CreditCode, d.Matter, d.Result, d.Basis,
					d.DecidedOn.String(), boolInt(d.Publicize), batch, actor.Name, ts(now))
			}
			row := "(" + placeholders(14) + ")"
			if _, err := tx.exec(ctx, `INSERT INTO publish_decisions (unit_id, kind, doc_no, subject, subject_type, credit_code, matter, result, basis, decided_on, publicize, batch, created_by, created_at)
				VALUES `+row+strings.Repeat(", "+row, len(chunk)-1), args...); err != nil {
				return err
			}
		}
		a := actor
		a.UnitID = unitID
		summary := map[string]any{"count": len(ds), "batch": batch}
		if len(ds) == 1 {
			summary["doc_no"] = ds[0].DocNo
			summary["kind"] = ds[0].Kind
		}
		return tx.appendAudit(ctx, a, audit.Change{Action: "publish.decisions", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10), After: summary})
	})
	if isConflict(err) {
		return errs.Wrap(errs.Conflict, err, "决定文书号与已登记的决定重复，未导入任何记录")
	}
	return err
}

const decisionCols = "d.id, d.unit_id, d.kind, d.doc_no, d.subject, d.subject_type, d.credit_code, d.matter, d.result, d.basis, d.decided_on, d.publicize, d.created_by, d.created_at"

func (db *DB) decisions(ctx context.Context, where string, args ...any) ([]publish.Decision, error) {
	rows, err := db.query(ctx, "SELECT "+decisionCols+" FROM publish_decisions d"+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.Decision
	for rows.Next() {
		var d publish.Decision
		var kind, decided, created string
		var pub int
		if err := rows.Scan(&d.ID, &d.UnitID, &kind, &d.DocNo, &d.Subject, &d.SubjectType, &d.CreditCode, &d.Matter, &d.Result, &d.Basis,
			&decided, &pub, &d.CreatedBy, &created); err != nil {
			return nil, err
		}
		d.Kind, d.DecidedOn, d.Publicize, d.CreatedAt = publish.DecisionKind(kind), parseDate(decided), pub != 0, mustTS(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Decisions lists a unit's decisions of a kind and year for the back
// office (kind "" and year 0 for all), newest first.
func (db *DB) Decisions(ctx context.Context, unitID int64, kind publish.DecisionKind, year, limit, offset int) ([]publish.Decision, int, error) {
	where := " WHERE d.unit_id = ?"
	args := []any{unitID}
	if kind != "" {
		where += " AND d.kind = ?"
		args = append(args, string(kind))
	}
	if year > 0 {
		where += " AND d.decided_on >= ? AND d.decided_on <= ?"
		args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	}
	var total int
	if err := db.row(ctx, "SELECT count(*) FROM publish_decisions d"+where, args...).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	ds, err := db.decisions(ctx, where+fmt.Sprintf(" ORDER BY d.decided_on DESC, d.id DESC LIMIT %d OFFSET %d", limit, max(offset, 0)), args...)
	return ds, total, err
}

// AddFee records an amount of administrative fees collected.
func (db *DB) AddFee(ctx context.Context, actor audit.Actor, f *publish.Fee) error {
	if err := publish.ValidateFee(f); err != nil {
		return err
	}
	f.CreatedBy, f.CreatedAt = actor.Name, db.Now()
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO publish_fees (unit_id, collected_on, item, basis, amount_fen, payer, receipt_no, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.UnitID, f.CollectedOn.String(), f.Item, f.Basis, f.AmountFen, f.Payer, f.ReceiptNo, f.CreatedBy, ts(f.CreatedAt))
		if err != nil {
			return err
		}
		f.ID = id
		a := actor
		a.UnitID = f.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "publish.fee", ObjectType: "publish_fee", ObjectID: strconv.FormatInt(id, 10), After: f})
	})
}

// Fees lists a unit's fees of a year (0 for all), newest first.
func (db *DB) Fees(ctx context.Context, unitID int64, year int) ([]publish.Fee, error) {
	where := " WHERE unit_id = ?"
	args := []any{unitID}
	if year > 0 {
		where += " AND collected_on >= ? AND collected_on <= ?"
		args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	}
	rows, err := db.query(ctx, "SELECT id, unit_id, collected_on, item, basis, amount_fen, payer, receipt_no, created_by, created_at FROM publish_fees"+where+" ORDER BY collected_on DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.Fee
	for rows.Next() {
		var f publish.Fee
		var on, created string
		if err := rows.Scan(&f.ID, &f.UnitID, &on, &f.Item, &f.Basis, &f.AmountFen, &f.Payer, &f.ReceiptNo, &f.CreatedBy, &created); err != nil {
			return nil, err
		}
		f.CollectedOn, f.CreatedAt = parseDate(on), mustTS(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// DocFacts returns what table 二 needs of a unit's rules and normative
// documents: those whose publication was ordered.
func (db *DB) DocFacts(ctx context.Context, unitID int64) ([]publish.DocFact, error) {
	return db.docFactsOf(ctx, []int64{unitID})
}

func (db *DB) docFactsOf(ctx context.Context, unitIDs []int64) ([]publish.DocFact, error) {
	in, args := inList(unitIDs)
	rows, err := db.query(ctx, `SELECT doc_kind, made_on, validity, validity_on FROM publish_items
		WHERE unit_id IN `+in+` AND doc_kind IN ('rule', 'normative') AND first_publish_at <> ''`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.DocFact
	for rows.Next() {
		var kind, made, validity, on string
		if err := rows.Scan(&kind, &made, &validity, &on); err != nil {
			return nil, err
		}
		out = append(out, publish.DocFact{Kind: publish.DocKind(kind), MadeOn: parseDate(made), Validity: publish.Validity(validity), ValidityOn: parseDate(on)})
	}
	return out, rows.Err()
}

// Table2 computes table 二 of a unit's annual report for a year from its
// registers (条例第二十条; publish.Table2Of applies the rules).
func (db *DB) Table2(ctx context.Context, unitID int64, year int) (*annual.Table2, error) {
	return db.Table2Of(ctx, []int64{unitID}, year)
}

// Table2Of is table 二 summed over several units (a roll-up).
func (db *DB) Table2Of(ctx context.Context, unitIDs []int64, year int) (*annual.Table2, error) {
	docs, err := db.docFactsOf(ctx, unitIDs)
	if err != nil {
		return nil, err
	}
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	in, uargs := inList(unitIDs)
	rows, err := db.query(ctx, "SELECT kind, count(*) FROM publish_decisions WHERE unit_id IN "+in+" AND decided_on >= ? AND decided_on <= ? GROUP BY kind", append(uargs, from, to)...)
	if err != nil {
		return nil, err
	}
	counts := map[publish.DecisionKind]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[publish.DecisionKind(k)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var fen int64
	if err := db.row(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM publish_fees WHERE unit_id IN "+in+" AND collected_on >= ? AND collected_on <= ?", append(uargs, from, to)...).Scan(&fen); err != nil {
		return nil, db.mapErr(err)
	}
	return publish.Table2Of(docs, year, counts, fen), nil
}

// PublishStats computes a unit's publishing in a year and the year before,
// by category, from the items' events (publish.StatsOf applies the rules),
// as section 一（一） of the annual report states it.
func (db *DB) PublishStats(ctx context.Context, unitID int64, year int) (publish.YearStats, error) {
	return db.PublishStatsOf(ctx, []int64{unitID}, year)
}

// PublishStatsOf is PublishStats over several units (a roll-up), by the
// first unit's catalogue: a publication in another unit's category counts
// under the first unit's category of the same slug.
func (db *DB) PublishStatsOf(ctx context.Context, unitIDs []int64, year int) (publish.YearStats, error) {
	if len(unitIDs) == 0 {
		return publish.YearStats{Year: year}, nil
	}
	pubs, cats, err := db.publicationsOf(ctx, unitIDs, year)
	if err != nil {
		return publish.YearStats{}, err
	}
	return publish.StatsOf(pubs, cats, year, beijing), nil
}

// publicationsOf lists the publications of the units that took effect in
// year or the year before, each under the first unit's category of its
// category's slug, with the first unit's catalogue.
func (db *DB) publicationsOf(ctx context.Context, unitIDs []int64, year int) ([]publish.Publication, []publish.Category, error) {
	cats, err := db.PublishCategories(ctx, unitIDs[0])
	if err != nil {
		return nil, nil, err
	}
	bySlug := map[string]int64{}
	for _, c := range cats {
		bySlug[c.Slug] = c.ID
	}
	mapped := map[int64]int64{}
	if len(unitIDs) > 1 {
		in, args := inList(unitIDs[1:])
		rows, err := db.query(ctx, "SELECT id, slug FROM publish_categories WHERE unit_id IN "+in, args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id int64
			var slug string
			if err := rows.Scan(&id, &slug); err != nil {
				rows.Close()
				return nil, nil, err
			}
			mapped[id] = bySlug[slug]
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	// Publications of the two years: the items with a publish event that
	// could take effect from the start of last year (an earlier one only
	// tells whether a later one is an update). Of their events only those
	// publish.Publications reads are loaded — the publications, each with
	// its version's category, and what may cancel one — in item order, and
	// each item's are replayed as soon as they are read.
	since := ts(time.Date(year-1, 1, 1, 0, 0, 0, 0, beijing))
	in, uargs := inList(unitIDs)
	rows, err := db.query(ctx, `SELECT e.item_id, e.seq, e.kind, e.at, e.version, e.publish_at, v.category_id
		FROM publish_events e LEFT JOIN publish_versions v ON e.kind = 'publish' AND v.item_id = e.item_id AND v.version = e.version
		WHERE e.kind IN ('publish', 'unschedule', 'withdraw') AND e.item_id IN (SELECT i.id FROM publish_items i WHERE i.unit_id IN `+in+`
			AND i.first_publish_at <> '' AND i.id IN (SELECT x.item_id FROM publish_events x WHERE x.kind = 'publish' AND x.publish_at >= ?))
		ORDER BY e.item_id, e.seq`, append(uargs, since)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	now := db.Now()
	var pubs []publish.Publication
	var item int64
	var evs []publish.Event
	flush := func() {
		for _, p := range publish.Publications(item, evs, now) {
			if to, ok := mapped[p.CategoryID]; ok {
				p.CategoryID = to
			}
			pubs = append(pubs, p)
		}
		evs = evs[:0]
	}
	for rows.Next() {
		var e publish.Event
		var id int64
		var kind, at, pubAt string
		var cat sql.NullInt64
		if err := rows.Scan(&id, &e.Seq, &kind, &at, &e.Version, &pubAt, &cat); err != nil {
			return nil, nil, err
		}
		if id != item && len(evs) > 0 {
			flush()
		}
		item = id
		e.Kind, e.At, e.PublishAt = publish.EventKind(kind), fastTS(at), fastTS(pubAt)
		if cat.Valid { // the publication carries its version's category
			e.Content = &publish.Content{CategoryID: cat.Int64}
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(evs) > 0 {
		flush()
	}
	return pubs, cats, nil
}

// PendingItems lists a unit's 主动公开 items whose latest version is not yet
// published (drafts, under review, approved and waiting), for the
// deadline of 条例第二十六条.
func (db *DB) PendingItems(ctx context.Context, unitID int64) ([]ItemRow, error) {
	rows, _, err := db.PublishItems(ctx, ItemFilter{UnitID: unitID, Attribute: publish.Active, Limit: 1000,
		States: []publish.State{publish.Draft, publish.Review, publish.Legal, publish.Approved}})
	return rows, err
}

// DateInBeijing is the civil date of t in China Standard Time.
func DateInBeijing(t time.Time) calendar.Date { return calendar.DateOf(t.In(beijing)) }

// PublishLatestYear is the latest year, up to until, in which a unit
// published an item (0 when none): the year its statistics open on.
func (db *DB) PublishLatestYear(ctx context.Context, unitID int64, until int) (int, error) {
	var at sql.NullString
	err := db.row(ctx, `SELECT max(e.at) FROM publish_events e JOIN publish_items i ON i.id = e.item_id
		WHERE i.unit_id = ? AND e.kind = 'publish' AND e.at < ?`, unitID, fmt.Sprintf("%04d", until+1)).Scan(&at)
	if err != nil || !at.Valid || len(at.String) < 4 {
		return 0, db.mapErr(err)
	}
	return strconv.Atoi(at.String[:4])
}
