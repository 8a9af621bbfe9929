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
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/report"
)

// The annual report as a record (issue 10): unit settings, the sources a
// build reads that are not another area's, the record of drafts, and the
// published versions (migrations 0012, 0013).

var _ report.Store = (*DB)(nil)

// UnitSettings returns a unit's settings by key.
func (db *DB) UnitSettings(ctx context.Context, unitID int64) (map[string]string, error) {
	rows, err := db.query(ctx, "SELECT key, value FROM unit_settings WHERE unit_id = ?", unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetUnitSettings stores some of a unit's settings (an empty value removes
// the setting) and audits what changed, in one transaction. The actor
// must be allowed to change every key (org.AuthorizeSettings), decided in
// the same transaction; the system may change any.
func (db *DB) SetUnitSettings(ctx context.Context, actor audit.Actor, unitID int64, values map[string]string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		if err := tx.authorizeSettings(ctx, actor, unitID, keys); err != nil {
			return err
		}
		before, after := map[string]string{}, map[string]string{}
		for _, k := range keys {
			var old string
			err := tx.row(ctx, "SELECT value FROM unit_settings WHERE unit_id = ? AND key = ?", unitID, k).Scan(&old)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			v := values[k]
			if old == v {
				continue
			}
			if _, err := tx.exec(ctx, "DELETE FROM unit_settings WHERE unit_id = ? AND key = ?", unitID, k); err != nil {
				return err
			}
			if v != "" {
				if _, err := tx.exec(ctx, "INSERT INTO unit_settings (unit_id, key, value, updated_at) VALUES (?, ?, ?, ?)", unitID, k, v, ts(db.Now())); err != nil {
					return err
				}
			}
			before[k], after[k] = old, v
		}
		if len(after) == 0 {
			return nil
		}
		a := actor
		a.UnitID = unitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "unit.settings", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10), Before: before, After: after})
	})
}

// FirstRecordYear is the earliest year in which any record of the units
// falls: an application received, an item published, a decision, a call, a
// hotline record, a visit, an outreach event. 0 when there is none.
func (db *DB) FirstRecordYear(ctx context.Context, unitIDs []int64) (int, error) {
	in, args := inList(unitIDs)
	probes := []string{
		"SELECT MIN(received_on) FROM req_applications WHERE unit_id IN " + in,
		"SELECT MIN(first_publish_at) FROM publish_items WHERE unit_id IN " + in + " AND first_publish_at <> ''",
		"SELECT MIN(decided_on) FROM publish_decisions WHERE unit_id IN " + in,
		"SELECT MIN(started_at) FROM desk_cdr WHERE unit_id IN " + in,
		"SELECT MIN(at) FROM desk_calls WHERE unit_id IN " + in,
		"SELECT MIN(day) FROM desk_visits WHERE unit_id IN " + in,
		"SELECT MIN(day) FROM desk_outreach WHERE unit_id IN " + in,
	}
	first := 0
	for _, q := range probes {
		var v sql.NullString
		if err := db.row(ctx, q, args...).Scan(&v); err != nil {
			return 0, db.mapErr(err)
		}
		if !v.Valid || len(v.String) < 4 {
			continue
		}
		y, err := strconv.Atoi(v.String[:4])
		if err != nil {
			continue
		}
		if len(v.String) > 10 { // an instant, stored in UTC: its year in Beijing
			t, err := parseTS(v.String)
			if err != nil {
				return 0, err
			}
			y = t.In(beijing).Year()
		}
		if first == 0 || y < first {
			first = y
		}
	}
	return first, nil
}

