package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
)

// The inspection's settings, sites, channels, probes, notices and digests,
// and sending a finding to the rectification register.

// SendFindingToRegister registers a finding as a problem of the
// rectification register (source 网站检查, Fields.FindingID): one problem per
// finding, in one transaction with the checks of both domains.
func (db *DB) SendFindingToRegister(ctx context.Context, actor audit.Actor, who inspect.Actor, reg rectify.Actor, findingID int64) (rectify.Problem, error) {
	var out rectify.Problem
	err := db.inTx(ctx, func(tx *Tx) error {
		f, err := scanFinding(tx.row(ctx, "SELECT "+findingCols+" FROM inspect_findings f WHERE f.id = ?"+db.forUpdate(), findingID))
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "没有该检查发现")
		}
		if err != nil {
			return err
		}
		if err := inspect.Authorize(who, inspect.ActRectify); err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, f.UnitID, org.ActInspectRectify); err != nil {
			return err
		}
		if f.ProblemID != 0 {
			return errs.E(errs.Conflict, "该检查发现已登记到整改台账（%s）", rectify.Ref(f.ProblemID))
		}
		now := db.Now()
		desc := fmt.Sprintf("网站检查发现（%s·%s）：%s", f.Indicator.Label(), f.Level.Label(), f.Message)
		if f.URL != "" {
			desc += "（" + f.URL + "）"
		}
		in := ProblemInput{Fields: rectify.Fields{Year: rectify.Today(now).Year(), Source: rectify.FromInspection, FindingID: f.ID,
			SourceRef:   clipText(fmt.Sprintf("网站检查第 %d 次（%s）", f.LastRun, inspect.Today(f.LastSeen)), rectify.MaxSourceRef),
			Description: clipText(desc, rectify.MaxDescription), OwnerDept: f.DepartmentID, OwnerName: clipText(f.StaffName, rectify.MaxOwnerName)}}
		p, err := tx.createProblem(ctx, actor, reg, f.UnitID, now, in)
		if err != nil {
			return err
		}
		out = p
		a := actor
		a.UnitID = f.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.send_to_register", ObjectType: "inspect_finding", ObjectID: strconv.FormatInt(f.ID, 10),
			After: map[string]any{"problem": p.ID}})
	})
	return out, err
}

