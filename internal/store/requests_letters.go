package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// Answer-letter texts are law as data: requests.DefaultLetterTexts holds the
// defaults citing their articles; a unit's administrator may replace one,
// kept in the settings table under requests.letter.<unit id>.<letter key>
// (audited by SetSetting). The PDF fonts and the SMTP server for reminders
// are settings too.

// Settings keys of answer letters and reminders.
const (
	settingPDFFont      = "requests.pdf_font"
	settingPDFLatinFont = "requests.pdf_latin_font"
	settingSMTPHost     = "requests.smtp_host"
	settingSMTPPort     = "requests.smtp_port"
	settingSMTPFrom     = "requests.smtp_from"
)

func letterSettingKey(unitID int64, key string) string {
	return fmt.Sprintf("requests.letter.%d.%s", unitID, key)
}

// RequestLetterText returns the unit's text for a letter key and whether it
// is the unit's own (false: the default).
func (db *DB) RequestLetterText(ctx context.Context, unitID int64, key string) (string, bool, error) {
	def, ok := requests.DefaultLetterTexts[key]
	if !ok {
		return "", false, errs.E(errs.NotFound, "没有这种答复书模板。")
	}
	v, err := db.Setting(ctx, letterSettingKey(unitID, key), "")
	if err != nil || v == "" {
		return def, false, err
	}
	return v, true, nil
}

// SetRequestLetterText stores a unit's own text for a letter key after
// checking it (requests.ValidLetterText); an empty text restores the default.
func (db *DB) SetRequestLetterText(ctx context.Context, actor audit.Actor, unitID int64, key, text string) error {
	if !slices.Contains(requests.LetterKeys(), key) {
		return errs.E(errs.NotFound, "没有这种答复书模板。")
	}
	if _, err := db.Unit(ctx, unitID); err != nil {
		return err
	}
	if text != "" {
		if err := requests.ValidLetterText(text); err != nil {
			return err
		}
	}
	return db.SetSetting(ctx, actor, letterSettingKey(unitID, key), text)
}

// RequestPDFFonts returns the fonts answer-letter PDFs are written with.
func (db *DB) RequestPDFFonts(ctx context.Context) (requests.PDFFonts, error) {
	var f requests.PDFFonts
	var err error
	if f.CJK, err = db.Setting(ctx, settingPDFFont, ""); err != nil {
		return f, err
	}
	f.Latin, err = db.Setting(ctx, settingPDFLatinFont, "")
	return f, err
}

// RequestSMTP returns the SMTP server reminders are mailed through; it is
// not Configured when the settings are empty (reminders stay in-app).
func (db *DB) RequestSMTP(ctx context.Context) (requests.SMTP, error) {
	var s requests.SMTP
	var err error
	if s.Host, err = db.Setting(ctx, settingSMTPHost, ""); err != nil {
		return s, err
	}
	if s.From, err = db.Setting(ctx, settingSMTPFrom, ""); err != nil {
		return s, err
	}
	p, err := db.Setting(ctx, settingSMTPPort, "25")
	if err != nil {
		return s, err
	}
	if s.Port, err = strconv.Atoi(p); err != nil || s.Port <= 0 || s.Port > 65535 {
		return s, errs.E(errs.Invalid, "设置 %s 不是有效的端口号：%q。", settingSMTPPort, p)
	}
	return s, nil
}

// RequestAnswerLetter writes the answer letter of a concluded application
// with its unit's text for the outcome: the letter, its DOCX and its PDF.
// note is the handler's specific explanation.
func (db *DB) RequestAnswerLetter(ctx context.Context, id int64, note string) (requests.Letter, []byte, []byte, error) {
	app, err := db.RequestApplication(ctx, id)
	if err != nil {
		return requests.Letter{}, nil, nil, err
	}
	if app.Outcome == "" || app.ConcludedOn == "" {
		return requests.Letter{}, nil, nil, errs.E(errs.Conflict, "该申请尚未作出答复决定，不能生成答复书。")
	}
	unit, err := db.Unit(ctx, app.UnitID)
	if err != nil {
		return requests.Letter{}, nil, nil, err
	}
	text, _, err := db.RequestLetterText(ctx, app.UnitID, requests.LetterKey(app.Outcome, app.SubKind))
	if err != nil {
		// A sub-kind without its own text uses the outcome's.
		if text, _, err = db.RequestLetterText(ctx, app.UnitID, string(app.Outcome)); err != nil {
			return requests.Letter{}, nil, nil, err
		}
	}
	concluded, err := calendar.ParseDate(app.ConcludedOn)
	if err != nil {
		return requests.Letter{}, nil, nil, err
	}
	l, err := requests.WriteLetter(text, requests.LetterData{Unit: unit.Name, ReceiptNo: app.ReceiptNo, Applicant: app.Name,
		ReceivedOn: app.ReceivedOn, Description: app.Description, AnsweredOn: concluded, Outcome: app.Outcome, SubKind: app.SubKind, Note: note})
	if err != nil {
		return l, nil, nil, err
	}
	docx, err := l.DOCX()
	if err != nil {
		return l, nil, nil, err
	}
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return l, nil, nil, err
	}
	pdf, err := l.PDF(fonts)
	return l, docx, pdf, err
}