// MediaColumns lists the new-media special columns the units ever posted
// in (implements report.Sources).
func (db *DB) MediaColumns(ctx context.Context, unitIDs []int64) ([]desk.ColumnFigures, error) {
	in, args := inList(unitIDs)
	rows, err := db.query(ctx, `SELECT DISTINCT a.platform, p.column_name FROM desk_posts p JOIN desk_accounts a ON a.id = p.account_id
		WHERE a.unit_id IN `+in+` AND p.column_name <> '' ORDER BY 2, 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.ColumnFigures
	for rows.Next() {
		var c desk.ColumnFigures
		if err := rows.Scan(&c.Platform, &c.Column); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PriorReport returns a unit's report of a year: its current published
// version, or the report imported as its history (本级机关 only).
func (db *DB) PriorReport(ctx context.Context, unitID int64, year int, scope annual.Scope) (*annual.Report, string, error) {
	var body string
	err := db.row(ctx, `SELECT v.document_json FROM annual_reports r JOIN annual_report_versions v ON v.report_id = r.id AND v.version = r.current_version
		WHERE r.unit_id = ? AND r.year = ? AND r.scope = ?`, unitID, year, string(scope)).Scan(&body)
	switch {
	case err == nil:
		var d annual.Document
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			return nil, "", fmt.Errorf("published report %d/%d: %w", unitID, year, err)
		}
		return d.Report, "已发布", nil
	case err != sql.ErrNoRows:
		return nil, "", db.mapErr(err)
	}
	if scope != annual.ScopeSelf {
		return nil, "", nil
	}
	h, err := scanHistory(db.row(ctx, "SELECT "+historyCols+" FROM annual_history WHERE unit_id = ? AND year = ?", unitID, year))
	switch {
	case err == sql.ErrNoRows:
		return nil, "", nil
	case err != nil:
		return nil, "", db.mapErr(err)
	}
	return h.Report, "已导入", nil
}

const recordCols = "id, unit_id, year, scope, draft_at, draft_by, draft_errors, draft_warnings, current_version, published_at"

func scanRecord(sc interface{ Scan(...any) error }) (report.Record, error) {
	var r report.Record
	var scope, draftAt, pubAt string
	if err := sc.Scan(&r.ID, &r.UnitID, &r.Year, &scope, &draftAt, &r.DraftBy, &r.DraftErrors, &r.DraftWarnings, &r.CurrentVersion, &pubAt); err != nil {
		return r, err
	}
	r.Scope = annual.Scope(scope)
	var err error
	if r.DraftAt, err = parseTS(draftAt); err != nil {
		return r, err
	}
	r.PublishedAt, err = parseTS(pubAt)
	return r, err
}

// ensureReport returns the id of the report's record, creating it.
func (t *Tx) ensureReport(ctx context.Context, unitID int64, year int, scope annual.Scope) (int64, error) {
	var id int64
	err := t.row(ctx, "SELECT id FROM annual_reports WHERE unit_id = ? AND year = ? AND scope = ?"+t.db.forUpdate(), unitID, year, string(scope)).Scan(&id)
	if err == sql.ErrNoRows {
		return t.insert(ctx, "INSERT INTO annual_reports (unit_id, year, scope, created_at) VALUES (?, ?, ?, ?)", unitID, year, string(scope), ts(t.db.Now()))
	}
	return id, err
}

// NoteDraft records that a draft was built (implements report.Store).
func (db *DB) NoteDraft(ctx context.Context, actor audit.Actor, unitID int64, year int, scope annual.Scope, errors, warnings int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.ensureReport(ctx, unitID, year, scope)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE annual_reports SET draft_at = ?, draft_by = ?, draft_errors = ?, draft_warnings = ? WHERE id = ?",
			ts(db.Now()), actor.Name, errors, warnings, id); err != nil {
			return err
		}
		a := actor
		a.UnitID = unitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "annual.draft", ObjectType: "annual_report", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"year": year, "scope": scope, "errors": errors, "warnings": warnings}})
	})
}

// PublishReport stores a new version of a report with its exports and makes
// it current (implements report.Store). The publication is authorized in
// the transaction, against the version number it will have.
func (db *DB) PublishReport(ctx context.Context, actor audit.Actor, who report.Actor, v *report.Version) error {
	sum := sha256.Sum256(v.Document)
	v.SHA256 = hex.EncodeToString(sum[:])
	for i := range v.Files {
		s := sha256.Sum256(v.Files[i].Content)
		v.Files[i].SHA256, v.Files[i].Size = hex.EncodeToString(s[:]), int64(len(v.Files[i].Content))
	}
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.ensureReport(ctx, v.UnitID, v.Year, v.Scope)
		if err != nil {
			return err
		}
		var current int
		if err := tx.row(ctx, "SELECT current_version FROM annual_reports WHERE id = ?", id).Scan(&current); err != nil {
			return err
		}
		// The roles are those the account holds in the unit now, read here:
		// never the caller's word for them.
		if !who.System {
			if who.Roles, err = tx.rolesIn(ctx, who.UserID, v.UnitID); err != nil {
				return err
			}
		}
		if err := report.AuthorizePublish(who, v.Errors, v.Override, v.Reason, current == 0); err != nil {
			return err
		}
		now := db.Now()
		v.ReportID, v.Number, v.PublishedAt = id, current+1, now
		v.PublishedByID, v.PublishedBy = who.UserID, who.Name
		if v.Number == 1 {
			v.Reason = ""
		}
		v.ID, err = tx.insert(ctx, `INSERT INTO annual_report_versions (report_id, version, reason, override_reason, errors, warnings, document_json, sha256,
			published_by_id, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, v.Number, strings.TrimSpace(v.Reason), strings.TrimSpace(v.Override), v.Errors, v.Warnings, string(v.Document), v.SHA256, v.PublishedByID, v.PublishedBy, ts(now))
		if err != nil {
			return err
		}
		files := map[string]any{}
		for _, f := range v.Files {
			if _, err := tx.exec(ctx, "INSERT INTO annual_report_files (version_id, format, content, sha256, size) VALUES (?, ?, ?, ?, ?)",
				v.ID, f.Format, f.Content, f.SHA256, f.Size); err != nil {
				return err
			}
			files[f.Format] = f.SHA256
		}
		if _, err := tx.exec(ctx, "UPDATE annual_reports SET current_version = ?, published_at = ? WHERE id = ?", v.Number, ts(now), id); err != nil {
			return err
		}
		a := actor
		a.UnitID = v.UnitID
		action := "annual.publish"
		if v.Number > 1 {
			action = "annual.correct"
		}
		after := map[string]any{"year": v.Year, "scope": v.Scope, "version": v.Number, "sha256": v.SHA256, "files": files, "errors": v.Errors, "warnings": v.Warnings}
		if v.Reason != "" {
			after["reason"] = v.Reason
		}
		if v.Override != "" {
			after["override"] = v.Override
		}
		return tx.appendAudit(ctx, a, audit.Change{Action: action, ObjectType: "annual_report", ObjectID: strconv.FormatInt(id, 10), After: after})
	})
}

