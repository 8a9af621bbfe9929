package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// ---- Uploads and saved mappings -------------------------------------------

// DeskUploadFile is a file uploaded for import, kept until it is imported.
type DeskUploadFile struct {
	ID        int64
	UnitID    int64
	Kind      string
	Name      string
	Content   []byte
	CreatedBy string
	CreatedAt time.Time
}

// SaveDeskUpload keeps an uploaded file between the mapping step and the
// import, so that any instance can run the import.
func (db *DB) SaveDeskUpload(ctx context.Context, actor audit.Actor, unitID int64, kind, name string, content []byte) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.insert(ctx, "INSERT INTO desk_uploads (unit_id, kind, name, content, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			unitID, kind, name, content, actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.upload", ObjectType: "desk_upload", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": unitID, "kind": kind, "name": name, "size": len(content)}})
	})
	return id, err
}

// DeskUpload returns an uploaded file.
func (db *DB) DeskUpload(ctx context.Context, id int64) (DeskUploadFile, error) {
	var f DeskUploadFile
	var ca string
	err := db.row(ctx, "SELECT id, unit_id, kind, name, content, created_by, created_at FROM desk_uploads WHERE id = ?", id).
		Scan(&f.ID, &f.UnitID, &f.Kind, &f.Name, &f.Content, &f.CreatedBy, &ca)
	if err == sql.ErrNoRows {
		return f, errs.E(errs.NotFound, "上传的文件不存在，请重新上传")
	}
	f.CreatedAt = mustTS(ca)
	return f, db.mapErr(err)
}

// DeskMapping is a column mapping saved under a name.
type DeskMapping struct {
	Name    string
	Mapping desk.Mapping
}

