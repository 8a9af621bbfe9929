package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// RequestApp is an application as stored (the requests domain's record).
type RequestApp = requests.AppRecord

// RequestEvent is a stored event with who recorded it.
type RequestEvent struct {
	requests.Event
	Seq       int
	ActorID   int64 // the staff account, 0 for the public or the system
	ActorName string
	CreatedAt time.Time
}

const reqAppCols = `id, unit_id, receipt_no, channel, applicant_type, applicant_name, id_masked, phone, address, email, description,
	form, delivery, received_on, created_by, created_at, status, due_on, concluded_on, outcome, sub_kind, event_count, assignee_id, consult_until, review_pending, extension_asked`

func scanRequestApp(sc interface{ Scan(...any) error }) (RequestApp, error) {
	var a RequestApp
	var received, created string
	var review int
	err := sc.Scan(&a.ID, &a.UnitID, &a.ReceiptNo, &a.Channel, &a.ApplicantType, &a.Name, &a.IDMasked, &a.Phone, &a.Address, &a.Email,
		&a.Description, &a.Form, &a.Delivery, &received, &a.CreatedBy, &created, &a.Status, &a.DueOn, &a.ConcludedOn, &a.Outcome, &a.SubKind, &a.EventCount, &a.AssigneeID,
		&a.ConsultUntil, &review, &a.ExtensionAsked)
	a.ReviewPending = review != 0
	if err != nil {
		return a, err
	}
	a.ReceivedOn, err = calendar.ParseDate(received)
	if err != nil {
		return a, err
	}
	a.CreatedAt = mustTS(created)
	return a, nil
}

// Settings keys of the requests area.
const (
	settingDataKey        = "requests.data_key"
	settingCorrectionDays = "requests.correction_days"
	settingStopClockFee   = "requests.stop_clock_for_fee"
	// settingExtensionKept: an extension granted before a 补正 survives the
	// restarted period ("1"; default no, requests.Settings).
	settingExtensionKept = "requests.extension_survives_correction"
	// settingServiceDays + channel: the days a letter is assumed to take
	// to reach its addressee by that channel (requests.DefaultServiceDays).
	settingServiceDays = "requests.service_days."
)

// RequestsDataKey returns the key identity numbers are sealed with: from
// GONGKAI_DATA_KEY when set, otherwise generated once and kept in settings.
func (db *DB) RequestsDataKey(ctx context.Context) (requests.DataKey, error) {
	if s := os.Getenv("GONGKAI_DATA_KEY"); s != "" {
		k, err := requests.ParseDataKey(s)
		if err != nil {
			return k, fmt.Errorf("GONGKAI_DATA_KEY: %w", err)
		}
		return k, nil
	}
	v, err := db.Setting(ctx, settingDataKey, "")
	if err != nil {
		return requests.DataKey{}, err
	}
	if v == "" {
		// Two servers may race here: the first insert wins and both read it back.
		_, err := db.sql.ExecContext(ctx, db.rebind("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING"),
			settingDataKey, requests.NewDataKey(), ts(db.Now()))
		if err != nil {
			return requests.DataKey{}, db.mapErr(err)
		}
		if v, err = db.Setting(ctx, settingDataKey, ""); err != nil {
			return requests.DataKey{}, err
		}
	}
	return requests.ParseDataKey(v)
}

// RequestSettings returns the policy settings, with the defaults.
func (db *DB) RequestSettings(ctx context.Context) (requests.Settings, error) {
	s := requests.DefaultSettings
	v, err := db.Setting(ctx, settingCorrectionDays, "")
	if err != nil {
		return s, err
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		s.CorrectionDays = n
	}
	v, err = db.Setting(ctx, settingStopClockFee, "")
	if err != nil {
		return s, err
	}
	if v == "0" || v == "false" {
		s.StopClockForFee = false
	}
	if v, err = db.Setting(ctx, settingExtensionKept, ""); err != nil {
		return s, err
	}
	s.ExtensionSurvivesCorrection = v == "1" || v == "true"
	s.ServiceDays = maps.Clone(requests.DefaultServiceDays)
	for c := range s.ServiceDays {
		v, err := db.Setting(ctx, settingServiceDays+string(c), "")
		if err != nil {
			return s, err
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 60 {
			s.ServiceDays[c] = n
		}
	}
	return s, nil
}

// SubmitApplication stores a validated application with its registered
// event, once per idempotency token: a repeated submission with the same
// token returns the application already stored (created false). The query
// code is derived from the token, so a repeat shows the same code; only its
// hash is stored.
func (db *DB) SubmitApplication(ctx context.Context, actor audit.Actor, unitID int64, token string, a requests.Application) (RequestApp, string, bool, error) {
	if len(token) < 16 || len(token) > 100 {
		return RequestApp{}, "", false, errs.E(errs.Invalid, "提交凭据无效，请刷新页面后重新提交。")
	}
	if err := a.Validate(); err != nil {
		return RequestApp{}, "", false, err
	}
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return RequestApp{}, "", false, err
	}
	code := key.QueryCode(token)
	if app, err := db.requestByToken(ctx, token); err == nil {
		return app, code, false, nil
	} else if !errs.Is(err, errs.NotFound) {
		return RequestApp{}, "", false, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return RequestApp{}, "", false, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return RequestApp{}, "", false, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		if a.ClientKey != "" {
			if ok, err := tx.rateGuard(ctx, "apply|"+a.ClientKey, requests.ApplyPerHour, time.Hour); err != nil {
				return err
			} else if !ok {
				return errs.E(errs.Invalid, "您提交得太频繁了：同一网络每小时最多提交%d件申请，请稍后再试。", requests.ApplyPerHour)
			}
		}
		var err error
		id, err = tx.registerApplication(ctx, cal, set, key, actor, unitID, token, code, a)
		return err
	})
	if isConflict(err) {
		// A concurrent submission with the same token won the race.
		if app, err2 := db.requestByToken(ctx, token); err2 == nil {
			return app, code, false, nil
		}
	}
	if err != nil {
		return RequestApp{}, "", false, err
	}
	app, err := db.RequestApplication(ctx, id)
	return app, code, true, err
}

