package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/redact"
	"gongkai/internal/requests"
)

// 区分处理 (条例第三十七条): the documents attached to a 部分公开 decision,
// the marks on them and the released copies (migrations 0090, 0091). Every
// change is checked by redact.Editable and the access policy inside its
// transaction and audited; the rows are append-only.

// RedactDocument is a document attached for 区分处理, with its text.
type RedactDocument struct {
	ID            int64
	ApplicationID int64
	Name          string
	ContentType   string
	Format        redact.Format
	Size          int
	SHA256        string
	Pages         []redact.Page
	CreatedBy     string
	CreatedAt     time.Time
}

// RedactMark is a stored mark.
type RedactMark struct {
	ID int64
	redact.Mark
	CreatedBy string
	CreatedAt time.Time
}

// RedactRelease is a produced released copy with its log.
type RedactRelease struct {
	ID            int64
	DocumentID    int64
	ApplicationID int64
	Name          string
	ContentType   string
	Size          int
	SHA256        string
	Log           []RedactLogEntry
	LastMark      int64
	CreatedBy     string
	CreatedAt     time.Time
	Content       []byte // only from RedactReleaseContent
}

// RedactLogEntry is one line of the redaction log as stored: what was
// withheld, on which ground, how much, marked by whom.
type RedactLogEntry struct {
	MarkID   int64           `json:"mark_id"`
	Kind     redact.MarkKind `json:"kind"`
	Page     int             `json:"page,omitempty"`
	Rule     string          `json:"rule,omitempty"`
	Ground   redact.Ground   `json:"ground"`
	Matches  int             `json:"matches"`
	Chars    int             `json:"chars"`
	Pages    int             `json:"pages"`
	MarkedBy string          `json:"marked_by"`
}

// redactCase locks the application, checks the actor may handle it and that
// its documents may change (redact.Editable), and returns its unit.
func (t *Tx) redactCase(ctx context.Context, actor audit.Actor, appID int64) (int64, error) {
	var unitID int64
	err := t.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?"+t.db.forUpdate(), appID).Scan(&unitID)
	if err == sql.ErrNoRows {
		return 0, errs.E(errs.NotFound, "申请不存在。")
	}
	if err != nil {
		return 0, err
	}
	if err := t.authorize(ctx, actor, unitID, org.ActRequestHandle); err != nil {
		return 0, err
	}
	cal, err := t.db.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	set, err := t.db.RequestSettings(ctx)
	if err != nil {
		return 0, err
	}
	st, _, err := t.requestState(ctx, cal, set, appID)
	if err != nil {
		return 0, err
	}
	return unitID, redact.Editable(st)
}

