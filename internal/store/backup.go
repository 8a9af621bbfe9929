package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
)

// Backups (备份与恢复). A SQLite database is copied with VACUUM INTO: one
// read transaction, so writers go on while it runs and the copy is the
// database as of one moment. A PostgreSQL database is written in gongkai's
// own archive: a gzip stream of JSON lines, a header with the schema
// version, then every table's columns and rows, tables in dependency order
// (a table after those its foreign keys point to), read in one REPEATABLE
// READ transaction, again one moment. Either kind restores into either
// engine: restore builds the schema the backup was taken at, loads the rows
// in one transaction, then applies the newer migrations and rebuilds the
// search index. Stored files are rows (blobs), so they are in the backup;
// GONGKAI_DATA_KEY, when set, is not, and must be kept with it.

// archiveFormat names gongkai's archive in its header line.
const archiveFormat = "gongkai-backup"

// archiveVersion is the archive layout's version.
const archiveVersion = 1

// archiveHeader is the first line of an archive.
type archiveHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Schema  int    `json:"schema"`
	Engine  string `json:"engine"`
	Created string `json:"created"`
}

// archiveTable opens a table's rows; archiveEnd closes the archive, so a
// truncated file is refused.
type archiveTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type archiveEnd struct {
	End    bool  `json:"end"`
	Tables int   `json:"tables"`
	Rows   int64 `json:"rows"`
}

// BackupStats says what a backup or restore held.
type BackupStats struct {
	Kind   string // "sqlite" (a database file) or "archive"
	Schema int
	Tables int
	Rows   int64
	Bytes  int64
}

// derived reports tables that are rebuilt rather than copied: the search
// index (pub_fts and its FTS5 shadow tables, pub_search), the migrations'
// own record, and the portal's generations (portal_generation: the
// triggers set them afresh as the public rows are restored, so no page
// cached before the restore is taken for current).
func derived(table string) bool {
	return table == "schema_migrations" || table == "pub_search" || table == "pub_fts" || strings.HasPrefix(table, "pub_fts_") ||
		table == "portal_generation"
}

// DerivedTable reports whether a backup leaves table out, to be rebuilt.
func DerivedTable(table string) bool { return derived(table) }

// Backup writes a backup of db to path: a SQLite database file for SQLite,
// the archive for PostgreSQL. It writes a temporary file beside path and
// renames it, so path is either the old file or the whole new one.
func (db *DB) Backup(ctx context.Context, path string) (BackupStats, error) {
	var st BackupStats
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return st, errs.E(errs.Invalid, "备份文件所在目录“%s”不存在", dir)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d.tmp", filepath.Base(path), time.Now().UnixNano()))
	defer os.Remove(tmp)
	var err error
	if db.dialect == SQLite {
		st, err = db.vacuumInto(ctx, tmp)
	} else {
		st, err = db.writeArchive(ctx, tmp)
	}
	if err != nil {
		return st, err
	}
	if err := syncFile(tmp); err != nil {
		return st, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return st, errs.Wrap(errs.Unavailable, err, "无法写入备份文件“%s”", path)
	}
	if fi, err := os.Stat(path); err == nil {
		st.Bytes = fi.Size()
	}
	return st, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func (db *DB) vacuumInto(ctx context.Context, path string) (BackupStats, error) {
	st := BackupStats{Kind: "sqlite"}
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return st, fmt.Errorf("backup: vacuum into: %w", db.mapErr(err))
	}
	src, err := openSQLiteReadOnly(ctx, path)
	if err != nil {
		return st, err
	}
	defer src.Close()
	err = src.readTables(ctx, func(t tableSchema, rows *sql.Rows) error {
		st.Tables++
		for rows.Next() {
			st.Rows++
		}
		return rows.Err()
	})
	st.Schema, _ = src.SchemaVersion(ctx)
	return st, err
}

// openSQLiteReadOnly opens a SQLite backup file to read it, changing nothing.
func openSQLiteReadOnly(ctx context.Context, path string) (*DB, error) {
	pool, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "无法打开备份文件“%s”", path)
	}
	db := &DB{sql: pool, dialect: SQLite, dsn: path, now: time.Now}
	if err := db.ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// tableSchema is a table's name, its columns in order and its primary key.
type tableSchema struct {
	Name    string
	Columns []string
	Key     []string
}

