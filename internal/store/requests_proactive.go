package store

import (
	"context"
	"strconv"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/requests"
)

// The 第四十四条 signal's thresholds, as settings.
const (
	settingProactiveApplicants = "requests.proactive_applicants"
	settingProactiveMonths     = "requests.proactive_months"
	settingProactiveSimilarity = "requests.proactive_similarity"
)

// ProactiveSettings returns the thresholds of the 第四十四条 signal: the
// settings where set to a sensible value, else requests.DefaultProactive.
func (db *DB) ProactiveSettings(ctx context.Context) (requests.ProactiveSettings, error) {
	s := requests.DefaultProactive
	v, err := db.Setting(ctx, settingProactiveApplicants, "")
	if err != nil {
		return s, err
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 2 && n <= 100 {
		s.Applicants = n
	}
	if v, err = db.Setting(ctx, settingProactiveMonths, ""); err != nil {
		return s, err
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 60 {
		s.Months = n
	}
	if v, err = db.Setting(ctx, settingProactiveSimilarity, ""); err != nil {
		return s, err
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f <= 1 {
		s.Threshold = f
	}
	return s, nil
}

// RequestsAsked returns what the 第四十四条 signal reads of a unit's
// applications received from from to to (inclusive), in order of receipt:
// no applicant's name or number, only the key that recognises him again.
func (db *DB) RequestsAsked(ctx context.Context, unitID int64, from, to calendar.Date) ([]requests.Asked, error) {
	rows, err := db.query(ctx, `SELECT id, receipt_no, applicant_key, description, received_on, outcome FROM req_applications
		WHERE unit_id = ? AND received_on >= ? AND received_on <= ? ORDER BY received_on, id`, unitID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []requests.Asked
	for rows.Next() {
		var a requests.Asked
		var received, outcome string
		if err := rows.Scan(&a.ID, &a.ReceiptNo, &a.ApplicantKey, &a.Description, &received, &outcome); err != nil {
			return nil, err
		}
		if a.ReceivedOn, err = calendar.ParseDate(received); err != nil {
			return nil, err
		}
		a.Outcome = annual.RowKey(outcome)
		out = append(out, a)
	}
	return out, rows.Err()
}
