package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// FormGuard is desk.FormGuard: what a portal form submission must pass
// before it is stored.
type FormGuard = desk.FormGuard

// formGuard records the submission and refuses it when the nonce was used
// or the client is over its limit. It runs in the transaction that stores
// the submission, so a refused or failed submission leaves no trace.
func (t *Tx) formGuard(ctx context.Context, g FormGuard) error {
	now := t.db.Now()
	if ok, err := t.rateGuard(ctx, g.ClientKey, g.Limit, g.Window); err != nil {
		return err
	} else if !ok {
		return desk.ErrRateLimited
	}
	if _, err := t.exec(ctx, "DELETE FROM desk_nonces WHERE used_at < ?", ts(now.Add(-desk.MaxAge-time.Hour))); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "INSERT INTO desk_nonces (nonce, used_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING", g.Nonce, ts(now)); err != nil {
		return err
	}
	var used string
	if err := t.row(ctx, "SELECT used_at FROM desk_nonces WHERE nonce = ?", g.Nonce).Scan(&used); err != nil {
		return err
	}
	if used != ts(now) {
		return desk.ErrChallengeUsed
	}
	return nil
}

// rateGuard counts one submission of a portal form for the client (a keyed
// hash of its address, never the address), or reports false when the
// client already made limit in the window. The count lives in the
// database, so every instance sees it.
func (t *Tx) rateGuard(ctx context.Context, clientKey string, limit int, window time.Duration) (bool, error) {
	now := t.db.Now()
	if _, err := t.exec(ctx, "DELETE FROM desk_form_hits WHERE at < ?", ts(now.Add(-window-time.Hour))); err != nil {
		return false, err
	}
	var n int
	if err := t.row(ctx, "SELECT count(*) FROM desk_form_hits WHERE client_key = ? AND at >= ?", clientKey, ts(now.Add(-window))).Scan(&n); err != nil {
		return false, err
	}
	if n >= limit {
		return false, nil
	}
	_, err := t.exec(ctx, "INSERT INTO desk_form_hits (client_key, at) VALUES (?, ?)", clientKey, ts(now))
	return err == nil, err
}

func queryHash(ref, code string) string {
	h := sha256.Sum256([]byte("gongkai enquiry\x00" + ref + "\x00" + strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(h[:])
}

// newQueryCode is eight characters the asker keeps to look up the reply.
func newQueryCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// CreateEnquiry stores a consultation or message left on the portal, with
// its received event, after the form guard. It returns the query code the
// asker needs to look up the reply (only its hash is kept).
func (db *DB) CreateEnquiry(ctx context.Context, e *desk.Enquiry, g FormGuard) (code string, err error) {
	if err := desk.ValidateEnquiry(e); err != nil {
		return "", err
	}
	code = newQueryCode()
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.formGuard(ctx, g); err != nil {
			return err
		}
		e.ReceivedAt = db.Now().Truncate(time.Microsecond)
		e.State = desk.EvReceived
		tmp := "tmp-" + newQueryCode() + newQueryCode()
		id, err := tx.insert(ctx, `INSERT INTO desk_enquiries (unit_id, kind, ref, query_hash, received_at, name, phone, email, topic, subject, body, public_ok, state, event_count)
			VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, e.UnitID, e.Kind, tmp, ts(e.ReceivedAt), e.Name, e.Phone, e.Email, e.Topic, e.Subject, e.Body, boolInt(e.PublicOK), e.State)
		if err != nil {
			return err
		}
		e.ID = id
		e.Ref = fmt.Sprintf("%s%06d", desk.RefPrefix(e.Kind), id)
		if _, err := tx.exec(ctx, "UPDATE desk_enquiries SET ref = ?, query_hash = ? WHERE id = ?", e.Ref, queryHash(e.Ref, code), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_name) VALUES (?, 1, ?, ?, ?)", id, ts(e.ReceivedAt), desk.EvReceived, audit.Public.Name); err != nil {
			return err
		}
		return tx.appendAudit(ctx, audit.Actor{Name: audit.Public.Name, UnitID: e.UnitID}, audit.Change{Action: "desk.enquiry_receive", ObjectType: "desk_enquiry", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"ref": e.Ref, "kind": e.Kind, "topic": e.Topic}})
	})
	return code, err
}

// ImportEnquiry stores an enquiry with a received time of the past (the
// demo's year, or records moved from an earlier system), with no form guard.
func (db *DB) ImportEnquiry(ctx context.Context, actor audit.Actor, e *desk.Enquiry, receivedAt time.Time) (err error) {
	defer errs.Op(&err, "store.ImportEnquiry")
	if err := desk.ValidateEnquiry(e); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		e.ReceivedAt = receivedAt.UTC().Truncate(time.Microsecond)
		e.State = desk.EvReceived
		tmp := "tmp-" + newQueryCode() + newQueryCode()
		id, err := tx.insert(ctx, `INSERT INTO desk_enquiries (unit_id, kind, ref, query_hash, received_at, name, phone, email, topic, subject, body, public_ok, state, event_count)
			VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, e.UnitID, e.Kind, tmp, ts(e.ReceivedAt), e.Name, e.Phone, e.Email, e.Topic, e.Subject, e.Body, boolInt(e.PublicOK), e.State)
		if err != nil {
			return err
		}
		e.ID = id
		e.Ref = fmt.Sprintf("%s%06d", desk.RefPrefix(e.Kind), id)
		if _, err := tx.exec(ctx, "UPDATE desk_enquiries SET ref = ?, query_hash = ? WHERE id = ?", e.Ref, queryHash(e.Ref, newQueryCode()), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_name) VALUES (?, 1, ?, ?, ?)", id, ts(e.ReceivedAt), desk.EvReceived, audit.Public.Name); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.enquiry_import", ObjectType: "desk_enquiry", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"ref": e.Ref, "kind": e.Kind, "received_at": ts(e.ReceivedAt)}})
	})
}