// AddRedactDocument reads a document's text (redact.Extract) and keeps it
// with the application for 区分处理, with the audit entry.
func (db *DB) AddRedactDocument(ctx context.Context, actor audit.Actor, appID int64, name string, content []byte) (RedactDocument, error) {
	f := []requests.Attachment{{Name: name, Content: content}}
	d := RedactDocument{ApplicationID: appID}
	if len(content) > redact.MaxSourceBytes {
		return d, errs.FieldError("document", "文件超过%dMB。", redact.MaxSourceBytes>>20)
	}
	src, err := redact.Extract(name, content)
	if err != nil {
		return d, err
	}
	d.Name, d.Format, d.Pages, d.Size, d.SHA256 = f[0].Name, src.Format, src.Pages, len(content), requests.ContentHash(content)
	d.ContentType = map[redact.Format]string{redact.PDF: "application/pdf", redact.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", redact.Text: "text/plain; charset=utf-8"}[src.Format]
	pages, err := json.Marshal(src.Pages)
	if err != nil {
		return d, err
	}
	d.CreatedBy, d.CreatedAt = actor.Name, db.Now()
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.redactCase(ctx, actor, appID); err != nil {
			return err
		}
		d.ID, err = tx.insert(ctx, `INSERT INTO red_documents (application_id, name, content_type, format, size, sha256, content, pages_json, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, appID, d.Name, d.ContentType, string(d.Format), d.Size, d.SHA256, content, string(pages), d.CreatedBy, ts(d.CreatedAt))
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_document", ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"document_id": d.ID, "name": d.Name, "pages": len(d.Pages), "sha256": d.SHA256}})
	})
	return d, err
}

const redactDocCols = "id, application_id, name, content_type, format, size, sha256, pages_json, created_by, created_at"

func scanRedactDocument(sc interface{ Scan(...any) error }) (RedactDocument, error) {
	var d RedactDocument
	var format, pages, created string
	if err := sc.Scan(&d.ID, &d.ApplicationID, &d.Name, &d.ContentType, &format, &d.Size, &d.SHA256, &pages, &d.CreatedBy, &created); err != nil {
		return d, err
	}
	d.Format, d.CreatedAt = redact.Format(format), mustTS(created)
	return d, json.Unmarshal([]byte(pages), &d.Pages)
}

// RedactDocuments lists the documents attached to an application for
// 区分处理, with their text.
func (db *DB) RedactDocuments(ctx context.Context, appID int64) ([]RedactDocument, error) {
	rows, err := db.query(ctx, "SELECT "+redactDocCols+" FROM red_documents WHERE application_id = ? ORDER BY id", appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RedactDocument
	for rows.Next() {
		d, err := scanRedactDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RedactDocumentOf returns one document of the application.
func (db *DB) RedactDocumentOf(ctx context.Context, appID, docID int64) (RedactDocument, error) {
	d, err := scanRedactDocument(db.row(ctx, "SELECT "+redactDocCols+" FROM red_documents WHERE id = ? AND application_id = ?", docID, appID))
	if err == sql.ErrNoRows {
		return d, errs.E(errs.NotFound, "文件不存在。")
	}
	return d, err
}

func (t *Tx) redactDocument(ctx context.Context, appID, docID int64) (RedactDocument, error) {
	d, err := scanRedactDocument(t.row(ctx, "SELECT "+redactDocCols+" FROM red_documents WHERE id = ? AND application_id = ?", docID, appID))
	if err == sql.ErrNoRows {
		return d, errs.E(errs.NotFound, "文件不存在。")
	}
	return d, err
}

// RedactMarks returns a document's marks in force (those not withdrawn),
// in the order they were made.
func (db *DB) RedactMarks(ctx context.Context, docID int64) ([]RedactMark, error) {
	rows, err := db.query(ctx, `SELECT id, kind, page, start_pos, end_pos, text, ground, rule, created_by, created_at FROM red_marks m
		WHERE document_id = ? AND cancels IS NULL AND NOT EXISTS (SELECT 1 FROM red_marks c WHERE c.cancels = m.id) ORDER BY id`, docID)
	if err != nil {
		return nil, err
	}
	return scanRedactMarks(rows)
}

func (t *Tx) redactMarks(ctx context.Context, docID int64) ([]RedactMark, error) {
	rows, err := t.query(ctx, `SELECT id, kind, page, start_pos, end_pos, text, ground, rule, created_by, created_at FROM red_marks m
		WHERE document_id = ? AND cancels IS NULL AND NOT EXISTS (SELECT 1 FROM red_marks c WHERE c.cancels = m.id) ORDER BY id`, docID)
	if err != nil {
		return nil, err
	}
	return scanRedactMarks(rows)
}

func scanRedactMarks(rows *sql.Rows) ([]RedactMark, error) {
	defer rows.Close()
	var out []RedactMark
	for rows.Next() {
		var m RedactMark
		var kind, ground, created string
		if err := rows.Scan(&m.ID, &kind, &m.Page, &m.Start, &m.End, &m.Text, &ground, &m.Rule, &m.CreatedBy, &created); err != nil {
			return nil, err
		}
		m.Kind, m.Ground, m.CreatedAt = redact.MarkKind(kind), redact.Ground(ground), mustTS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

func plainMarks(ms []RedactMark) []redact.Mark {
	out := make([]redact.Mark, len(ms))
	for i, m := range ms {
		out[i] = m.Mark
	}
	return out
}

// AddRedactMarks adds marks to a document in one transaction. Each is tried
// on the document with those already in force (redact.Apply), so a term
// that finds nothing or a passage outside the text is refused before it is
// kept. With skipEmpty, a rule's mark that finds nothing is left out rather
// than refused (applying the unit's rules to a document that lacks some).
func (db *DB) AddRedactMarks(ctx context.Context, actor audit.Actor, appID, docID int64, marks []redact.Mark, skipEmpty bool) (int, error) {
	added := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.redactCase(ctx, actor, appID); err != nil {
			return err
		}
		d, err := tx.redactDocument(ctx, appID, docID)
		if err != nil {
			return err
		}
		have, err := tx.redactMarks(ctx, docID)
		if err != nil {
			return err
		}
		src := &redact.Source{Format: d.Format, Pages: d.Pages}
		cur := plainMarks(have)
		for _, m := range marks {
			try := append(append([]redact.Mark{}, cur...), m)
			// Scanned pages not yet withheld are no fault of this mark.
			for p, pg := range d.Pages {
				if pg.Scanned {
					try = append(try, redact.Mark{Kind: redact.WholePage, Page: p + 1, Ground: m.Ground})
				}
			}
			if err := redact.CheckMark(m); err != nil {
				return err
			}
			r, err := redact.Apply(src, try)
			if err != nil {
				if skipEmpty && m.Rule != "" {
					continue
				}
				return err
			}
			if e := r.Log[len(cur)]; e.Chars == 0 && e.Pages == 0 {
				if skipEmpty && m.Rule != "" {
					continue
				}
				return errs.E(errs.Invalid, "这处标记的内容已被其他标记删除，无需重复标记。")
			}
			if _, err := tx.insert(ctx, `INSERT INTO red_marks (document_id, kind, page, start_pos, end_pos, text, ground, rule, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, docID, string(m.Kind), m.Page, m.Start, m.End, m.Text, string(m.Ground), m.Rule, actor.Name, ts(db.Now())); err != nil {
				return err
			}
			cur = append(cur, m)
			added++
		}
		if added == 0 {
			return errs.E(errs.Invalid, "没有可添加的标记：所选规则在文件中都没有找到。")
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_mark", ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"document_id": docID, "marks": added}})
	})
	return added, err
}

