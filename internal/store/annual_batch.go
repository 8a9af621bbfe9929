package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/jobs"
)

var _ annual.BatchStore = (*DB)(nil)

// BatchInput is one file of a batch as uploaded: its name and bytes, or the
// reason it was refused before being stored (too large, not inflatable).
type BatchInput struct {
	Name    string
	Content []byte
	Reason  string
}

// AnnualBatch is a batch audit and its progress.
type AnnualBatch struct {
	ID         int64
	Name       string
	Files      int
	Bytes      int64
	State      string // "checking" or "done"
	UserID     int64
	CreatedBy  string
	CreatedAt  time.Time
	FinishedAt time.Time
	// Done is the number of files checked so far.
	Done int
	// JobFailed is set, with the job's last error, when the job that
	// checks the batch failed for good.
	JobFailed bool
	JobError  string
}

// Finished reports whether every file was checked and the batch completed.
func (b AnnualBatch) Finished() bool { return b.State == "done" }

// CreateAnnualBatch stores a batch's files (each as an annual upload) in
// the order given and queues the job that checks them, in one transaction
// with its audit entry: the batch exists whole or not at all. An input that
// carries a reason is stored as a file already done, with that reason.
func (db *DB) CreateAnnualBatch(ctx context.Context, actor audit.Actor, name string, inputs iter.Seq2[BatchInput, error]) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		now := ts(db.Now())
		var err error
		id, err = tx.insert(ctx, "INSERT INTO annual_batches (name, files, bytes, user_id, created_by, created_at) VALUES (?, 0, 0, ?, ?, ?)",
			name, actor.UserID, actor.Name, now)
		if err != nil {
			return err
		}
		files, refused := 0, 0
		var size int64
		for in, err := range inputs {
			if err != nil {
				return err
			}
			if in.Reason != "" {
				refused++
				if _, err := tx.exec(ctx, "INSERT INTO annual_batch_files (batch_id, pos, name, state, read_error, checked_at) VALUES (?, ?, ?, 'done', ?, ?)",
					id, files, in.Name, in.Reason, now); err != nil {
					return err
				}
				files++
				continue
			}
			sum := sha256.Sum256(in.Content)
			up, err := tx.insert(ctx, "INSERT INTO annual_uploads (sha256, name, size, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
				hex.EncodeToString(sum[:]), in.Name, len(in.Content), in.Content, actor.Name, now)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, "INSERT INTO annual_batch_files (batch_id, pos, name, upload_id) VALUES (?, ?, ?, ?)", id, files, in.Name, up); err != nil {
				return err
			}
			files++
			size += int64(len(in.Content))
		}
		if files == 0 {
			return errs.E(errs.Invalid, "没有可检查的年度报告文件（PDF、Word .docx、网页 .html 或文本 .txt）")
		}
		if _, err := tx.exec(ctx, "UPDATE annual_batches SET files = ?, bytes = ? WHERE id = ?", files, size, id); err != nil {
			return err
		}
		if err := tx.enqueueJob(ctx, jobs.Job{Kind: annual.BatchJobKind, Key: "batch-" + strconv.FormatInt(id, 10),
			Payload: strconv.FormatInt(id, 10), RunAt: db.Now()}); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "annual.batch_create", ObjectType: "annual_batch", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"name": name, "files": files, "refused": refused, "bytes": size}})
	})
	return id, err
}

const batchCols = `b.id, b.name, b.files, b.bytes, b.state, b.user_id, b.created_by, b.created_at, b.finished_at,
	(SELECT count(*) FROM annual_batch_files f WHERE f.batch_id = b.id AND f.state = 'done'),
	COALESCE((SELECT j.last_error FROM jobs j WHERE j.kind = '` + annual.BatchJobKind + `' AND j.job_key = 'batch-' || b.id AND j.state = 'failed' ORDER BY j.id DESC LIMIT 1), '~')`

func scanBatch(sc interface{ Scan(...any) error }) (AnnualBatch, error) {
	var b AnnualBatch
	var created, finished, jobErr string
	if err := sc.Scan(&b.ID, &b.Name, &b.Files, &b.Bytes, &b.State, &b.UserID, &b.CreatedBy, &created, &finished, &b.Done, &jobErr); err != nil {
		return b, err
	}
	b.CreatedAt = mustTS(created)
	if finished != "" {
		b.FinishedAt = mustTS(finished)
	}
	if jobErr != "~" {
		b.JobFailed, b.JobError = true, jobErr
	}
	return b, nil
}