// tables lists the tables to copy, in dependency order: every table after
// the tables its foreign keys point to (a table's references to itself
// are satisfied by copying its rows in key order).
func (db *DB) tables(ctx context.Context, q querier) ([]tableSchema, error) {
	var names []string
	listQ := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.dialect == Postgres {
		listQ = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	}
	if err := collect(ctx, q, listQ, nil, func(r *sql.Rows) error {
		var n string
		if err := r.Scan(&n); err != nil {
			return err
		}
		if !derived(n) {
			names = append(names, n)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	deps := map[string][]string{}
	byName := map[string]*tableSchema{}
	var all []*tableSchema
	for _, n := range names {
		t := &tableSchema{Name: n}
		colQ := "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid"
		if db.dialect == Postgres {
			colQ = `SELECT c.column_name, CASE WHEN EXISTS (
				SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
				WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(c.table_name))::regclass AND i.indisprimary AND a.attname = c.column_name) THEN 1 ELSE 0 END
				FROM information_schema.columns c WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position`
		}
		type keyCol struct {
			name string
			pk   int
		}
		var keys []keyCol
		if err := collect(ctx, q, colQ, []any{n}, func(r *sql.Rows) error {
			var c string
			var pk int
			if err := r.Scan(&c, &pk); err != nil {
				return err
			}
			t.Columns = append(t.Columns, c)
			if pk > 0 {
				keys = append(keys, keyCol{c, pk})
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("backup: columns of %s: %w", n, err)
		}
		sort.SliceStable(keys, func(i, j int) bool { return keys[i].pk < keys[j].pk })
		for _, k := range keys {
			t.Key = append(t.Key, k.name)
		}
		fkQ := `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`
		if db.dialect == Postgres {
			fkQ = `SELECT DISTINCT rf.relname FROM pg_constraint c
				JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rf ON rf.oid = c.confrelid
				JOIN pg_namespace ns ON ns.oid = cl.relnamespace
				WHERE c.contype = 'f' AND ns.nspname = current_schema() AND cl.relname = $1`
		}
		if err := collect(ctx, q, fkQ, []any{n}, func(r *sql.Rows) error {
			var ref string
			if err := r.Scan(&ref); err != nil {
				return err
			}
			if ref != n {
				deps[n] = append(deps[n], ref)
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("backup: foreign keys of %s: %w", n, err)
		}
		byName[n] = t
		all = append(all, t)
	}
	// Depth-first: a table is placed after everything it points to.
	var out []tableSchema
	state := map[string]int{} // 1 visiting, 2 placed
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("backup: foreign keys form a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, d := range deps[n] {
			if byName[d] != nil {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		out = append(out, *byName[n])
		return nil
	}
	for _, t := range all {
		if err := visit(t.Name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func collect(ctx context.Context, q querier, text string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readTables reads every table to copy, in dependency order, within one
// read-only transaction (one consistent moment).
func (db *DB) readTables(ctx context.Context, fn func(t tableSchema, rows *sql.Rows) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return db.mapErr(err)
	}
	defer tx.Rollback()
	ts, err := db.tables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		q := "SELECT " + quoteCols(t.Columns) + " FROM " + quoteIdent(t.Name)
		if len(t.Key) > 0 {
			q += " ORDER BY " + quoteCols(t.Key)
		}
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return fmt.Errorf("backup: read %s: %w", t.Name, err)
		}
		err = fn(t, rows)
		rows.Close()
		if err != nil {
			return fmt.Errorf("backup: read %s: %w", t.Name, err)
		}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return strings.Join(q, ", ")
}

func (db *DB) writeArchive(ctx context.Context, path string) (BackupStats, error) {
	st := BackupStats{Kind: "archive"}
	f, err := os.Create(path)
	if err != nil {
		return st, errs.Wrap(errs.Unavailable, err, "无法写入备份文件“%s”", path)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if st.Schema, err = db.SchemaVersion(ctx); err != nil {
		return st, err
	}
	if err := enc.Encode(archiveHeader{Format: archiveFormat, Version: archiveVersion, Schema: st.Schema, Engine: string(db.dialect), Created: ts(db.Now())}); err != nil {
		return st, err
	}
	err = db.readTables(ctx, func(t tableSchema, rows *sql.Rows) error {
		st.Tables++
		if err := enc.Encode(archiveTable{Table: t.Name, Columns: t.Columns}); err != nil {
			return err
		}
		vals := make([]any, len(t.Columns))
		ptrs := make([]any, len(t.Columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		out := make([]any, len(t.Columns))
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for i, v := range vals {
				out[i] = encodeValue(v)
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			st.Rows++
		}
		return rows.Err()
	})
	if err != nil {
		return st, err
	}
	if err := enc.Encode(archiveEnd{End: true, Tables: st.Tables, Rows: st.Rows}); err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	if err := zw.Close(); err != nil {
		return st, err
	}
	return st, f.Close()
}

// encodeValue turns a scanned value into its archive form: bytes become
// {"b": base64}, times their stored text; the rest are JSON as they are.
func encodeValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return map[string]string{"b": base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		return ts(x)
	}
	return v
}

// decodeValue reads a value back: a JSON number is an int64 unless it has
// a fraction or an exponent.
func decodeValue(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("empty value")
	}
	switch raw[0] {
	case 'n':
		return nil, nil
	case 't', 'f':
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '{':
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		b, ok := m["b"]
		if !ok {
			return nil, errors.New("unknown value object")
		}
		return base64.StdEncoding.DecodeString(b)
	}
	s := string(raw)
	if strings.ContainsAny(s, ".eE") {
		return strconv.ParseFloat(s, 64)
	}
	return strconv.ParseInt(s, 10, 64)
}

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Force replaces a database that already holds records.
	Force bool
	Open  Options
}

// Restore loads the backup at path into the database named by dsn, which
// must be empty (no records; a fresh or missing file, an empty schema)
// unless opt.Force is set, which first removes everything in it.
func Restore(ctx context.Context, dsn, path string, opt RestoreOptions) (BackupStats, error) {
	var st BackupStats
	src, err := openBackup(ctx, path)
	if err != nil {
		return st, err
	}
	defer src.close()
	st.Kind, st.Schema = src.kind(), src.schema()

	db, err := Connect(ctx, dsn, opt.Open)
	if err != nil {
		return st, err
	}
	latest, err := db.LatestSchema()
	if err != nil {
		db.Close()
		return st, err
	}
	if st.Schema > latest {
		db.Close()
		return st, errs.E(errs.Invalid, "备份来自更新版本的 gongkai（数据库结构 %d，本程序最高 %d），请用新版本恢复", st.Schema, latest)
	}
	if st.Schema <= 0 {
		db.Close()
		return st, errs.E(errs.Invalid, "备份文件“%s”中没有数据库结构版本，不是 gongkai 的备份", path)
	}
	n, err := db.records(ctx)
	if err != nil {
		db.Close()
		return st, err
	}
	if n > 0 {
		if !opt.Force {
			db.Close()
			return st, errs.E(errs.Conflict, "目标数据库已有数据（%d 条记录），未恢复；确认要覆盖时加 --force", n)
		}
		if db, err = db.wipe(ctx, dsn, opt.Open); err != nil {
			return st, err
		}
	}
	defer db.Close()
	if err := db.migrateTo(ctx, st.Schema); err != nil {
		return st, err
	}
	if err := db.load(ctx, src, &st); err != nil {
		return st, err
	}
	if err := db.Migrate(ctx); err != nil {
		return st, err
	}
	if _, err := db.Reindex(ctx); err != nil {
		return st, fmt.Errorf("restore: rebuild the search index: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		st.Bytes = fi.Size()
	}
	return st, nil
}

// records counts the rows in the tables a backup copies, but audit_head
// (written by the first migration); 0 for a database never migrated.
func (db *DB) records(ctx context.Context) (int64, error) {
	var has int
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if db.dialect == Postgres {
		q = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
	}
	if err := db.sql.QueryRowContext(ctx, q).Scan(&has); err != nil {
		return 0, db.mapErr(err)
	}
	if has == 0 {
		return 0, nil
	}
	ts, err := db.tables(ctx, db.sql)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, t := range ts {
		if t.Name == "audit_head" {
			continue
		}
		var n int64
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t.Name)).Scan(&n); err != nil {
			return 0, db.mapErr(err)
		}
		total += n
	}
	return total, nil
}

// wipe removes everything in the database and returns it reconnected: a
// SQLite file is deleted (with its WAL); in PostgreSQL the tables and
// functions of the current schema are dropped.
func (db *DB) wipe(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if db.dialect == SQLite {
		path := db.dsn
		db.Close()
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
				return nil, errs.Wrap(errs.Unavailable, err, "无法删除原数据库文件“%s”", path+suffix)
			}
		}
		return Connect(ctx, dsn, opt)
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		var drops []string
		if err := collect(ctx, tx.tx, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", nil, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			drops = append(drops, "DROP TABLE IF EXISTS "+quoteIdent(n)+" CASCADE")
			return err
		}); err != nil {
			return err
		}
		if err := collect(ctx, tx.tx, `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`, nil, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			drops = append(drops, "DROP FUNCTION IF EXISTS "+quoteIdent(n)+"() CASCADE")
			return err
		}); err != nil {
			return err
		}
		for _, d := range drops {
			if _, err := tx.exec(ctx, d); err != nil {
				return fmt.Errorf("restore: %s: %w", d, err)
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// load copies every table of src into db in one transaction. The target
// has the backup's schema and no records; rows a migration wrote
// (audit_head) are replaced by the backup's.
func (db *DB) load(ctx context.Context, src backupSource, st *BackupStats) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == SQLite {
			// Checked at commit: the rows of a table that points to itself
			// need not come in the order its keys require.
			if _, err := tx.exec(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
				return err
			}
		}
		target, err := db.tables(ctx, tx.tx)
		if err != nil {
			return err
		}
		cols := map[string]map[string]bool{}
		for _, t := range target {
			cols[t.Name] = map[string]bool{}
			for _, c := range t.Columns {
				cols[t.Name][c] = true
			}
		}
		seen := map[string]bool{}
		var ins *inserter
		err = src.each(ctx, target, func(table string, columns []string) error {
			if ins != nil {
				if err := ins.flush(ctx); err != nil {
					return err
				}
			}
			if cols[table] == nil {
				return errs.E(errs.Invalid, "备份中的表“%s”在该版本的数据库结构中不存在", table)
			}
			for _, c := range columns {
				if !cols[table][c] {
					return errs.E(errs.Invalid, "备份中的表“%s”的列“%s”在该版本的数据库结构中不存在", table, c)
				}
			}
			seen[table] = true
			st.Tables++
			if _, err := tx.exec(ctx, "DELETE FROM "+quoteIdent(table)); err != nil {
				return fmt.Errorf("restore: empty %s: %w", table, err)
			}
			ins = &inserter{tx: tx, table: table, cols: columns}
			return nil
		}, func(vals []any) error {
			st.Rows++
			return ins.add(ctx, vals)
		})
		if err != nil {
			return err
		}
		if ins != nil {
			if err := ins.flush(ctx); err != nil {
				return err
			}
		}
		if db.dialect == Postgres {
			// Explicit ids leave the sequences behind: move each on.
			for _, t := range target {
				if !cols[t.Name]["id"] || !seen[t.Name] {
					continue
				}
				var seq sql.NullString
				if err := tx.row(ctx, "SELECT pg_get_serial_sequence(?, 'id')", quoteIdent(t.Name)).Scan(&seq); err != nil {
					return fmt.Errorf("restore: sequence of %s: %w", t.Name, err)
				}
				if !seq.Valid {
					continue
				}
				var next int64
				if err := tx.row(ctx, "SELECT setval(?::regclass, COALESCE((SELECT MAX(id) FROM "+quoteIdent(t.Name)+"), 0) + 1, false)", seq.String).Scan(&next); err != nil {
					return fmt.Errorf("restore: sequence of %s: %w", t.Name, err)
				}
			}
		}
		return nil
	})
}

// inserter writes rows many to a statement.
type inserter struct {
	tx    *Tx
	table string
	cols  []string
	args  []any
	n     int
}

func (in *inserter) add(ctx context.Context, vals []any) error {
	if len(vals) != len(in.cols) {
		return errs.E(errs.Invalid, "备份已损坏：表“%s”的一行有 %d 个值，应为 %d 个", in.table, len(vals), len(in.cols))
	}
	in.args = append(in.args, vals...)
	in.n++
	if len(in.args)+len(in.cols) > 900 {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.n == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(in.cols)), ", ") + ")"
	q := "INSERT INTO " + quoteIdent(in.table) + " (" + quoteCols(in.cols) + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", in.n), ", ")
	if _, err := in.tx.exec(ctx, q, in.args...); err != nil {
		return fmt.Errorf("restore: insert into %s: %w", in.table, err)
	}
	in.args, in.n = in.args[:0], 0
	return nil
}

// backupSource is a backup being read: a SQLite file or an archive.
type backupSource interface {
	kind() string
	schema() int
	// each calls table for every table, then row for each of its rows.
	each(ctx context.Context, target []tableSchema, table func(name string, cols []string) error, row func([]any) error) error
	close()
}

var sqliteMagic = []byte("SQLite format 3\x00")

func openBackup(ctx context.Context, path string) (backupSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "无法打开备份文件“%s”", path)
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.Equal(head, sqliteMagic):
		f.Close()
		db, err := openSQLiteReadOnly(ctx, path)
		if err != nil {
			return nil, err
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			db.Close()
			return nil, errs.Wrap(errs.Invalid, err, "文件“%s”不是 gongkai 的数据库备份", path)
		}
		return &sqliteSource{db: db, version: v}, nil
	case n >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, errs.Wrap(errs.Invalid, err, "备份文件“%s”已损坏", path)
		}
		a := &archiveSource{f: f, dec: json.NewDecoder(bufio.NewReaderSize(zr, 1<<16))}
		var h archiveHeader
		if err := a.dec.Decode(&h); err != nil || h.Format != archiveFormat {
			f.Close()
			return nil, errs.E(errs.Invalid, "文件“%s”不是 gongkai 的备份", path)
		}
		if h.Version != archiveVersion {
			f.Close()
			return nil, errs.E(errs.Invalid, "备份格式版本 %d 不受支持（本程序读取版本 %d）", h.Version, archiveVersion)
		}
		a.h = h
		return a, nil
	}
	f.Close()
	return nil, errs.E(errs.Invalid, "文件“%s”不是 gongkai 的备份（既不是 SQLite 数据库，也不是 gongkai 备份归档）", path)
}

type sqliteSource struct {
	db      *DB
	version int
}

func (s *sqliteSource) kind() string { return "sqlite" }
func (s *sqliteSource) schema() int  { return s.version }
func (s *sqliteSource) close()       { s.db.Close() }

func (s *sqliteSource) each(ctx context.Context, _ []tableSchema, table func(string, []string) error, row func([]any) error) error {
	return s.db.readTables(ctx, func(t tableSchema, rows *sql.Rows) error {
		if err := table(t.Name, t.Columns); err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(t.Columns))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if err := row(vals); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

type archiveSource struct {
	f   *os.File
	dec *json.Decoder
	h   archiveHeader
}

func (a *archiveSource) kind() string { return "archive" }
func (a *archiveSource) schema() int  { return a.h.Schema }
func (a *archiveSource) close()       { a.f.Close() }

func (a *archiveSource) each(ctx context.Context, _ []tableSchema, table func(string, []string) error, row func([]any) error) error {
	corrupt := func(err error) error {
		return errs.Wrap(errs.Invalid, err, "备份文件已损坏或不完整")
	}
	var tables int
	var rows int64
	inTable := false
	for {
		var raw json.RawMessage
		if err := a.dec.Decode(&raw); err != nil {
			return corrupt(err)
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] == '[' {
			if !inTable {
				return corrupt(errors.New("row before its table"))
			}
			var vals []json.RawMessage
			if err := json.Unmarshal(raw, &vals); err != nil {
				return corrupt(err)
			}
			out := make([]any, len(vals))
			for i, v := range vals {
				x, err := decodeValue(v)
				if err != nil {
					return corrupt(err)
				}
				out[i] = x
			}
			rows++
			if err := row(out); err != nil {
				return err
			}
			continue
		}
		var m struct {
			archiveTable
			archiveEnd
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return corrupt(err)
		}
		if m.End {
			if m.Tables != tables || m.Rows != rows {
				return corrupt(fmt.Errorf("end says %d tables and %d rows, read %d and %d", m.Tables, m.Rows, tables, rows))
			}
			return nil
		}
		if m.Table == "" || len(m.Columns) == 0 {
			return corrupt(errors.New("a line that is neither a table nor a row"))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		tables++
		inTable = true
		if err := table(m.Table, m.Columns); err != nil {
			return err
		}
	}
}