// ActOnEnquiry appends a staff member's event to an enquiry and moves its
// state (desk.Next decides whether the event may happen now; desk.Authorize
// who may take it, on the roles the actor holds in the enquiry's unit as
// this transaction reads them: a reviewer may not approve a reply they
// drafted themselves). at is the event's time:
// the store's clock, or a time of the past for the demo (never before the
// previous event).
func (db *DB) ActOnEnquiry(ctx context.Context, actor audit.Actor, id int64, a desk.Action, at time.Time) (err error) {
	defer errs.Op(&err, "store.ActOnEnquiry")
	if err := desk.ValidateAction(&a); err != nil {
		return err
	}
	if at.IsZero() {
		at = db.Now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	return db.inTx(ctx, func(tx *Tx) error {
		var state, subject, body string
		var seq int
		var unitID int64
		err := tx.row(ctx, "SELECT state, event_count, subject, body, unit_id FROM desk_enquiries WHERE id = ?"+db.forUpdate(), id).Scan(&state, &seq, &subject, &body, &unitID)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "该咨询或留言不存在")
		}
		if err != nil {
			return err
		}
		next, err := desk.Next(state, a.Kind)
		if err != nil {
			return err
		}
		who, err := tx.deskActor(ctx, actor, unitID)
		if err != nil {
			return err
		}
		var draft string
		var drafter sql.NullInt64
		if a.Kind == desk.EvApproved {
			if err := tx.row(ctx, "SELECT body, actor_id FROM desk_enquiry_events WHERE enquiry_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1", id, desk.EvDrafted).Scan(&draft, &drafter); err != nil {
				return err
			}
		}
		if err := desk.Authorize(a.Kind, who, drafter.Int64); err != nil {
			return err
		}
		set := "state = ?, event_count = ?"
		args := []any{next, seq + 1}
		switch a.Kind {
		case desk.EvApproved:
			a.Body = draft
			set += ", answered_at = ?"
			args = append(args, ts(at))
		case desk.EvPublished:
			if a.Note == "" {
				a.Note = desk.Redact(subject)
			}
			set += ", published_at = ?"
			args = append(args, ts(at))
		case desk.EvWithdrawn:
			set += ", published_at = ''"
		}
		args = append(args, id)
		if _, err := tx.exec(ctx, "UPDATE desk_enquiries SET "+set+" WHERE id = ?", args...); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_id, actor_name, body, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			id, seq+1, ts(at), a.Kind, nullID(actor.UserID), actor.Name, a.Body, a.Note); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.enquiry_" + a.Kind, ObjectType: "desk_enquiry", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"state": state}, After: map[string]any{"state": next, "note": a.Note}})
	})
}

