package store

import (
	"context"
	"database/sql"
	"fmt"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// Fees of 国办函〔2020〕109号 as the records give them: the quote for a fee
// notice (the applicant's requests counted per calendar month, 109号第三条),
// and the fees collected in a year for section 六 of the annual report.

// RequestFeeQuote computes the fee for an application on one basis with the
// default bands of 109号: per request, counting the same applicant's
// applications to the unit (the same identity number, by its keyed hash;
// the same name and type for an application stored without one) received
// in the same calendar month up to and including this one; per page, by
// pages.
// It returns the amount in yuan and the sentence for the fee notice.
func (db *DB) RequestFeeQuote(ctx context.Context, id int64, basis requests.FeeBasis, pages int) (_ int, _ string, err error) {
	defer errs.Op(&err, "store.RequestFeeQuote")
	fee, explain, err := feeQuote(ctx, db.row, id, basis, pages)
	return fee, explain, db.mapErr(err)
}

// feeQuote is RequestFeeQuote through row: the database's, or a
// transaction's (the fee notice's amount is computed in the transaction
// that records it).
func feeQuote(ctx context.Context, row func(context.Context, string, ...any) *sql.Row, id int64, basis requests.FeeBasis, pages int) (int, string, error) {
	var unitID int64
	var received, key, name, typ string
	err := row(ctx, "SELECT unit_id, received_on, applicant_key, applicant_name, applicant_type FROM req_applications WHERE id = ?", id).
		Scan(&unitID, &received, &key, &name, &typ)
	if err == sql.ErrNoRows {
		return 0, "", errs.E(errs.NotFound, "申请不存在。")
	}
	if err != nil {
		return 0, "", err
	}
	on, err := calendar.ParseDate(received)
	if err != nil {
		return 0, "", err
	}
	month := fmt.Sprintf("%04d-%02d-01", on.Year(), int(on.Month()))
	same, args := "applicant_key = ?", []any{unitID, key}
	if key == "" {
		same, args = "applicant_key = '' AND applicant_name = ? AND applicant_type = ?", []any{unitID, name, typ}
	}
	var n int
	err = row(ctx, `SELECT COUNT(*) FROM req_applications WHERE unit_id = ? AND `+same+`
		AND received_on >= ? AND (received_on < ? OR (received_on = ? AND id <= ?))`,
		append(args, month, received, received, id)...).Scan(&n)
	if err != nil {
		return 0, "", err
	}
	fee, err := requests.DefaultFeeBands.Fee(basis, n, pages)
	if err != nil {
		return 0, "", err
	}
	return fee, requests.DefaultFeeBands.FeeExplain(basis, n, pages), nil
}

// RequestFeesCollected returns the information-processing fees a unit
// collected in a year (section 六 of the annual report): the applications
// whose fee was paid in the year, each with the amount of the fee notice
// it paid.
func (db *DB) RequestFeesCollected(ctx context.Context, unitID int64, year int) (yuan, count int, err error) {
	return db.RequestFeesOf(ctx, []int64{unitID}, year)
}

// RequestFeesOf is RequestFeesCollected for several units (a roll-up).
func (db *DB) RequestFeesOf(ctx context.Context, unitIDs []int64, year int) (yuan, count int, err error) {
	first, last := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	in, uargs := inList(unitIDs)
	rows, err := db.query(ctx, `SELECT e.application_id, e.kind, e.yuan, e.on_date FROM req_events e
		JOIN req_applications a ON a.id = e.application_id
		WHERE a.unit_id IN `+in+` AND e.kind IN ('fee_noticed', 'fee_paid') AND e.application_id IN
			(SELECT p.application_id FROM req_events p WHERE p.kind = 'fee_paid' AND p.on_date >= ? AND p.on_date <= ?)
		ORDER BY e.application_id, e.seq`, append(uargs, first, last)...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	noticed := map[int64]int{}
	for rows.Next() {
		var app int64
		var kind, on string
		var y int
		if err := rows.Scan(&app, &kind, &y, &on); err != nil {
			return 0, 0, err
		}
		if kind == string(requests.FeeNoticed) {
			noticed[app] = y
			continue
		}
		if on >= first && on <= last {
			yuan += noticed[app]
			count++
		}
	}
	return yuan, count, rows.Err()
}