// registerApplication stores a validated application with its receipt
// number, its attachments, its registered event and, when staff register
// it, its assignment and subjects, within the transaction (the portal's
// submission and a confirmed e-mail alike).
func (t *Tx) registerApplication(ctx context.Context, cal *calendar.Calendar, set requests.Settings, key requests.DataKey, actor audit.Actor,
	unitID int64, token, code string, a requests.Application) (int64, error) {
	tx, db := t, t.db
	now := ts(db.Now())
	id, err := tx.insert(ctx, `INSERT INTO req_applications (unit_id, receipt_no, idem_token, query_hash, channel, applicant_type, applicant_name,
		id_sealed, id_masked, phone, address, email, description, form, delivery, received_on, created_by, created_at,
		status, due_on, concluded_on, outcome, sub_kind, event_count, assignee_id, applicant_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', '', 0, 0, ?)`,
		unitID, "pending:"+token, token, requests.HashQueryCode(code), a.Channel, a.ApplicantType, a.Name,
		key.Seal(a.IDNumber), requests.MaskID(a.IDNumber), a.Phone, a.Address, a.Email, a.Description, a.Form, a.Delivery,
		a.ReceivedOn.String(), actor.Name, now, key.ApplicantKey(a.IDNumber))
	if err != nil {
		return 0, err
	}
	receipt := fmt.Sprintf("YSQ%s%06d", compactDate(a.ReceivedOn), id)
	if _, err := tx.exec(ctx, "UPDATE req_applications SET receipt_no = ? WHERE id = ?", receipt, id); err != nil {
		return 0, err
	}
	if err := tx.appendAudit(ctx, actor, audit.Change{Action: "request.submit", ObjectType: "request", ObjectID: strconv.FormatInt(id, 10),
		After: map[string]any{"receipt_no": receipt, "unit_id": unitID, "channel": a.Channel, "applicant_type": a.ApplicantType, "received_on": a.ReceivedOn.String()}}); err != nil {
		return 0, err
	}
	if err := tx.addAttachments(ctx, actor, id, a.Attachments); err != nil {
		return 0, err
	}
	if _, err = tx.appendEvent(ctx, cal, set, actor, id, requests.Event{Kind: requests.Registered, On: a.ReceivedOn, Note: requests.ChannelLabel(a.Channel)}); err != nil {
		return 0, err
	}
	if a.AssignTo != 0 {
		if _, err = tx.appendEvent(ctx, cal, set, actor, id, requests.Event{Kind: requests.Assigned, On: a.ReceivedOn, Role: org.RoleHandler,
			Assignee: a.AssignTo, Note: "登记人承办"}); err != nil {
			return 0, err
		}
	}
	if len(a.Subjects) > 0 {
		// Marked by the registering handler, on the day of receipt
		// (the store checks the actor's roles and the unit's list).
		_, err = tx.appendEvent(ctx, cal, set, actor, id, requests.Event{Kind: requests.SubjectsMarked, On: a.ReceivedOn, Role: org.RoleHandler,
			Subjects: a.Subjects, Note: "登记时标注"})
	}
	return id, err
}

func compactDate(d calendar.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year(), int(d.Month()), d.Day())
}