// ReportRecord returns a report's record; ok is false when none exists.
func (db *DB) ReportRecord(ctx context.Context, unitID int64, year int, scope annual.Scope) (report.Record, bool, error) {
	r, err := scanRecord(db.row(ctx, "SELECT "+recordCols+" FROM annual_reports WHERE unit_id = ? AND year = ? AND scope = ?", unitID, year, string(scope)))
	if err == sql.ErrNoRows {
		return report.Record{UnitID: unitID, Year: year, Scope: scope}, false, nil
	}
	return r, err == nil, db.mapErr(err)
}

// ReportRecords lists the records of the units' reports of a year.
func (db *DB) ReportRecords(ctx context.Context, unitIDs []int64, year int) ([]report.Record, error) {
	in, args := inList(unitIDs)
	rows, err := db.query(ctx, "SELECT "+recordCols+" FROM annual_reports WHERE unit_id IN "+in+" AND year = ? ORDER BY unit_id, scope", append(args, year)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []report.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const versionRowCols = `v.id, v.report_id, r.unit_id, r.year, r.scope, v.version, v.reason, v.override_reason, v.errors, v.warnings, v.sha256,
	v.published_by_id, v.published_by, v.published_at`

func scanVersion(sc interface{ Scan(...any) error }, extra ...any) (report.Version, error) {
	var v report.Version
	var scope, at string
	dest := append([]any{&v.ID, &v.ReportID, &v.UnitID, &v.Year, &scope, &v.Number, &v.Reason, &v.Override, &v.Errors, &v.Warnings, &v.SHA256,
		&v.PublishedByID, &v.PublishedBy, &at}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return v, err
	}
	v.Scope = annual.Scope(scope)
	var err error
	v.PublishedAt, err = parseTS(at)
	return v, err
}

func (db *DB) versionFiles(ctx context.Context, vs []report.Version) error {
	for i := range vs {
		rows, err := db.query(ctx, "SELECT format, sha256, size FROM annual_report_files WHERE version_id = ?", vs[i].ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f report.File
			if err := rows.Scan(&f.Format, &f.SHA256, &f.Size); err != nil {
				rows.Close()
				return err
			}
			vs[i].Files = append(vs[i].Files, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) versions(ctx context.Context, where string, args ...any) ([]report.Version, error) {
	rows, err := db.query(ctx, "SELECT "+versionRowCols+" FROM annual_report_versions v JOIN annual_reports r ON r.id = v.report_id WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	var out []report.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.versionFiles(ctx, out)
}

// ReportVersions lists a report's versions, the first first.
func (db *DB) ReportVersions(ctx context.Context, unitID int64, year int, scope annual.Scope) ([]report.Version, error) {
	return db.versions(ctx, "r.unit_id = ? AND r.year = ? AND r.scope = ? ORDER BY v.version", unitID, year, string(scope))
}

// ReportVersion returns one version with its document.
func (db *DB) ReportVersion(ctx context.Context, id int64) (report.Version, error) {
	var body string
	v, err := scanVersion(db.row(ctx, "SELECT "+versionRowCols+", v.document_json FROM annual_report_versions v JOIN annual_reports r ON r.id = v.report_id WHERE v.id = ?", id), &body)
	if err == sql.ErrNoRows {
		return v, errs.E(errs.NotFound, "该年度报告版本不存在")
	}
	if err != nil {
		return v, db.mapErr(err)
	}
	v.Document = []byte(body)
	vs := []report.Version{v}
	if err := db.versionFiles(ctx, vs); err != nil {
		return v, err
	}
	return vs[0], nil
}

// ReportFile returns one export of a version, verified against its hash.
func (db *DB) ReportFile(ctx context.Context, versionID int64, format string) (report.File, error) {
	var f report.File
	err := db.row(ctx, "SELECT format, sha256, size, content FROM annual_report_files WHERE version_id = ? AND format = ?", versionID, format).Scan(&f.Format, &f.SHA256, &f.Size, &f.Content)
	if err == sql.ErrNoRows {
		return f, errs.E(errs.NotFound, "该年度报告没有此格式的文件")
	}
	if err != nil {
		return f, db.mapErr(err)
	}
	sum := sha256.Sum256(f.Content)
	if hex.EncodeToString(sum[:]) != f.SHA256 {
		return f, errs.E(errs.Internal, "年度报告文件校验失败（SHA-256 不符），请联系系统管理员")
	}
	return f, nil
}

// PublishedReports lists the current versions of the units' reports, newest
// year first.
func (db *DB) PublishedReports(ctx context.Context, unitIDs []int64) ([]report.Version, error) {
	in, args := inList(unitIDs)
	return db.versions(ctx, "v.version = r.current_version AND r.unit_id IN "+in+" ORDER BY r.year DESC, r.unit_id, r.scope", args...)
}
