package store

import (
	"context"
	"fmt"

	"time"

	"gongkai/internal/audit"
)

// appendAudit writes the audit entry for a change inside the transaction
// that makes the change. The chain head is a single row taken with a row
// lock, so concurrent writers on PostgreSQL append one after another and the
// sequence has no gaps.
func (t *Tx) appendAudit(ctx context.Context, actor audit.Actor, c audit.Change) error {
	before, err := audit.JSON(c.Before)
	if err != nil {
		return err
	}
	after, err := audit.JSON(c.After)
	if err != nil {
		return err
	}
	var seq int64
	var prev string
	if err := t.row(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+t.db.forUpdate()).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e := audit.Entry{
		Seq: seq + 1, At: t.db.Now().Truncate(time.Microsecond), ActorID: actor.UserID, ActorName: actor.Name, UnitID: actor.UnitID,
		Action: c.Action, ObjectType: c.ObjectType, ObjectID: c.ObjectID, Before: before, After: after, PrevHash: prev,
	}
	e.Hash = audit.ComputeHash(e)
	if _, err := t.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, unit_id, action, object_type, object_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.ActorID, e.ActorName, e.UnitID, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", e.Seq, e.Hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries for display.
type AuditFilter struct {
	UnitID     int64  // 0 for all
	ObjectType string // "" for all
	ObjectID   string
	BeforeSeq  int64 // page backwards from here; 0 for the newest
	Limit      int
}

const auditCols = "seq, at, actor_id, actor_name, unit_id, action, object_type, object_id, before_json, after_json, prev_hash, hash"

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var at string
	err := sc.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.UnitID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	if err != nil {
		return e, err
	}
	e.At, err = parseTS(at)
	return e, err
}

// AuditEntries lists entries newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	q := "SELECT " + auditCols + " FROM audit_log WHERE 1=1"
	var args []any
	if f.UnitID != 0 {
		q += " AND unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.ObjectType != "" {
		q += " AND object_type = ?"
		args = append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		q += " AND object_id = ?"
		args = append(args, f.ObjectID)
	}
	if f.BeforeSeq > 0 {
		q += " AND seq < ?"
		args = append(args, f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", f.Limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole log in order and checks every link, and that
// the chain head agrees with the last entry (so that removing entries from
// the end is caught too). It returns the number of entries verified.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := db.query(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY seq")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count, err
		}
		if err := v.Check(e); err != nil {
			return v.Count, err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count, err
	}
	var seq int64
	var hash string
	if err := db.row(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		return v.Count, err
	}
	if seq != v.Count || hash != v.Head() {
		return v.Count, fmt.Errorf("审计日志末尾缺失：链头记录为第 %d 条，日志中只有 %d 条", seq, v.Count)
	}
	return v.Count, nil
}

// Record appends an audit entry for an event that changes no other table
// (a login, a view of an applicant's details).
func (db *DB) Record(ctx context.Context, actor audit.Actor, c audit.Change) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.appendAudit(ctx, actor, c) })
}