// CancelRedactMark withdraws a mark by a row that cancels it.
func (db *DB) CancelRedactMark(ctx context.Context, actor audit.Actor, appID, docID, markID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.redactCase(ctx, actor, appID); err != nil {
			return err
		}
		have, err := tx.redactMarks(ctx, docID)
		if err != nil {
			return err
		}
		var m *RedactMark
		for i := range have {
			if have[i].ID == markID {
				m = &have[i]
			}
		}
		if m == nil {
			return errs.E(errs.NotFound, "标记不存在或已撤销。")
		}
		if _, err := tx.insert(ctx, `INSERT INTO red_marks (document_id, kind, page, start_pos, end_pos, text, ground, rule, cancels, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, docID, string(m.Kind), m.Page, m.Start, m.End, m.Text, string(m.Ground), m.Rule, markID, actor.Name, ts(db.Now())); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_unmark", ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"document_id": docID, "mark_id": markID}})
	})
}

// PreviewRedaction applies the marks in force to a document without
// keeping anything.
func (db *DB) PreviewRedaction(ctx context.Context, appID, docID int64) (*redact.Result, []RedactMark, error) {
	d, err := db.RedactDocumentOf(ctx, appID, docID)
	if err != nil {
		return nil, nil, err
	}
	ms, err := db.RedactMarks(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	r, err := redact.Apply(&redact.Source{Format: d.Format, Pages: d.Pages}, plainMarks(ms))
	return r, ms, err
}

// ProduceRedactRelease writes the released copy of a document from the marks
// in force (redact.Apply, Result.Render), checks it for withheld text
// (redact.CheckReleased: a copy in which any is found is not kept) and keeps
// it with its hash and the redaction log, in one transaction with the audit
// entry.
func (db *DB) ProduceRedactRelease(ctx context.Context, actor audit.Actor, appID, docID int64) (RedactRelease, error) {
	var rel RedactRelease
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return rel, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.redactCase(ctx, actor, appID); err != nil {
			return err
		}
		var receipt string
		if err := tx.row(ctx, "SELECT receipt_no FROM req_applications WHERE id = ?", appID).Scan(&receipt); err != nil {
			return err
		}
		d, err := tx.redactDocument(ctx, appID, docID)
		if err != nil {
			return err
		}
		ms, err := tx.redactMarks(ctx, docID)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return errs.E(errs.Invalid, "这份文件还没有任何删除标记；全部公开的文件无需区分处理。")
		}
		r, err := redact.Apply(&redact.Source{Format: d.Format, Pages: d.Pages}, plainMarks(ms))
		if err != nil {
			return err
		}
		var n int
		if err := tx.row(ctx, "SELECT COUNT(*) FROM red_documents WHERE application_id = ? AND id <= ?", appID, docID).Scan(&n); err != nil {
			return err
		}
		out, err := r.Render(redact.FileName(receipt, n, r.Format), fonts)
		if err != nil {
			return err
		}
		if err := redact.CheckReleased(out.Name, out.Content, redact.Needles(r)); err != nil {
			return err
		}
		for i, e := range r.Log {
			rel.Log = append(rel.Log, RedactLogEntry{MarkID: ms[i].ID, Kind: e.Mark.Kind, Page: e.Mark.Page, Rule: e.Mark.Rule, Ground: e.Mark.Ground,
				Matches: e.Matches, Chars: e.Chars, Pages: e.Pages, MarkedBy: ms[i].CreatedBy})
		}
		logJSON, err := json.Marshal(rel.Log)
		if err != nil {
			return err
		}
		rel.DocumentID, rel.ApplicationID, rel.Name, rel.ContentType = docID, appID, out.Name, out.ContentType
		rel.Size, rel.SHA256, rel.LastMark = len(out.Content), requests.ContentHash(out.Content), ms[len(ms)-1].ID
		rel.CreatedBy, rel.CreatedAt = actor.Name, db.Now()
		rel.ID, err = tx.insert(ctx, `INSERT INTO red_releases (document_id, application_id, name, content_type, size, sha256, content, log_json, last_mark, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, docID, appID, rel.Name, rel.ContentType, rel.Size, rel.SHA256, out.Content, string(logJSON), rel.LastMark, rel.CreatedBy, ts(rel.CreatedAt))
		if err != nil {
			return err
		}
		chars, pages := 0, 0
		for _, e := range rel.Log {
			chars += e.Chars
			pages += e.Pages
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_release", ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"document_id": docID, "release_id": rel.ID, "name": rel.Name, "sha256": rel.SHA256, "chars": chars, "pages": pages, "marks": len(ms)}})
	})
	return rel, err
}

