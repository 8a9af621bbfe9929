package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// Items (主动公开信息) are written only through the workflow: each method
// here locks the item, checks the event with publish.Authorize and
// publish.Apply, appends the event (and a new version when there is new
// content), updates the item's current state, changes the public tables
// (pub_items, pub_attachments and the search index) when the event
// publishes, cancels or withdraws, and appends the audit entry — all in one
// transaction.

// ItemInput is a new version: its content, the attachments kept from the
// previous version (Content.Attachments) and new uploads.
type ItemInput struct {
	Content publish.Content
	Uploads []publish.Upload
}

// Act is a workflow step without new content.
type Act struct {
	Kind       publish.EventKind
	PublishAt  time.Time // EvPublish: when; zero for now
	Reason     string
	Validity   publish.Validity
	ValidityOn calendar.Date
}

// ReviewScopeSetting names the setting that chooses the review scope.
const ReviewScopeSetting = "publish.review_scope"

func (t *Tx) reviewScope(ctx context.Context) (publish.ReviewScope, error) {
	var v string
	err := t.row(ctx, "SELECT value FROM settings WHERE key = ?", ReviewScopeSetting).Scan(&v)
	if err == sql.ErrNoRows || v == "" {
		return publish.ScopeDepartment, nil
	}
	if err != nil {
		return "", err
	}
	return publish.ReviewScope(v), nil
}

// CreateItem stores a new item as a draft (version 1).
func (db *DB) CreateItem(ctx context.Context, actor audit.Actor, who publish.Actor, unitID int64, in ItemInput) (publish.Item, error) {
	var out publish.Item
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.createItem(ctx, actor, who, unitID, in)
		return err
	})
	return out, err
}