// RequestLetterFile is a stored document of an application: the answer
// letter or a notice (requests.NoticeKind).
type RequestLetterFile struct {
	ID        int64
	Kind      requests.NoticeKind
	Format    string // "docx" or "pdf"
	SHA256    string
	Size      int
	CreatedBy string
	CreatedAt time.Time
	Content   []byte // only from RequestLetterFileContent
}

// SaveRequestAnswerLetter writes the answer letter of a concluded
// application (RequestAnswerLetter) and keeps its DOCX and PDF with the
// application, each with its content hash, in one transaction with the
// audit entry.
func (db *DB) SaveRequestAnswerLetter(ctx context.Context, actor audit.Actor, id int64, note string) ([]RequestLetterFile, error) {
	_, docx, pdf, err := db.RequestAnswerLetter(ctx, id, note)
	if err != nil {
		return nil, err
	}
	return db.saveLetterFiles(ctx, actor, id, requests.LetterAnswer, "request.letter", docx, pdf, false)
}

// EnsureRequestAnswerLetter returns the application's stored answer letter
// (its newest DOCX and PDF). An answered application whose letter was not
// kept — answered before letters were, or whose letter failed then — gets
// it written from its answer and kept now; two requests at once keep it
// once.
func (db *DB) EnsureRequestAnswerLetter(ctx context.Context, actor audit.Actor, id int64) ([]RequestLetterFile, error) {
	if files, err := db.letterFilesOf(ctx, db.sql, id, requests.LetterAnswer); err != nil || len(files) > 0 {
		return files, err
	}
	evs, err := db.RequestEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	note, answered := "", false
	for _, e := range evs {
		if e.Kind == requests.Answered {
			note, answered = e.Note, true
		}
	}
	if !answered {
		return nil, errs.E(errs.Conflict, "该申请尚未作出答复，没有答复书。")
	}
	_, docx, pdf, err := db.RequestAnswerLetter(ctx, id, note)
	if err != nil {
		return nil, err
	}
	return db.saveLetterFiles(ctx, actor, id, requests.LetterAnswer, "request.letter", docx, pdf, true)
}

// letterFilesOf lists the newest DOCX and PDF of one kind of document.
func (db *DB) letterFilesOf(ctx context.Context, q querier, id int64, kind requests.NoticeKind) ([]RequestLetterFile, error) {
	rows, err := q.QueryContext(ctx, db.rebind("SELECT id, kind, format, sha256, created_by, created_at FROM req_letters WHERE application_id = ? AND kind = ? ORDER BY id DESC"), id, kind)
	if err != nil {
		return nil, db.mapErr(err)
	}
	all, err := scanLetterFiles(rows)
	var out []RequestLetterFile
	seen := map[string]bool{}
	for _, f := range all {
		if !seen[f.Format] {
			seen[f.Format] = true
			out = append(out, f)
		}
	}
	return out, err
}

// saveLetterFiles keeps a document's DOCX and PDF with the application,
// each with its hash, in one transaction with the audit entry.
// With once, the application's row is locked first and a document of the
// kind already kept is returned instead.
func (db *DB) saveLetterFiles(ctx context.Context, actor audit.Actor, id int64, kind requests.NoticeKind, action string, docx, pdf []byte, once bool) ([]RequestLetterFile, error) {
	var out []RequestLetterFile
	err := db.inTx(ctx, func(tx *Tx) error {
		if once {
			var x int64
			if err := tx.row(ctx, "SELECT id FROM req_applications WHERE id = ?"+db.forUpdate(), id).Scan(&x); err != nil {
				return err
			}
			kept, err := db.letterFilesOf(ctx, tx.tx, id, kind)
			if err != nil || len(kept) > 0 {
				out = kept
				return err
			}
		}
		now := db.Now()
		hashes := map[string]string{}
		for _, f := range []struct {
			format string
			b      []byte
		}{{"docx", docx}, {"pdf", pdf}} {
			h := requests.ContentHash(f.b)
			lid, err := tx.insert(ctx, "INSERT INTO req_letters (application_id, kind, format, content, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				id, kind, f.format, f.b, h, actor.Name, ts(now))
			if err != nil {
				return err
			}
			hashes[f.format] = h
			out = append(out, RequestLetterFile{ID: lid, Kind: kind, Format: f.format, SHA256: h, Size: len(f.b), CreatedBy: actor.Name, CreatedAt: now})
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: action, ObjectType: "request", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"kind": kind, "docx_sha256": hashes["docx"], "pdf_sha256": hashes["pdf"]}})
	})
	return out, err
}

