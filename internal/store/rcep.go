package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/rcep"
)

var _ rcep.Store = (*DB)(nil)

// ImportRCEP stores a parsed tariff file as a new version, with the issues
// of the lines it skipped, and audits the import — all in one transaction.
// Versions are never changed afterwards.
func (db *DB) ImportRCEP(ctx context.Context, actor audit.Actor, ds *rcep.Dataset, issues []rcep.Issue) (rcep.Version, error) {
	v := ds.Version
	if v.Mode == "" {
		v.Mode = rcep.ImportAll
	}
	v.CreatedBy = actor.Name
	v.CreatedAt = db.Now()
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO rcep_versions (effective_date, title, source, sha256, mode, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, v.Effective.String(), v.Title, v.Source, v.SHA256, string(v.Mode), v.CreatedBy, ts(v.CreatedAt))
		if err != nil {
			return err
		}
		v.ID = id
		ins := func(q string) (*sql.Stmt, error) { return tx.tx.PrepareContext(ctx, db.rebind(q)) }
		ag, err := ins("INSERT INTO rcep_agreements (version_id, code, short_name, name, effective_date, line) VALUES (?, ?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer ag.Close()
		pt, err := ins("INSERT INTO rcep_parties (version_id, agreement, country, name, effective_date, line) VALUES (?, ?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer pt.Close()
		for _, a := range ds.Agreements {
			if _, err := ag.ExecContext(ctx, id, a.Code, a.Short, a.Name, a.Effective.String(), a.Line); err != nil {
				return fmt.Errorf("agreement %s: %w", a.Code, err)
			}
			for _, p := range a.Parties {
				if _, err := pt.ExecContext(ctx, id, a.Code, p.Country, p.Name, p.Effective.String(), p.Line); err != nil {
					return fmt.Errorf("party %s/%s: %w", a.Code, p.Country, err)
				}
			}
		}
		gd, err := ins("INSERT INTO rcep_goods (version_id, hs, name, keywords, line) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer gd.Close()
		for _, g := range ds.Goods {
			if _, err := gd.ExecContext(ctx, id, g.HS, g.Name, strings.Join(g.Keywords, "；"), g.Line); err != nil {
				return fmt.Errorf("good %s: %w", g.HS, err)
			}
		}
		mf, err := ins("INSERT INTO rcep_mfn (version_id, importer, hs, rate_bp, line) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer mf.Close()
		for _, m := range ds.MFN {
			if _, err := mf.ExecContext(ctx, id, m.Importer, m.HS, int64(m.Rate), m.Line); err != nil {
				return fmt.Errorf("mfn %s/%s: %w", m.Importer, m.HS, err)
			}
		}
		yr, err := ins("INSERT INTO rcep_line_rates (line_id, year, rate_bp) VALUES (?, ?, ?)")
		if err != nil {
			return err
		}
		defer yr.Close()
		for _, l := range ds.Lines {
			lid, err := tx.insert(ctx, `INSERT INTO rcep_lines (version_id, agreement, importer, origins, hs, base_bp, staging, line)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, l.Agreement, l.Importer, strings.Join(l.Origins, "|"), l.HS, int64(l.Base), l.Staging, l.Line)
			if err != nil {
				return fmt.Errorf("line %d: %w", l.Line, err)
			}
			for _, r := range l.Rates {
				if _, err := yr.ExecContext(ctx, lid, r.Year, int64(r.Rate)); err != nil {
					return fmt.Errorf("line %d year %d: %w", l.Line, r.Year, err)
				}
			}
		}
		ru, err := ins("INSERT INTO rcep_rules (version_id, agreement, hs_prefix, rule, line) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer ru.Close()
		for _, r := range ds.Rules {
			if _, err := ru.ExecContext(ctx, id, r.Agreement, r.Prefix, r.Text, r.Line); err != nil {
				return fmt.Errorf("rule %s/%s: %w", r.Agreement, r.Prefix, err)
			}
		}
		is, err := ins("INSERT INTO rcep_import_issues (version_id, line, message) VALUES (?, ?, ?)")
		if err != nil {
			return err
		}
		defer is.Close()
		for _, i := range issues {
			if _, err := is.ExecContext(ctx, id, i.Line, i.Message); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "rcep.import", ObjectType: "rcep_version", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"effective": v.Effective.String(), "title": v.Title, "source": v.Source, "sha256": v.SHA256, "mode": v.Mode,
				"agreements": len(ds.Agreements), "goods": len(ds.Goods), "mfn": len(ds.MFN), "lines": len(ds.Lines), "rules": len(ds.Rules), "skipped": len(issues)}})
	})
	if err != nil {
		return rcep.Version{}, err
	}
	return v, nil
}

const rcepVersionCols = "id, effective_date, title, source, sha256, mode, created_by, created_at"

func scanRCEPVersion(sc interface{ Scan(...any) error }) (rcep.Version, error) {
	var v rcep.Version
	var eff, mode, created string
	if err := sc.Scan(&v.ID, &eff, &v.Title, &v.Source, &v.SHA256, &mode, &v.CreatedBy, &created); err != nil {
		return v, err
	}
	d, err := calendar.ParseDate(eff)
	if err != nil {
		return v, fmt.Errorf("rcep version %d: %w", v.ID, err)
	}
	v.Effective, v.Mode, v.CreatedAt = d, rcep.ImportMode(mode), mustTS(created)
	return v, nil
}

// RCEPVersionAt is the version in force on day d: the latest effective date
// on or before d, and of two with the same date the later import.
func (db *DB) RCEPVersionAt(ctx context.Context, d calendar.Date) (rcep.Version, error) {
	v, err := scanRCEPVersion(db.row(ctx, "SELECT "+rcepVersionCols+" FROM rcep_versions WHERE effective_date <= ? ORDER BY effective_date DESC, id DESC LIMIT 1", d.String()))
	if err == sql.ErrNoRows {
		return v, errs.E(errs.NotFound, "%s 尚无生效的税率数据", d)
	}
	return v, db.mapErr(err)
}

// RCEPVersion returns a version by id.
func (db *DB) RCEPVersion(ctx context.Context, id int64) (rcep.Version, error) {
	v, err := scanRCEPVersion(db.row(ctx, "SELECT "+rcepVersionCols+" FROM rcep_versions WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return v, errs.E(errs.NotFound, "税率数据版本不存在")
	}
	return v, db.mapErr(err)
}

// RCEPVersions lists every version, newest import first, with counts of
// its records.
func (db *DB) RCEPVersions(ctx context.Context) ([]rcep.VersionSummary, error) {
	rows, err := db.query(ctx, "SELECT "+rcepVersionCols+`,
		(SELECT count(*) FROM rcep_agreements a WHERE a.version_id = v.id),
		(SELECT count(*) FROM rcep_parties p WHERE p.version_id = v.id),
		(SELECT count(*) FROM rcep_goods g WHERE g.version_id = v.id),
		(SELECT count(*) FROM rcep_mfn m WHERE m.version_id = v.id),
		(SELECT count(*) FROM rcep_lines l WHERE l.version_id = v.id),
		(SELECT count(*) FROM rcep_rules r WHERE r.version_id = v.id),
		(SELECT count(*) FROM rcep_import_issues i WHERE i.version_id = v.id)
		FROM rcep_versions v ORDER BY v.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rcep.VersionSummary
	for rows.Next() {
		var s rcep.VersionSummary
		var eff, mode, created string
		if err := rows.Scan(&s.ID, &eff, &s.Title, &s.Source, &s.SHA256, &mode, &s.CreatedBy, &created,
			&s.Agreements, &s.Parties, &s.Goods, &s.MFN, &s.Lines, &s.Rules, &s.Issues); err != nil {
			return nil, err
		}
		if s.Effective, err = calendar.ParseDate(eff); err != nil {
			return nil, err
		}
		s.Mode, s.CreatedAt = rcep.ImportMode(mode), mustTS(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// RCEPImportIssues lists the lines a version's import skipped.
func (db *DB) RCEPImportIssues(ctx context.Context, versionID int64) ([]rcep.Issue, error) {
	rows, err := db.query(ctx, "SELECT line, message FROM rcep_import_issues WHERE version_id = ? ORDER BY line", versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rcep.Issue
	for rows.Next() {
		var i rcep.Issue
		if err := rows.Scan(&i.Line, &i.Message); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// RCEPAgreements returns a version's agreements with their parties, in
// file order.
func (db *DB) RCEPAgreements(ctx context.Context, versionID int64) ([]rcep.Agreement, error) {
	rows, err := db.query(ctx, "SELECT code, short_name, name, effective_date, line FROM rcep_agreements WHERE version_id = ? ORDER BY line", versionID)
	if err != nil {
		return nil, err
	}
	var out []rcep.Agreement
	idx := map[string]int{}
	for rows.Next() {
		var a rcep.Agreement
		var eff string
		if err := rows.Scan(&a.Code, &a.Short, &a.Name, &eff, &a.Line); err != nil {
			rows.Close()
			return nil, err
		}
		if a.Effective, err = calendar.ParseDate(eff); err != nil {
			rows.Close()
			return nil, err
		}
		idx[a.Code] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prow, err := db.query(ctx, "SELECT agreement, country, name, effective_date, line FROM rcep_parties WHERE version_id = ? ORDER BY line", versionID)
	if err != nil {
		return nil, err
	}
	defer prow.Close()
	for prow.Next() {
		var p rcep.Party
		var eff string
		if err := prow.Scan(&p.Agreement, &p.Country, &p.Name, &eff, &p.Line); err != nil {
			return nil, err
		}
		if p.Effective, err = calendar.ParseDate(eff); err != nil {
			return nil, err
		}
		if i, ok := idx[p.Agreement]; ok {
			out[i].Parties = append(out[i].Parties, p)
		}
	}
	return out, prow.Err()
}

// likeEscape quotes % and _ for LIKE … ESCAPE '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// RCEPFindGoods lists up to limit products of a version whose code starts
// with hsPrefix and whose name or aliases contain text (each when given).
func (db *DB) RCEPFindGoods(ctx context.Context, versionID int64, hsPrefix, text string, limit int) ([]rcep.Good, error) {
	q := "SELECT hs, name, keywords, line FROM rcep_goods WHERE version_id = ?"
	args := []any{versionID}
	if hsPrefix != "" {
		q += " AND hs LIKE ? ESCAPE '!'"
		args = append(args, likeEscape(hsPrefix)+"%")
	}
	if text != "" {
		q += " AND (name LIKE ? ESCAPE '!' OR keywords LIKE ? ESCAPE '!')"
		pat := "%" + likeEscape(text) + "%"
		args = append(args, pat, pat)
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q += fmt.Sprintf(" ORDER BY hs LIMIT %d", limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rcep.Good
	for rows.Next() {
		var g rcep.Good
		var kw string
		if err := rows.Scan(&g.HS, &g.Name, &kw, &g.Line); err != nil {
			return nil, err
		}
		if kw != "" {
			g.Keywords = strings.Split(kw, "；")
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// RCEPProductData loads what a question about one product needs: its MFN
// rates, the schedule lines for its code with their yearly rates, and the
// product-specific rules whose range covers it.
func (db *DB) RCEPProductData(ctx context.Context, versionID int64, hs string) (*rcep.Dataset, error) {
	ds := &rcep.Dataset{}
	rows, err := db.query(ctx, "SELECT importer, hs, rate_bp, line FROM rcep_mfn WHERE version_id = ? AND hs = ?", versionID, hs)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m rcep.MFN
		if err := rows.Scan(&m.Importer, &m.HS, &m.Rate, &m.Line); err != nil {
			rows.Close()
			return nil, err
		}
		ds.MFN = append(ds.MFN, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = db.query(ctx, `SELECT l.id, l.agreement, l.importer, l.origins, l.hs, l.base_bp, l.staging, l.line, r.year, r.rate_bp
		FROM rcep_lines l LEFT JOIN rcep_line_rates r ON r.line_id = l.id
		WHERE l.version_id = ? AND l.hs = ? ORDER BY l.line, r.year`, versionID, hs)
	if err != nil {
		return nil, err
	}
	lastID := int64(-1)
	for rows.Next() {
		var id int64
		var l rcep.Line
		var origins string
		var year sql.NullInt64
		var rate sql.NullInt64
		if err := rows.Scan(&id, &l.Agreement, &l.Importer, &origins, &l.HS, &l.Base, &l.Staging, &l.Line, &year, &rate); err != nil {
			rows.Close()
			return nil, err
		}
		if id != lastID {
			l.Origins = strings.Split(origins, "|")
			ds.Lines = append(ds.Lines, l)
			lastID = id
		}
		if year.Valid {
			cur := &ds.Lines[len(ds.Lines)-1]
			cur.Rates = append(cur.Rates, rcep.YearRate{Year: int(year.Int64), Rate: rcep.Rate(rate.Int64)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	var prefixes []any
	for _, n := range []int{2, 4, 6, 8} {
		if len(hs) >= n {
			prefixes = append(prefixes, hs[:n])
		}
	}
	q := "SELECT agreement, hs_prefix, rule, line FROM rcep_rules WHERE version_id = ? AND hs_prefix IN (?" + strings.Repeat(", ?", len(prefixes)-1) + ") ORDER BY line"
	rows, err = db.query(ctx, q, append([]any{versionID}, prefixes...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r rcep.PSR
		if err := rows.Scan(&r.Agreement, &r.Prefix, &r.Text, &r.Line); err != nil {
			return nil, err
		}
		if r.Rule, err = rcep.ParseRule(r.Text); err != nil {
			return nil, fmt.Errorf("stored rule %s/%s: %w", r.Agreement, r.Prefix, err)
		}
		ds.Rules = append(ds.Rules, r)
	}
	return ds, rows.Err()
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

const rcepQueryInsert = `INSERT INTO rcep_queries (at, day, kind, channel, query_date, hs, chapter, direction, country, agreement, version_id, outcome)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func rcepQueryArgs(q rcep.QueryRecord) []any {
	return []any{ts(q.At), q.Day.String(), q.Kind, q.Channel, q.Date.String(), clip(q.HS, 10), q.Chapter(), string(q.Direction),
		clip(q.Country, 20), clip(q.Agreement, 20), q.VersionID, q.Outcome}
}

// RecordRCEPQuery keeps one record of a question asked. A usage record
// changes no state, so it is not audited.
func (db *DB) RecordRCEPQuery(ctx context.Context, q rcep.QueryRecord) error {
	if q.At.IsZero() {
		q.At = db.Now()
	}
	_, err := db.sql.ExecContext(ctx, db.rebind(rcepQueryInsert), rcepQueryArgs(q)...)
	return db.mapErr(err)
}

// RecordRCEPQueries keeps many records in one transaction (the demo's year
// of questions).
func (db *DB) RecordRCEPQueries(ctx context.Context, qs []rcep.QueryRecord) error {
	return db.inTx(ctx, func(tx *Tx) error {
		st, err := tx.tx.PrepareContext(ctx, db.rebind(rcepQueryInsert))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, q := range qs {
			if _, err := st.ExecContext(ctx, rcepQueryArgs(q)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// RCEPUsage counts the questions asked between two days (inclusive): per
// month, and the most-asked chapters, partners and best agreements of the
// answered 智选 questions.
func (db *DB) RCEPUsage(ctx context.Context, from, to calendar.Date) (rcep.Usage, error) {
	u := rcep.Usage{From: from, To: to}
	byMonth := map[string]*rcep.MonthUsage{}
	for _, m := range rcep.MonthsOf(from, to) {
		u.Months = append(u.Months, rcep.MonthUsage{Month: m})
	}
	for i := range u.Months {
		byMonth[u.Months[i].Month] = &u.Months[i]
	}
	const answered = "outcome IN ('ok', 'originating', 'not_originating', 'undetermined')"
	rows, err := db.query(ctx, `SELECT substr(day, 1, 7), kind, CASE WHEN `+answered+` THEN 1 ELSE 0 END, count(*)
		FROM rcep_queries WHERE day >= ? AND day <= ? GROUP BY substr(day, 1, 7), kind, CASE WHEN `+answered+` THEN 1 ELSE 0 END`,
		from.String(), to.String())
	if err != nil {
		return u, err
	}
	for rows.Next() {
		var month, kind string
		var ok, n int
		if err := rows.Scan(&month, &kind, &ok, &n); err != nil {
			rows.Close()
			return u, err
		}
		m := byMonth[month]
		if m == nil {
			continue
		}
		switch kind {
		case rcep.KindChoose:
			m.Choose += n
			if ok == 1 {
				m.ChooseOK += n
			}
		case rcep.KindOrigin:
			m.Origin += n
			if ok == 1 {
				m.OriginOK += n
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return u, err
	}
	names, err := db.rcepNames(ctx)
	if err != nil {
		return u, err
	}
	top := func(col string) ([]rcep.KeyCount, error) {
		rows, err := db.query(ctx, `SELECT `+col+`, count(*) FROM rcep_queries
			WHERE day >= ? AND day <= ? AND kind = ? AND outcome = ? AND `+col+` <> '' 
			GROUP BY `+col+` ORDER BY count(*) DESC, `+col+` LIMIT 10`, from.String(), to.String(), rcep.KindChoose, rcep.OutcomeOK)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []rcep.KeyCount
		for rows.Next() {
			var k rcep.KeyCount
			if err := rows.Scan(&k.Key, &k.Count); err != nil {
				return nil, err
			}
			k.Label = names[k.Key]
			if k.Label == "" {
				k.Label = k.Key
			}
			out = append(out, k)
		}
		return out, rows.Err()
	}
	if u.Countries, err = top("country"); err != nil {
		return u, err
	}
	if u.Agreements, err = top("agreement"); err != nil {
		return u, err
	}
	if u.Directions, err = top("direction"); err != nil {
		return u, err
	}
	for i := range u.Directions {
		u.Directions[i].Label = rcep.Direction(u.Directions[i].Key).Label()
	}
	rows, err = db.query(ctx, `SELECT chapter, count(*) FROM rcep_queries
		WHERE day >= ? AND day <= ? AND kind = ? AND outcome = ? AND chapter > 0
		GROUP BY chapter ORDER BY count(*) DESC, chapter LIMIT 10`, from.String(), to.String(), rcep.KindChoose, rcep.OutcomeOK)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	for rows.Next() {
		var ch, n int
		if err := rows.Scan(&ch, &n); err != nil {
			return u, err
		}
		u.Chapters = append(u.Chapters, rcep.KeyCount{Key: fmt.Sprintf("%02d", ch), Label: rcep.ChapterLabel(ch), Count: n})
	}
	return u, rows.Err()
}

// rcepNames maps country codes and agreement codes to the names the latest
// version gives them.
func (db *DB) rcepNames(ctx context.Context) (map[string]string, error) {
	names := map[string]string{}
	rows, err := db.query(ctx, `SELECT country, name FROM rcep_parties WHERE version_id = (SELECT max(id) FROM rcep_versions)
		UNION SELECT code, short_name FROM rcep_agreements WHERE version_id = (SELECT max(id) FROM rcep_versions)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		names[k] = v
	}
	return names, rows.Err()
}

// RCEPQueryYears lists the years that have query records, newest first.
func (db *DB) RCEPQueryYears(ctx context.Context) ([]int, error) {
	rows, err := db.query(ctx, "SELECT DISTINCT substr(day, 1, 4) FROM rcep_queries ORDER BY 1 DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y string
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		if n, err := strconv.Atoi(y); err == nil {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// RCEPUpload is a tariff file whose import was refused, kept so that the
// administrator can choose to import its rows without errors.
type RCEPUpload struct {
	ID      int64
	SHA256  string
	Name    string
	Content []byte
}

// SaveRCEPUpload keeps a refused tariff file (audited).
func (db *DB) SaveRCEPUpload(ctx context.Context, actor audit.Actor, name string, content []byte) (RCEPUpload, error) {
	sum := sha256.Sum256(content)
	u := RCEPUpload{SHA256: hex.EncodeToString(sum[:]), Name: name, Content: content}
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO rcep_uploads (sha256, name, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?)",
			u.SHA256, u.Name, u.Content, actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		u.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "rcep.upload", ObjectType: "rcep_upload", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"name": name, "size": len(content), "sha256": u.SHA256}})
	})
	return u, err
}

// RCEPUpload returns a kept tariff file.
func (db *DB) RCEPUpload(ctx context.Context, id int64) (RCEPUpload, error) {
	var u RCEPUpload
	err := db.row(ctx, "SELECT id, sha256, name, content FROM rcep_uploads WHERE id = ?", id).Scan(&u.ID, &u.SHA256, &u.Name, &u.Content)
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "上传的税率数据文件不存在，请重新上传")
	}
	return u, db.mapErr(err)
}