// createItem is CreateItem within a transaction (a proposal under 第四十四条
// creates the draft and its links to the applications in one).
func (t *Tx) createItem(ctx context.Context, actor audit.Actor, who publish.Actor, unitID int64, in ItemInput) (publish.Item, error) {
	it := publish.Item{UnitID: unitID}
	if err := publish.Authorize(it, publish.EvCreate, who, publish.ScopeUnit); err != nil {
		return it, err
	}
	c := in.Content
	if err := t.checkContent(ctx, unitID, &c, len(in.Uploads)); err != nil {
		return it, err
	}
	now := t.db.Now()
	id, err := t.insert(ctx, `INSERT INTO publish_items (unit_id, state, version, events, title, doc_no, department_id, made_on, category_id, attribute, doc_kind, created_at, updated_at)
		VALUES (?, 'draft', 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		unitID, c.Title, c.DocNo, c.DepartmentID, c.MadeOn.String(), c.CategoryID, string(c.Attribute), string(c.DocKind), ts(now), ts(now))
	if err != nil {
		return it, err
	}
	it.ID = id
	if err := t.attach(ctx, actor, id, &c, in.Uploads); err != nil {
		return it, err
	}
	return t.applyItem(ctx, actor, it, publish.Event{Kind: publish.EvCreate, At: now, ActorID: who.UserID, ActorName: who.Name, Version: 1, Content: &c})
}

// SaveItem stores a new version of an item: an edit of a draft, or a
// revision (更新) of a published or withdrawn item. expect is the number of
// events the editor saw (0 to skip the check).
func (db *DB) SaveItem(ctx context.Context, actor audit.Actor, who publish.Actor, itemID int64, expect int, in ItemInput) (publish.Item, error) {
	var out publish.Item
	err := db.inTx(ctx, func(tx *Tx) error {
		it, err := tx.loadItem(ctx, itemID, true)
		if err != nil {
			return err
		}
		if expect != 0 && expect != it.Events {
			return errs.E(errs.Conflict, "该信息已被他人修改，请刷新页面后重试")
		}
		now := db.Now()
		kind := publish.EvEdit
		if it.State != publish.Draft {
			kind = publish.EvRevise
		}
		if err := publish.Authorize(it, kind, who, publish.ScopeUnit); err != nil {
			return err
		}
		c := in.Content
		// Only attachments of this item may be kept.
		own, err := tx.attachmentIDs(ctx, itemID)
		if err != nil {
			return err
		}
		var kept []int64
		for _, id := range c.Attachments {
			if own[id] {
				kept = append(kept, id)
			}
		}
		c.Attachments = kept
		if err := tx.checkContent(ctx, it.UnitID, &c, len(in.Uploads)); err != nil {
			return err
		}
		if err := tx.attach(ctx, actor, itemID, &c, in.Uploads); err != nil {
			return err
		}
		out, err = tx.applyItem(ctx, actor, it, publish.Event{Kind: kind, At: now, ActorID: who.UserID, ActorName: who.Name, Version: it.Version + 1, Content: &c})
		return err
	})
	return out, err
}

// ActOnItem applies a workflow step: submit, approve or return, legal
// approve or return, publish (now or at a time), cancel a schedule,
// withdraw, or change validity.
func (db *DB) ActOnItem(ctx context.Context, actor audit.Actor, who publish.Actor, itemID int64, expect int, a Act) (publish.Item, error) {
	var out publish.Item
	err := db.inTx(ctx, func(tx *Tx) error {
		it, err := tx.loadItem(ctx, itemID, true)
		if err != nil {
			return err
		}
		if expect != 0 && expect != it.Events {
			return errs.E(errs.Conflict, "该信息已被他人处理，请刷新页面后查看最新状态")
		}
		scope, err := tx.reviewScope(ctx)
		if err != nil {
			return err
		}
		switch a.Kind {
		case publish.EvCreate, publish.EvEdit, publish.EvRevise:
			return errs.E(errs.Invalid, "修改内容请使用编辑表单")
		}
		if err := publish.Authorize(it, a.Kind, who, scope); err != nil {
			return err
		}
		now := db.Now()
		e := publish.Event{Kind: a.Kind, At: now, ActorID: who.UserID, ActorName: who.Name, Version: it.Version,
			Reason: strings.TrimSpace(a.Reason), Validity: a.Validity, ValidityOn: a.ValidityOn}
		if a.Kind == publish.EvPublish {
			e.PublishAt = a.PublishAt
			if e.PublishAt.IsZero() {
				e.PublishAt = now
			}
		}
		out, err = tx.applyItem(ctx, actor, it, e)
		return err
	})
	return out, err
}

// checkContent validates a version and checks that its department and
// category belong to the unit and that the item it interprets exists.
func (t *Tx) checkContent(ctx context.Context, unitID int64, c *publish.Content, uploads int) error {
	probe := *c
	for i := 0; i < uploads; i++ {
		probe.Attachments = append(probe.Attachments, 0)
	}
	err := publish.ValidateContent(&probe)
	c.Title, c.DocNo, c.Ground, c.ValidFrom = probe.Title, probe.DocNo, probe.Ground, probe.ValidFrom
	var f errs.Fields
	if err != nil {
		f = append(f, err.(*errs.FormError).Fields...)
	}
	var n int
	if c.DepartmentID != 0 {
		if err := t.row(ctx, "SELECT count(*) FROM departments WHERE id = ? AND unit_id = ?", c.DepartmentID, unitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("department", "所选部门不属于本单位")
		}
	}
	if c.CategoryID != 0 {
		if err := t.row(ctx, "SELECT count(*) FROM publish_categories WHERE id = ? AND unit_id = ?", c.CategoryID, unitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("category", "所选类别不属于本单位的目录")
		}
	}
	if c.Interprets != 0 {
		if err := t.row(ctx, "SELECT count(*) FROM publish_items WHERE id = ? AND unit_id = ?", c.Interprets, unitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("interprets", "所解读的信息编号 %d 不存在", c.Interprets)
		}
	}
	return f.Err()
}

// attach stores uploads (each blob once per hash) and adds their ids to the
// version's attachments.
func (t *Tx) attach(ctx context.Context, actor audit.Actor, itemID int64, c *publish.Content, ups []publish.Upload) error {
	now := ts(t.db.Now())
	for _, u := range ups {
		sum := sha256.Sum256(u.Data)
		h := hex.EncodeToString(sum[:])
		if _, err := t.exec(ctx, "INSERT INTO publish_blobs (sha256, size, content, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
			h, len(u.Data), u.Data, now); err != nil {
			return err
		}
		id, err := t.insert(ctx, "INSERT INTO publish_attachments (item_id, name, type, size, sha256, text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			itemID, u.Name, u.Type, len(u.Data), h, u.Text, actor.Name, now)
		if err != nil {
			return err
		}
		c.Attachments = append(c.Attachments, id)
	}
	return nil
}

func (t *Tx) attachmentIDs(ctx context.Context, itemID int64) (map[int64]bool, error) {
	rows, err := t.query(ctx, "SELECT id FROM publish_attachments WHERE item_id = ?", itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// applyItem checks e against the item, writes it and everything that follows
// from it, and audits it.
func (t *Tx) applyItem(ctx context.Context, actor audit.Actor, it publish.Item, e publish.Event) (publish.Item, error) {
	next, err := t.writeEvent(ctx, it, e)
	if err != nil {
		return it, err
	}
	a := actor
	a.UnitID = it.UnitID
	return next, t.appendAudit(ctx, a, audit.Change{Action: "publish." + string(e.Kind), ObjectType: "publish_item", ObjectID: strconv.FormatInt(it.ID, 10),
		Before: stateView(it), After: eventView(next, e)})
}

// writeEvent checks e against the item and writes it and everything that
// follows from it (version, item state, public tables).
func (t *Tx) writeEvent(ctx context.Context, it publish.Item, e publish.Event) (publish.Item, error) {
	e.Seq = it.Events + 1
	next, err := publish.Apply(it, e)
	if err != nil {
		return it, err
	}
	if e.Content != nil {
		if err := t.insertVersion(ctx, it.ID, e.Version, e.Content, e.ActorID, e.ActorName, e.At); err != nil {
			return it, err
		}
	}
	if err := t.insertEvent(ctx, it.ID, e); err != nil {
		return it, err
	}
	if err := t.saveItem(ctx, next); err != nil {
		return it, err
	}
	switch e.Kind {
	case publish.EvPublish:
		err = t.publishPub(ctx, next, e)
	case publish.EvUnschedule:
		err = t.unschedulePub(ctx, it.ID, e.At)
	case publish.EvWithdraw:
		err = t.deletePubs(ctx, "item_id = ?", it.ID)
	case publish.EvValidity:
		_, err = t.exec(ctx, "UPDATE pub_items SET validity = ?, validity_on = ? WHERE item_id = ?", string(next.Validity), next.ValidityOn.String(), it.ID)
	}
	if err != nil {
		return it, err
	}
	return next, nil
}

func stateView(it publish.Item) any {
	if it.Events == 0 {
		return nil
	}
	return map[string]any{"state": it.State, "version": it.Version}
}

func eventView(it publish.Item, e publish.Event) any {
	v := map[string]any{"state": it.State, "version": it.Version, "event": e.Kind}
	if e.Content != nil {
		v["title"] = e.Content.Title
		v["attribute"] = e.Content.Attribute
	}
	if !e.PublishAt.IsZero() {
		v["publish_at"] = ts(e.PublishAt)
	}
	if e.Reason != "" {
		v["reason"] = e.Reason
	}
	if e.Validity != "" {
		v["validity"] = e.Validity
		v["validity_on"] = e.ValidityOn.String()
	}
	return v
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (t *Tx) insertVersion(ctx context.Context, itemID int64, v int, c *publish.Content, authorID int64, author string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO publish_versions (item_id, version, title, doc_no, department_id, made_on, category_id, attribute, ground, body, doc_kind, valid_from, legal_review, interprets, attachments, author_id, author_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		itemID, v, c.Title, c.DocNo, c.DepartmentID, c.MadeOn.String(), c.CategoryID, string(c.Attribute), c.Ground, c.Body, string(c.DocKind),
		c.ValidFrom.String(), boolInt(c.LegalReview), c.Interprets, joinIDs(c.Attachments), authorID, author, ts(at))
	return err
}

func (t *Tx) insertEvent(ctx context.Context, itemID int64, e publish.Event) error {
	_, err := t.exec(ctx, `INSERT INTO publish_events (item_id, seq, kind, at, actor_id, actor_name, version, publish_at, reason, validity, validity_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		itemID, e.Seq, string(e.Kind), ts(e.At), e.ActorID, e.ActorName, e.Version, ts(e.PublishAt), e.Reason, string(e.Validity), e.ValidityOn.String())
	return err
}

func (t *Tx) saveItem(ctx context.Context, it publish.Item) error {
	c := it.Content
	_, err := t.exec(ctx, `UPDATE publish_items SET state = ?, version = ?, events = ?, title = ?, doc_no = ?, department_id = ?, made_on = ?, category_id = ?,
		attribute = ?, doc_kind = ?, author_id = ?, reviewer_id = ?, reviewer_name = ?, legal_id = ?, legal_name = ?, publish_at = ?, published_version = ?,
		first_publish_at = ?, validity = ?, validity_on = ?, reason = ?, updated_at = ? WHERE id = ?`,
		string(it.State), it.Version, it.Events, c.Title, c.DocNo, c.DepartmentID, c.MadeOn.String(), c.CategoryID,
		string(c.Attribute), string(c.DocKind), it.AuthorID, it.ReviewerID, it.ReviewerName, it.LegalID, it.LegalName, ts(it.PublishAt), it.PublishedVersion,
		ts(it.FirstPublishAt), string(it.Validity), it.ValidityOn.String(), it.Reason, ts(it.UpdatedAt), it.ID)
	return err
}

const itemCols = "id, unit_id, state, version, events, author_id, reviewer_id, reviewer_name, legal_id, legal_name, publish_at, published_version, first_publish_at, validity, validity_on, reason, created_at, updated_at"

func scanItem(sc interface{ Scan(...any) error }) (publish.Item, error) {
	var it publish.Item
	var state, publishAt, first, validity, validityOn, created, updated string
	err := sc.Scan(&it.ID, &it.UnitID, &state, &it.Version, &it.Events, &it.AuthorID, &it.ReviewerID, &it.ReviewerName, &it.LegalID, &it.LegalName,
		&publishAt, &it.PublishedVersion, &first, &validity, &validityOn, &it.Reason, &created, &updated)
	if err != nil {
		return it, err
	}
	it.State, it.Validity = publish.State(state), publish.Validity(validity)
	it.PublishAt, it.FirstPublishAt, it.CreatedAt, it.UpdatedAt = mustTS(publishAt), mustTS(first), mustTS(created), mustTS(updated)
	it.ValidityOn = parseDate(validityOn)
	return it, nil
}

func parseDate(s string) calendar.Date {
	d, _ := calendar.ParseDate(s)
	return d
}

const versionCols = "title, doc_no, department_id, made_on, category_id, attribute, ground, body, doc_kind, valid_from, legal_review, interprets, attachments"

func scanContent(sc interface{ Scan(...any) error }, extra ...any) (publish.Content, error) {
	var c publish.Content
	var made, attr, kind, from, atts string
	var legal int
	dest := append([]any{&c.Title, &c.DocNo, &c.DepartmentID, &made, &c.CategoryID, &attr, &c.Ground, &c.Body, &kind, &from, &legal, &c.Interprets, &atts}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return c, err
	}
	c.MadeOn, c.ValidFrom = parseDate(made), parseDate(from)
	c.Attribute, c.DocKind, c.LegalReview = publish.Attribute(attr), publish.DocKind(kind), legal != 0
	c.Attachments = splitIDs(atts)
	return c, nil
}

func (t *Tx) loadItem(ctx context.Context, id int64, lock bool) (publish.Item, error) {
	q := "SELECT " + itemCols + " FROM publish_items WHERE id = ?"
	if lock {
		q += t.db.forUpdate()
	}
	it, err := scanItem(t.row(ctx, q, id))
	if err == sql.ErrNoRows {
		return it, errs.E(errs.NotFound, "信息不存在")
	}
	if err != nil {
		return it, err
	}
	it.Content, err = scanContent(t.row(ctx, "SELECT "+versionCols+" FROM publish_versions WHERE item_id = ? AND version = ?", id, it.Version))
	return it, err
}

// PublishItem returns an item as it stands, with its latest version.
func (db *DB) PublishItem(ctx context.Context, id int64) (publish.Item, error) {
	var it publish.Item
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		it, err = tx.loadItem(ctx, id, false)
		return err
	})
	return it, err
}

