package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

// DecideFinding records a reviewer's decision on a finding of a unit's
// report of a year (annual_decisions, append-only), with its audit entry.
// Who may decide is annual.AuthorizeReview on the roles the actor holds in
// the unit as this transaction reads them; what a decision must say is
// annual.ValidateDecision.
func (db *DB) DecideFinding(ctx context.Context, actor audit.Actor, d annual.Decision) (annual.Decision, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	err := db.inTx(ctx, func(tx *Tx) error {
		var roles []org.Role
		if actor.UserID != 0 && d.UnitID != 0 {
			rs, err := tx.rolesIn(ctx, actor.UserID, d.UnitID)
			if err != nil {
				return err
			}
			roles = rs
		}
		if err := annual.AuthorizeReview(annual.Reviewer{UserID: actor.UserID, Roles: roles}); err != nil {
			return err
		}
		if err := annual.ValidateDecision(d); err != nil {
			return err
		}
		d.By, d.At = actor.Name, db.Now()
		id, err := tx.insert(ctx, `INSERT INTO annual_decisions (unit_id, year, finding_id, verdict, reason, rule, where_path, message, user_id, decided_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.UnitID, d.Year, d.FindingID, string(d.Verdict), d.Reason, d.Rule, d.Where, d.Message, actor.UserID, d.By, ts(d.At))
		if err != nil {
			return err
		}
		a := actor
		a.UnitID = d.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "annual.decide_finding", ObjectType: "annual_decision", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": d.UnitID, "year": d.Year, "finding_id": d.FindingID, "verdict": d.Verdict, "reason": d.Reason,
				"rule": d.Rule, "where": d.Where, "message": d.Message}})
	})
	if err != nil {
		return d, err
	}
	return d, nil
}

// UnitYear names a unit's report of a year.
type UnitYear struct {
	UnitID int64
	Year   int
}

// FindingDecisions returns the decisions in force on the findings of the
// reports of the given units (the latest on each finding, by its ID), by
// unit and year. The history of each finding's decisions stays in the
// table.
func (db *DB) FindingDecisions(ctx context.Context, unitIDs ...int64) (map[UnitYear]map[string]annual.Decision, error) {
	out := map[UnitYear]map[string]annual.Decision{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(unitIDs))
	for i, id := range unitIDs {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT unit_id, year, finding_id, verdict, reason, rule, where_path, message, decided_by, created_at
		FROM annual_decisions WHERE unit_id IN (?`+strings.Repeat(", ?", len(unitIDs)-1)+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d annual.Decision
		var verdict, at string
		if err := rows.Scan(&d.UnitID, &d.Year, &d.FindingID, &verdict, &d.Reason, &d.Rule, &d.Where, &d.Message, &d.By, &at); err != nil {
			return nil, fmt.Errorf("annual decisions: %w", err)
		}
		d.Verdict, d.At = annual.Verdict(verdict), mustTS(at)
		k := UnitYear{d.UnitID, d.Year}
		if out[k] == nil {
			out[k] = map[string]annual.Decision{}
		}
		out[k][d.FindingID] = d // later rows replace earlier ones
	}
	return out, rows.Err()
}
