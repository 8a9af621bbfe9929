package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// The applicant's own steps on the portal, against the receipt number and
// the query code: the 补正 online (条例第三十条). It is the same domain step
// staff record when a correction comes by post (requests.Corrected), one
// step whatever the channel.

// MaxCorrectionRunes bounds the text of an online 补正.
const MaxCorrectionRunes = 5000

// SubmitCorrection records the applicant's 补正 submitted online on day on:
// the text and the files, dated that day (第三十一条: online, both sides
// confirm at submission), restarting the answer period. It is refused with
// the reason after the 补正 period, once the application counts as
// abandoned, or when no 补正 is awaited (requests.CheckOnlineCorrection).
// The handler (or, while none is assigned, the unit's handlers) is told in
// the same transaction.
func (db *DB) SubmitCorrection(ctx context.Context, receiptNo, code string, on calendar.Date, text string, files []requests.Attachment) (RequestApp, error) {
	app, err := db.RequestByQueryCode(ctx, receiptNo, code)
	if err != nil {
		return app, err
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "" && len(files) == 0:
		return app, errs.FieldError("text", "请写明补正的内容，或上传补正的材料。")
	case utf8.RuneCountInString(text) > MaxCorrectionRunes:
		return app, errs.FieldError("text", "补正内容不能超过%d个字；较长的材料请作为附件上传。", MaxCorrectionRunes)
	}
	if err := requests.CheckAttachments(files); err != nil {
		return app, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return app, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return app, err
	}
	note := "申请人在线补正"
	if text != "" {
		note += "：" + text
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		return tx.recordCorrection(ctx, cal, set, audit.Public, app, requests.Event{Kind: requests.Corrected, On: on, Note: note}, files,
			fmt.Sprintf("申请人已于%s在线补正 %s，答复期限自该日起重新计算", requests.ChineseDate(on), app.ReceiptNo))
	})
	if err != nil {
		return app, err
	}
	return db.RequestApplication(ctx, app.ID)
}

// recordCorrection records a 补正 that came as 数据电文 — online, or by
// e-mail confirmed by a handler — within the transaction: the one domain
// step (requests.Corrected) under the rule for the applicant's own 补正
// (requests.CheckOnlineCorrection), with its files, and the handler told.
func (t *Tx) recordCorrection(ctx context.Context, cal *calendar.Calendar, set requests.Settings, actor audit.Actor, app RequestApp,
	e requests.Event, files []requests.Attachment, notice string) error {
	st, _, err := t.requestState(ctx, cal, set, app.ID)
	if err != nil {
		return err
	}
	if err := requests.CheckOnlineCorrection(st, e.On); err != nil {
		return err
	}
	if err := t.addAttachments(ctx, actor, app.ID, files); err != nil {
		return err
	}
	if _, err := t.appendEvent(ctx, cal, set, actor, app.ID, e); err != nil {
		return err
	}
	return t.notifyHandlers(ctx, app.ID, string(requests.CitizenCorrected), e.On, notice)
}

// notifyHandlers raises an in-app notification of an application for its
// handler, or while none holds the role, every handler of its unit (as the
// reminders do), once per user, kind and day.
func (t *Tx) notifyHandlers(ctx context.Context, id int64, kind string, on calendar.Date, msg string) error {
	_, err := t.notifyHandlersN(ctx, id, kind, on, msg)
	return err
}

// notifyHandlersN is notifyHandlers saying how many users were told.
func (t *Tx) notifyHandlersN(ctx context.Context, id int64, kind string, on calendar.Date, msg string) (int, error) {
	res, err := t.exec(ctx, `INSERT INTO req_notifications (user_id, application_id, kind, due_on, message, on_date, emailed, created_at, read_at)
		SELECT us.id, a.id, ?, a.due_on, ?, ?, 0, ?, '' FROM req_applications a
		JOIN user_roles r ON r.unit_id = a.unit_id AND r.role = 'handler' JOIN users us ON us.id = r.user_id AND us.disabled = 0
		WHERE a.id = ? AND (us.id = a.assignee_id OR NOT EXISTS (SELECT 1 FROM user_roles r2 JOIN users u2 ON u2.id = r2.user_id AND u2.disabled = 0
			WHERE r2.user_id = a.assignee_id AND r2.unit_id = a.unit_id AND r2.role = 'handler'))
		ON CONFLICT (user_id, application_id, kind, on_date) DO NOTHING`, kind, msg, on.String(), ts(t.db.Now()), id)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// RequestReceiptPDF writes the receipt of an application (受理回执) with
// the query code the applicant gives, for him to keep; it is not stored.
func (db *DB) RequestReceiptPDF(ctx context.Context, app RequestApp, code string) ([]byte, error) {
	unit, err := db.Unit(ctx, app.UnitID)
	if err != nil {
		return nil, err
	}
	office, err := db.letterOffice(ctx, unit)
	if err != nil {
		return nil, err
	}
	due, _ := calendar.ParseDate(app.DueOn)
	l := requests.WriteReceipt(requests.ReceiptData{Unit: unit.Name, Office: office, ReceiptNo: app.ReceiptNo, Code: code, Applicant: app.Name,
		ReceivedOn: app.ReceivedOn, Due: due, Description: app.Description})
	fonts, err := db.RequestPDFFonts(ctx)
	if err != nil {
		return nil, err
	}
	return l.PDF(fonts)
}
