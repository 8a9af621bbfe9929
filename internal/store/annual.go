package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
)

// AnnualUpload is an uploaded annual report file.
type AnnualUpload struct {
	ID      int64
	SHA256  string
	Name    string
	Size    int64
	Content []byte
}

// SaveAnnualUpload keeps an uploaded report file, so that a later import
// reads exactly the bytes that were checked, on whichever instance.
func (db *DB) SaveAnnualUpload(ctx context.Context, actor audit.Actor, name string, content []byte) (AnnualUpload, error) {
	sum := sha256.Sum256(content)
	u := AnnualUpload{SHA256: hex.EncodeToString(sum[:]), Name: name, Size: int64(len(content)), Content: content}
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO annual_uploads (sha256, name, size, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			u.SHA256, u.Name, u.Size, u.Content, actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		u.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "annual.upload", ObjectType: "annual_upload", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"name": name, "size": u.Size, "sha256": u.SHA256}})
	})
	return u, err
}

// AnnualUpload returns an uploaded file.
func (db *DB) AnnualUpload(ctx context.Context, id int64) (AnnualUpload, error) {
	var u AnnualUpload
	err := db.row(ctx, "SELECT id, sha256, name, size, content FROM annual_uploads WHERE id = ?", id).Scan(&u.ID, &u.SHA256, &u.Name, &u.Size, &u.Content)
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "上传的年报文件不存在")
	}
	return u, db.mapErr(err)
}

// HistoryReport is an annual report a unit imported as its own history.
type HistoryReport struct {
	ID       int64
	UnitID   int64
	Year     int
	UploadID int64
	Report   *annual.Report
}

// ImportAnnualHistory stores a report as the unit's report for its year.
// A unit has one report per year: importing a second is refused.
func (db *DB) ImportAnnualHistory(ctx context.Context, actor audit.Actor, unitID int64, uploadID int64, r *annual.Report) (int64, error) {
	if r.Year < 2008 || r.Year > 2100 {
		return 0, errs.E(errs.Invalid, "未能确定年报所属年度，无法导入")
	}
	body, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("marshal report: %w", err)
	}
	text, err := json.Marshal(r.Text)
	if err != nil {
		return 0, fmt.Errorf("marshal report text: %w", err)
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.row(ctx, "SELECT count(*) FROM annual_history WHERE unit_id = ? AND year = ?", unitID, r.Year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "该单位 %d 年度的年报已导入，不能重复导入", r.Year)
		}
		id, err = tx.insert(ctx, "INSERT INTO annual_history (unit_id, year, upload_id, report_json, text_json, imported_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			unitID, r.Year, uploadID, string(body), string(text), actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		a := actor
		a.UnitID = unitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "annual.import_history", ObjectType: "annual_history", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": unitID, "year": r.Year, "upload_id": uploadID, "title": r.Title}})
	})
	if isConflict(err) {
		return 0, errs.E(errs.Conflict, "该单位 %d 年度的年报已导入，不能重复导入", r.Year)
	}
	return id, err
}

const historyCols = "id, unit_id, year, upload_id, report_json, text_json"

// scanHistory reads a stored report with its narrative (Report.Text), which
// the JSON shape leaves out and is kept beside it.
func scanHistory(sc interface{ Scan(...any) error }) (HistoryReport, error) {
	var h HistoryReport
	var body, text string
	if err := sc.Scan(&h.ID, &h.UnitID, &h.Year, &h.UploadID, &body, &text); err != nil {
		return h, err
	}
	h.Report = annual.NewReport()
	if err := json.Unmarshal([]byte(body), h.Report); err != nil {
		return h, fmt.Errorf("stored annual report %d: %w", h.ID, err)
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &h.Report.Text); err != nil {
			return h, fmt.Errorf("stored annual report %d's text: %w", h.ID, err)
		}
	}
	return h, nil
}

// backfillHistoryText keeps the narrative of the reports imported before it
// was kept (migration 0042), read again from their stored uploads. It runs
// after the migrations and finds nothing to do once every report has it; a
// report whose upload can no longer be read keeps an empty narrative.
func (db *DB) backfillHistoryText(ctx context.Context) error {
	rows, err := db.query(ctx, "SELECT h.id, u.name, u.content FROM annual_history h JOIN annual_uploads u ON u.id = h.upload_id WHERE h.text_json = ''")
	if err != nil {
		return err
	}
	type row struct {
		id      int64
		name    string
		content []byte
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.content); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range todo {
		var text annual.Narrative
		if rep, err := annual.Read(r.content, r.name); err == nil {
			text = rep.Text
		}
		b, err := json.Marshal(text)
		if err != nil {
			return err
		}
		if _, err := db.sql.ExecContext(ctx, db.rebind("UPDATE annual_history SET text_json = ? WHERE id = ? AND text_json = ''"), string(b), r.id); err != nil {
			return db.mapErr(err)
		}
	}
	return nil
}

// AnnualHistory lists the imported reports of the given units (all units
// when none are given), newest year first.
func (db *DB) AnnualHistory(ctx context.Context, unitIDs ...int64) ([]HistoryReport, error) {
	q := "SELECT " + historyCols + " FROM annual_history"
	var args []any
	if len(unitIDs) > 0 {
		q += " WHERE unit_id IN (?" + strings.Repeat(", ?", len(unitIDs)-1) + ")"
		for _, id := range unitIDs {
			args = append(args, id)
		}
	}
	rows, err := db.query(ctx, q+" ORDER BY year DESC, unit_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryReport
	for rows.Next() {
		h, err := scanHistory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AnnualHistoryReport returns one imported report.
func (db *DB) AnnualHistoryReport(ctx context.Context, id int64) (HistoryReport, error) {
	h, err := scanHistory(db.row(ctx, "SELECT "+historyCols+" FROM annual_history WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return h, errs.E(errs.NotFound, "该历史年报不存在")
	}
	return h, db.mapErr(err)
}
