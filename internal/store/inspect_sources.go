package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/inspect"
	"gongkai/internal/publish"
)

// What a site inspection reads (inspect.Sources): the own portal as the
// public read path shows it — the live rows of pub_items under the
// predicate live, never a draft —, the desk's enquiries and accounts, the
// probes, and the thresholds in force.

var _ inspect.Sources = (*DB)(nil)

// InspectSettings are the thresholds in force (settings inspect.*, the
// desk's unanswered limit); a stored value that makes no sense is an error
// naming it.
func (db *DB) InspectSettings(ctx context.Context) (inspect.Settings, error) {
	vals, err := db.settingsPrefixed(ctx, inspect.SettingPrefix)
	if err != nil {
		return inspect.Settings{}, err
	}
	lim, err := db.UnansweredLimit(ctx)
	if err != nil {
		return inspect.Settings{}, err
	}
	return inspect.ParseSettings(vals, lim)
}

func (db *DB) settingsPrefixed(ctx context.Context, prefix string) (map[string]string, error) {
	rows, err := db.query(ctx, "SELECT key, value FROM settings WHERE key LIKE ?", prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// InspectUnitConfig is a unit's own inspection settings: the classes of its
// columns, its list of expressions (the shipped typos until it keeps its
// own), the categories of its 办事指南.
func (db *DB) InspectUnitConfig(ctx context.Context, unitID int64) (inspect.UnitConfig, error) {
	us, err := db.UnitSettings(ctx, unitID)
	if err != nil {
		return inspect.UnitConfig{}, err
	}
	cfg := inspect.UnitConfig{Settings: us, GuideSlugs: []string{"guides"}}
	text, ok := us[inspect.ExpressionsKey]
	if !ok {
		text = inspect.DefaultExpressions
	}
	if cfg.Expressions, err = inspect.ParseExpressions(text); err != nil {
		return cfg, err
	}
	if v := strings.TrimSpace(us[inspect.GuideSlugsKey]); v != "" {
		cfg.GuideSlugs = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				cfg.GuideSlugs = append(cfg.GuideSlugs, s)
			}
		}
	}
	return cfg, nil
}

