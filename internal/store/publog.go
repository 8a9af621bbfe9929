package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/redact"
	"gongkai/internal/requests"
)

// The public log of answered requests (issue 16; migrations 0093, 0094):
// optional per unit (the unit setting SettingPublog, off by default). Each
// answered application's entry is proposed by the rules (redact.LogQuestion)
// and approved or withheld by a handler; each decision is a new version,
// audited, never changed. The portal reads only the approved versions'
// approved fields (PublicLog) — never the application's row.

// SettingPublog is the unit setting that switches the public log on ("on").
const SettingPublog = "requests.public_log"

// Publog statuses of an entry's version.
const (
	PublogApproved = "approved" // shown on the portal
	PublogWithheld = "withheld" // not shown
)

// PublogEnabled reports whether the unit keeps a public log.
func (db *DB) PublogEnabled(ctx context.Context, unitID int64) (bool, error) {
	var v string
	err := db.row(ctx, "SELECT value FROM unit_settings WHERE unit_id = ? AND key = ?", unitID, SettingPublog).Scan(&v)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return v == "on", err
}

// SetPublogEnabled switches the unit's public log on or off; the actor
// must handle the unit's requests (org.SettingAction of the key, decided
// in SetUnitSettings' transaction).
func (db *DB) SetPublogEnabled(ctx context.Context, actor audit.Actor, unitID int64, on bool) error {
	v := ""
	if on {
		v = "on"
	}
	return db.SetUnitSettings(ctx, actor, unitID, map[string]string{SettingPublog: v})
}

// PublogVersion is one decision on an application's public entry.
type PublogVersion struct {
	ID            int64
	ApplicationID int64
	UnitID        int64
	Status        string
	Question      string
	Outcome       annual.RowKey
	AnsweredOn    calendar.Date
	Files         []int64 // the released documents listed (予以公开 only)
	CreatedBy     string
	CreatedAt     time.Time
}

// Approved reports whether the version shows on the portal.
func (v PublogVersion) Approved() bool { return v.Status == PublogApproved }

// PublogFile is a document released in full that an entry may list.
type PublogFile struct {
	ID            int64
	ApplicationID int64
	Name          string
	ContentType   string
	Size          int
	SHA256        string
	CreatedBy     string
	CreatedAt     time.Time
	Content       []byte // only from PublicLogFile
}

// PublogCase is what the staff page of an application's entry shows.
type PublogCase struct {
	App        RequestApp
	Answered   bool
	Outcome    annual.RowKey
	AnsweredOn calendar.Date
	Proposed   string          // the rules' proposal of the public question
	History    []PublogVersion // oldest first; the last is the entry
	Files      []PublogFile
}

// Current is the entry as last decided (nil: none yet).
func (c PublogCase) Current() *PublogVersion {
	if len(c.History) == 0 {
		return nil
	}
	return &c.History[len(c.History)-1]
}

// ShowsDocuments reports whether the entry may list released documents.
func (c PublogCase) ShowsDocuments() bool { return redact.LogShowsDocuments(c.Outcome) }

const publogCols = "id, application_id, unit_id, status, question, outcome, answered_on, files_json, created_by, created_at"

func scanPublog(sc interface{ Scan(...any) error }) (PublogVersion, error) {
	var v PublogVersion
	var outcome, answered, files, created string
	if err := sc.Scan(&v.ID, &v.ApplicationID, &v.UnitID, &v.Status, &v.Question, &outcome, &answered, &files, &v.CreatedBy, &created); err != nil {
		return v, err
	}
	v.Outcome = annual.RowKey(outcome)
	var err error
	if v.AnsweredOn, err = calendar.ParseDate(answered); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(files), &v.Files); err != nil {
		return v, err
	}
	v.CreatedAt, _ = parseTS(created)
	return v, nil
}

// publogNames are the applicant's details the proposal removes besides
// the rules: his name and address as registered.
func publogNames(a RequestApp) []string { return []string{a.Name, a.Address, a.Email, a.Phone} }

