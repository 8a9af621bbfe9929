package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/smtp"
)

// Answer-letter texts are law as data: requests.DefaultLetterTexts holds the
// defaults citing their articles; a unit's office head (or administrator)
// may replace one, kept in the settings table under
// requests.letter.<unit id>.<letter key> (audited). The unit's office for
// its letters (contact, 文书编号 format, how to pay) is settings
// requests.office.<unit id>.<field>; the 文书编号 sequences are
// req_doc_numbers (migration 0022). The PDF fonts and the SMTP server for
// reminders are settings too.

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
func (db *DB) RequestLetterText(ctx context.Context, unitID int64, key string) (_ string, _ bool, err error) {
	defer errs.Op(&err, "store.RequestLetterText")
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
// checking it (requests.ValidLetterText); an empty text restores the
// default. Who may is the policy's org.ActRequestLettersEdit.
func (db *DB) SetRequestLetterText(ctx context.Context, actor audit.Actor, unitID int64, key, text string) (err error) {
	defer errs.Op(&err, "store.SetRequestLetterText")
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
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestLettersEdit); err != nil {
			return err
		}
		return tx.setSetting(ctx, actor, letterSettingKey(unitID, key), text)
	})
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
func (db *DB) RequestSMTP(ctx context.Context) (smtp.Server, error) {
	var s smtp.Server
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

// RequestOffice returns the settings a unit has made for its letters
// (requests.Office), without the defaults: the form shows what was set.
func (db *DB) RequestOffice(ctx context.Context, unitID int64) (_ requests.Office, err error) {
	defer errs.Op(&err, "store.RequestOffice")
	var o requests.Office
	for _, f := range requests.OfficeFields {
		v, err := db.Setting(ctx, officeKey(unitID, f.Key), "")
		if err != nil {
			return o, err
		}
		o.Set(f.Key, v)
	}
	return o, nil
}

func officeKey(unitID int64, field string) string {
	return fmt.Sprintf("requests.office.%d.%s", unitID, field)
}

// SetRequestOffice stores a unit's settings for its letters, after checking
// them, each changed field a setting with its audit entry, in one
// transaction; who may is the policy's org.ActRequestOffice.
func (db *DB) SetRequestOffice(ctx context.Context, actor audit.Actor, unitID int64, o requests.Office) (err error) {
	defer errs.Op(&err, "store.SetRequestOffice")
	if err := o.Validate(); err != nil {
		return err
	}
	if _, err := db.Unit(ctx, unitID); err != nil {
		return err
	}
	old, err := db.RequestOffice(ctx, unitID)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestOffice); err != nil {
			return err
		}
		for _, f := range requests.OfficeFields {
			if v := o.Get(f.Key); v != old.Get(f.Key) {
				if err := tx.setSetting(ctx, actor, officeKey(unitID, f.Key), v); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// letterOffice is a unit's office for its letters, defaults filled in.
func (db *DB) letterOffice(ctx context.Context, unit org.Unit) (requests.Office, error) {
	o, err := db.RequestOffice(ctx, unit.ID)
	return o.WithDefaults(unit.Name), err
}

// RequestAnswerLetter writes the answer letter of a concluded application
// with its unit's text for the outcome, the steps its history records and
// the unit's office: the letter (without its 文书编号, allocated when it is
// stored). note is the handler's specific explanation.
func (db *DB) RequestAnswerLetter(ctx context.Context, id int64, note string) (_ requests.Letter, _ requests.Office, err error) {
	defer errs.Op(&err, "store.RequestAnswerLetter")
	return db.answerLetter(ctx, db, id, note)
}

// requestReader reads an application and its events: the database, or the
// transaction that is recording a step (whose letters are written from
// the state it has not committed yet).
type requestReader interface {
	RequestApplication(ctx context.Context, id int64) (RequestApp, error)
	RequestEvents(ctx context.Context, id int64) ([]RequestEvent, error)
}

// RequestApplication reads an application in the transaction.
func (t *Tx) RequestApplication(ctx context.Context, id int64) (RequestApp, error) {
	a, err := scanRequestApp(t.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return a, errs.E(errs.NotFound, "申请不存在。")
	}
	return a, err
}

// RequestEvents reads an application's events in the transaction.
func (t *Tx) RequestEvents(ctx context.Context, id int64) ([]RequestEvent, error) {
	rows, err := t.query(ctx, "SELECT "+reqEventCols+" FROM req_events WHERE application_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	return scanRequestEvents(rows)
}

func (db *DB) answerLetter(ctx context.Context, rd requestReader, id int64, note string) (requests.Letter, requests.Office, error) {
	app, err := rd.RequestApplication(ctx, id)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	if app.Outcome == "" || app.ConcludedOn == "" {
		return requests.Letter{}, requests.Office{}, errs.E(errs.Conflict, "该申请尚未作出答复决定，不能生成答复书。")
	}
	unit, err := db.Unit(ctx, app.UnitID)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	office, err := db.letterOffice(ctx, unit)
	if err != nil {
		return requests.Letter{}, office, err
	}
	text, _, err := db.RequestLetterText(ctx, app.UnitID, requests.LetterKey(app.Outcome, app.SubKind))
	if err != nil {
		// A sub-kind without its own text uses the outcome's.
		if text, _, err = db.RequestLetterText(ctx, app.UnitID, string(app.Outcome)); err != nil {
			return requests.Letter{}, office, err
		}
	}
	concluded, err := calendar.ParseDate(app.ConcludedOn)
	if err != nil {
		return requests.Letter{}, office, err
	}
	evs, err := rd.RequestEvents(ctx, id)
	if err != nil {
		return requests.Letter{}, office, err
	}
	history := make([]requests.Event, len(evs))
	var published *requests.PublishedRef
	for i, e := range evs {
		history[i] = e.Event
		if e.Kind == requests.Decided && e.ItemID != 0 {
			// 第三十六条第（一）项: where the information is, as the portal shows it.
			it, err := db.Public().Item(ctx, app.UnitID, e.ItemID)
			if err != nil {
				return requests.Letter{}, office, errs.Wrap(errs.Conflict, err, "答复书所指的已公开信息（/items/%d）已不在门户网站上，请重新拟定答复意见。", e.ItemID)
			}
			published = &requests.PublishedRef{Title: it.Title, On: calendar.DateOf(it.PublishedAt.In(beijing)),
				URL: strings.TrimRight(office.Site, "/") + "/items/" + strconv.FormatInt(e.ItemID, 10)}
		}
	}
	l, err := requests.WriteLetter(text, requests.LetterData{Unit: unit.Name, Office: office, ReceiptNo: app.ReceiptNo, Applicant: app.Name,
		ReceivedOn: app.ReceivedOn, Description: app.Description, AnsweredOn: concluded, Outcome: app.Outcome, SubKind: app.SubKind, Note: note,
		History: history, Published: published})
	if err == nil && app.Outcome == annual.RowPartlyDisclosed {
		err = db.redactLetter(ctx, id, &l)
	}
	return l, office, err
}

// RequestLetterFile is a stored document of an application: the answer
// letter or a notice (requests.NoticeKind).
type RequestLetterFile struct {
	ID        int64
	Kind      requests.NoticeKind
	Format    string // "docx" or "pdf"
	DocNo     string // 文书编号 ("" for a document stored before they were kept)
	SHA256    string
	Size      int
	CreatedBy string
	CreatedAt time.Time
	Content   []byte // only from RequestLetterFileContent
}

// SaveRequestAnswerLetter writes the answer letter of a concluded
// application (RequestAnswerLetter) and keeps its DOCX and PDF with the
// application under its 文书编号, each with its content hash, in one
// transaction with the audit entry.
func (db *DB) SaveRequestAnswerLetter(ctx context.Context, actor audit.Actor, id int64, note string) (_ []RequestLetterFile, err error) {
	defer errs.Op(&err, "store.SaveRequestAnswerLetter")
	l, office, err := db.RequestAnswerLetter(ctx, id, note)
	if err != nil {
		return nil, err
	}
	return db.saveLetter(ctx, actor, id, l, office, "request.letter", false)
}

// EnsureRequestAnswerLetter returns the application's stored answer letter
// (its newest DOCX and PDF). An answered application whose letter was not
// kept — answered before letters were, or whose letter failed then — gets
// it written from its answer and kept now; two requests at once keep it
// once.
func (db *DB) EnsureRequestAnswerLetter(ctx context.Context, actor audit.Actor, id int64) (_ []RequestLetterFile, err error) {
	defer errs.Op(&err, "store.EnsureRequestAnswerLetter")
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
	l, office, err := db.RequestAnswerLetter(ctx, id, note)
	if err != nil {
		return nil, err
	}
	return db.saveLetter(ctx, actor, id, l, office, "request.letter", true)
}

// letterFilesOf lists the newest DOCX and PDF of one kind of document.
func (db *DB) letterFilesOf(ctx context.Context, q querier, id int64, kind requests.NoticeKind) ([]RequestLetterFile, error) {
	rows, err := q.QueryContext(ctx, db.rebind("SELECT id, kind, format, doc_no, sha256, created_by, created_at FROM req_letters WHERE application_id = ? AND kind = ? ORDER BY id DESC"), id, kind)
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

// allocDocNo takes the next number of a unit's sequence for a kind of
// document and a year of issue, in the transaction that stores the
// document: the row is locked until it commits, so two instances never
// issue the same number.
func (t *Tx) allocDocNo(ctx context.Context, unitID int64, kind requests.NoticeKind, year int) (int, error) {
	var n int
	err := t.row(ctx, `INSERT INTO req_doc_numbers (unit_id, kind, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (unit_id, kind, year) DO UPDATE SET last = req_doc_numbers.last + 1 RETURNING last`, unitID, kind, year).Scan(&n)
	return n, err
}

// saveLetter keeps a document's DOCX and PDF with the application, each
// with its hash, in one transaction with the audit entry: the 文书编号 is
// allocated in it and printed on the document. With once, the
// application's row is locked first and a document of the kind already
// kept is returned instead.
func (db *DB) saveLetter(ctx context.Context, actor audit.Actor, id int64, l requests.Letter, office requests.Office, action string, once bool) ([]RequestLetterFile, error) {
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return nil, err
	}
	var out []RequestLetterFile
	err = db.inTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.keepLetter(ctx, actor, id, l, office, fonts, action, once)
		return err
	})
	return out, err
}

// keepLetter is saveLetter in a transaction: the one that stores the
// document alone, or the one that records the step sending it.
func (t *Tx) keepLetter(ctx context.Context, actor audit.Actor, id int64, l requests.Letter, office requests.Office, fonts requests.PDFFonts, action string, once bool) ([]RequestLetterFile, error) {
	db, tx := t.db, t
	var out []RequestLetterFile
	err := func() error {
		var unitID int64
		if err := tx.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?"+db.forUpdate(), id).Scan(&unitID); err != nil {
			return err
		}
		if once {
			kept, err := db.letterFilesOf(ctx, tx.tx, id, l.Kind)
			if err != nil || len(kept) > 0 {
				out = kept
				return err
			}
		}
		n, err := tx.allocDocNo(ctx, unitID, l.Kind, l.Date.Year())
		if err != nil {
			return err
		}
		l.Number = office.DocNumber(l.Kind, l.Date.Year(), n)
		docx, err := l.DOCX()
		if err != nil {
			return err
		}
		pdf, err := l.PDF(fonts)
		if err != nil {
			return err
		}
		now := db.Now()
		hashes := map[string]string{}
		for _, f := range []struct {
			format string
			b      []byte
		}{{"docx", docx}, {"pdf", pdf}} {
			h := requests.ContentHash(f.b)
			lid, err := tx.insert(ctx, "INSERT INTO req_letters (application_id, kind, format, doc_no, content, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				id, l.Kind, f.format, l.Number, f.b, h, actor.Name, ts(now))
			if err != nil {
				return err
			}
			hashes[f.format] = h
			out = append(out, RequestLetterFile{ID: lid, Kind: l.Kind, Format: f.format, DocNo: l.Number, SHA256: h, Size: len(f.b), CreatedBy: actor.Name, CreatedAt: now})
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: action, ObjectType: "request", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"kind": l.Kind, "doc_no": l.Number, "docx_sha256": hashes["docx"], "pdf_sha256": hashes["pdf"]}})
	}()
	return out, err
}

