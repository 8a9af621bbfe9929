package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/mail"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// Applications by e-mail (条例第二十九条: 数据电文). A message read from the
// unit's mailbox or piped by its mail server is kept as a pending
// registration; a handler confirms it with the applicant, and only then is
// it registered, dated the day of that confirmation (第三十一条), with its
// attachments, in one transaction. A reply to a 补正 notice becomes the
// correction through the step the portal's online 补正 takes.

// Statuses of a message.
const (
	MailPending    = "pending"    // 待确认
	MailApart      = "apart"      // 垃圾邮件、退信、自动回复等，单独存放
	MailRegistered = "registered" // 已登记为申请
	MailCorrected  = "corrected"  // 已作为补正
	MailRejected   = "rejected"   // 不予登记
	MailSpam       = "spam"       // 工作人员标为垃圾邮件
)

// MailStatusLabel is the Chinese name of a status.
func MailStatusLabel(s string) string {
	switch s {
	case MailPending:
		return "待确认"
	case MailApart:
		return "单独存放"
	case MailRegistered:
		return "已登记"
	case MailCorrected:
		return "已作为补正"
	case MailRejected:
		return "不予登记"
	case MailSpam:
		return "已标为垃圾邮件"
	}
	return s
}

// Purposes of an application message.
const (
	MailForApplication = "application" // 新申请
	MailForCorrection  = "correction"  // 对补正告知的回复
)

// MailMessage is a stored message.
type MailMessage struct {
	ID        int64
	UnitID    int64
	DedupKey  string
	MessageID string
	Source    string // "pipe" or "imap"
	Kind      mail.Kind
	Why       string
	Purpose   string
	// TargetID, for a reply to a 补正 notice, is the application it names
	// (by receipt number in the subject, from the applicant's address).
	TargetID      int64
	From          string
	FromName      string
	Subject       string
	Body          string // identity numbers masked
	SentDate      string // the sender's Date: header, shown only
	Refused       []mail.Refused
	Warnings      []string
	Size          int64
	Status        string
	ApplicationID int64
	DecidedBy     string
	DecidedAt     string
	DecisionNote  string
	ReceivedAt    time.Time
	Attachments   []MailAttachment // names and sizes; filled in by MailMessage
}

// MailAttachment is a file that came with a message.
type MailAttachment struct {
	ID          int64
	Name        string
	ContentType string
	Size        int
	Content     []byte // only from MailAttachmentContent
}

const mailCols = `id, unit_id, dedup_key, message_id, source, kind, why, purpose, target_id, from_addr, from_name, subject, body, sent_date,
	refused, warnings, size, status, application_id, decided_by, decided_at, decision_note, received_at`

func scanMail(sc interface{ Scan(...any) error }) (MailMessage, error) {
	var m MailMessage
	var refused, warnings, received string
	err := sc.Scan(&m.ID, &m.UnitID, &m.DedupKey, &m.MessageID, &m.Source, &m.Kind, &m.Why, &m.Purpose, &m.TargetID, &m.From, &m.FromName,
		&m.Subject, &m.Body, &m.SentDate, &refused, &warnings, &m.Size, &m.Status, &m.ApplicationID, &m.DecidedBy, &m.DecidedAt, &m.DecisionNote, &received)
	if err != nil {
		return m, err
	}
	json.Unmarshal([]byte(refused), &m.Refused)
	json.Unmarshal([]byte(warnings), &m.Warnings)
	m.ReceivedAt = mustTS(received)
	return m, nil
}

// MailSource says how a message came in.
const (
	SourcePipe = "pipe"
	SourceIMAP = "imap"
)