// inReadTx runs fn in a transaction that is always rolled back: several
// reads see one snapshot.
func (db *DB) inReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.dialect == Postgres})
	if err != nil {
		return db.mapErr(err)
	}
	defer sqlTx.Rollback()
	return db.mapErr(fn(&Tx{db: db, tx: sqlTx}))
}

// PublishVersion returns one version of an item's content.
func (db *DB) PublishVersion(ctx context.Context, itemID int64, version int) (publish.Content, error) {
	c, err := scanContent(db.row(ctx, "SELECT "+versionCols+" FROM publish_versions WHERE item_id = ? AND version = ?", itemID, version))
	if err == sql.ErrNoRows {
		return c, errs.E(errs.NotFound, "版本不存在")
	}
	return c, db.mapErr(err)
}

// PublishEvents returns an item's history in order; create, edit and
// revise events carry their version's content.
func (db *DB) PublishEvents(ctx context.Context, itemID int64) ([]publish.Event, error) {
	evs, err := db.publishEvents(ctx, "e.item_id = ?", itemID)
	if err != nil {
		return nil, err
	}
	return evs[itemID], nil
}

// publishEvents loads events with their contents for the items the where
// clause (on e, the events) selects, by item, in order.
func (db *DB) publishEvents(ctx context.Context, where string, args ...any) (map[int64][]publish.Event, error) {
	rows, err := db.query(ctx, `SELECT e.item_id, e.seq, e.kind, e.at, e.actor_id, e.actor_name, e.version, e.publish_at, e.reason, e.validity, e.validity_on,
		v.category_id, v.attribute, v.made_on, v.doc_kind, v.title
		FROM publish_events e LEFT JOIN publish_versions v ON v.item_id = e.item_id AND v.version = e.version AND e.kind IN ('create', 'edit', 'revise')
		WHERE `+where+` ORDER BY e.item_id, e.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]publish.Event{}
	for rows.Next() {
		var e publish.Event
		var itemID int64
		var kind, at, pubAt, validity, validityOn string
		var cat sql.NullInt64
		var attr, made, dkind, title sql.NullString
		if err := rows.Scan(&itemID, &e.Seq, &kind, &at, &e.ActorID, &e.ActorName, &e.Version, &pubAt, &e.Reason, &validity, &validityOn,
			&cat, &attr, &made, &dkind, &title); err != nil {
			return nil, err
		}
		e.Kind, e.At, e.PublishAt = publish.EventKind(kind), mustTS(at), mustTS(pubAt)
		e.Validity, e.ValidityOn = publish.Validity(validity), parseDate(validityOn)
		if cat.Valid {
			e.Content = &publish.Content{CategoryID: cat.Int64, Attribute: publish.Attribute(attr.String), MadeOn: parseDate(made.String),
				DocKind: publish.DocKind(dkind.String), Title: title.String}
		}
		out[itemID] = append(out[itemID], e)
	}
	return out, rows.Err()
}

// ItemFilter selects items for the back office.
type ItemFilter struct {
	UnitID     int64
	States     []publish.State
	Attribute  publish.Attribute
	CategoryID int64
	Department int64
	DocKinds   []publish.DocKind
	Query      string // in the title or 文号
	Limit      int
	Offset     int
}

// ItemRow is an item in a back-office list.
type ItemRow struct {
	ID               int64
	Title, DocNo     string
	State            publish.State
	Version          int
	Events           int
	Attribute        publish.Attribute
	DocKind          publish.DocKind
	DepartmentID     int64
	CategoryID       int64
	MadeOn           calendar.Date
	PublishAt        time.Time
	PublishedVersion int
	FirstPublishAt   time.Time
	AuthorID         int64
	Validity         publish.Validity
	ValidityOn       calendar.Date
	UpdatedAt        time.Time
}

// PublishItems lists items, most recently changed first.
func (db *DB) PublishItems(ctx context.Context, f ItemFilter) ([]ItemRow, int, error) {
	where := " WHERE unit_id = ?"
	args := []any{f.UnitID}
	if len(f.States) > 0 {
		where += " AND state IN (" + placeholders(len(f.States)) + ")"
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Attribute != "" {
		where += " AND attribute = ?"
		args = append(args, string(f.Attribute))
	}
	if f.CategoryID != 0 {
		where += " AND category_id = ?"
		args = append(args, f.CategoryID)
	}
	if f.Department != 0 {
		where += " AND department_id = ?"
		args = append(args, f.Department)
	}
	if len(f.DocKinds) > 0 {
		where += " AND doc_kind IN (" + placeholders(len(f.DocKinds)) + ")"
		for _, k := range f.DocKinds {
			args = append(args, string(k))
		}
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where += " AND (title LIKE ? OR doc_no LIKE ?)"
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
		args = append(args, like, like)
	}
	var total int
	if err := db.row(ctx, "SELECT count(*) FROM publish_items"+where, args...).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	rows, err := db.query(ctx, `SELECT id, title, doc_no, state, version, events, attribute, doc_kind, department_id, category_id, made_on, publish_at,
		published_version, first_publish_at, author_id, validity, validity_on, updated_at FROM publish_items`+where+
		fmt.Sprintf(" ORDER BY updated_at DESC, id DESC LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ItemRow
	for rows.Next() {
		var r ItemRow
		var state, attr, kind, made, pubAt, first, validity, validityOn, updated string
		if err := rows.Scan(&r.ID, &r.Title, &r.DocNo, &state, &r.Version, &r.Events, &attr, &kind, &r.DepartmentID, &r.CategoryID, &made, &pubAt,
			&r.PublishedVersion, &first, &r.AuthorID, &validity, &validityOn, &updated); err != nil {
			return nil, 0, err
		}
		r.State, r.Attribute, r.DocKind, r.Validity = publish.State(state), publish.Attribute(attr), publish.DocKind(kind), publish.Validity(validity)
		r.MadeOn, r.ValidityOn = parseDate(made), parseDate(validityOn)
		r.PublishAt, r.FirstPublishAt, r.UpdatedAt = mustTS(pubAt), mustTS(first), mustTS(updated)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return "?" + strings.Repeat(", ?", n-1)
}

// PublishAttachments lists an item's attachments (every one ever uploaded).
func (db *DB) PublishAttachments(ctx context.Context, itemID int64) ([]publish.Attachment, error) {
	rows, err := db.query(ctx, "SELECT id, item_id, name, type, size, sha256, text FROM publish_attachments WHERE item_id = ? ORDER BY id", itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.Attachment
	for rows.Next() {
		var a publish.Attachment
		if err := rows.Scan(&a.ID, &a.ItemID, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Text); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PublishAttachmentData returns an attachment and its bytes, for staff.
func (db *DB) PublishAttachmentData(ctx context.Context, id int64) (publish.Attachment, []byte, error) {
	var a publish.Attachment
	var data []byte
	err := db.row(ctx, `SELECT a.id, a.item_id, a.name, a.type, a.size, a.sha256, b.content FROM publish_attachments a
		JOIN publish_blobs b ON b.sha256 = a.sha256 WHERE a.id = ?`, id).Scan(&a.ID, &a.ItemID, &a.Name, &a.Type, &a.Size, &a.SHA256, &data)
	if err == sql.ErrNoRows {
		return a, nil, errs.E(errs.NotFound, "附件不存在")
	}
	return a, data, db.mapErr(err)
}

// PubRow is what the portal has of an item: one row per published version.
type PubRow struct {
	ID        int64
	Version   int
	LiveFrom  time.Time
	LiveUntil time.Time
}

// PubRows lists the public rows of an item, for the back office to show
// what the portal shows and from when.
func (db *DB) PubRows(ctx context.Context, itemID int64) ([]PubRow, error) {
	rows, err := db.query(ctx, "SELECT id, version, live_from, live_until FROM pub_items WHERE item_id = ? ORDER BY live_from", itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PubRow
	for rows.Next() {
		var r PubRow
		var from, until string
		if err := rows.Scan(&r.ID, &r.Version, &from, &until); err != nil {
			return nil, err
		}
		r.LiveFrom, r.LiveUntil = mustTS(from), mustTS(until)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Catalogue.

// EnsureCatalogue creates a unit's catalogue from specs when it has none;
// it reports whether it did.
func (db *DB) EnsureCatalogue(ctx context.Context, actor audit.Actor, unitID int64, specs []publish.CategorySpec) (bool, error) {
	created := false
	err := db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7263540)"); err != nil {
				return err
			}
		}
		var n int
		if err := tx.row(ctx, "SELECT count(*) FROM publish_categories WHERE unit_id = ?", unitID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		created = true
		var names []string
		var add func(parent int64, specs []publish.CategorySpec) error
		add = func(parent int64, specs []publish.CategorySpec) error {
			for i, s := range specs {
				c := s.Category
				c.UnitID, c.ParentID, c.Sort = unitID, parent, (i+1)*10
				if err := publish.ValidateCategory(&c); err != nil {
					return err
				}
				id, err := tx.insertCategory(ctx, c)
				if err != nil {
					return err
				}
				names = append(names, c.Name)
				if err := add(id, s.Children); err != nil {
					return err
				}
			}
			return nil
		}
		if err := add(0, specs); err != nil {
			return err
		}
		a := actor
		a.UnitID = unitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "publish.catalogue", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10), After: names})
	})
	return created, err
}

func (t *Tx) insertCategory(ctx context.Context, c publish.Category) (int64, error) {
	return t.insert(ctx, `INSERT INTO publish_categories (unit_id, parent_id, slug, name, sort, noun, measure, article, column_slug, in_report, intro, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.UnitID, nullID(c.ParentID), c.Slug, c.Name, c.Sort, c.Noun, c.Measure, c.Article, c.Column, boolInt(c.InReport), c.Intro, ts(t.db.Now()))
}

// CreateCategory adds a category to a unit's catalogue.
func (db *DB) CreateCategory(ctx context.Context, actor audit.Actor, c *publish.Category) error {
	if err := publish.ValidateCategory(c); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		if c.ParentID != 0 {
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM publish_categories WHERE id = ? AND unit_id = ?", c.ParentID, c.UnitID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errs.FieldError("parent", "上级类别不存在")
			}
		}
		if err := tx.row(ctx, "SELECT COALESCE(MAX(sort), 0) + 10 FROM publish_categories WHERE unit_id = ?", c.UnitID).Scan(&c.Sort); err != nil {
			return err
		}
		id, err := tx.insertCategory(ctx, *c)
		if err != nil {
			return err
		}
		c.ID = id
		a := actor
		a.UnitID = c.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "publish.category", ObjectType: "publish_category", ObjectID: strconv.FormatInt(id, 10), After: c})
	})
	if isConflict(err) {
		return errs.FieldError("slug", "网址标识“%s”已被使用", c.Slug)
	}
	return err
}