func (db *DB) publogRules(ctx context.Context, unitID int64) ([]redact.Rule, error) {
	rs, err := db.RedactRules(ctx, unitID)
	if err != nil {
		return nil, err
	}
	out := make([]redact.Rule, len(rs))
	for i, r := range rs {
		out[i] = r.Rule
	}
	return out, nil
}

// PublogCaseOf returns an application's public entry with its history,
// the rules' proposal and the documents added for it.
func (db *DB) PublogCaseOf(ctx context.Context, appID int64) (PublogCase, error) {
	var c PublogCase
	var err error
	if c.App, err = db.RequestApplication(ctx, appID); err != nil {
		return c, err
	}
	st, err := db.RequestState(ctx, appID)
	if err != nil {
		return c, err
	}
	c.Answered, c.Outcome, c.AnsweredOn = !st.AnsweredOn.IsZero(), st.Outcome, st.AnsweredOn
	rules, err := db.publogRules(ctx, c.App.UnitID)
	if err != nil {
		return c, err
	}
	c.Proposed = redact.LogQuestion(c.App.Description, rules, publogNames(c.App))
	rows, err := db.query(ctx, "SELECT "+publogCols+" FROM req_publog_versions WHERE application_id = ? ORDER BY id", appID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanPublog(rows)
		if err != nil {
			return c, err
		}
		c.History = append(c.History, v)
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	frows, err := db.query(ctx, "SELECT id, application_id, name, content_type, size, sha256, created_by, created_at FROM req_publog_files WHERE application_id = ? ORDER BY id", appID)
	if err != nil {
		return c, err
	}
	defer frows.Close()
	for frows.Next() {
		var f PublogFile
		var created string
		if err := frows.Scan(&f.ID, &f.ApplicationID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedBy, &created); err != nil {
			return c, err
		}
		f.CreatedAt, _ = parseTS(created)
		c.Files = append(c.Files, f)
	}
	return c, frows.Err()
}

// publogCase locks the application, checks the actor handles it and that
// it is answered, and returns it with its state.
func (t *Tx) publogCase(ctx context.Context, actor audit.Actor, appID int64) (RequestApp, requests.State, error) {
	a, err := scanRequestApp(t.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE id = ?"+t.db.forUpdate(), appID))
	if err == sql.ErrNoRows {
		return a, requests.State{}, errs.E(errs.NotFound, "申请不存在。")
	}
	if err != nil {
		return a, requests.State{}, err
	}
	if err := t.authorize(ctx, actor, a.UnitID, org.ActRequestHandle); err != nil {
		return a, requests.State{}, err
	}
	cal, err := t.db.Calendar(ctx)
	if err != nil {
		return a, requests.State{}, err
	}
	set, err := t.db.RequestSettings(ctx)
	if err != nil {
		return a, requests.State{}, err
	}
	st, _, err := t.requestState(ctx, cal, set, appID)
	if err != nil {
		return a, st, err
	}
	if st.AnsweredOn.IsZero() {
		return a, st, errs.E(errs.Conflict, "申请尚未答复，不能列入公开的办理记录。")
	}
	return a, st, nil
}

// DecidePublog records a handler's decision on an application's public
// entry: approved with the question as he edited it (checked by
// redact.CheckLogQuestion against the unit's rules and the applicant's
// details) and the released documents it lists, or withheld. The outcome
// and answer date are the application's; one transaction with the audit
// entry.
func (db *DB) DecidePublog(ctx context.Context, actor audit.Actor, appID int64, status, question string, files []int64) (PublogVersion, error) {
	v := PublogVersion{ApplicationID: appID, Status: status, Question: strings.TrimSpace(question), CreatedBy: actor.Name, CreatedAt: db.Now()}
	if status != PublogApproved && status != PublogWithheld {
		return v, errs.E(errs.Invalid, "请选择批准公开或不予列入。")
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		a, st, err := tx.publogCase(ctx, actor, appID)
		if err != nil {
			return err
		}
		v.UnitID, v.Outcome, v.AnsweredOn = a.UnitID, st.Outcome, st.AnsweredOn
		v.Files = []int64{}
		if status == PublogWithheld {
			v.Question = ""
		} else {
			rules, err := db.publogRules(ctx, a.UnitID)
			if err != nil {
				return err
			}
			if err := redact.CheckLogQuestion(v.Question, rules, publogNames(a)); err != nil {
				return err
			}
			if len(files) > 0 && !redact.LogShowsDocuments(st.Outcome) {
				return errs.E(errs.Invalid, "只有予以公开的申请才列出公开的文件。")
			}
			for _, id := range files {
				var n int
				if err := tx.row(ctx, "SELECT COUNT(*) FROM req_publog_files WHERE id = ? AND application_id = ?", id, appID).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return errs.E(errs.NotFound, "文件不存在。")
				}
				if !slices.Contains(v.Files, id) {
					v.Files = append(v.Files, id)
				}
			}
		}
		fj, _ := json.Marshal(v.Files)
		if v.ID, err = tx.insert(ctx, `INSERT INTO req_publog_versions (application_id, unit_id, status, question, outcome, answered_on, files_json, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, appID, v.UnitID, v.Status, v.Question, string(v.Outcome), v.AnsweredOn.String(), string(fj), v.CreatedBy, ts(v.CreatedAt)); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.publog_" + status, ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"version": v.ID, "question": v.Question, "files": v.Files}})
	})
	return v, err
}

// AddPublogFile keeps a document released in full for the application's
// entry to list (checked as the portal's attachments are).
func (db *DB) AddPublogFile(ctx context.Context, actor audit.Actor, appID int64, name string, content []byte) (PublogFile, error) {
	fs := []requests.Attachment{{Name: name, Content: content}}
	if err := requests.CheckAttachments(fs); err != nil {
		return PublogFile{}, errs.FieldError("document", "%s", strings.Replace(errs.MessageOf(err), "附件", "文件", 1))
	}
	f := PublogFile{ApplicationID: appID, Name: fs[0].Name, ContentType: fs[0].ContentType, Size: len(content), SHA256: requests.ContentHash(content), CreatedBy: actor.Name, CreatedAt: db.Now()}
	err := db.inTx(ctx, func(tx *Tx) error {
		_, st, err := tx.publogCase(ctx, actor, appID)
		if err != nil {
			return err
		}
		if !redact.LogShowsDocuments(st.Outcome) {
			return errs.E(errs.Conflict, "只有予以公开的申请才列出公开的文件。")
		}
		if f.ID, err = tx.insert(ctx, `INSERT INTO req_publog_files (application_id, name, content_type, size, sha256, content, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, appID, f.Name, f.ContentType, f.Size, f.SHA256, content, f.CreatedBy, ts(f.CreatedAt)); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.publog_file", ObjectType: "request", ObjectID: strconv.FormatInt(appID, 10),
			After: map[string]any{"file": f.ID, "name": f.Name, "sha256": f.SHA256}})
	})
	return f, err
}