// IngestMail keeps a parsed message as a pending registration of the unit
// (or apart, when it is spam, a bounce, an auto-reply or unreadable), once:
// a message with a key already stored returns the stored one, created
// false. The identity numbers in the text are masked, and sealed apart.
func (db *DB) IngestMail(ctx context.Context, unitID int64, source string, m *mail.Message) (MailMessage, bool, error) {
	if m == nil || m.Key == "" {
		return MailMessage{}, false, errs.E(errs.Invalid, "邮件内容为空。")
	}
	if old, err := db.mailByKey(ctx, unitID, m.Key); err == nil {
		return old, false, nil
	} else if !errs.Is(err, errs.NotFound) {
		return old, false, err
	}
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return MailMessage{}, false, err
	}
	ids := mail.IDNumbers(m.Subject + "\n" + m.Text)
	subject := clipRunes(mail.MaskIDNumbers(m.Subject, ids), 500)
	body := mail.MaskIDNumbers(m.Text, ids)
	sealed := ""
	if len(ids) > 0 {
		sealed = key.Seal(strings.Join(ids, "\n"))
	}
	status, purpose, warnings := MailApart, MailForApplication, append([]string(nil), m.Warnings...)
	var target int64
	if m.Kind == mail.Application {
		status = MailPending
		if rn := mail.ReceiptNo(m.Subject); rn != "" {
			var email string
			err := db.row(ctx, "SELECT id, email FROM req_applications WHERE unit_id = ? AND receipt_no = ?", unitID, rn).Scan(&target, &email)
			switch {
			case err == sql.ErrNoRows:
				warnings = append(warnings, "主题中的申请编号"+rn+"在本单位不存在，按新申请处理。")
			case err != nil:
				return MailMessage{}, false, db.mapErr(err)
			case !strings.EqualFold(strings.TrimSpace(email), m.From):
				warnings = append(warnings, "主题中有申请编号"+rn+"，但发件人不是该申请登记的电子邮箱，按新申请处理；如确为补正，请与申请人核实。")
				target = 0
			default:
				purpose = MailForCorrection
			}
		}
	}
	refused, _ := json.Marshal(orEmpty(m.Refused))
	warn, _ := json.Marshal(orEmpty(warnings))
	sent := ""
	if !m.Date.IsZero() {
		sent = m.Date.Format(time.RFC3339)
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.insert(ctx, `INSERT INTO mail_messages (unit_id, dedup_key, message_id, source, kind, why, purpose, target_id, from_addr, from_name,
			subject, body, ids_sealed, sent_date, refused, warnings, size, status, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			unitID, m.Key, m.MessageID, source, m.Kind, clipRunes(m.Why, 500), purpose, target, clipRunes(m.From, 320), clipRunes(m.FromName, 200),
			subject, body, sealed, sent, string(refused), string(warn), m.Size, status, ts(db.Now()))
		if err != nil {
			return err
		}
		for _, a := range m.Attachments {
			if _, err := tx.insert(ctx, `INSERT INTO mail_attachments (mail_id, name, content_type, size, sha256, content) VALUES (?, ?, ?, ?, ?, ?)`,
				id, a.Name, a.ContentType, len(a.Content), requests.ContentHash(a.Content), a.Content); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, audit.System("mail"), audit.Change{Action: "mail.receive", ObjectType: "mail", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": unitID, "source": source, "kind": m.Kind, "status": status, "purpose": purpose, "attachments": len(m.Attachments), "refused": len(m.Refused)}})
	})
	if isConflict(err) {
		// The same message, ingested by another instance a moment ago.
		if old, err2 := db.mailByKey(ctx, unitID, m.Key); err2 == nil {
			return old, false, nil
		}
	}
	if err != nil {
		return MailMessage{}, false, err
	}
	out, err := db.MailMessage(ctx, id)
	return out, true, err
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func (db *DB) mailByKey(ctx context.Context, unitID int64, key string) (MailMessage, error) {
	m, err := scanMail(db.row(ctx, "SELECT "+mailCols+" FROM mail_messages WHERE unit_id = ? AND dedup_key = ?", unitID, key))
	if err == sql.ErrNoRows {
		return m, errs.E(errs.NotFound, "邮件不存在。")
	}
	return m, db.mapErr(err)
}

// MailMessage returns a message with its attachments' names and sizes.
func (db *DB) MailMessage(ctx context.Context, id int64) (MailMessage, error) {
	m, err := scanMail(db.row(ctx, "SELECT "+mailCols+" FROM mail_messages WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return m, errs.E(errs.NotFound, "邮件不存在。")
	}
	if err != nil {
		return m, db.mapErr(err)
	}
	rows, err := db.query(ctx, "SELECT id, name, content_type, size FROM mail_attachments WHERE mail_id = ? ORDER BY id", id)
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var a MailAttachment
		if err := rows.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size); err != nil {
			return m, err
		}
		m.Attachments = append(m.Attachments, a)
	}
	return m, rows.Err()
}

// MailMessages lists the messages of the units, newest first: those with
// the status given, or every one when status is "".
func (db *DB) MailMessages(ctx context.Context, unitIDs []int64, status string, limit int) ([]MailMessage, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	args := []any{}
	in := make([]string, len(unitIDs))
	for i, u := range unitIDs {
		in[i], args = "?", append(args, u)
	}
	q := "SELECT " + mailCols + " FROM mail_messages WHERE unit_id IN (" + strings.Join(in, ",") + ")"
	if status != "" {
		q += " AND status = ?"
		args = append(args, status)
	}
	q += " ORDER BY id DESC LIMIT " + strconv.Itoa(limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MailMessage
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailAttachmentContent returns one attachment of a message for a handler
// of its unit (org.ActRequestApplicant: the files carry the applicant's
// personal data, as an application's do).
func (db *DB) MailAttachmentContent(ctx context.Context, actor audit.Actor, mailID, attID int64) (MailAttachment, error) {
	var a MailAttachment
	var unitID int64
	err := db.row(ctx, `SELECT m.unit_id, a.id, a.name, a.content_type, a.size, a.content FROM mail_attachments a JOIN mail_messages m ON m.id = a.mail_id
		WHERE a.mail_id = ? AND a.id = ?`, mailID, attID).Scan(&unitID, &a.ID, &a.Name, &a.ContentType, &a.Size, &a.Content)
	if err == sql.ErrNoRows {
		return a, errs.E(errs.NotFound, "附件不存在。")
	}
	if err != nil {
		return a, db.mapErr(err)
	}
	err = db.inTx(ctx, func(tx *Tx) error { return tx.authorize(ctx, actor, unitID, org.ActRequestApplicant) })
	return a, err
}

// MailIDNumbers opens the identity numbers found in a message, for the
// handler who registers it; who saw them goes to the audit log.
func (db *DB) MailIDNumbers(ctx context.Context, actor audit.Actor, id int64) ([]string, error) {
	var unitID int64
	var sealed string
	if err := db.row(ctx, "SELECT unit_id, ids_sealed FROM mail_messages WHERE id = ?", id).Scan(&unitID, &sealed); err != nil {
		if err == sql.ErrNoRows {
			return nil, errs.E(errs.NotFound, "邮件不存在。")
		}
		return nil, db.mapErr(err)
	}
	if sealed == "" {
		return nil, nil
	}
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return nil, err
	}
	plain, err := key.Open(sealed)
	if err != nil {
		return nil, errs.E(errs.Internal, "%s", err.Error())
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestApplicant); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "mail.view_id", ObjectType: "mail", ObjectID: strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return nil, err
	}
	return strings.Split(plain, "\n"), nil
}

// lockPendingMail reads a message in the transaction, locked, and checks
// it still awaits a handler with the purpose wanted.
func (t *Tx) lockPendingMail(ctx context.Context, id int64, purpose string) (MailMessage, error) {
	m, err := scanMail(t.row(ctx, "SELECT "+mailCols+" FROM mail_messages WHERE id = ?"+t.db.forUpdate(), id))
	if err == sql.ErrNoRows {
		return m, errs.E(errs.NotFound, "邮件不存在。")
	}
	if err != nil {
		return m, err
	}
	if m.Status != MailPending {
		return m, errs.E(errs.Conflict, "这封邮件已处理（%s），不能再次登记。", MailStatusLabel(m.Status))
	}
	if m.Purpose != purpose {
		if purpose == MailForCorrection {
			return m, errs.E(errs.Conflict, "这封邮件不是对补正告知的回复，请按新申请登记。")
		}
		return m, errs.E(errs.Conflict, "这封邮件是对申请的补正，请作为补正确认。")
	}
	return m, nil
}

func (t *Tx) mailFiles(ctx context.Context, id int64) ([]requests.Attachment, error) {
	rows, err := t.query(ctx, "SELECT name, content_type, content FROM mail_attachments WHERE mail_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []requests.Attachment
	for rows.Next() {
		var a requests.Attachment
		if err := rows.Scan(&a.Name, &a.ContentType, &a.Content); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *Tx) decideMail(ctx context.Context, actor audit.Actor, m MailMessage, status string, appID int64, note string) error {
	_, err := t.exec(ctx, "UPDATE mail_messages SET status = ?, application_id = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?",
		status, appID, actor.Name, ts(t.db.Now()), note, m.ID)
	if err != nil {
		return err
	}
	after := map[string]any{"status": status}
	if appID != 0 {
		after["application_id"] = appID
	}
	if note != "" {
		after["note"] = note
	}
	return t.appendAudit(ctx, actor, audit.Change{Action: "mail." + status, ObjectType: "mail", ObjectID: strconv.FormatInt(m.ID, 10),
		Before: map[string]any{"status": m.Status}, After: after})
}

// checkConfirmDay: the date of receipt of 数据电文 is the day the handler
// confirms with the applicant (条例第三十一条), never the sender's Date:
// header; it cannot fall before the message arrived.
func checkConfirmDay(m MailMessage, on calendar.Date) error {
	if on.IsZero() {
		return errs.FieldError("received_on", "请填写与申请人确认的日期（条例第三十一条）。")
	}
	if arrived := calendar.DateOf(m.ReceivedAt.In(beijing)); on.Before(arrived) {
		return errs.FieldError("received_on", "确认日期不能早于收到邮件的日期（%s）。", arrived)
	}
	return nil
}

// ConfirmMail registers a pending message as an application once the
// handler has confirmed it with the applicant on day on, which is its date
// of receipt (条例第三十一条). a carries what the handler completed (the
// applicant's type, name, identity number, the form and delivery); the
// channel, the description's default, the sender's address and the
// message's attachments come from the message. The application and its
// attachments are stored, and the message marked registered, in one
// transaction; the query code is returned for the reply.
func (db *DB) ConfirmMail(ctx context.Context, actor audit.Actor, id int64, on calendar.Date, a requests.Application) (RequestApp, string, error) {
	m, err := db.MailMessage(ctx, id)
	if err != nil {
		return RequestApp{}, "", err
	}
	if err := checkConfirmDay(m, on); err != nil {
		return RequestApp{}, "", err
	}
	a.Channel, a.ReceivedOn = requests.ChannelEmail, on
	if strings.TrimSpace(a.Email) == "" {
		a.Email = m.From
	}
	if strings.TrimSpace(a.Description) == "" {
		a.Description = m.Body
	}
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return RequestApp{}, "", err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return RequestApp{}, "", err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return RequestApp{}, "", err
	}
	token := fmt.Sprintf("mail-message-%012d", id)
	code := key.QueryCode(token)
	var appID int64
	err = db.inTx(ctx, func(tx *Tx) error {
		m, err := tx.lockPendingMail(ctx, id, MailForApplication)
		if err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, m.UnitID, org.ActRequestRegister); err != nil {
			return err
		}
		if a.Attachments, err = tx.mailFiles(ctx, id); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if appID, err = tx.registerApplication(ctx, cal, set, key, actor, m.UnitID, token, code, a); err != nil {
			return err
		}
		return tx.decideMail(ctx, actor, m, MailRegistered, appID, "")
	})
	if err != nil {
		return RequestApp{}, "", err
	}
	app, err := db.RequestApplication(ctx, appID)
	return app, code, err
}

// ConfirmMailCorrection takes a pending reply to a 补正 notice as the
// correction of the application it names, confirmed by the handler on day
// on: the same step as the portal's online 补正 (recordCorrection), with the
// message's text and files, in one transaction with marking the message.
func (db *DB) ConfirmMailCorrection(ctx context.Context, actor audit.Actor, id int64, on calendar.Date) (RequestApp, error) {
	m, err := db.MailMessage(ctx, id)
	if err != nil {
		return RequestApp{}, err
	}
	if err := checkConfirmDay(m, on); err != nil {
		return RequestApp{}, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return RequestApp{}, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return RequestApp{}, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		m, err := tx.lockPendingMail(ctx, id, MailForCorrection)
		if err != nil {
			return err
		}
		app, err := scanRequestApp(tx.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE id = ?", m.TargetID))
		if err != nil {
			return err
		}
		if !strings.EqualFold(strings.TrimSpace(app.Email), m.From) {
			return errs.E(errs.Conflict, "发件人不是该申请登记的电子邮箱，不能作为补正。")
		}
		files, err := tx.mailFiles(ctx, id)
		if err != nil {
			return err
		}
		note := "申请人通过电子邮件补正"
		if t := strings.TrimSpace(m.Body); t != "" {
			note += "：" + clipRunes(t, MaxCorrectionRunes)
		}
		e := requests.Event{Kind: requests.Corrected, On: on, Role: org.RoleHandler, Note: note}
		if err := tx.recordCorrection(ctx, cal, set, actor, app, e, files,
			fmt.Sprintf("申请人通过电子邮件补正 %s，已于%s确认，答复期限自该日起重新计算", app.ReceiptNo, requests.ChineseDate(on))); err != nil {
			return err
		}
		return tx.decideMail(ctx, actor, m, MailCorrected, app.ID, "")
	})
	if err != nil {
		return RequestApp{}, err
	}
	return db.RequestApplication(ctx, m.TargetID)
}

// RejectMail sets a message aside: not registered (MailRejected, with the
// reason) or marked as spam (MailSpam). A message registered or taken as a
// correction stays as it is.
func (db *DB) RejectMail(ctx context.Context, actor audit.Actor, id int64, status, note string) error {
	note = strings.TrimSpace(note)
	switch {
	case status != MailRejected && status != MailSpam:
		return errs.E(errs.Invalid, "无效的处理方式。")
	case utf8.RuneCountInString(note) > 500:
		return errs.FieldError("note", "说明不能超过500字。")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		m, err := scanMail(tx.row(ctx, "SELECT "+mailCols+" FROM mail_messages WHERE id = ?"+db.forUpdate(), id))
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "邮件不存在。")
		}
		if err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, m.UnitID, org.ActRequestRegister); err != nil {
			return err
		}
		if m.Status != MailPending && m.Status != MailApart {
			return errs.E(errs.Conflict, "这封邮件已处理（%s）。", MailStatusLabel(m.Status))
		}
		return tx.decideMail(ctx, actor, m, status, 0, note)
	})
}

// MailboxSettings is a unit's disclosure mailbox read over IMAP, with what
// was read of it. The password is sealed under the data key, like identity
// numbers, and opened only for the poll.
type MailboxSettings struct {
	UnitID      int64
	Address     string // host:port
	Security    string // tls, starttls, none
	Username    string
	Password    string // in clear only in memory
	Mailbox     string
	UIDValidity uint32
	LastUID     uint32
	PolledAt    string
	LastError   string
}

// SetMailbox keeps a unit's mailbox settings, the password sealed; an
// empty password keeps the one stored. A changed address, user or folder
// starts the reading afresh (the deduplication keeps what was ingested).
func (db *DB) SetMailbox(ctx context.Context, actor audit.Actor, s MailboxSettings) error {
	s.Address, s.Username, s.Mailbox = strings.TrimSpace(s.Address), strings.TrimSpace(s.Username), strings.TrimSpace(s.Mailbox)
	if s.Mailbox == "" {
		s.Mailbox = "INBOX"
	}
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, s.UnitID, org.ActRequestOffice); err != nil {
			return err
		}
		var old MailboxSettings
		var sealed string
		err := tx.row(ctx, "SELECT address, username, mailbox, password_sealed FROM mail_mailboxes WHERE unit_id = ?", s.UnitID).Scan(&old.Address, &old.Username, &old.Mailbox, &sealed)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		exists := err == nil
		if s.Password != "" {
			sealed = key.Seal(s.Password)
		} else if !exists {
			return errs.FieldError("password", "请填写邮箱密码。")
		}
		now := ts(db.Now())
		if !exists {
			_, err = tx.exec(ctx, `INSERT INTO mail_mailboxes (unit_id, address, security, username, password_sealed, mailbox, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				s.UnitID, s.Address, s.Security, s.Username, sealed, s.Mailbox, now)
		} else {
			reset := old.Address != s.Address || old.Username != s.Username || old.Mailbox != s.Mailbox
			_, err = tx.exec(ctx, `UPDATE mail_mailboxes SET address = ?, security = ?, username = ?, password_sealed = ?, mailbox = ?, updated_at = ?,
				uid_validity = CASE WHEN ? THEN 0 ELSE uid_validity END, last_uid = CASE WHEN ? THEN 0 ELSE last_uid END WHERE unit_id = ?`,
				s.Address, s.Security, s.Username, sealed, s.Mailbox, now, reset, reset, s.UnitID)
		}
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "mail.mailbox", ObjectType: "unit", ObjectID: strconv.FormatInt(s.UnitID, 10),
			After: map[string]any{"address": s.Address, "security": s.Security, "username": s.Username, "mailbox": s.Mailbox, "password_changed": s.Password != ""}})
	})
}