const categoryCols = "id, unit_id, parent_id, slug, name, sort, noun, measure, article, column_slug, in_report, intro"

func scanCategory(sc interface{ Scan(...any) error }) (publish.Category, error) {
	var c publish.Category
	var parent sql.NullInt64
	var inReport int
	err := sc.Scan(&c.ID, &c.UnitID, &parent, &c.Slug, &c.Name, &c.Sort, &c.Noun, &c.Measure, &c.Article, &c.Column, &inReport, &c.Intro)
	c.ParentID, c.InReport = parent.Int64, inReport != 0
	return c, err
}

// PublishCategories returns a unit's catalogue in tree order (each
// category followed by its children).
func (db *DB) PublishCategories(ctx context.Context, unitID int64) ([]publish.Category, error) {
	return categoriesOf(ctx, db, nil, unitID)
}

func categoriesOf(ctx context.Context, db *DB, q querier, unitID int64) ([]publish.Category, error) {
	const text = "SELECT " + categoryCols + " FROM publish_categories WHERE unit_id = ? ORDER BY sort, id"
	var rows *sql.Rows
	var err error
	if q == nil {
		rows, err = db.query(ctx, text, unitID)
	} else {
		rows, err = q.QueryContext(ctx, db.rebind(text), unitID)
	}
	if err != nil {
		return nil, db.mapErr(err)
	}
	defer rows.Close()
	var all []publish.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return treeOrder(all), nil
}

