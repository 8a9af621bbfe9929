package store

import (
	"context"
	"database/sql"
	"strconv"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
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

// ProposeProactive creates, for applications that several applicants made
// (条例第四十四条), a draft item in the publishing workflow — through its own
// rules: publish.Authorize (the proposer must be an editor, 谁制作、谁认定)
// and the content's checks — linked to the applications, in one
// transaction with the audit entry. The applications must be the unit's and
// the proposer must be allowed to see them.
func (db *DB) ProposeProactive(ctx context.Context, actor audit.Actor, who publish.Actor, unitID int64, appIDs []int64, c publish.Content) (publish.Item, error) {
	var it publish.Item
	if len(appIDs) == 0 {
		return it, errs.E(errs.Invalid, "请选择要纳入主动公开的申请。")
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestView); err != nil {
			return err
		}
		for _, id := range appIDs {
			var u int64
			err := tx.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?", id).Scan(&u)
			if err == sql.ErrNoRows || err == nil && u != unitID {
				return errs.E(errs.NotFound, "申请不存在或不属于本单位。")
			}
			if err != nil {
				return err
			}
		}
		var err error
		if it, err = tx.createItem(ctx, actor, who, unitID, ItemInput{Content: c}); err != nil {
			return err
		}
		for _, id := range appIDs {
			if _, err := tx.exec(ctx, "INSERT INTO req_proactive_items (item_id, application_id, created_by, created_at) VALUES (?, ?, ?, ?)",
				it.ID, id, actor.Name, ts(db.Now())); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.propose_proactive", ObjectType: "publish_item", ObjectID: strconv.FormatInt(it.ID, 10),
			After: map[string]any{"applications": appIDs}})
	})
	return it, err
}

// ProactiveItems maps each of the applications to the draft items
// proposed from it.
func (db *DB) ProactiveItems(ctx context.Context, unitID int64) (map[int64][]int64, error) {
	rows, err := db.query(ctx, `SELECT p.application_id, p.item_id FROM req_proactive_items p JOIN req_applications a ON a.id = p.application_id
		WHERE a.unit_id = ? ORDER BY p.item_id`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var app, item int64
		if err := rows.Scan(&app, &item); err != nil {
			return nil, err
		}
		out[app] = append(out[app], item)
	}
	return out, rows.Err()
}
