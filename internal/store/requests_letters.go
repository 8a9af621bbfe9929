package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"

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
