package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// RequestAttachment is a file attached to an application.
type RequestAttachment struct {
	ID          int64
	Name        string
	ContentType string
	Size        int
	SHA256      string
	CreatedBy   string
	CreatedAt   time.Time
	Content     []byte // only from RequestAttachmentContent
}

// AddRequestAttachments checks the files (requests.CheckAttachments) and
// keeps them with the application, with the audit entry, in one
// transaction; at most requests.MaxAttachments per application in all.
func (db *DB) AddRequestAttachments(ctx context.Context, actor audit.Actor, id int64, files []requests.Attachment) error {
	if len(files) == 0 {
		return nil
	}
	if err := requests.CheckAttachments(files); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		// Locking the application serialises concurrent uploads, so the
		// limit on their number holds.
		var unitID int64
		err := tx.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?"+db.forUpdate(), id).Scan(&unitID)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "申请不存在。")
		}
		if err != nil {
			return err
		}
		if err := tx.authorizeApplicantIn(ctx, actor, unitID); err != nil {
			return err
		}
		return tx.addAttachments(ctx, actor, id, files)
	})
}

// addAttachments stores checked files with application id and the audit
// entry naming them, within the transaction.
func (t *Tx) addAttachments(ctx context.Context, actor audit.Actor, id int64, files []requests.Attachment) error {
	if len(files) == 0 {
		return nil
	}
	var n int
	if err := t.row(ctx, "SELECT COUNT(*) FROM req_attachments WHERE application_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n+len(files) > requests.MaxAttachments {
		return errs.FieldError("attachments", "每件申请的附件最多%d个。", requests.MaxAttachments)
	}
	names := []string{}
	for _, f := range files {
		if _, err := t.insert(ctx, `INSERT INTO req_attachments (application_id, name, content_type, size, sha256, content, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, f.Name, f.ContentType, len(f.Content), requests.ContentHash(f.Content), f.Content, actor.Name, ts(t.db.Now())); err != nil {
			return err
		}
		names = append(names, f.Name)
	}
	return t.appendAudit(ctx, actor, audit.Change{Action: "request.attach", ObjectType: "request", ObjectID: strconv.FormatInt(id, 10),
		After: map[string]any{"files": names}})
}

// RequestAttachments lists an application's attachments without content.
func (db *DB) RequestAttachments(ctx context.Context, id int64) ([]RequestAttachment, error) {
	rows, err := db.query(ctx, "SELECT id, name, content_type, size, sha256, created_by, created_at FROM req_attachments WHERE application_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestAttachment
	for rows.Next() {
		var a RequestAttachment
		var created string
		if err := rows.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedBy, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = mustTS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// RequestAttachmentContent returns one attachment of the application with
// its content; reading it is a view of the applicant's details and is
// audited.
func (db *DB) RequestAttachmentContent(ctx context.Context, actor audit.Actor, applicationID, attachmentID int64) (RequestAttachment, error) {
	var a RequestAttachment
	var created string
	err := db.inTx(ctx, func(tx *Tx) error {
		err := tx.row(ctx, "SELECT id, name, content_type, size, sha256, content, created_by, created_at FROM req_attachments WHERE id = ? AND application_id = ?",
			attachmentID, applicationID).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Content, &a.CreatedBy, &created)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "附件不存在。")
		}
		if err != nil {
			return err
		}
		if err := tx.authorizeApplicant(ctx, actor, applicationID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.view_attachment", ObjectType: "request", ObjectID: strconv.FormatInt(applicationID, 10),
			After: map[string]any{"attachment_id": attachmentID, "name": a.Name}})
	})
	if err != nil {
		return a, err
	}
	a.CreatedAt = mustTS(created)
	if requests.ContentHash(a.Content) != a.SHA256 {
		return a, errs.E(errs.Internal, "附件内容与登记的哈希值不符。")
	}
	return a, nil
}