func treeOrder(all []publish.Category) []publish.Category {
	kids := map[int64][]publish.Category{}
	ids := map[int64]bool{}
	for _, c := range all {
		ids[c.ID] = true
	}
	for _, c := range all {
		p := c.ParentID
		if !ids[p] {
			p = 0
		}
		kids[p] = append(kids[p], c)
	}
	for _, k := range kids {
		sort.SliceStable(k, func(i, j int) bool { return k[i].Sort < k[j].Sort })
	}
	var out []publish.Category
	var walk func(int64)
	walk = func(p int64) {
		for _, c := range kids[p] {
			out = append(out, c)
			walk(c.ID)
		}
	}
	walk(0)
	return out
}

// Reviewers lists the staff who may review items of a department of a
// unit under the review scope in force, for the item page to name them.
func (db *DB) Reviewers(ctx context.Context, unitID, departmentID int64) ([]org.User, error) {
	scope, err := db.Setting(ctx, ReviewScopeSetting, string(publish.ScopeDepartment))
	if err != nil {
		return nil, err
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.User
	for _, u := range users {
		if u.Disabled || !u.Has(org.RoleReviewer, unitID) {
			continue
		}
		if publish.ReviewScope(scope) == publish.ScopeUnit || u.DepartmentID == 0 || u.DepartmentID == departmentID {
			out = append(out, u)
		}
	}
	return out, nil
}