func (db *DB) requestByToken(ctx context.Context, token string) (RequestApp, error) {
	a, err := scanRequestApp(db.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE idem_token = ?", token))
	return a, db.mapErr(err)
}

// RequestApplication returns an application by id.
func (db *DB) RequestApplication(ctx context.Context, id int64) (RequestApp, error) {
	a, err := scanRequestApp(db.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return a, errs.E(errs.NotFound, "申请不存在。")
	}
	if err != nil {
		return a, db.mapErr(err)
	}
	one := []RequestApp{a}
	err = db.withSubjects(ctx, one)
	return one[0], err
}

// RequestByQueryCode returns the application with this receipt number if
// the query code matches; any mismatch is the same NotFound, so the pair
// cannot be probed one half at a time.
func (db *DB) RequestByQueryCode(ctx context.Context, receiptNo, code string) (RequestApp, error) {
	var hash string
	a, err := scanRequestApp(db.row(ctx, "SELECT "+reqAppCols+" FROM req_applications WHERE receipt_no = ?", receiptNo))
	if err == nil {
		err = db.row(ctx, "SELECT query_hash FROM req_applications WHERE id = ?", a.ID).Scan(&hash)
	}
	if err != nil || hash != requests.HashQueryCode(code) {
		if err != nil && err != sql.ErrNoRows {
			return RequestApp{}, db.mapErr(err)
		}
		return RequestApp{}, errs.E(errs.NotFound, "申请编号或查询码不正确。")
	}
	return a, nil
}

// RequestApplicantID returns the application's identity number in clear and
// records in the audit log who saw it.
func (db *DB) RequestApplicantID(ctx context.Context, actor audit.Actor, id int64) (string, error) {
	key, err := db.RequestsDataKey(ctx)
	if err != nil {
		return "", err
	}
	var sealed string
	err = db.inTx(ctx, func(tx *Tx) error {
		var unitID int64
		if err := tx.row(ctx, "SELECT id_sealed, unit_id FROM req_applications WHERE id = ?", id).Scan(&sealed, &unitID); err != nil {
			return err
		}
		// Only the unit's handlers see the applicant (requests.AuthorizeApplicant).
		if err := tx.authorizeApplicantIn(ctx, actor, unitID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.view_applicant", ObjectType: "request", ObjectID: strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return "", err
	}
	return key.Open(sealed)
}

// RequestEvents returns an application's events in order.
func (db *DB) RequestEvents(ctx context.Context, id int64) ([]RequestEvent, error) {
	rows, err := db.query(ctx, "SELECT "+reqEventCols+" FROM req_events WHERE application_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	return scanRequestEvents(rows)
}

const reqEventCols = `seq, kind, on_date, role, outcome, sub_kind, days, yuan, approved, assignee_id, subjects,
	sent_by, served_on, party, party_name, contact, reply, public_interest, item_id, until_on, basis, pages, note, actor_id, actor_name, created_at`

func scanRequestEvents(rows *sql.Rows) ([]RequestEvent, error) {
	defer rows.Close()
	var out []RequestEvent
	for rows.Next() {
		var e RequestEvent
		var on, created, subjects, served, until string
		var approved, public int
		if err := rows.Scan(&e.Seq, &e.Kind, &on, &e.Role, &e.Outcome, &e.SubKind, &e.Days, &e.Yuan, &approved, &e.Assignee, &subjects,
			&e.SentBy, &served, &e.Party, &e.PartyName, &e.Contact, &e.Reply, &public, &e.ItemID, &until, &e.Basis, &e.Pages,
			&e.Note, &e.ActorID, &e.ActorName, &created); err != nil {
			return nil, err
		}
		e.Subjects, e.PublicInterest = requests.SplitSubjects(subjects), public != 0
		var err error
		if e.ServedOn, err = optDate(served); err != nil {
			return nil, err
		}
		if e.Until, err = optDate(until); err != nil {
			return nil, err
		}
		d, err := calendar.ParseDate(on)
		if err != nil {
			return nil, err
		}
		e.On, e.Approved, e.CreatedAt = d, approved != 0, mustTS(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// optDate reads an optional stored date ("" is the zero date).
func optDate(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	return calendar.ParseDate(s)
}

func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// AppendRequestEvent records one step of an application's life if the law
// allows it in the state its events lead to, and rewrites the derived
// columns, in one transaction with its audit entry.
func (db *DB) AppendRequestEvent(ctx context.Context, actor audit.Actor, id int64, e requests.Event) (requests.State, error) {
	cal, err := db.Calendar(ctx)
	if err != nil {
		return requests.State{}, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return requests.State{}, err
	}
	var st requests.State
	err = db.inTx(ctx, func(tx *Tx) error {
		var err error
		st, err = tx.appendEvent(ctx, cal, set, actor, id, e)
		return err
	})
	return st, err
}

// RequestState replays an application's stored events under the calendar
// and settings in force.
func (db *DB) RequestState(ctx context.Context, id int64) (requests.State, error) {
	evs, err := db.RequestEvents(ctx, id)
	if err != nil {
		return requests.State{}, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return requests.State{}, err
	}
	set, err := db.RequestSettings(ctx)
	if err != nil {
		return requests.State{}, err
	}
	plain := make([]requests.Event, len(evs))
	for i, e := range evs {
		plain[i] = e.Event
	}
	return requests.Replay(cal, set, plain)
}

// events replays the stored events of an application, locking its row.
func (t *Tx) requestState(ctx context.Context, cal *calendar.Calendar, set requests.Settings, id int64) (requests.State, int, error) {
	var n int
	if err := t.row(ctx, "SELECT event_count FROM req_applications WHERE id = ?"+t.db.forUpdate(), id).Scan(&n); err != nil {
		if err == sql.ErrNoRows {
			return requests.State{}, 0, errs.E(errs.NotFound, "申请不存在。")
		}
		return requests.State{}, 0, err
	}
	rows, err := t.query(ctx, "SELECT "+reqEventCols+" FROM req_events WHERE application_id = ? ORDER BY seq", id)
	if err != nil {
		return requests.State{}, 0, err
	}
	evs, err := scanRequestEvents(rows)
	if err != nil {
		return requests.State{}, 0, err
	}
	plain := make([]requests.Event, len(evs))
	for i, e := range evs {
		plain[i] = e.Event
	}
	st, err := requests.Replay(cal, set, plain)
	return st, len(evs), err
}

func (t *Tx) appendEvent(ctx context.Context, cal *calendar.Calendar, set requests.Settings, actor audit.Actor, id int64, e requests.Event) (requests.State, error) {
	st, n, err := t.requestState(ctx, cal, set, id)
	if err != nil {
		return st, err
	}
	var unitID int64
	if err := t.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?", id).Scan(&unitID); err != nil {
		return st, err
	}
	// Who may take the step (requests.Authorize): the policy, on the roles
	// the actor holds in the unit now; the applicant only submits and
	// corrects; a handler claims only for himself.
	who, err := t.requestActor(ctx, actor, unitID)
	if err != nil {
		return st, err
	}
	if err := requests.Authorize(e, who); err != nil {
		return st, err
	}
	if !who.System && !who.Public {
		// A person's step: not dated in the future; a fee notice's amount
		// computed here from the applicant's requests of the month, never
		// typed, and never zero.
		// Today is the wall clock's day in Beijing, as on the page: the
		// store's clock (Options.Now) dates what it writes, and tests set it
		// back to write a past year's history.
		if err := requests.CheckRecordedStep(e, calendar.Today(nil)); err != nil {
			return st, err
		}
	}
	if e.Kind == requests.FeeNoticed && e.Yuan == 0 {
		fee, explain, err := feeQuote(ctx, t.row, id, e.Basis, e.Pages)
		if err != nil {
			return st, err
		}
		if err := requests.CheckFeeQuote(fee, explain); err != nil {
			return st, err
		}
		e.Yuan, e.Note = fee, strings.TrimSpace(explain+" "+e.Note)
	}
	// A letter's way and day of receipt, defaulted by the settings in
	// force now and kept with the step (service.go).
	e = e.WithService(set)
	if e.Kind == requests.Assigned {
		if err := t.checkAssignee(ctx, id, e); err != nil {
			return st, err
		}
	} else {
		e.Assignee = 0
	}
	if e.Kind == requests.SubjectsMarked {
		// The part the state machine cannot see: the unit's list in force.
		if e.Subjects, err = t.checkSubjects(ctx, unitID, e.Subjects); err != nil {
			return st, err
		}
	} else {
		e.Subjects = nil
	}
	if e.Kind == requests.Decided && e.SubKind == requests.SubAlreadyPublished {
		// 第三十六条第（一）项: the item must be published, now, by this unit.
		if err := t.checkPublished(ctx, unitID, e.ItemID); err != nil {
			return st, err
		}
	} else {
		e.ItemID = 0
	}
	// The rules for new steps only, so that a history recorded before them
	// still replays (the 补正 items of 第三十条, the answer's note).
	if err := requests.CheckNewStep(e); err != nil {
		return st, err
	}
	if err := st.Apply(cal, set, e); err != nil {
		return st, err
	}
	if _, err := t.exec(ctx, `INSERT INTO req_events (application_id, seq, kind, on_date, role, outcome, sub_kind, days, yuan, approved, assignee_id, subjects,
		sent_by, served_on, party, party_name, contact, reply, public_interest, item_id, until_on, basis, pages, note, actor_id, actor_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, n+1, e.Kind, e.On.String(), e.Role, e.Outcome, e.SubKind, e.Days, e.Yuan, boolInt(e.Approved), e.Assignee, requests.JoinSubjects(e.Subjects),
		e.SentBy, dateText(e.ServedOn), e.Party, e.PartyName, e.Contact, e.Reply, boolInt(e.PublicInterest), e.ItemID, dateText(e.Until), e.Basis, e.Pages,
		e.Note, actor.UserID, actor.Name, ts(t.db.Now())); err != nil {
		return st, err
	}
	if e.Kind == requests.SubjectsMarked {
		if err := t.writeSubjects(ctx, id, st.Subjects); err != nil {
			return st, err
		}
	}
	cols, err := RequestColumnsOf(cal, st, e.On)
	if err != nil {
		return st, err
	}
	if !requests.MovesClock(e.Kind) {
		// 分办, 申请内容分类 and a request for an extension move no date:
		// the stored due date stays the one in force on the day of the last
		// step that could move it.
		if _, err := t.exec(ctx, "UPDATE req_applications SET event_count = ?, assignee_id = ?, review_pending = ?, extension_asked = ? WHERE id = ?",
			n+1, st.Assignee, boolInt(cols.ReviewPending), cols.ExtensionAsked, id); err != nil {
			return st, err
		}
	} else {
		if _, err := t.exec(ctx, `UPDATE req_applications SET status = ?, due_on = ?, concluded_on = ?, outcome = ?, sub_kind = ?, consult_until = ?,
			review_pending = ?, extension_asked = ?, event_count = ?, assignee_id = ? WHERE id = ?`,
			cols.Status, cols.DueOn, cols.ConcludedOn, cols.Outcome, cols.SubKind, cols.ConsultUntil, boolInt(cols.ReviewPending), cols.ExtensionAsked,
			n+1, st.Assignee, id); err != nil {
			return st, err
		}
	}
	after := map[string]any{"seq": n + 1, "on": e.On.String(), "role": e.Role, "outcome": e.Outcome, "sub_kind": e.SubKind, "days": e.Days, "yuan": e.Yuan, "approved": e.Approved, "status": st.Status}
	for k, v := range map[string]string{"sent_by": string(e.SentBy), "served_on": dateText(e.ServedOn), "party": string(e.Party), "party_name": e.PartyName,
		"reply": string(e.Reply), "until": dateText(e.Until), "basis": string(e.Basis)} {
		if v != "" {
			after[k] = v
		}
	}
	if e.PublicInterest {
		after["public_interest"] = true
	}
	if e.ItemID != 0 {
		after["item_id"] = e.ItemID
	}
	if e.Kind == requests.Assigned {
		after["assignee_id"] = e.Assignee
	}
	if e.Kind == requests.SubjectsMarked {
		after["subjects"] = e.Subjects
	}
	return st, t.appendAudit(ctx, actor, audit.Change{Action: "request." + string(e.Kind), ObjectType: "request", ObjectID: strconv.FormatInt(id, 10), After: after})
}

// checkPublished checks that an item is published now by the unit, through
// the public read path (what the applicant will find at the link).
func (t *Tx) checkPublished(ctx context.Context, unitID, itemID int64) error {
	now := ts(t.db.Now())
	var n int
	if err := t.row(ctx, "SELECT count(*) FROM pub_items p WHERE "+live+" AND p.unit_id = ? AND p.item_id = ?", now, now, unitID, itemID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.FieldError("item", "所选信息不是本单位门户网站上正在公开的信息（条例第三十六条第（一）项须告知申请人获取的途径）。")
	}
	return nil
}

// checkAssignee reads the part of 分办 the state machine cannot see, for
// requests.CheckAssignee: whether the assignee is an active handler of the
// application's unit. (That a handler takes an application only himself is
// requests.Authorize's.)
func (t *Tx) checkAssignee(ctx context.Context, id int64, e requests.Event) error {
	var n int
	err := t.row(ctx, `SELECT count(*) FROM req_applications a JOIN user_roles r ON r.unit_id = a.unit_id AND r.role = 'handler'
		JOIN users u ON u.id = r.user_id AND u.disabled = 0 WHERE a.id = ? AND r.user_id = ?`, id, e.Assignee).Scan(&n)
	if err != nil {
		return err
	}
	return requests.CheckAssignee(n > 0)
}

// recomputeRequestDeadlines rewrites the stored due date of every
// application whose clock still applies under cal, as appending its last
// event would have (the due date in force on that event's day), and returns
// how many changed.
func (t *Tx) recomputeRequestDeadlines(ctx context.Context, cal *calendar.Calendar, set requests.Settings) (int, error) {
	rows, err := t.query(ctx, "SELECT id FROM req_applications WHERE due_on <> ''"+t.db.forUpdate())
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	changed := 0
	for _, id := range ids {
		evRows, err := t.query(ctx, "SELECT "+reqEventCols+" FROM req_events WHERE application_id = ? ORDER BY seq", id)
		if err != nil {
			return changed, err
		}
		evs, err := scanRequestEvents(evRows)
		if err != nil {
			return changed, err
		}
		if len(evs) == 0 {
			continue
		}
		plain := make([]requests.Event, len(evs))
		for i, e := range evs {
			plain[i] = e.Event
		}
		st, err := requests.Replay(cal, set, plain)
		if err != nil {
			return changed, fmt.Errorf("申请 %d 的办理记录在新日历下无法重算：%w", id, err)
		}
		cols, err := RequestColumnsOf(cal, st, lastClockDay(plain))
		if err != nil {
			return changed, err
		}
		res, err := t.exec(ctx, "UPDATE req_applications SET due_on = ?, consult_until = ? WHERE id = ? AND (due_on <> ? OR consult_until <> ?)",
			cols.DueOn, cols.ConsultUntil, id, cols.DueOn, cols.ConsultUntil)
		if err != nil {
			return changed, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			changed++
		}
	}
	return changed, nil
}

// lastClockDay is the day of the last event that could move the stored
// due date (requests.MovesClock): the day appending it computed the date.
func lastClockDay(evs []requests.Event) calendar.Date {
	for i := len(evs) - 1; i >= 0; i-- {
		if requests.MovesClock(evs[i].Kind) {
			return evs[i].On
		}
	}
	return evs[len(evs)-1].On
}

// RequestColumns are the columns derived from an application's events.
type RequestColumns struct {
	Status         requests.Status
	DueOn          string
	ConcludedOn    string
	Outcome        annual.RowKey
	SubKind        string
	ConsultUntil   string // the last day of an open consultation's period
	ReviewPending  bool   // the decision awaits legal review
	ExtensionAsked string // the day an undecided request for an extension was made
}

// RequestColumnsOf derives the stored columns from a state; the due date is
// the one in force on asOf (the day of the last event).
func RequestColumnsOf(cal *calendar.Calendar, st requests.State, asOf calendar.Date) (RequestColumns, error) {
	c := RequestColumns{Status: st.Status}
	due, err := st.DueOn(cal, asOf)
	if err != nil {
		return c, err
	}
	if !due.IsZero() {
		c.DueOn = due.String()
	}
	if st.Concluded() {
		c.ConcludedOn, c.Outcome, c.SubKind = st.ConcludedOn.String(), st.Outcome, st.SubKind
	}
	if cs, ok := st.OpenConsultation(); ok && st.Status == requests.StatusConsulting {
		c.ConsultUntil = dateText(cs.Limit)
	}
	c.ReviewPending = st.Status == requests.StatusDecided && st.NeedsReview && !st.Reviewed
	c.ExtensionAsked = dateText(st.ExtensionAsked)
	return c, nil
}

// RequestCounts counts a unit's applications for table 三 of year, by
// applicant type and bucket (see requests.Table3 for the year boundaries).
// Three range scans of covering indexes: the year's receipts; the open
// applications; and those concluded on or after the year's first day — in a
// live system the short recent end of the index — each of the latter two
// sorted in the same pass into carried over, concluded in the year and
// carried forward.
func (db *DB) RequestCounts(ctx context.Context, unitID int64, year int) ([]requests.Count, error) {
	return db.RequestCountsOf(ctx, []int64{unitID}, year)
}

// RequestCountsOf is RequestCounts for several units (a roll-up): the same
// range scans, over each unit's rows.
func (db *DB) RequestCountsOf(ctx context.Context, unitIDs []int64, year int) ([]requests.Count, error) {
	first, last := requests.YearBounds(year)
	in, uargs := inList(unitIDs)
	const later = `SELECT 'x', applicant_type,
			CASE WHEN received_on < ? THEN 1 ELSE 0 END,
			CASE WHEN concluded_on <> '' AND concluded_on <= ? THEN 1 ELSE 0 END,
			CASE WHEN received_on <= ? THEN 1 ELSE 0 END,
			CASE WHEN concluded_on <> '' AND concluded_on <= ? THEN outcome ELSE '' END,
			CASE WHEN concluded_on <> '' AND concluded_on <= ? THEN sub_kind ELSE '' END,
			count(*) FROM req_applications WHERE unit_id IN `
	args := append(append([]any{}, uargs...), first, last)
	args = append(append(append(args, first, last, last, last, last), uargs...), last)
	args = append(append(append(args, first, last, last, last, last), uargs...), first)
	rows, err := db.query(ctx, `SELECT 'r', applicant_type, 0, 0, 0, '', '', count(*) FROM req_applications
			WHERE unit_id IN `+in+` AND received_on >= ? AND received_on <= ? GROUP BY applicant_type
		UNION ALL `+later+in+` AND concluded_on = '' AND received_on <= ? GROUP BY 2, 3, 4, 5, 6, 7
		UNION ALL `+later+in+` AND concluded_on >= ? GROUP BY 2, 3, 4, 5, 6, 7`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []requests.Count
	for rows.Next() {
		var tag string
		var t requests.ApplicantType
		var before, inYear, byEnd, n int
		var outcome annual.RowKey
		var sub string
		if err := rows.Scan(&tag, &t, &before, &inYear, &byEnd, &outcome, &sub, &n); err != nil {
			return nil, err
		}
		if tag == "r" {
			out = append(out, requests.Count{Type: t, Bucket: requests.BucketReceived, N: n})
			continue
		}
		// Every row here is open or concluded on or after the first day.
		if before == 1 {
			out = append(out, requests.Count{Type: t, Bucket: requests.BucketCarriedOver, N: n})
		}
		if inYear == 1 {
			out = append(out, requests.Count{Type: t, Bucket: requests.BucketConcluded, Outcome: outcome, SubKind: sub, N: n})
		} else if byEnd == 1 {
			out = append(out, requests.Count{Type: t, Bucket: requests.BucketCarriedForward, N: n})
		}
	}
	return out, rows.Err()
}

// AddRequestAppeal links a reconsideration or lawsuit to an application.
func (db *DB) AddRequestAppeal(ctx context.Context, actor audit.Actor, a *requests.Appeal) error {
	if err := requests.ValidAppeal(*a); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var unitID int64
		if err := tx.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?", a.ApplicationID).Scan(&unitID); err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "申请不存在。")
		} else if err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestHandle); err != nil {
			return err
		}
		decided := ""
		if !a.DecidedOn.IsZero() {
			decided = a.DecidedOn.String()
		}
		id, err := tx.insert(ctx, "INSERT INTO req_appeals (application_id, kind, filed_on, result, decided_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			a.ApplicationID, a.Kind, a.FiledOn.String(), a.Result, decided, ts(db.Now()))
		if err != nil {
			return err
		}
		a.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "request.appeal", ObjectType: "request", ObjectID: strconv.FormatInt(a.ApplicationID, 10), After: a})
	})
}

// RequestAppeals returns the appeals about a unit's applications filed up
// to the end of year (all of them when year is 0).
func (db *DB) RequestAppeals(ctx context.Context, unitID int64, year int) ([]requests.Appeal, error) {
	return db.RequestAppealsOf(ctx, []int64{unitID}, year)
}

// RequestAppealsOf is RequestAppeals for several units (a roll-up).
func (db *DB) RequestAppealsOf(ctx context.Context, unitIDs []int64, year int) ([]requests.Appeal, error) {
	last := "9999-12-31"
	if year != 0 {
		_, last = requests.YearBounds(year)
	}
	in, uargs := inList(unitIDs)
	rows, err := db.query(ctx, `SELECT p.id, p.application_id, p.kind, p.filed_on, p.result, p.decided_on FROM req_appeals p
		JOIN req_applications a ON a.id = p.application_id WHERE a.unit_id IN `+in+` AND p.filed_on <= ? ORDER BY p.id`, append(uargs, last)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []requests.Appeal
	for rows.Next() {
		var a requests.Appeal
		var filed, decided string
		if err := rows.Scan(&a.ID, &a.ApplicationID, &a.Kind, &filed, &a.Result, &decided); err != nil {
			return nil, err
		}
		if a.FiledOn, err = calendar.ParseDate(filed); err != nil {
			return nil, err
		}
		if decided != "" {
			if a.DecidedOn, err = calendar.ParseDate(decided); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RequestReport is tables 三 and 四 of a unit's year computed from its
// records, in the shape of the annual report.
func (db *DB) RequestReport(ctx context.Context, unitID int64, year int) (*annual.Report, error) {
	u, err := db.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	counts, err := db.RequestCounts(ctx, unitID, year)
	if err != nil {
		return nil, err
	}
	appeals, err := db.RequestAppeals(ctx, unitID, year)
	if err != nil {
		return nil, err
	}
	r := annual.NewReport()
	r.Unit, r.Year = u.Name, year
	r.Title = fmt.Sprintf("%s%d年政府信息公开工作年度报告（表三、表四）", u.Name, year)
	r.Table2 = nil
	r.Table3 = requests.Table3(counts)
	r.Table4 = requests.Table4(year, appeals)
	return r, nil
}

// RequestFilter selects applications for a worklist or a table cell.
type RequestFilter struct {
	UnitIDs []int64 // required
	Open    bool    // not concluded
	// A table 三 cell: Year with Bucket (and Outcome for concluded); Type "" for the total column.
	Year    int
	Bucket  requests.Bucket
	Outcome annual.RowKey
	SubKind string
	Type    requests.ApplicantType
	// Assignee: a user's id for the applications assigned to them,
	// Unassigned for those not yet assigned (待分办), 0 for all.
	Assignee int64
	// Subject: only the applications about this subject (申请内容分类);
	// Unmarked: only those not yet marked with any.
	Subject  string
	Unmarked bool
	// ReviewPending: only decisions awaiting legal review; ExtensionAsked:
	// only applications whose handler asked for an extension.
	ReviewPending  bool
	ExtensionAsked bool
	Limit          int
}

// Unassigned selects the applications not yet assigned to a handler.
const Unassigned int64 = -1

// RequestApplications lists applications, open ones by due date first.
func (db *DB) RequestApplications(ctx context.Context, f RequestFilter) ([]RequestApp, error) {
	if len(f.UnitIDs) == 0 {
		return nil, nil
	}
	q := "SELECT " + reqAppCols + " FROM req_applications WHERE unit_id IN (?" + strings.Repeat(", ?", len(f.UnitIDs)-1) + ")"
	var args []any
	for _, id := range f.UnitIDs {
		args = append(args, id)
	}
	if f.Open {
		q += " AND concluded_on = '' AND status NOT IN ('answered', 'delivered', 'closed')"
	}
	if f.Year != 0 {
		first, last := requests.YearBounds(f.Year)
		switch f.Bucket {
		case requests.BucketReceived:
			q += " AND received_on >= ? AND received_on <= ?"
			args = append(args, first, last)
		case requests.BucketCarriedOver:
			q += " AND received_on < ? AND (concluded_on = '' OR concluded_on >= ?)"
			args = append(args, first, first)
		case requests.BucketCarriedForward:
			q += " AND received_on <= ? AND (concluded_on = '' OR concluded_on > ?)"
			args = append(args, last, last)
		case requests.BucketConcluded:
			q += " AND concluded_on >= ? AND concluded_on <= ?"
			args = append(args, first, last)
			if f.Outcome != "" {
				q += " AND outcome = ?"
				args = append(args, f.Outcome)
			}
			if f.SubKind != "" {
				q += " AND sub_kind = ?"
				args = append(args, f.SubKind)
			}
		default:
			return nil, errs.E(errs.Invalid, "未知的统计口径。")
		}
	}
	if f.Type != "" {
		q += " AND applicant_type = ?"
		args = append(args, f.Type)
	}
	switch {
	case f.Assignee == Unassigned:
		q += " AND assignee_id = 0"
	case f.Assignee > 0:
		q += " AND assignee_id = ?"
		args = append(args, f.Assignee)
	}
	if f.Subject != "" {
		q += " AND id IN (SELECT application_id FROM req_subjects WHERE subject = ?)"
		args = append(args, f.Subject)
	}
	if f.Unmarked {
		q += " AND NOT EXISTS (SELECT 1 FROM req_subjects s WHERE s.application_id = req_applications.id)"
	}
	if f.ReviewPending {
		q += " AND review_pending = 1"
	}
	if f.ExtensionAsked {
		q += " AND extension_asked <> ''"
	}
	q += " ORDER BY CASE WHEN due_on = '' THEN 1 ELSE 0 END, due_on, received_on, id"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	apps, err := scanRequestApps(rows)
	if err != nil {
		return nil, err
	}
	return apps, db.withSubjects(ctx, apps)
}

// scanRequestApps reads the rows of a listing of applications.
func scanRequestApps(rows *sql.Rows) ([]RequestApp, error) {
	defer rows.Close()
	var out []RequestApp
	for rows.Next() {
		a, err := scanRequestApp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// backfillApplicantKeys gives applicant_key to the applications stored
// before it existed (migration 0010), from their sealed identity numbers,
// so that the repeat hints and the fee count see them. It runs after the
// migrations and finds nothing to do once every application has its key;
// a number that cannot be opened (another data key) is left without one.
func (db *DB) backfillApplicantKeys(ctx context.Context) error {
	var key *requests.DataKey
	last := int64(0)
	for {
		rows, err := db.query(ctx, "SELECT id, id_sealed FROM req_applications WHERE applicant_key = '' AND id_sealed <> '' AND id > ? ORDER BY id LIMIT 500", last)
		if err != nil {
			return err
		}
		type row struct {
			id     int64
			sealed string
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.sealed); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batch) == 0 {
			return err
		}
		if key == nil {
			k, err := db.RequestsDataKey(ctx)
			if err != nil {
				return err
			}
			key = &k
		}
		err = db.inTx(ctx, func(tx *Tx) error {
			for _, r := range batch {
				number, err := key.Open(r.sealed)
				if err != nil {
					continue
				}
				if _, err := tx.exec(ctx, "UPDATE req_applications SET applicant_key = ? WHERE id = ? AND applicant_key = ''", key.ApplicantKey(number), r.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		last = batch[len(batch)-1].id
	}
}

// RequestsByApplicant lists a unit's earlier applications by the same
// applicant — the same identity number, matched by its keyed hash
// (requests.DataKey.ApplicantKey), never by a name two people can share —
// for the duplicate and excessive-request hints; the current application
// is left out.
func (db *DB) RequestsByApplicant(ctx context.Context, app RequestApp) ([]RequestApp, error) {
	rows, err := db.query(ctx, `SELECT `+reqAppCols+` FROM req_applications WHERE unit_id = ? AND applicant_key <> ''
		AND applicant_key = (SELECT applicant_key FROM req_applications WHERE id = ?) AND id <> ? AND received_on <= ?
		ORDER BY received_on DESC LIMIT 50`,
		app.UnitID, app.ID, app.ID, app.ReceivedOn.String())
	if err != nil {
		return nil, err
	}
	return scanRequestApps(rows)
}