// SetInspectSettings stores thresholds (keys without the prefix), refusing
// values that make no sense with the others in force.
func (db *DB) SetInspectSettings(ctx context.Context, actor audit.Actor, who inspect.Actor, unitID int64, values map[string]string) error {
	if err := inspect.Authorize(who, inspect.ActSettings); err != nil {
		return err
	}
	stored, err := db.settingsPrefixed(ctx, inspect.SettingPrefix)
	if err != nil {
		return err
	}
	lim, err := db.UnansweredLimit(ctx)
	if err != nil {
		return err
	}
	merged := map[string]string{}
	for k, v := range stored {
		merged[k] = v
	}
	for k, v := range values {
		merged[inspect.SettingPrefix+k] = strings.TrimSpace(v)
	}
	if _, err := inspect.ParseSettings(merged, lim); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActInspectSettings); err != nil {
			return err
		}
		for _, sp := range inspect.SettingSpecs {
			v, ok := values[sp.Key]
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			if old, had := stored[inspect.SettingPrefix+sp.Key]; (had && old == v) || (!had && v == sp.Default) {
				continue
			}
			if err := tx.setSetting(ctx, actor, inspect.SettingPrefix+sp.Key, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetInspectUnitSettings stores a unit's classes of columns, list of
// expressions and categories of guides, refusing a list it cannot read.
func (db *DB) SetInspectUnitSettings(ctx context.Context, actor audit.Actor, who inspect.Actor, unitID int64, values map[string]string) error {
	act := inspect.ActSettings
	if _, ok := values[inspect.WeightsKey]; ok && len(values) == 1 {
		act = inspect.ActWeights
	}
	if err := inspect.Authorize(who, act); err != nil {
		return err
	}
	var f errs.Fields
	for k, v := range values {
		switch {
		case k == inspect.WeightsKey && act == inspect.ActWeights:
			if _, err := inspect.ParseWeights(v); err != nil {
				return err
			}
		case k == inspect.ExpressionsKey:
			if _, err := inspect.ParseExpressions(v); err != nil {
				return err
			}
		case k == inspect.GuideSlugsKey:
		case strings.HasPrefix(k, "inspect.class."):
			if _, ok := inspect.ParseClass(v); !ok && v != "" {
				f.Add(k, "栏目类别“%s”不正确", v)
			}
		default:
			f.Add(k, "未知设置“%s”", k)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	// The roles in the unit (org.ActInspectSettings, or org.ActInspectWeights
	// for the weights) are decided in SetUnitSettings' transaction.
	if v, ok := values[inspect.ExpressionsKey]; ok && strings.TrimSpace(v) == "" {
		values[inspect.ExpressionsKey] = "# 清单为空"
	}
	return db.SetUnitSettings(ctx, actor, unitID, values)
}

// Site is a site a unit is responsible for (inspect.Site).
type Site = inspect.Site

// InspectSites lists a unit's sites (all units' when unitID is 0).
func (db *DB) InspectSites(ctx context.Context, unitID int64) ([]Site, error) {
	q := "SELECT id, unit_id, name, url, allow_private, active, created_at FROM inspect_sites"
	var args []any
	if unitID != 0 {
		q += " WHERE unit_id = ?"
		args = append(args, unitID)
	}
	rows, err := db.query(ctx, q+" ORDER BY unit_id, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		var s Site
		var priv, active int
		var created string
		if err := rows.Scan(&s.ID, &s.UnitID, &s.Name, &s.URL, &priv, &active, &created); err != nil {
			return nil, err
		}
		s.AllowPrivate, s.Active, s.CreatedAt = priv != 0, active != 0, mustTS(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// AddInspectSite registers a site to inspect; url must already be checked
// (crawl.ParseURL).
func (db *DB) AddInspectSite(ctx context.Context, actor audit.Actor, who inspect.Actor, s *Site) error {
	if err := inspect.Authorize(who, inspect.ActSettings); err != nil {
		return err
	}
	s.Name = strings.TrimSpace(s.Name)
	var f errs.Fields
	if s.Name == "" {
		f.Add("site_name", "请填写网站名称")
	} else if len([]rune(s.Name)) > 60 {
		f.Add("site_name", "网站名称不能超过 60 字")
	}
	if s.URL == "" {
		f.Add("site_url", "请填写网站地址")
	}
	if err := f.Err(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, s.UnitID, org.ActInspectSettings); err != nil {
			return err
		}
		s.Active, s.CreatedAt = true, db.Now()
		id, err := tx.insert(ctx, "INSERT INTO inspect_sites (unit_id, name, url, allow_private, active, created_at) VALUES (?, ?, ?, ?, 1, ?)",
			s.UnitID, s.Name, s.URL, boolInt(s.AllowPrivate), ts(s.CreatedAt))
		if err != nil {
			return err
		}
		s.ID = id
		a := actor
		a.UnitID = s.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.site_add", ObjectType: "inspect_site", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"name": s.Name, "url": s.URL, "allow_private": s.AllowPrivate}})
	})
	if isConflict(err) {
		return errs.FieldError("site_url", "该网站已登记")
	}
	return err
}

// SetInspectSiteActive stops or resumes the inspection of a site.
func (db *DB) SetInspectSiteActive(ctx context.Context, actor audit.Actor, who inspect.Actor, id int64, active bool) error {
	if err := inspect.Authorize(who, inspect.ActSettings); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var unit int64
		if err := tx.row(ctx, "SELECT unit_id FROM inspect_sites WHERE id = ?", id).Scan(&unit); err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "没有该网站")
		} else if err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, unit, org.ActInspectSettings); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE inspect_sites SET active = ? WHERE id = ?", boolInt(active), id); err != nil {
			return err
		}
		a := actor
		a.UnitID = unit
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.site_active", ObjectType: "inspect_site", ObjectID: strconv.FormatInt(id, 10), After: map[string]any{"active": active}})
	})
}

// SetMediaChannel records how an account's interaction channel was last
// found working or not.
func (db *DB) SetMediaChannel(ctx context.Context, actor audit.Actor, who inspect.Actor, accountID int64, c inspect.Channel) error {
	if err := inspect.Authorize(who, inspect.ActSettings); err != nil {
		return err
	}
	c.Name, c.Note = strings.TrimSpace(c.Name), strings.TrimSpace(c.Note)
	var f errs.Fields
	if c.Name == "" || len([]rune(c.Name)) > 20 {
		f.Add("channel_name", "请填写互动功能名称（如留言、评论、私信，不超过 20 字）")
	}
	if c.CheckedOn.IsZero() || c.CheckedOn.After(inspect.Today(db.Now())) {
		f.Add("checked_on", "请填写检查日期（不晚于今天）")
	}
	if len([]rune(c.Note)) > 200 {
		f.Add("channel_note", "说明不能超过 200 字")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		unit, err := db.accountUnit(ctx, tx.tx, accountID)
		if err != nil {
			return err
		}
		if err := tx.authorize(ctx, actor, unit, org.ActInspectSettings); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM inspect_channels WHERE account_id = ? AND name = ?", accountID, c.Name); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO inspect_channels (account_id, name, working, checked_on, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			accountID, c.Name, boolInt(c.Working), c.CheckedOn.String(), c.Note, actor.Name, ts(db.Now())); err != nil {
			return err
		}
		a := actor
		a.UnitID = unit
		return tx.appendAudit(ctx, a, audit.Change{Action: "inspect.channel", ObjectType: "desk_account", ObjectID: strconv.FormatInt(accountID, 10),
			After: map[string]any{"channel": c.Name, "working": c.Working, "checked_on": c.CheckedOn.String()}})
	})
}