// SaveRequestNotice writes the document that the application's latest step
// of that kind sent (requests.WriteNotice: 补正、延期、收费、征求意见、说明理由、
// 延迟答复, and the third party's letter after an answer against its
// objection), with the dates the events give as of that step, and keeps its
// DOCX and PDF with the application under its 文书编号.
func (db *DB) SaveRequestNotice(ctx context.Context, actor audit.Actor, id int64, kind requests.NoticeKind) (_ []RequestLetterFile, err error) {
	defer errs.Op(&err, "store.SaveRequestNotice")
	l, office, err := db.RequestNotice(ctx, id, kind)
	if err != nil {
		return nil, err
	}
	return db.saveLetter(ctx, actor, id, l, office, "request.notice", false)
}

// RequestNotice writes a notice without storing it (see SaveRequestNotice).
func (db *DB) RequestNotice(ctx context.Context, id int64, kind requests.NoticeKind) (_ requests.Letter, _ requests.Office, err error) {
	defer errs.Op(&err, "store.RequestNotice")
	return db.notice(ctx, db, id, kind)
}

func (db *DB) notice(ctx context.Context, rd requestReader, id int64, kind requests.NoticeKind) (requests.Letter, requests.Office, error) {
	app, err := rd.RequestApplication(ctx, id)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	evs, err := rd.RequestEvents(ctx, id)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	unit, err := db.Unit(ctx, app.UnitID)
	if err != nil {
		return requests.Letter{}, requests.Office{}, err
	}
	office, err := db.letterOffice(ctx, unit)
	if err != nil {
		return requests.Letter{}, office, err
	}
	var st requests.State
	var d requests.NoticeData
	var reasonsOn calendar.Date
	var lastDecided requests.Event
	found := false
	for _, e := range evs {
		if err := st.Apply(cal, set, e.Event); err != nil {
			return requests.Letter{}, office, err
		}
		switch e.Kind {
		case requests.ReasonsRequested:
			reasonsOn = e.On
		case requests.Decided:
			lastDecided = e.Event
		}
		match := requests.NoticeKind(e.Kind) == kind || kind == requests.NoticeThirdParty && e.Kind == requests.Answered
		if !match {
			continue
		}
		found = true
		d = requests.NoticeData{On: e.On, Days: e.Days, Yuan: e.Yuan, Note: e.Note, Basis: e.Basis, Pages: e.Pages, Bands: requests.DefaultFeeBands,
			Party: e.Party, PartyName: e.PartyName, ReasonsOn: reasonsOn}
		switch kind {
		case requests.NoticeCorrection:
			d.Due = st.CorrectionDue
		case requests.NoticeFee:
			d.Due = st.FeeDue
		case requests.NoticeExtension:
			if d.Due, err = st.DueOn(cal, e.On); err != nil {
				return requests.Letter{}, office, err
			}
		case requests.NoticeConsult:
			if c, ok := st.OpenConsultation(); ok {
				d.Due, d.Party = c.Limit, c.Party
			}
		case requests.NoticeLater:
			d.Due = e.Until
		case requests.NoticeThirdParty:
			obj, objected := st.ThirdPartyObjection()
			if !objected || !st.PublicInterest {
				return requests.Letter{}, office, errs.E(errs.Conflict, "该申请没有因公共利益决定公开而须告知第三方的答复。")
			}
			d.Party, d.PartyName, d.ConsultedOn, d.RepliedOn, d.Note = requests.PartyThird, obj.Name, obj.SentOn, obj.RepliedOn, lastDecided.Note
		}
	}
	if !found {
		return requests.Letter{}, office, errs.E(errs.Conflict, "该申请没有需要发出%s的办理环节。", kind.Title())
	}
	d.Unit, d.Office, d.ReceiptNo, d.Applicant, d.ReceivedOn, d.Description = unit.Name, office, app.ReceiptNo, app.Name, app.ReceivedOn, app.Description
	l, err := requests.WriteNotice(kind, d)
	return l, office, err
}