const enquiryCols = "id, unit_id, kind, ref, received_at, name, phone, email, topic, subject, body, public_ok, state, answered_at"

func scanEnquiry(sc interface{ Scan(...any) error }) (desk.Enquiry, error) {
	var e desk.Enquiry
	var rec, ans string
	var pub int
	err := sc.Scan(&e.ID, &e.UnitID, &e.Kind, &e.Ref, &rec, &e.Name, &e.Phone, &e.Email, &e.Topic, &e.Subject, &e.Body, &pub, &e.State, &ans)
	e.ReceivedAt, e.AnsweredAt, e.PublicOK = mustTS(rec), mustTS(ans), pub == 1
	return e, err
}

// Enquiry returns an enquiry (with the asker's details: staff only) and its events.
func (db *DB) Enquiry(ctx context.Context, id int64) (_ desk.Enquiry, _ []desk.Event, err error) {
	defer errs.Op(&err, "store.Enquiry")
	e, err := scanEnquiry(db.row(ctx, "SELECT "+enquiryCols+" FROM desk_enquiries WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return e, nil, errs.E(errs.NotFound, "该咨询或留言不存在")
	}
	if err != nil {
		return e, nil, db.mapErr(err)
	}
	rows, err := db.query(ctx, "SELECT id, seq, at, kind, COALESCE(actor_id, 0), actor_name, body, note FROM desk_enquiry_events WHERE enquiry_id = ? ORDER BY seq", id)
	if err != nil {
		return e, nil, err
	}
	defer rows.Close()
	var evs []desk.Event
	for rows.Next() {
		ev := desk.Event{EnquiryID: id}
		var at string
		if err := rows.Scan(&ev.ID, &ev.Seq, &at, &ev.Kind, &ev.ActorID, &ev.ActorName, &ev.Body, &ev.Note); err != nil {
			return e, nil, err
		}
		ev.At = mustTS(at)
		evs = append(evs, ev)
	}
	return e, evs, rows.Err()
}

// EnquiryFilter selects enquiries for a staff work queue (desk's type).
type EnquiryFilter = desk.EnquiryFilter

// The store is the desk's enquiry store.
var _ desk.EnquiryStore = (*DB)(nil)

// Enquiries lists enquiries, oldest received first (the work queue's order).
func (db *DB) Enquiries(ctx context.Context, f EnquiryFilter) (_ []desk.Enquiry, _ int64, err error) {
	defer errs.Op(&err, "store.Enquiries")
	in, args := inList(f.UnitIDs)
	where := " WHERE unit_id IN " + in
	if f.Kind != "" {
		where += " AND kind = ?"
		args = append(args, f.Kind)
	}
	if len(f.States) > 0 {
		where += " AND state IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ") + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	var total int64
	if err := db.row(ctx, "SELECT count(*) FROM desk_enquiries"+where, args...).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := db.query(ctx, "SELECT "+enquiryCols+" FROM desk_enquiries"+where+" ORDER BY received_at, id LIMIT "+strconv.Itoa(f.Limit)+" OFFSET "+strconv.Itoa(f.Offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []desk.Enquiry
	for rows.Next() {
		e, err := scanEnquiry(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// PublicQA is the one path by which the portal reads enquiries: it selects
// only enquiries whose approved reply was published, and only public
// columns (never the asker's name, phone or e-mail).
func (db *DB) PublicQA(ctx context.Context, unitID int64, kind string, limit, offset int) (_ []desk.PublicQA, _ int64, err error) {
	defer errs.Op(&err, "store.PublicQA")
	var total int64
	if err := db.row(ctx, "SELECT count(*) FROM desk_enquiries WHERE unit_id = ? AND kind = ? AND state = ?", unitID, kind, desk.EvPublished).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	rows, err := db.query(ctx, `SELECT e.id, e.kind, e.ref, e.topic, e.received_at, e.answered_at, e.published_at,
		(SELECT v.note FROM desk_enquiry_events v WHERE v.enquiry_id = e.id AND v.kind = 'published' ORDER BY v.seq DESC LIMIT 1),
		(SELECT v.body FROM desk_enquiry_events v WHERE v.enquiry_id = e.id AND v.kind = 'published' ORDER BY v.seq DESC LIMIT 1),
		(SELECT v.body FROM desk_enquiry_events v WHERE v.enquiry_id = e.id AND v.kind = 'approved' ORDER BY v.seq DESC LIMIT 1)
		FROM desk_enquiries e WHERE e.unit_id = ? AND e.kind = ? AND e.state = ? ORDER BY e.published_at DESC, e.id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset),
		unitID, kind, desk.EvPublished)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []desk.PublicQA
	for rows.Next() {
		var q desk.PublicQA
		var rec, ans, pub string
		if err := rows.Scan(&q.ID, &q.Kind, &q.Ref, &q.Topic, &rec, &ans, &pub, &q.Subject, &q.Question, &q.Reply); err != nil {
			return nil, 0, err
		}
		q.ReceivedAt, q.RepliedAt, q.PublishedAt = mustTS(rec), mustTS(ans), mustTS(pub)
		out = append(out, q)
	}
	return out, total, rows.Err()
}

// EnquiryStatus is what the asker sees with their reference and query
// code: the reply only once it is approved.
func (db *DB) EnquiryStatus(ctx context.Context, ref, code string) (_ desk.Status, err error) {
	defer errs.Op(&err, "store.EnquiryStatus")
	ref = strings.ToUpper(strings.TrimSpace(ref))
	var s desk.Status
	var id int64
	var rec, ans string
	err = db.row(ctx, "SELECT id, ref, kind, subject, received_at, state, answered_at FROM desk_enquiries WHERE ref = ? AND query_hash = ?", ref, queryHash(ref, code)).
		Scan(&id, &s.Ref, &s.Kind, &s.Subject, &rec, &s.State, &ans)
	if err == sql.ErrNoRows {
		return s, errs.E(errs.NotFound, "没有找到该编号的咨询或留言：请核对编号和查询码")
	}
	if err != nil {
		return s, db.mapErr(err)
	}
	s.ReceivedAt, s.RepliedAt = mustTS(rec), mustTS(ans)
	if !s.RepliedAt.IsZero() {
		if err := db.row(ctx, "SELECT body FROM desk_enquiry_events WHERE enquiry_id = ? AND kind = 'approved' ORDER BY seq DESC LIMIT 1", id).Scan(&s.Reply); err != nil {
			return s, db.mapErr(err)
		}
	}
	if s.State == desk.EvDismissed {
		db.row(ctx, "SELECT note FROM desk_enquiry_events WHERE enquiry_id = ? AND kind = 'dismissed' ORDER BY seq DESC LIMIT 1", id).Scan(&s.Note)
	}
	return s, nil
}

// UnansweredLimit is the setting desk.unanswered_limit, or its default.
func (db *DB) UnansweredLimit(ctx context.Context) (_ desk.Limit, err error) {
	defer errs.Op(&err, "store.UnansweredLimit")
	v, err := db.Setting(ctx, desk.SettingUnansweredLimit, "")
	if err != nil || v == "" {
		return desk.DefaultUnansweredLimit, err
	}
	l, err := desk.ParseLimit(v)
	if err != nil {
		return desk.DefaultUnansweredLimit, nil
	}
	return l, nil
}

// Alert is an open enquiry near or past its deadline.
type Alert struct {
	Enquiry desk.Enquiry
	Due     time.Time
	Urgency desk.Urgency
}

// UnansweredAlerts lists the open enquiries that are due soon or overdue
// at now, most urgent first.
func (db *DB) UnansweredAlerts(ctx context.Context, unitIDs []int64, now time.Time) (_ []Alert, _ desk.Limit, err error) {
	defer errs.Op(&err, "store.UnansweredAlerts")
	lim, err := db.UnansweredLimit(ctx)
	if err != nil {
		return nil, lim, err
	}
	in, args := inList(unitIDs)
	args = append(args, desk.EvReceived, desk.EvDrafted, desk.EvReturned)
	rows, err := db.query(ctx, "SELECT "+enquiryCols+" FROM desk_enquiries WHERE unit_id IN "+in+" AND state IN (?, ?, ?) ORDER BY received_at, id", args...)
	if err != nil {
		return nil, lim, err
	}
	defer rows.Close()
	var over, soon []Alert
	for rows.Next() {
		e, err := scanEnquiry(rows)
		if err != nil {
			return nil, lim, err
		}
		switch u := lim.UrgencyAt(e.ReceivedAt, now); u {
		case desk.Overdue:
			over = append(over, Alert{e, lim.Deadline(e.ReceivedAt), u})
		case desk.DueSoon:
			soon = append(soon, Alert{e, lim.Deadline(e.ReceivedAt), u})
		}
	}
	return append(over, soon...), lim, rows.Err()
}

// enquiryFigures counts one kind of enquiry in a year. Handling time is
// computed by desk.AverageHandlingDays (internal/desk/handling.go).
func (db *DB) enquiryFigures(ctx context.Context, unitIDs []int64, kind string, year int, lim desk.Limit) (desk.EnquiryFigures, error) {
	var f desk.EnquiryFigures
	in, uargs := inList(unitIDs)
	from, to := desk.YearRange(year)
	args := append(append([]any{}, uargs...), kind, ts(from), ts(to))
	if err := db.row(ctx, "SELECT count(*) FROM desk_enquiries WHERE unit_id IN "+in+" AND kind = ? AND received_at >= ? AND received_at < ?", args...).Scan(&f.Received); err != nil {
		return f, err
	}
	rows, err := db.query(ctx, "SELECT received_at, answered_at, published_at FROM desk_enquiries WHERE unit_id IN "+in+" AND kind = ? AND answered_at >= ? AND answered_at < ?", args...)
	if err != nil {
		return f, err
	}
	var hs []desk.Handled
	for rows.Next() {
		var rec, ans, pub string
		if err := rows.Scan(&rec, &ans, &pub); err != nil {
			rows.Close()
			return f, err
		}
		hs = append(hs, desk.Handled{Received: mustTS(rec), Answered: mustTS(ans)})
		if pub != "" {
			f.Published++
		}
	}
	rows.Close()
	f.Handled = int64(len(hs))
	f.AvgDays = desk.AverageHandlingDays(hs)
	if err := db.row(ctx, `SELECT count(*) FROM desk_enquiry_events v JOIN desk_enquiries e ON e.id = v.enquiry_id
		WHERE e.unit_id IN `+in+` AND e.kind = ? AND v.kind = 'dismissed' AND v.at >= ? AND v.at < ?`, args...).Scan(&f.Dismissed); err != nil {
		return f, err
	}
	// Open at the year's end (or now, for the year under way): received
	// before it, not answered and not dismissed before it.
	if now := db.Now(); now.Before(to) {
		to = now
	}
	// Two range scans of desk_enquiries_handled: never answered, and
	// answered only after the day. On SQLite the dismissals before the day
	// are read once (NOT IN over an uncorrelated list): a correlated NOT
	// EXISTS made it scan every dismissal before the day for each open
	// enquiry, the product of the two — 20 s a call at a million enquiries.
	// PostgreSQL plans NOT EXISTS as a hash anti-join, which stays linear
	// however many dismissals there are (its NOT IN is hashed only while
	// the list fits in work_mem).
	notDismissed := "e.id NOT IN (SELECT v.enquiry_id FROM desk_enquiry_events v WHERE v.kind = 'dismissed' AND v.at < ?)"
	if db.dialect == Postgres {
		notDismissed = "NOT EXISTS (SELECT 1 FROM desk_enquiry_events v WHERE v.enquiry_id = e.id AND v.kind = 'dismissed' AND v.at < ?)"
	}
	oargs := append(append([]any{}, uargs...), kind, ts(to))
	oargs = append(append(append(oargs, uargs...), kind, ts(to), ts(to)), ts(to))
	orows, err := db.query(ctx, `SELECT e.received_at FROM (
			SELECT id, received_at FROM desk_enquiries WHERE unit_id IN `+in+` AND kind = ? AND answered_at = '' AND received_at < ?
			UNION ALL SELECT id, received_at FROM desk_enquiries WHERE unit_id IN `+in+` AND kind = ? AND answered_at >= ? AND received_at < ?) e
		WHERE `+notDismissed, oargs...)
	if err != nil {
		return f, err
	}
	defer orows.Close()
	for orows.Next() {
		var rec string
		if err := orows.Scan(&rec); err != nil {
			return f, err
		}
		f.OpenAtYearEnd++
		if lim.UrgencyAt(mustTS(rec), to) == desk.Overdue {
			f.OverdueAtYearEnd++
		}
	}
	return f, orows.Err()
}

// ImportEnquiryHistory stores enquiries with their past events in one
// transaction, each with its audit entry. Every history must replay
// (desk.StateOf) and its times must not go backwards; the stored state,
// answer and publication times follow from the events.
func (db *DB) ImportEnquiryHistory(ctx context.Context, actor audit.Actor, items []desk.History) (err error) {
	defer errs.Op(&err, "store.ImportEnquiryHistory")
	return db.inTx(ctx, func(tx *Tx) error {
		for i := range items {
			h := &items[i]
			e := &h.Enquiry
			if err := desk.ValidateEnquiry(e); err != nil {
				return err
			}
			e.ReceivedAt = e.ReceivedAt.UTC().Truncate(time.Microsecond)
			evs := append([]desk.Event{{Kind: desk.EvReceived, At: e.ReceivedAt, ActorName: audit.Public.Name}}, h.Events...)
			state, err := desk.StateOf(evs)
			if err != nil {
				return err
			}
			var answered, published time.Time
			for j := 1; j < len(evs); j++ {
				if evs[j].At.Before(evs[j-1].At) {
					return errs.E(errs.Invalid, "办理记录的时间不能早于前一步")
				}
				switch evs[j].Kind {
				case desk.EvApproved:
					answered = evs[j].At
					for k := j - 1; k >= 0; k-- {
						if evs[k].Kind == desk.EvDrafted {
							evs[j].Body = evs[k].Body
							break
						}
					}
				case desk.EvPublished:
					published = evs[j].At
					if evs[j].Note == "" {
						evs[j].Note = desk.Redact(e.Subject)
					}
				case desk.EvWithdrawn:
					published = time.Time{}
				}
			}
			e.State, e.AnsweredAt = state, answered
			tmp := "tmp-" + newQueryCode() + newQueryCode()
			id, err := tx.insert(ctx, `INSERT INTO desk_enquiries (unit_id, kind, ref, query_hash, received_at, name, phone, email, topic, subject, body, public_ok, state, answered_at, published_at, event_count)
				VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.UnitID, e.Kind, tmp, ts(e.ReceivedAt), e.Name, e.Phone, e.Email, e.Topic, e.Subject, e.Body,
				boolInt(e.PublicOK), state, ts(answered), ts(published), len(evs))
			if err != nil {
				return err
			}
			e.ID = id
			e.Ref = fmt.Sprintf("%s%06d", desk.RefPrefix(e.Kind), id)
			if _, err := tx.exec(ctx, "UPDATE desk_enquiries SET ref = ?, query_hash = ? WHERE id = ?", e.Ref, queryHash(e.Ref, newQueryCode()), id); err != nil {
				return err
			}
			for j, ev := range evs {
				if _, err := tx.exec(ctx, "INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_id, actor_name, body, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					id, j+1, ts(ev.At.UTC().Truncate(time.Microsecond)), ev.Kind, nullID(ev.ActorID), ev.ActorName, ev.Body, ev.Note); err != nil {
					return err
				}
			}
			if err := tx.appendAudit(ctx, actor, audit.Change{Action: "desk.enquiry_import", ObjectType: "desk_enquiry", ObjectID: strconv.FormatInt(id, 10),
				After: map[string]any{"ref": e.Ref, "kind": e.Kind, "state": state, "events": len(evs)}}); err != nil {
				return err
			}
		}
		return nil
	})
}