// SaveRequestNotice writes the notice that the application's latest event
// of that kind sent (补正、延期、收费: requests.WriteNotice), with the dates
// the events give as of that event, and keeps its DOCX and PDF with the
// application like the answer letter.
func (db *DB) SaveRequestNotice(ctx context.Context, actor audit.Actor, id int64, kind requests.NoticeKind) ([]RequestLetterFile, error) {
	app, err := db.RequestApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	evs, err := db.RequestEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return nil, err
	}
	var st requests.State
	var d requests.NoticeData
	found := false
	for _, e := range evs {
		if err := st.Apply(cal, set, e.Event); err != nil {
			return nil, err
		}
		if requests.NoticeKind(e.Kind) != kind {
			continue
		}
		found = true
		d = requests.NoticeData{On: e.On, Days: e.Days, Yuan: e.Yuan, Note: e.Note}
		switch kind {
		case requests.NoticeCorrection:
			d.Due = st.CorrectionDue
		case requests.NoticeFee:
			d.Due = st.FeeDue
		case requests.NoticeExtension:
			if d.Due, err = st.DueOn(cal, e.On); err != nil {
				return nil, err
			}
		}
	}
	if !found {
		return nil, errs.E(errs.Conflict, "该申请没有需要发出%s的办理环节。", kind.Title())
	}
	unit, err := db.Unit(ctx, app.UnitID)
	if err != nil {
		return nil, err
	}
	d.Unit, d.ReceiptNo, d.Applicant, d.ReceivedOn, d.Description = unit.Name, app.ReceiptNo, app.Name, app.ReceivedOn, app.Description
	l, err := requests.WriteNotice(kind, d)
	if err != nil {
		return nil, err
	}
	docx, err := l.DOCX()
	if err != nil {
		return nil, err
	}
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return nil, err
	}
	pdf, err := l.PDF(fonts)
	if err != nil {
		return nil, err
	}
	return db.saveLetterFiles(ctx, actor, id, kind, "request.notice", docx, pdf, false)
}

// RequestLetterFiles lists an application's stored documents (answer
// letters and notices), newest first.
func (db *DB) RequestLetterFiles(ctx context.Context, id int64) ([]RequestLetterFile, error) {
	rows, err := db.query(ctx, "SELECT id, kind, format, sha256, created_by, created_at FROM req_letters WHERE application_id = ? ORDER BY id DESC", id)
	if err != nil {
		return nil, err
	}
	return scanLetterFiles(rows)
}

// scanLetterFiles reads the rows of a document listing (without content).
func scanLetterFiles(rows *sql.Rows) ([]RequestLetterFile, error) {
	defer rows.Close()
	var out []RequestLetterFile
	for rows.Next() {
		var f RequestLetterFile
		var created string
		if err := rows.Scan(&f.ID, &f.Kind, &f.Format, &f.SHA256, &f.CreatedBy, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = mustTS(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// RequestLetterFileContent returns a stored letter of the application,
// checking its content against the stored hash. A letter carries the
// applicant's name and address, so reading it is audited.
func (db *DB) RequestLetterFileContent(ctx context.Context, actor audit.Actor, applicationID, letterID int64) (RequestLetterFile, error) {
	var f RequestLetterFile
	var created string
	err := db.inTx(ctx, func(tx *Tx) error {
		err := tx.row(ctx, "SELECT id, kind, format, content, sha256, created_by, created_at FROM req_letters WHERE id = ? AND application_id = ?", letterID, applicationID).
			Scan(&f.ID, &f.Kind, &f.Format, &f.Content, &f.SHA256, &f.CreatedBy, &created)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "答复书不存在。")
		}
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.view_letter", ObjectType: "request", ObjectID: strconv.FormatInt(applicationID, 10),
			After: map[string]any{"letter_id": letterID, "format": f.Format}})
	})
	if err != nil {
		return f, err
	}
	if requests.ContentHash(f.Content) != f.SHA256 {
		return f, errs.E(errs.Internal, "答复书内容与登记的哈希值不符，可能已被篡改。")
	}
	f.Size, f.CreatedAt = len(f.Content), mustTS(created)
	return f, nil
}