// ProbeTarget is an address probed for its availability.
type ProbeTarget struct {
	UnitID       int64
	URL          string
	AllowPrivate bool
}

// ProbeTargets are the addresses to probe: each unit's portal address (its
// report setting 门户网站地址) and the active sites.
func (db *DB) ProbeTargets(ctx context.Context) ([]ProbeTarget, error) {
	var out []ProbeTarget
	seen := map[string]bool{}
	rows, err := db.query(ctx, "SELECT unit_id, value FROM unit_settings WHERE key = 'report.portal_url' ORDER BY unit_id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t ProbeTarget
		if err := rows.Scan(&t.UnitID, &t.URL); err != nil {
			rows.Close()
			return nil, err
		}
		if t.URL = strings.TrimSpace(t.URL); t.URL != "" && !seen[t.URL] {
			seen[t.URL] = true
			out = append(out, t)
		}
	}
	rows.Close()
	sites, err := db.InspectSites(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, s := range sites {
		if s.Active && !seen[s.URL] {
			seen[s.URL] = true
			out = append(out, ProbeTarget{UnitID: s.UnitID, URL: s.URL, AllowPrivate: s.AllowPrivate})
		}
	}
	return out, nil
}

// ClaimProbe takes the probe of an address for a due time: false when
// another instance has it.
func (db *DB) ClaimProbe(ctx context.Context, url string, slot time.Time) (bool, error) {
	res, err := db.sql.ExecContext(ctx, db.rebind("INSERT INTO inspect_probes (url, slot, at) VALUES (?, ?, ?) ON CONFLICT (url, slot) DO NOTHING"), url, ts(slot), ts(db.Now()))
	if err != nil {
		return false, db.mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecordProbe stores a probe's outcome.
func (db *DB) RecordProbe(ctx context.Context, url string, slot time.Time, p inspect.Probe) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_probes SET at = ?, done = 1, ok = ?, status = ?, millis = ?, error = ? WHERE url = ? AND slot = ?"),
		ts(p.At), boolInt(p.OK), p.Status, p.Millis, clipText(p.Error, 500), url, ts(slot))
	return db.mapErr(err)
}

// InspectTargets are what the schedule inspects: the own portal of each
// unit with a catalogue, and each active site.
func (db *DB) InspectTargets(ctx context.Context) ([]inspect.Target, error) {
	var out []inspect.Target
	rows, err := db.query(ctx, `SELECT u.id, COALESCE((SELECT s.value FROM unit_settings s WHERE s.unit_id = u.id AND s.key = 'report.portal_url'), '')
		FROM units u WHERE EXISTS (SELECT 1 FROM publish_categories c WHERE c.unit_id = u.id) ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t inspect.Target
		if err := rows.Scan(&t.UnitID, &t.URL); err != nil {
			rows.Close()
			return nil, err
		}
		t.Own = true
		out = append(out, t)
	}
	rows.Close()
	sites, err := db.InspectSites(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, s := range sites {
		if s.Active {
			out = append(out, inspect.Target{UnitID: s.UnitID, URL: s.URL, SiteID: s.ID, AllowPrivate: s.AllowPrivate})
		}
	}
	return out, nil
}

// InspectNotice is a finding told to a user (inspect.Notice).
type InspectNotice = inspect.Notice

// InspectNotices lists a user's notices, unread first, newest first.
func (db *DB) InspectNotices(ctx context.Context, userID int64, limit int) ([]InspectNotice, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.query(ctx, `SELECT id, finding_id, run_id, unit_id, level, message, on_date, read_at FROM inspect_notices WHERE user_id = ?
		ORDER BY CASE WHEN read_at = '' THEN 0 ELSE 1 END, on_date DESC, id DESC LIMIT `+strconv.Itoa(limit), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InspectNotice
	for rows.Next() {
		var n InspectNotice
		var level, read string
		if err := rows.Scan(&n.ID, &n.FindingID, &n.RunID, &n.UnitID, &level, &n.Message, &n.OnDate, &read); err != nil {
			return nil, err
		}
		n.Level, n.Read = inspect.Level(level), read != ""
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkInspectNoticeRead marks one of the user's notices read.
func (db *DB) MarkInspectNoticeRead(ctx context.Context, userID, id int64) error {
	_, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_notices SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = ''"), ts(db.Now()), id, userID)
	return db.mapErr(err)
}

// DigestMail is one user's part of a unit's daily digest.
type DigestMail struct {
	UnitID  int64
	Unit    string
	UserID  int64
	Email   string
	Day     string
	Notices []InspectNotice
}

// ComposeInspectDigests makes the day's digest of every unit with notices
// not yet in a digest — once per unit and day, whatever number of
// instances run the job — and returns the mails still to send (of today's
// digests, to users with an address, not yet mailed).
func (db *DB) ComposeInspectDigests(ctx context.Context, day string) ([]DigestMail, error) {
	units, err := db.ids(ctx, "SELECT DISTINCT unit_id FROM inspect_notices WHERE digest_on = '' ORDER BY unit_id")
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		err := db.inTx(ctx, func(tx *Tx) error {
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM inspect_digests WHERE unit_id = ? AND on_date = ?", u, day).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			res, err := tx.exec(ctx, "UPDATE inspect_notices SET digest_on = ? WHERE unit_id = ? AND digest_on = ''", day, u)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			_, err = tx.exec(ctx, "INSERT INTO inspect_digests (unit_id, on_date, created_at, notices) VALUES (?, ?, ?, ?)", u, day, ts(db.Now()), k)
			return err
		})
		if err != nil && !isConflict(err) {
			return nil, err
		}
	}
	rows, err := db.query(ctx, `SELECT n.id, n.finding_id, n.run_id, n.unit_id, n.level, n.message, n.on_date, n.user_id, us.email, un.name
		FROM inspect_notices n JOIN users us ON us.id = n.user_id JOIN units un ON un.id = n.unit_id
		WHERE n.digest_on = ? AND n.emailed = 0 AND us.email <> '' AND us.disabled = 0 ORDER BY n.unit_id, n.user_id, n.id`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DigestMail
	for rows.Next() {
		var n InspectNotice
		var level, email, unit string
		var user int64
		if err := rows.Scan(&n.ID, &n.FindingID, &n.RunID, &n.UnitID, &level, &n.Message, &n.OnDate, &user, &email, &unit); err != nil {
			return nil, err
		}
		n.Level = inspect.Level(level)
		if len(out) == 0 || out[len(out)-1].UserID != user || out[len(out)-1].UnitID != n.UnitID {
			out = append(out, DigestMail{UnitID: n.UnitID, Unit: unit, UserID: user, Email: email, Day: day})
		}
		out[len(out)-1].Notices = append(out[len(out)-1].Notices, n)
	}
	return out, rows.Err()
}

// ClaimDigestMail takes a digest mail for sending: false when another
// instance took it. A mail that could not be sent is given back
// (ReleaseDigestMail) for the next run.
func (db *DB) ClaimDigestMail(ctx context.Context, m DigestMail) (bool, error) {
	if len(m.Notices) == 0 {
		return false, nil
	}
	args := []any{}
	for _, n := range m.Notices {
		args = append(args, n.ID)
	}
	res, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_notices SET emailed = 1 WHERE emailed = 0 AND id IN ("+placeholders(len(args))+")"), args...)
	if err != nil {
		return false, db.mapErr(err)
	}
	k, _ := res.RowsAffected()
	return k == int64(len(args)), nil
}

// ReleaseDigestMail gives back a mail that could not be sent.
func (db *DB) ReleaseDigestMail(ctx context.Context, m DigestMail) error {
	for _, n := range m.Notices {
		if _, err := db.sql.ExecContext(ctx, db.rebind("UPDATE inspect_notices SET emailed = 0 WHERE id = ?"), n.ID); err != nil {
			return db.mapErr(err)
		}
	}
	return nil
}

// InspectDigests lists a unit's digests, newest first.
func (db *DB) InspectDigests(ctx context.Context, unitID int64, limit int) ([]struct {
	Day     string
	Notices int
}, error) {
	rows, err := db.query(ctx, "SELECT on_date, notices FROM inspect_digests WHERE unit_id = ? ORDER BY on_date DESC LIMIT "+strconv.Itoa(max(limit, 1)), unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []struct {
		Day     string
		Notices int
	}
	for rows.Next() {
		var d struct {
			Day     string
			Notices int
		}
		if err := rows.Scan(&d.Day, &d.Notices); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (db *DB) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SettingsView are the inspection's stored settings, for the settings page.
func (db *DB) InspectStoredSettings(ctx context.Context) (map[string]string, desk.Limit, error) {
	v, err := db.settingsPrefixed(ctx, inspect.SettingPrefix)
	if err != nil {
		return nil, desk.Limit{}, err
	}
	lim, err := db.UnansweredLimit(ctx)
	return v, lim, err
}
