package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// This file keeps the service desk's records (internal/desk): hotline
// records and call-detail records with their imports, web consultations and
// messages with their events, the portal forms' abuse counters, visits, and
// the figures of section 一（三）, counted from those rows.

// inList is "(?, ?, …)" with the ids as arguments.
func inList(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return "(NULL)", nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	b.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('?')
		args[i] = id
	}
	b.WriteByte(')')
	return b.String(), args
}

// ---- Imports -------------------------------------------------------------

// DeskImport is one import of a CSV file, as listed.
type DeskImport struct {
	ID        int64
	UnitID    int64
	Kind      string
	FileName  string
	Mapping   string
	Mode      string
	State     string
	Rows      int64
	Imported  int64
	Duplicate int64
	Bad       int64
	Errors    []desk.RowError
	CreatedBy string
	CreatedAt time.Time
	Finished  time.Time
}

// ImportDesk runs an import of one file for a unit: it records the import,
// stores the good rows in batches (each batch one transaction with its
// audit entry) and records the outcome. When the import fails part-way the
// rows it stored are removed again, so that a failed import leaves nothing.
func (db *DB) ImportDesk(ctx context.Context, actor audit.Actor, unitID int64, kind desk.ImportKind, fileName string, m desk.Mapping, mode string,
	open func() (io.ReadCloser, int64, error), batch int, progress func(desk.Progress)) (desk.Result, error) {
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.insert(ctx, `INSERT INTO desk_imports (unit_id, kind, file_name, mapping, mode, state, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, unitID, kind.Key, fileName, m.JSON(), mode, desk.ImportRunning, actor.Name, ts(db.Now()))
		if err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.import_start", ObjectType: "desk_import", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": unitID, "kind": kind.Key, "file": fileName, "mode": mode}})
	})
	if err != nil {
		return desk.Result{}, err
	}
	sink := &deskSink{db: db, actor: actor, unitID: unitID, importID: id, kind: kind.Key}
	res, runErr := desk.RunImport(ctx, kind, m, mode, open, sink, batch, progress)
	res.ImportID = id
	if runErr != nil && res.State == "" {
		res.State = desk.ImportFailed
	}
	if res.State == desk.ImportFailed {
		res.Imported = 0 // finishImport removes what was stored
	}
	// The outcome is recorded even when the request was cancelled.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
	defer cancel()
	if err := db.finishImport(fctx, actor, id, kind.Key, res); err != nil {
		if runErr == nil {
			runErr = err
		}
	}
	return res, runErr
}

func (db *DB) finishImport(ctx context.Context, actor audit.Actor, id int64, kind string, res desk.Result) error {
	errJSON, _ := json.Marshal(res.Errors)
	return db.inTx(ctx, func(tx *Tx) error {
		if res.State == desk.ImportFailed {
			if _, err := tx.exec(ctx, "DELETE FROM "+importTable[kind]+" WHERE import_id = ?", id); err != nil {
				return err
			}
			res.Imported = 0
		}
		if _, err := tx.exec(ctx, `UPDATE desk_imports SET state = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?, rows_bad = ?,
			errors_json = ?, finished_at = ? WHERE id = ?`, res.State, res.Rows, res.Imported, res.Duplicates, res.Bad, string(errJSON), ts(db.Now()), id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.import_finish", ObjectType: "desk_import", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"state": res.State, "rows": res.Rows, "imported": res.Imported, "duplicates": res.Duplicates, "bad": res.Bad}})
	})
}

// importTable is where each kind of import stores its rows.
var importTable = map[string]string{
	desk.ImportCDR: "desk_cdr", desk.ImportCalls: "desk_calls", desk.ImportPosts: "desk_posts",
	desk.ImportFollowers: "desk_followers", desk.ImportVisits: "desk_visits",
}

type deskSink struct {
	accounts map[string]int64 // platform + "\x00" + name → account id
	db       *DB
	actor    audit.Actor
	unitID   int64
	importID int64
	kind     string
}

// Check resolves a post's or follower count's account by platform and
// name; an account not registered is a bad row.
func (s *deskSink) Check(ctx context.Context, rec any) (string, error) {
	var plat, name string
	switch r := rec.(type) {
	case desk.PostRow:
		plat, name = r.Platform, r.Account
	case desk.FollowersRow:
		plat, name = r.Platform, r.Account
	default:
		return "", nil
	}
	key := plat + "\x00" + name
	if _, ok := s.accounts[key]; ok {
		return "", nil
	}
	var id int64
	err := s.db.row(ctx, "SELECT id FROM desk_accounts WHERE unit_id = ? AND platform = ? AND name = ?", s.unitID, plat, name).Scan(&id)
	if err == sql.ErrNoRows {
		return fmt.Sprintf("%s账号“%s”尚未登记：请先在“新媒体”页面添加该账号", desk.PlatformLabel(plat), name), nil
	}
	if err != nil {
		return "", err
	}
	if s.accounts == nil {
		s.accounts = map[string]int64{}
	}
	s.accounts[key] = id
	return "", nil
}

// cdrChunk is how many rows one INSERT carries (7 parameters each, well
// under SQLite's and PostgreSQL's limits).
const cdrChunk = 500

func (s *deskSink) AddBatch(ctx context.Context, recs []any) (int64, error) {
	var inserted int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		inserted = 0
		switch s.kind {
		case desk.ImportCDR:
			if s.db.dialect == Postgres {
				// One statement per batch with the columns as arrays:
				// PostgreSQL plans it once, whatever the batch size.
				n := len(recs)
				ids, starts, agents := make([]string, n), make([]string, n), make([]string, n)
				answered, waits, talks := make([]int64, n), make([]int64, n), make([]int64, n)
				for i, r := range recs {
					c := r.(desk.CDR)
					ids[i], starts[i], agents[i] = c.CallID, ts(c.StartedAt), c.Agent
					answered[i], waits[i], talks[i] = int64(boolInt(c.Answered)), c.WaitSecs, c.TalkSecs
				}
				r, err := tx.exec(ctx, `INSERT INTO desk_cdr (unit_id, import_id, call_id, started_at, answered, wait_secs, talk_secs, agent)
					SELECT ?, ?, u.* FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::text[]) AS u
					ON CONFLICT (unit_id, call_id) DO NOTHING`, s.unitID, s.importID, ids, starts, answered, waits, talks, agents)
				if err != nil {
					return err
				}
				inserted, _ = r.RowsAffected()
				break
			}
			for start := 0; start < len(recs); start += cdrChunk {
				end := min(start+cdrChunk, len(recs))
				var q strings.Builder
				q.WriteString("INSERT INTO desk_cdr (unit_id, import_id, call_id, started_at, answered, wait_secs, talk_secs, agent) VALUES ")
				args := make([]any, 0, (end-start)*8)
				for i, r := range recs[start:end] {
					c := r.(desk.CDR)
					if i > 0 {
						q.WriteString(", ")
					}
					q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
					args = append(args, s.unitID, s.importID, c.CallID, ts(c.StartedAt), boolInt(c.Answered), c.WaitSecs, c.TalkSecs, c.Agent)
				}
				q.WriteString(" ON CONFLICT (unit_id, call_id) DO NOTHING")
				r, err := tx.exec(ctx, q.String(), args...)
				if err != nil {
					return err
				}
				n, _ := r.RowsAffected()
				inserted += n
			}
		case desk.ImportPosts:
			for _, r := range recs {
				p := r.(desk.PostRow)
				res, err := tx.exec(ctx, `INSERT INTO desk_posts (account_id, kind, day, title, column_name, url, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (account_id, day, title) DO NOTHING`, s.accounts[p.Platform+"\x00"+p.Account], p.Post.Kind, p.Post.Day, p.Post.Title, p.Post.Column, p.Post.URL, s.importID, ts(s.db.Now()))
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				inserted += n
			}
		case desk.ImportFollowers:
			for _, r := range recs {
				x := r.(desk.FollowersRow)
				res, err := tx.exec(ctx, `INSERT INTO desk_followers (account_id, day, followers, import_id) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, day) DO NOTHING`,
					s.accounts[x.Platform+"\x00"+x.Account], x.Followers.Day, x.Followers.Count, s.importID)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				inserted += n
			}
		case desk.ImportVisits:
			for _, r := range recs {
				v := r.(desk.VisitRow)
				res, err := tx.exec(ctx, `INSERT INTO desk_visits (unit_id, day, page_group, hits, import_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit_id, day, page_group) DO NOTHING`,
					s.unitID, v.Day, v.Group, v.Hits, s.importID)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				inserted += n
			}
		case desk.ImportCalls:
			// Several rows per INSERT (13 parameters each).
			for start := 0; start < len(recs); start += 200 {
				end := min(start+200, len(recs))
				var q strings.Builder
				q.WriteString(`INSERT INTO desk_calls (unit_id, channel, at, caller_type, topic, question, answer, agent_name, transferred, rating, call_id, import_id, created_at) VALUES `)
				args := make([]any, 0, (end-start)*13)
				now := ts(s.db.Now())
				for i, r := range recs[start:end] {
					c := r.(desk.Call)
					if i > 0 {
						q.WriteString(", ")
					}
					q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
					args = append(args, s.unitID, c.Channel, ts(c.At), c.CallerType, c.Topic, c.Question, c.Answer, c.AgentName, c.Transferred, c.Rating, c.CallID, s.importID, now)
				}
				if _, err := tx.exec(ctx, q.String(), args...); err != nil {
					return err
				}
				inserted += int64(end - start)
			}
		}
		return tx.appendAudit(ctx, s.actor, audit.Change{Action: "desk.import_batch", ObjectType: "desk_import", ObjectID: strconv.FormatInt(s.importID, 10),
			After: map[string]any{"rows": len(recs), "inserted": inserted}})
	})
	return inserted, err
}

const importCols = "id, unit_id, kind, file_name, mapping, mode, state, rows_read, rows_imported, rows_duplicate, rows_bad, errors_json, created_by, created_at, finished_at"

func scanImport(sc interface{ Scan(...any) error }) (DeskImport, error) {
	var d DeskImport
	var ej, ca, fa string
	if err := sc.Scan(&d.ID, &d.UnitID, &d.Kind, &d.FileName, &d.Mapping, &d.Mode, &d.State, &d.Rows, &d.Imported, &d.Duplicate, &d.Bad, &ej, &d.CreatedBy, &ca, &fa); err != nil {
		return d, err
	}
	if ej != "" {
		json.Unmarshal([]byte(ej), &d.Errors)
	}
	d.CreatedAt, d.Finished = mustTS(ca), mustTS(fa)
	return d, nil
}

// DeskImports lists a unit's imports, newest first.
func (db *DB) DeskImports(ctx context.Context, unitIDs []int64, limit int) ([]DeskImport, error) {
	in, args := inList(unitIDs)
	rows, err := db.query(ctx, "SELECT "+importCols+" FROM desk_imports WHERE unit_id IN "+in+" ORDER BY id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeskImport
	for rows.Next() {
		d, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeskImport returns one import with its reported row errors.
func (db *DB) DeskImport(ctx context.Context, id int64) (DeskImport, error) {
	d, err := scanImport(db.row(ctx, "SELECT "+importCols+" FROM desk_imports WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return d, errs.E(errs.NotFound, "导入记录不存在")
	}
	return d, db.mapErr(err)
}

// ---- Hotline records -----------------------------------------------------

// CreateCall stores a hotline record entered by an agent.
func (db *DB) CreateCall(ctx context.Context, actor audit.Actor, c *desk.Call) error {
	if err := desk.ValidateCall(c); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		c.CreatedAt = db.Now()
		id, err := tx.insert(ctx, `INSERT INTO desk_calls (unit_id, channel, at, caller_type, topic, question, answer, agent_id, agent_name, transferred, rating, call_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.UnitID, c.Channel, ts(c.At), c.CallerType, c.Topic, c.Question, c.Answer, nullID(c.AgentID), c.AgentName,
			c.Transferred, c.Rating, c.CallID, ts(c.CreatedAt))
		if err != nil {
			return err
		}
		c.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.call_create", ObjectType: "desk_call", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": c.UnitID, "channel": c.Channel, "topic": c.Topic, "rating": c.Rating}})
	})
}