const redactReleaseCols = "id, document_id, application_id, name, content_type, size, sha256, log_json, last_mark, created_by, created_at"

func scanRedactRelease(sc interface{ Scan(...any) error }, content *[]byte) (RedactRelease, error) {
	var r RedactRelease
	var logJSON, created string
	dest := []any{&r.ID, &r.DocumentID, &r.ApplicationID, &r.Name, &r.ContentType, &r.Size, &r.SHA256, &logJSON, &r.LastMark, &r.CreatedBy, &created}
	if content != nil {
		dest = append(dest, content)
	}
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.CreatedAt = mustTS(created)
	return r, json.Unmarshal([]byte(logJSON), &r.Log)
}

// RedactReleases lists an application's released copies in force: the last
// produced of each document.
func (db *DB) RedactReleases(ctx context.Context, appID int64) ([]RedactRelease, error) {
	rows, err := db.query(ctx, "SELECT "+redactReleaseCols+` FROM red_releases r WHERE application_id = ?
		AND id = (SELECT MAX(id) FROM red_releases l WHERE l.document_id = r.document_id) ORDER BY document_id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RedactRelease
	for rows.Next() {
		r, err := scanRedactRelease(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RedactReleaseContent returns a released copy with its content, its hash
// verified.
func (db *DB) RedactReleaseContent(ctx context.Context, appID, releaseID int64) (RedactRelease, error) {
	var content []byte
	r, err := scanRedactRelease(db.row(ctx, "SELECT "+redactReleaseCols+", content FROM red_releases WHERE id = ? AND application_id = ?", releaseID, appID), &content)
	if err == sql.ErrNoRows {
		return r, errs.E(errs.NotFound, "公开文本不存在。")
	}
	if err != nil {
		return r, err
	}
	if requests.ContentHash(content) != r.SHA256 {
		return r, errs.E(errs.Internal, "公开文本内容与登记的哈希值不符。")
	}
	r.Content = content
	return r, nil
}

// RedactRule is a unit's stored rule.
type RedactRule struct {
	ID int64
	redact.Rule
	CreatedBy string
}

// RedactRules returns the rules a unit marks documents with: the built-in
// ones (redact.DefaultRules, ID 0) and the unit's own in force.
func (db *DB) RedactRules(ctx context.Context, unitID int64) ([]RedactRule, error) {
	var out []RedactRule
	for _, r := range redact.DefaultRules {
		out = append(out, RedactRule{Rule: r, CreatedBy: "系统"})
	}
	rows, err := db.query(ctx, "SELECT id, name, kind, text, ground, created_by FROM red_rules WHERE unit_id = ? AND retired = 0 ORDER BY id", unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r RedactRule
		var kind, ground string
		if err := rows.Scan(&r.ID, &r.Name, &kind, &r.Text, &ground, &r.CreatedBy); err != nil {
			return nil, err
		}
		r.Kind, r.Ground = redact.MarkKind(kind), redact.Ground(ground)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRedactRule keeps a rule for the unit (a term or an expression, with its
// ground), for its handlers.
func (db *DB) AddRedactRule(ctx context.Context, actor audit.Actor, unitID int64, r redact.Rule) (int64, error) {
	if r.Kind != redact.Term && r.Kind != redact.Pattern {
		return 0, errs.FieldError("kind", "规则须是检索词或正则表达式。")
	}
	if err := redact.CheckMark(r.Mark()); err != nil {
		return 0, err
	}
	if r.Name == "" {
		r.Name = r.Text
	}
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestHandle); err != nil {
			return err
		}
		var err error
		id, err = tx.insert(ctx, "INSERT INTO red_rules (unit_id, name, kind, text, ground, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			unitID, r.Name, string(r.Kind), r.Text, string(r.Ground), actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_rule", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10),
			After: map[string]any{"rule_id": id, "name": r.Name, "kind": string(r.Kind), "ground": string(r.Ground)}})
	})
	return id, err
}

// RetireRedactRule takes a unit's rule out of use.
func (db *DB) RetireRedactRule(ctx context.Context, actor audit.Actor, unitID, ruleID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestHandle); err != nil {
			return err
		}
		res, err := tx.exec(ctx, "UPDATE red_rules SET retired = 1 WHERE id = ? AND unit_id = ? AND retired = 0", ruleID, unitID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "规则不存在或已停用。")
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.redact_rule_retire", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10),
			After: map[string]any{"rule_id": ruleID}})
	})
}

// redactLetter adds to a 部分公开 answer letter the paragraph naming the
// released copies and the grounds of their removals, before the remedy
// notice.
func (db *DB) redactLetter(ctx context.Context, appID int64, l *requests.Letter) error {
	rels, err := db.RedactReleases(ctx, appID)
	if err != nil || len(rels) == 0 {
		return err
	}
	var names []string
	var grounds []redact.Ground
	for _, r := range rels {
		names = append(names, r.Name)
		for _, e := range r.Log {
			if e.Chars > 0 || e.Pages > 0 {
				grounds = append(grounds, e.Ground)
			}
		}
	}
	p := redact.LetterParagraph(names, grounds)
	n := len(l.Paragraphs)
	if n > 0 && l.Paragraphs[n-1] == requests.RemedyNotice {
		l.Paragraphs = append(l.Paragraphs[:n-1:n-1], p, requests.RemedyNotice)
	} else {
		l.Paragraphs = append(l.Paragraphs, p)
	}
	return nil
}