// Mailboxes lists the units' mailboxes with their passwords opened, for the
// poll.
func (db *DB) Mailboxes(ctx context.Context) ([]MailboxSettings, error) {
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT unit_id, address, security, username, password_sealed, mailbox, uid_validity, last_uid, polled_at, last_error
		FROM mail_mailboxes ORDER BY unit_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MailboxSettings
	for rows.Next() {
		var s MailboxSettings
		var sealed string
		var v, u int64
		if err := rows.Scan(&s.UnitID, &s.Address, &s.Security, &s.Username, &sealed, &s.Mailbox, &v, &u, &s.PolledAt, &s.LastError); err != nil {
			return nil, err
		}
		s.UIDValidity, s.LastUID = uint32(v), uint32(u)
		if s.Password, err = key.Open(sealed); err != nil {
			s.LastError = "邮箱密码无法解密（数据密钥已更换？），请重新填写。"
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveMailboxState remembers what a poll read (UIDVALIDITY and the last
// UID handled) and its error, "" when it went through.
func (db *DB) SaveMailboxState(ctx context.Context, unitID int64, uidValidity, lastUID uint32, errMsg string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("UPDATE mail_mailboxes SET uid_validity = ?, last_uid = ?, polled_at = ?, last_error = ? WHERE unit_id = ?"),
		int64(uidValidity), int64(lastUID), ts(db.Now()), clipRunes(errMsg, 500), unitID)
	return db.mapErr(err)
}

// StatusLabel is the Chinese name of the message's status.
func (m MailMessage) StatusLabel() string { return MailStatusLabel(m.Status) }