// AnnualBatchByID returns a batch with its progress.
func (db *DB) AnnualBatchByID(ctx context.Context, id int64) (AnnualBatch, error) {
	b, err := scanBatch(db.row(ctx, "SELECT "+batchCols+" FROM annual_batches b WHERE b.id = ?", id))
	if err == sql.ErrNoRows {
		return b, errs.E(errs.NotFound, "该批量检查不存在")
	}
	return b, db.mapErr(err)
}

// AnnualBatches lists the newest batches, of one account (userID) or of
// everyone (0).
func (db *DB) AnnualBatches(ctx context.Context, userID int64, limit int) ([]AnnualBatch, error) {
	q := "SELECT " + batchCols + " FROM annual_batches b"
	var args []any
	if userID != 0 {
		q += " WHERE b.user_id = ?"
		args = append(args, userID)
	}
	rows, err := db.query(ctx, q+" ORDER BY b.id DESC LIMIT "+itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnnualBatch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BatchFileRow is one file of a batch as its summary lists it.
type BatchFileRow struct {
	ID        int64
	Pos       int
	Name      string
	Done      bool
	ReadError string
	Form      string
	Unit      string
	Year      int
	Errors    int
	Warnings  int
	// Report is the report read from the file, with its findings; it is
	// loaded only by AnnualBatchFile and AnnualBatchReports.
	Report *annual.Report
}

const batchFileCols = "id, pos, name, state, read_error, form, unit, year, errors, warnings"

func scanBatchFile(sc interface{ Scan(...any) error }, extra ...any) (BatchFileRow, error) {
	var f BatchFileRow
	var state string
	dest := append([]any{&f.ID, &f.Pos, &f.Name, &state, &f.ReadError, &f.Form, &f.Unit, &f.Year, &f.Errors, &f.Warnings}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return f, err
	}
	f.Done = state == "done"
	return f, nil
}

// AnnualBatchFiles lists a batch's files in the batch's order, without
// their reports.
func (db *DB) AnnualBatchFiles(ctx context.Context, batchID int64) ([]BatchFileRow, error) {
	rows, err := db.query(ctx, "SELECT "+batchFileCols+" FROM annual_batch_files WHERE batch_id = ? ORDER BY pos", batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BatchFileRow
	for rows.Next() {
		f, err := scanBatchFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AnnualBatchFile returns one file of a batch with the report read from it
// (nil while it is pending or when it could not be read).
func (db *DB) AnnualBatchFile(ctx context.Context, batchID, fileID int64) (BatchFileRow, error) {
	var body, text string
	f, err := scanBatchFile(db.row(ctx, "SELECT "+batchFileCols+", report_json, text_json FROM annual_batch_files WHERE batch_id = ? AND id = ?", batchID, fileID), &body, &text)
	if err == sql.ErrNoRows {
		return f, errs.E(errs.NotFound, "该批量检查中没有这个文件")
	}
	if err != nil {
		return f, db.mapErr(err)
	}
	f.Report, err = batchReport(f, body, text)
	return f, err
}

// AnnualBatchReports lists a batch's files with their reports, in order.
func (db *DB) AnnualBatchReports(ctx context.Context, batchID int64) ([]BatchFileRow, error) {
	rows, err := db.query(ctx, "SELECT "+batchFileCols+", report_json, text_json FROM annual_batch_files WHERE batch_id = ? ORDER BY pos", batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BatchFileRow
	for rows.Next() {
		var body, text string
		f, err := scanBatchFile(rows, &body, &text)
		if err != nil {
			return nil, err
		}
		if f.Report, err = batchReport(f, body, text); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// batchReport reads a stored report back with its narrative and form.
func batchReport(f BatchFileRow, body, text string) (*annual.Report, error) {
	if body == "" {
		return nil, nil
	}
	r := annual.NewReport()
	if err := json.Unmarshal([]byte(body), r); err != nil {
		return nil, fmt.Errorf("batch file %d: report: %w", f.ID, err)
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &r.Text); err != nil {
			return nil, fmt.Errorf("batch file %d: narrative: %w", f.ID, err)
		}
	}
	r.Printed.Form = f.Form
	return r, nil
}

// PendingBatchFiles lists up to n files of a batch still to be checked.
func (db *DB) PendingBatchFiles(ctx context.Context, batchID int64, n int) ([]annual.BatchFile, error) {
	rows, err := db.query(ctx, "SELECT id, name FROM annual_batch_files WHERE batch_id = ? AND state = 'pending' ORDER BY pos LIMIT "+itoa(n), batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annual.BatchFile
	for rows.Next() {
		var f annual.BatchFile
		if err := rows.Scan(&f.ID, &f.Name); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// BatchFileContent returns the bytes of a batch's file.
func (db *DB) BatchFileContent(ctx context.Context, fileID int64) ([]byte, error) {
	var b []byte
	err := db.row(ctx, "SELECT u.content FROM annual_batch_files f JOIN annual_uploads u ON u.id = f.upload_id WHERE f.id = ?", fileID).Scan(&b)
	if err == sql.ErrNoRows {
		return nil, errs.E(errs.NotFound, "批量检查的文件不存在")
	}
	return b, db.mapErr(err)
}

// SaveBatchResult writes what checking a file gave, in one statement, only
// while the file is pending: a file checked twice (a runner whose lease ran
// out while it worked) keeps its first result.
func (db *DB) SaveBatchResult(ctx context.Context, res annual.BatchResult) error {
	var body, text, form, unit string
	var year, nerr, nwarn int
	if r := res.Report; r != nil {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("marshal report: %w", err)
		}
		t, err := json.Marshal(r.Text)
		if err != nil {
			return fmt.Errorf("marshal report text: %w", err)
		}
		body, text, form, unit, year = string(b), string(t), r.Printed.Form, r.Unit, r.Year
		nerr, nwarn = countFindings(r.Findings)
	} else if res.Reason == "" {
		res.Reason = "无法读取"
	}
	_, err := db.sql.ExecContext(ctx, db.rebind(`UPDATE annual_batch_files SET state = 'done', read_error = ?, form = ?, unit = ?, year = ?,
		errors = ?, warnings = ?, report_json = ?, text_json = ?, checked_at = ? WHERE id = ? AND state = 'pending'`),
		res.Reason, form, unit, year, nerr, nwarn, body, text, ts(db.Now()), res.FileID)
	return db.mapErr(err)
}

func countFindings(fs []annual.Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == annual.Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// BatchReports returns the reports read from a batch's files.
func (db *DB) BatchReports(ctx context.Context, batchID int64) ([]annual.BatchResult, error) {
	fs, err := db.AnnualBatchReports(ctx, batchID)
	if err != nil {
		return nil, err
	}
	var out []annual.BatchResult
	for _, f := range fs {
		if f.Report != nil {
			out = append(out, annual.BatchResult{FileID: f.ID, Report: f.Report})
		}
	}
	return out, nil
}

// PriorReports returns every unit's imported reports.
func (db *DB) PriorReports(ctx context.Context) ([]*annual.Report, error) {
	hs, err := db.AnnualHistory(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*annual.Report, len(hs))
	for i, h := range hs {
		out[i] = h.Report
	}
	return out, nil
}

// CompleteBatch writes the reports the rules across years added findings
// to and marks the batch done, in one transaction with its audit entry (the
// system's), unless another runner completed it first.
func (db *DB) CompleteBatch(ctx context.Context, batchID int64, changed []annual.BatchResult) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var state string
		var files int
		if err := tx.row(ctx, "SELECT state, files FROM annual_batches WHERE id = ?"+db.forUpdate(), batchID).Scan(&state, &files); err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "该批量检查不存在")
		} else if err != nil {
			return err
		}
		if state == "done" {
			return nil
		}
		var pending int
		if err := tx.row(ctx, "SELECT count(*) FROM annual_batch_files WHERE batch_id = ? AND state = 'pending'", batchID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return fmt.Errorf("batch %d: %d files still pending", batchID, pending)
		}
		for _, res := range changed {
			b, err := json.Marshal(res.Report)
			if err != nil {
				return fmt.Errorf("marshal report: %w", err)
			}
			nerr, nwarn := countFindings(res.Report.Findings)
			if _, err := tx.exec(ctx, "UPDATE annual_batch_files SET report_json = ?, errors = ?, warnings = ? WHERE id = ? AND batch_id = ?",
				string(b), nerr, nwarn, res.FileID, batchID); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, "UPDATE annual_batches SET state = 'done', finished_at = ? WHERE id = ?", ts(db.Now()), batchID); err != nil {
			return err
		}
		var unreadable int
		if err := tx.row(ctx, "SELECT count(*) FROM annual_batch_files WHERE batch_id = ? AND read_error <> ''", batchID).Scan(&unreadable); err != nil {
			return err
		}
		return tx.appendAudit(ctx, audit.System(annual.BatchJobKind), audit.Change{Action: "annual.batch_done", ObjectType: "annual_batch",
			ObjectID: strconv.FormatInt(batchID, 10), After: map[string]any{"files": files, "unreadable": unreadable, "across_years": len(changed)}})
	})
}