// SaveDeskMapping saves (or replaces) a unit's named mapping for a kind of file.
func (db *DB) SaveDeskMapping(ctx context.Context, actor audit.Actor, unitID int64, kind, name string, m desk.Mapping) error {
	if name == "" || len([]rune(name)) > 50 {
		return errs.FieldError("mapping_name", "请填写对应关系的名称（不超过 50 字）")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO desk_mappings (unit_id, kind, name, mapping, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (unit_id, kind, name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`, unitID, kind, name, m.JSON(), ts(db.Now())); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.mapping_save", ObjectType: "desk_mapping", ObjectID: kind + "/" + name,
			After: map[string]any{"unit_id": unitID, "mapping": m.JSON()}})
	})
}

// DeskMappings lists a unit's saved mappings for a kind, by name.
func (db *DB) DeskMappings(ctx context.Context, unitID int64, kind string) ([]DeskMapping, error) {
	rows, err := db.query(ctx, "SELECT name, mapping FROM desk_mappings WHERE unit_id = ? AND kind = ? ORDER BY name", unitID, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeskMapping
	for rows.Next() {
		var d DeskMapping
		var js string
		if err := rows.Scan(&d.Name, &js); err != nil {
			return nil, err
		}
		if d.Mapping, err = desk.ParseMappingJSON(js); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ---- New media ------------------------------------------------------------

// CreateAccount registers a new-media account.
func (db *DB) CreateAccount(ctx context.Context, actor audit.Actor, a *desk.Account) error {
	if err := desk.ValidateAccount(a); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO desk_accounts (unit_id, platform, name) VALUES (?, ?, ?)", a.UnitID, a.Platform, a.Name)
		if err != nil {
			return err
		}
		a.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.account_create", ObjectType: "desk_account", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": a.UnitID, "platform": a.Platform, "name": a.Name}})
	})
	if isConflict(err) {
		return errs.FieldError("name", "该平台上已有名为“%s”的账号", a.Name)
	}
	return err
}

// Accounts lists the units' accounts in platform order.
func (db *DB) Accounts(ctx context.Context, unitIDs []int64) ([]desk.Account, error) {
	in, args := inList(unitIDs)
	rows, err := db.query(ctx, "SELECT id, unit_id, platform, name FROM desk_accounts WHERE unit_id IN "+in+" ORDER BY platform, name", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Account
	for rows.Next() {
		var a desk.Account
		if err := rows.Scan(&a.ID, &a.UnitID, &a.Platform, &a.Name); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (db *DB) accountUnit(ctx context.Context, q querier, id int64) (int64, error) {
	var unit int64
	err := q.QueryRowContext(ctx, db.rebind("SELECT unit_id FROM desk_accounts WHERE id = ?"), id).Scan(&unit)
	if err == sql.ErrNoRows {
		return 0, errs.FieldError("account", "账号不存在")
	}
	return unit, err
}

// CreatePost records a post or live stream.
func (db *DB) CreatePost(ctx context.Context, actor audit.Actor, p *desk.Post) error {
	if err := desk.ValidatePost(p); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.accountUnit(ctx, tx.tx, p.AccountID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, "INSERT INTO desk_posts (account_id, kind, day, title, column_name, url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			p.AccountID, p.Kind, p.Day, p.Title, p.Column, p.URL, ts(db.Now()))
		if err != nil {
			return err
		}
		p.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.post_create", ObjectType: "desk_post", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"account_id": p.AccountID, "kind": p.Kind, "day": p.Day, "title": p.Title, "column": p.Column}})
	})
	if isConflict(err) {
		return errs.FieldError("title", "该账号在 %s 已有同名的发文", p.Day)
	}
	return err
}

// PostView is a post with its account.
type PostView struct {
	desk.Post
	Platform    string
	AccountName string
}

// Posts lists the units' posts of a year, newest first.
func (db *DB) Posts(ctx context.Context, unitIDs []int64, year, limit, offset int) ([]PostView, int64, error) {
	in, args := inList(unitIDs)
	args = append(args, strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31")
	where := " FROM desk_posts p JOIN desk_accounts a ON a.id = p.account_id WHERE a.unit_id IN " + in + " AND p.day >= ? AND p.day <= ?"
	var total int64
	if err := db.row(ctx, "SELECT count(*)"+where, args...).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	rows, err := db.query(ctx, "SELECT p.id, p.account_id, p.kind, p.day, p.title, p.column_name, p.url, a.platform, a.name"+where+
		" ORDER BY p.day DESC, p.id DESC LIMIT "+strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []PostView
	for rows.Next() {
		var p PostView
		if err := rows.Scan(&p.ID, &p.AccountID, &p.Kind, &p.Day, &p.Title, &p.Column, &p.URL, &p.Platform, &p.AccountName); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// SetFollowers records an account's follower count on a date (a second
// count for the same date replaces the first, with its audit entry).
func (db *DB) SetFollowers(ctx context.Context, actor audit.Actor, x *desk.Followers) error {
	if err := desk.ValidateFollowers(x); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.accountUnit(ctx, tx.tx, x.AccountID); err != nil {
			return err
		}
		var old sql.NullInt64
		tx.row(ctx, "SELECT followers FROM desk_followers WHERE account_id = ? AND day = ?", x.AccountID, x.Day).Scan(&old)
		if _, err := tx.exec(ctx, `INSERT INTO desk_followers (account_id, day, followers) VALUES (?, ?, ?)
			ON CONFLICT (account_id, day) DO UPDATE SET followers = excluded.followers`, x.AccountID, x.Day, x.Count); err != nil {
			return err
		}
		var before any
		if old.Valid {
			before = map[string]any{"followers": old.Int64}
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.followers_set", ObjectType: "desk_account", ObjectID: strconv.FormatInt(x.AccountID, 10),
			Before: before, After: map[string]any{"day": x.Day, "followers": x.Count}})
	})
}

// Followers lists an account's follower counts, newest first.
func (db *DB) Followers(ctx context.Context, accountID int64) ([]desk.Followers, error) {
	rows, err := db.query(ctx, "SELECT account_id, day, followers FROM desk_followers WHERE account_id = ? ORDER BY day DESC", accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Followers
	for rows.Next() {
		var x desk.Followers
		if err := rows.Scan(&x.AccountID, &x.Day, &x.Count); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ---- Press conferences and outreach ----------------------------------------

// CreateOutreach records a press conference or outreach event.
func (db *DB) CreateOutreach(ctx context.Context, actor audit.Actor, o *desk.Outreach) error {
	if err := desk.ValidateOutreach(o); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO desk_outreach (unit_id, kind, day, title, enterprises, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			o.UnitID, o.Kind, o.Day, o.Title, o.Enterprises, o.Notes, ts(db.Now()))
		if err != nil {
			return err
		}
		o.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.outreach_create", ObjectType: "desk_outreach", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": o.UnitID, "kind": o.Kind, "day": o.Day, "title": o.Title, "enterprises": o.Enterprises}})
	})
}

// Outreach lists the units' events of a year, newest first.
func (db *DB) Outreach(ctx context.Context, unitIDs []int64, year int) ([]desk.Outreach, error) {
	in, args := inList(unitIDs)
	args = append(args, strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31")
	rows, err := db.query(ctx, "SELECT id, unit_id, kind, day, title, enterprises, notes FROM desk_outreach WHERE unit_id IN "+in+" AND day >= ? AND day <= ? ORDER BY day DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Outreach
	for rows.Next() {
		var o desk.Outreach
		if err := rows.Scan(&o.ID, &o.UnitID, &o.Kind, &o.Day, &o.Title, &o.Enterprises, &o.Notes); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ---- Complaints ------------------------------------------------------------

// CreateComplaint registers a complaint about disclosure work.
func (db *DB) CreateComplaint(ctx context.Context, actor audit.Actor, c *desk.Complaint) error {
	if err := desk.ValidateComplaint(c); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO desk_complaints (unit_id, received_on, channel, complainant, subject, summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			c.UnitID, c.ReceivedOn, c.Channel, c.Complainant, c.Subject, c.Summary, ts(db.Now()))
		if err != nil {
			return err
		}
		c.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.complaint_create", ObjectType: "desk_complaint", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": c.UnitID, "received_on": c.ReceivedOn, "subject": c.Subject}})
	})
}

const complaintCols = "id, unit_id, received_on, channel, complainant, subject, summary, outcome, outcome_note, concluded_on"

func scanComplaint(sc interface{ Scan(...any) error }) (desk.Complaint, error) {
	var c desk.Complaint
	err := sc.Scan(&c.ID, &c.UnitID, &c.ReceivedOn, &c.Channel, &c.Complainant, &c.Subject, &c.Summary, &c.Outcome, &c.OutcomeNote, &c.ConcludedOn)
	return c, err
}

// Complaints lists the units' complaints received in a year (0 for every
// year), newest first.
func (db *DB) Complaints(ctx context.Context, unitIDs []int64, year int) ([]desk.Complaint, error) {
	in, args := inList(unitIDs)
	q := "SELECT " + complaintCols + " FROM desk_complaints WHERE unit_id IN " + in
	if year != 0 {
		q += " AND received_on >= ? AND received_on <= ?"
		args = append(args, strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31")
	}
	rows, err := db.query(ctx, q+" ORDER BY received_on DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Complaint returns one complaint.
func (db *DB) Complaint(ctx context.Context, id int64) (desk.Complaint, error) {
	c, err := scanComplaint(db.row(ctx, "SELECT "+complaintCols+" FROM desk_complaints WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return c, errs.E(errs.NotFound, "该投诉不存在")
	}
	return c, db.mapErr(err)
}

// ConcludeComplaint records a complaint's outcome. A concluded complaint
// cannot be concluded again.
func (db *DB) ConcludeComplaint(ctx context.Context, actor audit.Actor, id int64, outcome, note, day string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := scanComplaint(tx.row(ctx, "SELECT "+complaintCols+" FROM desk_complaints WHERE id = ?"+db.forUpdate(), id))
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "该投诉不存在")
		}
		if err != nil {
			return err
		}
		if c.Outcome != "" {
			return errs.E(errs.Conflict, "该投诉已于 %s 办结", c.ConcludedOn)
		}
		if err := desk.ValidateConclusion(&c, outcome, note, day); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE desk_complaints SET outcome = ?, outcome_note = ?, concluded_on = ? WHERE id = ?", c.Outcome, c.OutcomeNote, c.ConcludedOn, id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.complaint_conclude", ObjectType: "desk_complaint", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"outcome": c.Outcome, "concluded_on": c.ConcludedOn}})
	})
}