// Calls lists hotline records of the units in a year, newest first.
func (db *DB) Calls(ctx context.Context, unitIDs []int64, year, limit, offset int) ([]desk.Call, int64, error) {
	in, args := inList(unitIDs)
	from, to := desk.YearRange(year)
	args = append(args, ts(from), ts(to))
	var total int64
	if err := db.row(ctx, "SELECT count(*) FROM desk_calls WHERE unit_id IN "+in+" AND at >= ? AND at < ?", args...).Scan(&total); err != nil {
		return nil, 0, db.mapErr(err)
	}
	rows, err := db.query(ctx, `SELECT id, unit_id, channel, at, caller_type, topic, question, answer, COALESCE(agent_id, 0), agent_name, transferred, rating, call_id, created_at
		FROM desk_calls WHERE unit_id IN `+in+` AND at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []desk.Call
	for rows.Next() {
		var c desk.Call
		var at, ca string
		if err := rows.Scan(&c.ID, &c.UnitID, &c.Channel, &at, &c.CallerType, &c.Topic, &c.Question, &c.Answer, &c.AgentID, &c.AgentName, &c.Transferred, &c.Rating, &c.CallID, &ca); err != nil {
			return nil, 0, err
		}
		c.At, c.CreatedAt = mustTS(at), mustTS(ca)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// ---- Figures ---------------------------------------------------------------

// hotlineFigures counts the year's calls: offered, answered and abandoned
// from the CDRs of completed imports; records and ratings from the hotline
// records. The rates are computed by desk.ConnectionRate and
// desk.Satisfaction (internal/desk/rates.go), the one place they are defined.
func (db *DB) hotlineFigures(ctx context.Context, unitIDs []int64, year int, f *desk.Figures) error {
	in, args := inList(unitIDs)
	from, to := desk.YearRange(year)
	args = append(args, ts(from), ts(to))
	var answered, wait, talk sql.NullInt64
	if err := db.row(ctx, `SELECT count(*), SUM(c.answered), SUM(c.wait_secs), SUM(c.talk_secs) FROM desk_cdr c JOIN desk_imports i ON i.id = c.import_id
		WHERE i.state = 'done' AND c.unit_id IN `+in+` AND c.started_at >= ? AND c.started_at < ?`, args...).Scan(&f.CallsOffered, &answered, &wait, &talk); err != nil {
		return fmt.Errorf("cdr figures: %w", err)
	}
	f.CallsAnswered = answered.Int64
	if f.CallsOffered > 0 {
		f.AvgWaitSecs = (wait.Int64 + f.CallsOffered/2) / f.CallsOffered
	}
	if f.CallsAnswered > 0 {
		f.AvgTalkSecs = (talk.Int64 + f.CallsAnswered/2) / f.CallsAnswered
	}
	f.CallsAbandoned = f.CallsOffered - f.CallsAnswered
	f.Connection = desk.ConnectionRate(f.CallsOffered, f.CallsAnswered)
	rows, err := db.query(ctx, `SELECT c.rating, count(*) FROM desk_calls c LEFT JOIN desk_imports i ON i.id = c.import_id
		WHERE (c.import_id IS NULL OR i.state = 'done') AND c.unit_id IN `+in+` AND c.at >= ? AND c.at < ? GROUP BY c.rating`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	f.RatingCounts = map[int]int64{}
	for rows.Next() {
		var r int
		var n int64
		if err := rows.Scan(&r, &n); err != nil {
			return err
		}
		f.HotlineRecords += n
		if r > 0 {
			f.RatingCounts[r] = n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	f.Satisfaction = desk.Satisfaction(f.RatingCounts)
	return nil
}