// PublogRow is a line of the unit's list: an answered application and its
// entry's status ("" for none yet).
type PublogRow struct {
	ID          int64
	ReceiptNo   string
	ConcludedOn string
	Outcome     annual.RowKey
	SubKind     string
	Status      string
}

// PublogList lists the unit's answered applications, newest first, with
// their entries' statuses (at most limit).
func (db *DB) PublogList(ctx context.Context, unitID int64, limit int) ([]PublogRow, error) {
	rows, err := db.query(ctx, `SELECT a.id, a.receipt_no, a.concluded_on, a.outcome, a.sub_kind,
		COALESCE((SELECT v.status FROM req_publog_versions v WHERE v.application_id = a.id ORDER BY v.id DESC LIMIT 1), '')
		FROM req_applications a WHERE a.unit_id = ? AND a.status = ? ORDER BY a.concluded_on DESC, a.id DESC LIMIT ?`,
		unitID, string(requests.StatusAnswered), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublogRow
	for rows.Next() {
		var r PublogRow
		var outcome string
		if err := rows.Scan(&r.ID, &r.ReceiptNo, &r.ConcludedOn, &outcome, &r.SubKind, &r.Status); err != nil {
			return nil, err
		}
		r.Outcome = annual.RowKey(outcome)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PublicLogEntry is an approved entry as the portal shows it: only the
// approved fields, nothing of the application's row.
type PublicLogEntry struct {
	ID         int64 // the approved version
	Question   string
	Outcome    annual.RowKey
	AnsweredOn calendar.Date
	Files      []PublogFile // without content
}

// publicLogWhere selects the entries that show: the latest version of each
// application, approved.
const publicLogWhere = ` FROM req_publog_versions v WHERE v.unit_id = ? AND v.status = 'approved'
	AND v.id = (SELECT MAX(w.id) FROM req_publog_versions w WHERE w.application_id = v.application_id)`

// PublicLog returns a page of the unit's approved entries, newest answer
// first, and how many there are. It reads only req_publog_versions and the
// listed documents' names.
func (db *DB) PublicLog(ctx context.Context, unitID int64, page, perPage int) ([]PublicLogEntry, int, error) {
	var total int
	if err := db.row(ctx, "SELECT COUNT(*)"+publicLogWhere, unitID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, "SELECT "+publogCols+publicLogWhere+" ORDER BY v.answered_on DESC, v.id DESC LIMIT ? OFFSET ?", unitID, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, err
	}
	var out []PublicLogEntry
	var vs []PublogVersion
	for rows.Next() {
		v, err := scanPublog(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, v := range vs {
		e := PublicLogEntry{ID: v.ID, Question: v.Question, Outcome: v.Outcome, AnsweredOn: v.AnsweredOn}
		if redact.LogShowsDocuments(v.Outcome) {
			for _, id := range v.Files {
				var f PublogFile
				if err := db.row(ctx, "SELECT id, name, content_type, size FROM req_publog_files WHERE id = ? AND application_id = ?", id, v.ApplicationID).
					Scan(&f.ID, &f.Name, &f.ContentType, &f.Size); err != nil {
					return nil, 0, err
				}
				e.Files = append(e.Files, f)
			}
		}
		out = append(out, e)
	}
	return out, total, nil
}

// PublicLogFile returns a document an approved entry of the unit lists.
func (db *DB) PublicLogFile(ctx context.Context, unitID, entryID, fileID int64) (PublogFile, error) {
	var f PublogFile
	v, err := scanPublog(db.row(ctx, "SELECT "+publogCols+publicLogWhere+" AND v.id = ?", unitID, entryID))
	if err == sql.ErrNoRows || err == nil && (!redact.LogShowsDocuments(v.Outcome) || !slices.Contains(v.Files, fileID)) {
		return f, errs.E(errs.NotFound, "文件不存在。")
	}
	if err != nil {
		return f, err
	}
	err = db.row(ctx, "SELECT id, name, content_type, size, content FROM req_publog_files WHERE id = ? AND application_id = ?", fileID, v.ApplicationID).
		Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.Content)
	return f, err
}

// PublogFileContent returns a document added for an application's entry,
// for its staff (the caller checks the user may see the application).
func (db *DB) PublogFileContent(ctx context.Context, appID, fileID int64) (PublogFile, error) {
	f := PublogFile{ID: fileID, ApplicationID: appID}
	err := db.row(ctx, "SELECT name, content_type, size, content FROM req_publog_files WHERE id = ? AND application_id = ?", fileID, appID).
		Scan(&f.Name, &f.ContentType, &f.Size, &f.Content)
	if err == sql.ErrNoRows {
		return f, errs.E(errs.NotFound, "文件不存在。")
	}
	return f, err
}