// PortalColumns are the unit's categories as the portal shows them: each
// with no subcategory (or with items of its own) is a column, with its
// class, its live items, when the newest went public, and the department
// and author of the newest. The 年报 column also counts the unit's
// published annual reports.
func (db *DB) PortalColumns(ctx context.Context, unitID int64, cfg inspect.UnitConfig) ([]inspect.Column, error) {
	cats, err := db.PublishCategories(ctx, unitID)
	if err != nil {
		return nil, err
	}
	parent := map[int64]bool{}
	for _, c := range cats {
		if c.ParentID != 0 {
			parent[c.ParentID] = true
		}
	}
	now := ts(db.Now())
	type agg struct {
		n    int
		last string
	}
	counts := map[int64]agg{}
	rows, err := db.query(ctx, "SELECT p.category_id, count(*), max(p.live_from) FROM pub_items p WHERE "+live+" AND p.unit_id = ? GROUP BY p.category_id", now, now, unitID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var a agg
		if err := rows.Scan(&id, &a.n, &a.last); err != nil {
			rows.Close()
			return nil, err
		}
		counts[id] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []inspect.Column
	for _, c := range cats {
		a := counts[c.ID]
		if parent[c.ID] && a.n == 0 {
			continue
		}
		col := inspect.Column{CategoryID: c.ID, Slug: c.Slug, Name: c.Name, Path: "/catalog/" + c.Slug, Class: inspect.ClassOf(c.Slug, c.Name, cfg.Settings),
			Items: a.n, Last: mustTS(a.last)}
		if c.Column != "" {
			col.Path = "/column/" + c.Column
		}
		if c.Column == "reports" {
			var n int
			var last sql.NullString
			if err := db.row(ctx, `SELECT count(*), max(v.published_at) FROM annual_report_versions v JOIN annual_reports r ON r.id = v.report_id WHERE r.unit_id = ?`, unitID).Scan(&n, &last); err != nil {
				return nil, db.mapErr(err)
			}
			col.Items += n
			if t := mustTS(last.String); t.After(col.Last) {
				col.Last = t
			}
		}
		if a.n > 0 {
			var author sql.NullInt64
			var name sql.NullString
			err := db.row(ctx, `SELECT p.department_id, v.author_id, v.author_name FROM pub_items p LEFT JOIN publish_versions v ON v.item_id = p.item_id AND v.version = p.version
				WHERE `+live+` AND p.unit_id = ? AND p.category_id = ? ORDER BY p.live_from DESC, p.id DESC LIMIT 1`, now, now, unitID, c.ID).Scan(&col.DepartmentID, &author, &name)
			if err != nil {
				return nil, db.mapErr(err)
			}
			col.StaffID, col.StaffName = author.Int64, name.String
		}
		out = append(out, col)
	}
	return out, nil
}

// EachPortalItem streams every live item of the unit's portal, with its
// text (body and attachments), its category, the department that made it
// and the author of the version shown.
func (db *DB) EachPortalItem(ctx context.Context, unitID int64, cfg inspect.UnitConfig, fn func(inspect.Item) error) error {
	guide := map[string]bool{}
	for _, s := range cfg.GuideSlugs {
		guide[s] = true
	}
	now := ts(db.Now())
	rows, err := db.query(ctx, `SELECT p.item_id, p.category_id, c.slug, c.name, p.title, p.doc_no, p.search_text, p.body, p.made_on, p.first_published_at, p.live_from,
		p.doc_kind, p.valid_from, p.validity, p.department_id, v.author_id, v.author_name
		FROM pub_items p JOIN publish_categories c ON c.id = p.category_id LEFT JOIN publish_versions v ON v.item_id = p.item_id AND v.version = p.version
		WHERE `+live+` AND p.unit_id = ? ORDER BY p.item_id`, now, now, unitID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var it inspect.Item
		var made, first, from, kind, validFrom, validity string
		var author sql.NullInt64
		var name sql.NullString
		if err := rows.Scan(&it.ID, &it.CategoryID, &it.CategorySlug, &it.Category, &it.Title, &it.DocNo, &it.Text, &it.Body, &made, &first, &from,
			&kind, &validFrom, &validity, &it.DepartmentID, &author, &name); err != nil {
			return err
		}
		it.MadeOn, it.ValidFrom = parseDate(made), parseDate(validFrom)
		it.PublishedAt, it.LiveFrom = mustTS(first), mustTS(from)
		it.DocKind, it.Validity = publish.DocKind(kind), publish.Validity(validity)
		it.StaffID, it.StaffName = author.Int64, name.String
		it.Path = "/items/" + strconv.FormatInt(it.ID, 10)
		it.Guide = guide[it.CategorySlug]
		if err := fn(it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PortalAttachments checks each attachment of a live item against its
// stored file: present and of its recorded size.
func (db *DB) PortalAttachments(ctx context.Context, unitID int64) ([]inspect.Link, error) {
	now := ts(db.Now())
	rows, err := db.query(ctx, `SELECT pa.attachment_id, pa.name, pa.size, b.size, p.item_id, p.department_id, v.author_id, v.author_name
		FROM pub_attachments pa JOIN pub_items p ON p.id = pa.pub_id LEFT JOIN publish_blobs b ON b.sha256 = pa.sha256
		LEFT JOIN publish_versions v ON v.item_id = p.item_id AND v.version = p.version
		WHERE `+live+` AND p.unit_id = ? ORDER BY pa.attachment_id`, now, now, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inspect.Link
	seen := map[int64]bool{}
	for rows.Next() {
		var id, size, item, dept int64
		var name string
		var stored, author sql.NullInt64
		var author_ sql.NullString
		if err := rows.Scan(&id, &name, &size, &stored, &item, &dept, &author, &author_); err != nil {
			return nil, err
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		l := inspect.Link{URL: attachmentPath(id, name), Kind: inspect.AttachmentLink, State: inspect.LinkOK, ItemID: item, DepartmentID: dept,
			StaffID: author.Int64, StaffName: author_.String, Referrers: []string{"/items/" + strconv.FormatInt(item, 10)}}
		switch {
		case !stored.Valid:
			l.State, l.Error = inspect.LinkBroken, "附件文件不存在"
		case stored.Int64 != size:
			l.State, l.Error = inspect.LinkBroken, "附件文件不完整"
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// attachmentPath is the portal's address of an attachment.
func attachmentPath(id int64, name string) string {
	return "/files/" + strconv.FormatInt(id, 10) + "/" + pathEscape(name)
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '/' || r == '?' || r == '#' || r == '%' || r == ' ':
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(r), 16)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PortalEnquiries are the unit's enquiries still waiting for their reply,
// and those answered since since, each with the staff member who last
// drafted its reply.
func (db *DB) PortalEnquiries(ctx context.Context, unitID int64, since time.Time) ([]inspect.Enquiry, error) {
	rows, err := db.query(ctx, `SELECT e.id, e.ref, e.kind, e.subject, e.received_at, e.answered_at, e.state,
		(SELECT ev.actor_id FROM desk_enquiry_events ev WHERE ev.enquiry_id = e.id AND ev.kind = 'drafted' ORDER BY ev.seq DESC LIMIT 1)
		FROM desk_enquiries e WHERE e.unit_id = ? AND (e.state IN (?, ?, ?) OR e.answered_at >= ?) ORDER BY e.received_at, e.id`,
		unitID, desk.EvReceived, desk.EvDrafted, desk.EvReturned, ts(since))
	if err != nil {
		return nil, err
	}
	var out []inspect.Enquiry
	for rows.Next() {
		var e inspect.Enquiry
		var rec, ans, state string
		var drafter sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Ref, &e.Kind, &e.Subject, &rec, &ans, &state, &drafter); err != nil {
			rows.Close()
			return nil, err
		}
		e.ReceivedAt, e.AnsweredAt, e.Open, e.StaffID = mustTS(rec), mustTS(ans), desk.Open(state), drafter.Int64
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].StaffID == 0 {
			continue
		}
		var name string
		var dept int64
		if err := db.row(ctx, "SELECT display_name, department_id FROM users WHERE id = ?", out[i].StaffID).Scan(&name, &dept); err == nil {
			out[i].StaffName, out[i].DepartmentID = name, dept
		}
	}
	return out, nil
}

// MediaAccounts are the unit's new-media accounts, each with its last post
// up to today and its interaction channels.
func (db *DB) MediaAccounts(ctx context.Context, unitID int64) ([]inspect.Account, error) {
	today := inspect.Today(db.Now()).String()
	rows, err := db.query(ctx, `SELECT a.id, a.platform, a.name, (SELECT max(p.day) FROM desk_posts p WHERE p.account_id = a.id AND p.day <= ?)
		FROM desk_accounts a WHERE a.unit_id = ? ORDER BY a.id`, today, unitID)
	if err != nil {
		return nil, err
	}
	var out []inspect.Account
	for rows.Next() {
		var a inspect.Account
		var last sql.NullString
		if err := rows.Scan(&a.ID, &a.Platform, &a.Name, &last); err != nil {
			rows.Close()
			return nil, err
		}
		a.LastPost = parseDate(last.String)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	chs, err := db.MediaChannels(ctx, unitID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Channels = chs[out[i].ID]
	}
	return out, nil
}

// MediaChannels are the interaction channels recorded for the unit's
// accounts, by account.
func (db *DB) MediaChannels(ctx context.Context, unitID int64) (map[int64][]inspect.Channel, error) {
	rows, err := db.query(ctx, `SELECT c.account_id, c.name, c.working, c.checked_on, c.note FROM inspect_channels c JOIN desk_accounts a ON a.id = c.account_id
		WHERE a.unit_id = ? ORDER BY c.account_id, c.name`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]inspect.Channel{}
	for rows.Next() {
		var id int64
		var c inspect.Channel
		var working int
		var on string
		if err := rows.Scan(&id, &c.Name, &working, &on, &c.Note); err != nil {
			return nil, err
		}
		c.Working, c.CheckedOn = working != 0, parseDate(on)
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// Probes are the finished probes of an address since a time, oldest first.
func (db *DB) Probes(ctx context.Context, url string, since time.Time) ([]inspect.Probe, error) {
	rows, err := db.query(ctx, "SELECT at, ok, status, millis, error FROM inspect_probes WHERE url = ? AND at >= ? AND done = 1 ORDER BY at", url, ts(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inspect.Probe
	for rows.Next() {
		var p inspect.Probe
		var at string
		var ok int
		if err := rows.Scan(&at, &ok, &p.Status, &p.Millis, &p.Error); err != nil {
			return nil, err
		}
		p.At, p.OK = mustTS(at), ok != 0
		out = append(out, p)
	}
	return out, rows.Err()
}