// RequestLetterFiles lists an application's stored documents (answer
// letters and notices), newest first.
func (db *DB) RequestLetterFiles(ctx context.Context, id int64) (_ []RequestLetterFile, err error) {
	defer errs.Op(&err, "store.RequestLetterFiles")
	rows, err := db.query(ctx, "SELECT id, kind, format, doc_no, sha256, created_by, created_at FROM req_letters WHERE application_id = ? ORDER BY id DESC", id)
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
		if err := rows.Scan(&f.ID, &f.Kind, &f.Format, &f.DocNo, &f.SHA256, &f.CreatedBy, &created); err != nil {
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
func (db *DB) RequestLetterFileContent(ctx context.Context, actor audit.Actor, applicationID, letterID int64) (_ RequestLetterFile, err error) {
	defer errs.Op(&err, "store.RequestLetterFileContent")
	var f RequestLetterFile
	var created string
	err = db.inTx(ctx, func(tx *Tx) error {
		err := tx.row(ctx, "SELECT id, kind, format, doc_no, content, sha256, created_by, created_at FROM req_letters WHERE id = ? AND application_id = ?", letterID, applicationID).
			Scan(&f.ID, &f.Kind, &f.Format, &f.DocNo, &f.Content, &f.SHA256, &f.CreatedBy, &created)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "答复书不存在。")
		}
		if err != nil {
			return err
		}
		if err := tx.authorizeApplicant(ctx, actor, applicationID); err != nil {
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

// RecordedStep is what recording a step wrote (requests' type).
type RecordedStep = requests.RecordedStep

// The store is the requests domain's step store.
var _ requests.StepStore = (*DB)(nil)

// RecordRequestStep records a step of an application and the documents it
// sends in one transaction: the event with its derived columns and audit
// entry (AppendRequestEvent's rules), for an answer the answer letter, and
// each notice the step sends (补正、延期、收费、征求意见、说明理由、延迟答复, the
// third party's letter), each with its 文书编号 and audit entry. A document
// that cannot be written (a font missing, the published item behind the
// answer gone) refuses the whole step with the reason, so nothing is half
// recorded. Callers: the staff pages; errors as AppendRequestEvent's, and
// Unavailable when a letter's font is missing.
func (db *DB) RecordRequestStep(ctx context.Context, actor audit.Actor, id int64, e requests.Event) (_ RecordedStep, err error) {
	defer errs.Op(&err, "store.RecordRequestStep")
	cal, err := db.Calendar(ctx)
	if err != nil {
		return RecordedStep{}, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return RecordedStep{}, err
	}
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return RecordedStep{}, err
	}
	var out RecordedStep
	err = db.inTx(ctx, func(tx *Tx) error {
		out = RecordedStep{}
		st, err := tx.appendEvent(ctx, cal, set, actor, id, e)
		if err != nil {
			return err
		}
		out.State = st
		if e.Kind == requests.Answered {
			// The letter as answered is kept with the application: later
			// downloads serve this copy, whatever becomes of the unit's texts.
			l, office, err := db.answerLetter(ctx, tx, id, e.Note)
			if err != nil {
				return err
			}
			if _, err := tx.keepLetter(ctx, actor, id, l, office, fonts, "request.letter", false); err != nil {
				return err
			}
			out.Letter = true
		}
		for _, nk := range requests.NoticesFor(e, st) {
			l, office, err := db.notice(ctx, tx, id, nk)
			if err != nil {
				return err
			}
			if _, err := tx.keepLetter(ctx, actor, id, l, office, fonts, "request.notice", false); err != nil {
				return err
			}
			out.Notices = append(out.Notices, nk)
		}
		return nil
	})
	return out, err
}
