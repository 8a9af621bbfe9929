// Package store keeps gongkai's records in SQLite or PostgreSQL.
//
// The SQL is hand-written, one text for both databases where possible: it is
// written with ? placeholders and rebound to $1, $2… for PostgreSQL, and the
// few differences (auto-increment keys, row locks) go through the small
// dialect shim in this file. Every mutation that changes state appends its
// audit entry in the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"gongkai/internal/errs"
)

// Dialect names the database engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a connection pool to one gongkai database.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	dsn     string // for messages; never includes a password
	now     func() time.Time

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // SQLite's read path (prepared)
}

// Options tune Open.
type Options struct {
	// BusyTimeout is how long SQLite waits for a lock held by another
	// process before giving up (default 5s).
	BusyTimeout time.Duration
	// ConnectTimeout bounds the first PostgreSQL connection (default 5s).
	ConnectTimeout time.Duration
	// Now replaces the clock in tests.
	Now func() time.Time
}

// Open connects to the database named by dsn and applies pending
// migrations. dsn is a postgres:// or postgresql:// URL, or the path of a
// SQLite file (optionally prefixed with file:). Errors are one clear Chinese
// sentence.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db, err := Connect(ctx, dsn, opt)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Connect opens the database without migrating it.
func Connect(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.BusyTimeout == 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.ConnectTimeout == 0 {
		opt.ConnectTimeout = 5 * time.Second
	}
	dsn = strings.TrimSpace(dsn)
	if dsn == "" {
		return nil, errs.E(errs.Invalid, "未指定数据库：--db 应为 SQLite 文件路径或 postgres:// 地址")
	}
	db := &DB{now: opt.Now}
	if db.now == nil {
		db.now = time.Now
	}
	lower := strings.ToLower(dsn)
	switch {
	case strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			return nil, errs.E(errs.Invalid, "数据库地址格式不正确：应为 postgres://用户@主机:端口/数据库名")
		}
		if u.Port() != "" {
			if p, err := strconv.Atoi(u.Port()); err != nil || p <= 0 || p > 65535 {
				return nil, errs.E(errs.Invalid, "数据库地址中的端口“%s”不正确", u.Port())
			}
		}
		q := u.Query()
		if q.Get("connect_timeout") == "" {
			q.Set("connect_timeout", strconv.Itoa(int(opt.ConnectTimeout.Seconds())))
		}
		u.RawQuery = q.Encode()
		db.dialect = Postgres
		db.dsn = u.Redacted()
		pool, err := sql.Open("pgx", u.String())
		if err != nil {
			return nil, errs.Wrap(errs.Invalid, err, "数据库地址格式不正确：%s", db.dsn)
		}
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(10)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.sql = pool
	case strings.Contains(lower, "://"):
		return nil, errs.E(errs.Invalid, "不支持的数据库地址“%s”：请使用 SQLite 文件路径或 postgres:// 地址", redactURL(dsn))
	default:
		path := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path == "" {
			return nil, errs.E(errs.Invalid, "SQLite 数据库文件路径为空")
		}
		if dir := filepath.Dir(path); dir != "." {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return nil, errs.E(errs.Invalid, "SQLite 数据库文件所在目录“%s”不存在", dir)
			}
		}
		db.dialect = SQLite
		db.dsn = path
		// WAL for concurrent readers; synchronous=FULL so that a commit is
		// on disk before it is acknowledged; immediate transactions take the
		// write lock up front, so two writers never deadlock on an upgrade.
		v := url.Values{}
		v.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opt.BusyTimeout.Milliseconds()))
		v.Add("_pragma", "journal_mode(WAL)")
		v.Add("_pragma", "foreign_keys(1)")
		v.Add("_pragma", "synchronous(FULL)")
		v.Add("_txlock", "immediate")
		pool, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
		if err != nil {
			return nil, errs.Wrap(errs.Invalid, err, "无法打开 SQLite 数据库文件“%s”", path)
		}
		pool.SetMaxOpenConns(8)
		db.sql = pool
	}
	pctx, cancel := context.WithTimeout(ctx, opt.ConnectTimeout+opt.BusyTimeout)
	defer cancel()
	if err := db.ping(pctx); err != nil {
		db.sql.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) ping(ctx context.Context) error {
	for {
		err := db.ping1(ctx)
		// SQLite reports SQLITE_BUSY without calling its busy handler
		// while another connection turns a new file into WAL mode, so
		// two processes opening a fresh database at once retry here,
		// until the busy timeout that bounds ctx.
		if err == nil || db.dialect != SQLite || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (db *DB) ping1(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return db.connErr(err)
	}
	if db.dialect == SQLite {
		// Reading the schema touches the file, so a file that is not a
		// database, or one locked by another process, fails here.
		var n int
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
			return db.connErr(err)
		}
	}
	return nil
}

// isBusy reports a SQLite lock conflict.
func isBusy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// connErr turns a connection failure into one clear sentence.
func (db *DB) connErr(err error) error {
	if db.dialect == Postgres {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "3D000":
				return errs.Wrap(errs.Unavailable, err, "PostgreSQL 数据库不存在（%s）", db.dsn)
			case "28P01", "28000":
				return errs.Wrap(errs.Unavailable, err, "PostgreSQL 拒绝登录：用户名或密码错误（%s）", db.dsn)
			}
		}
		return errs.Wrap(errs.Unavailable, err, "无法连接 PostgreSQL（%s）：请确认数据库已启动、地址和端口正确", db.dsn)
	}
	return sqliteErr(err, db.dsn)
}

func sqliteErr(err error, path string) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return errs.Wrap(errs.Unavailable, err, "SQLite 数据库文件“%s”被其他进程锁定，请稍后重试或关闭占用它的程序", path)
		case sqlite3.SQLITE_NOTADB:
			return errs.Wrap(errs.Invalid, err, "文件“%s”不是 SQLite 数据库", path)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
			return errs.Wrap(errs.Unavailable, err, "无法打开或写入 SQLite 数据库文件“%s”：请检查路径和权限", path)
		case sqlite3.SQLITE_CORRUPT:
			return errs.Wrap(errs.Unavailable, err, "SQLite 数据库文件“%s”已损坏", path)
		}
	}
	return errs.Wrap(errs.Unavailable, err, "无法打开 SQLite 数据库文件“%s”", path)
}

func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(无法解析的地址)"
}

// Close closes the pool.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	return db.sql.Close()
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQL exposes the pool for benchmarks and tests in this module.
func (db *DB) SQL() *sql.DB { return db.sql }

// Describe names the database for log lines, without any password.
func (db *DB) Describe() string { return string(db.dialect) + " " + db.dsn }

// Now is the store's clock (UTC).
func (db *DB) Now() time.Time { return db.now().UTC() }

// rebind turns ? placeholders into $n for PostgreSQL. Queries never hold a
// literal question mark.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// forUpdate is the row-lock suffix: PostgreSQL locks the rows; SQLite's
// immediate transactions already hold the database's write lock.
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// SkipLocked is the suffix a job runner uses to claim work: on PostgreSQL
// each instance takes rows no other holds; on SQLite the write lock already
// serialises claims.
func (db *DB) SkipLocked() string {
	if db.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction with the dialect's rebinding.
type Tx struct {
	db *DB
	tx *sql.Tx
	// pubIndex, when set by a bulk writer (ImportItems, Reindex), collects
	// search index rows to write many to a statement; the writer flushes
	// it before the transaction commits.
	pubIndex *batch
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.rebind(q), args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.rebind(q), args...)
}

func (t *Tx) row(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.rebind(q), args...)
}

// insert runs an INSERT and returns the new row's id (the table's id column).
func (t *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.row(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// inTx runs fn in a transaction, committing when it returns nil. Errors
// are mapped to application errors.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return db.mapErr(err)
	}
	t := &Tx{db: db, tx: sqlTx}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return db.mapErr(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return db.mapErr(err)
	}
	return nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	var err error
	if st := db.prepared(ctx, q); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = db.sql.QueryContext(ctx, db.rebind(q), args...)
	}
	if err != nil {
		return nil, db.mapErr(err)
	}
	return rows, nil
}

func (db *DB) row(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.sql.QueryRowContext(ctx, db.rebind(q), args...)
}

// maxPrepared bounds the statements kept prepared. Statements whose text
// varies (LIMIT and OFFSET written in, IN lists) take places too; once
// the cache is full, new texts run unprepared.
const maxPrepared = 256

// prepared returns the read path's statement for q, prepared once per
// connection and kept, or nil to run q unprepared. Only on SQLite: the
// driver otherwise compiles every statement anew, which was a large part
// of an item page's cost; pgx already keeps each connection's statements.
// SQLite recompiles a kept statement by itself after a schema change.
func (db *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if db.dialect != SQLite {
		return nil
	}
	db.stmtMu.Lock()
	st, ok := db.stmts[q]
	full := len(db.stmts) >= maxPrepared
	db.stmtMu.Unlock()
	if ok || full {
		return st
	}
	// Prepared outside the lock: preparing waits for a free connection.
	st, err := db.sql.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query runs unprepared and reports the error
	}
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if old, ok := db.stmts[q]; ok {
		st.Close()
		return old
	}
	if db.stmts == nil {
		db.stmts = map[string]*sql.Stmt{}
	}
	db.stmts[q] = st
	return st
}

// mapErr keeps application errors and turns driver errors that a user can
// act on into them; the rest pass through as internal errors.
func (db *DB) mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *errs.Error
	var fe *errs.FormError
	if errors.As(err, &ae) || errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, err, "记录不存在")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return errs.Wrap(errs.Conflict, err, "记录已存在")
		case "23503":
			return errs.Wrap(errs.Invalid, err, "引用的记录不存在")
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Wrap(errs.Conflict, err, "记录已存在")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Wrap(errs.Invalid, err, "引用的记录不存在")
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY:
			return sqliteErr(err, db.dsn)
		}
	}
	return err
}

// isConflict reports a unique-constraint violation.
func isConflict(err error) bool { return errs.Is(err, errs.Conflict) }

// ts formats a time for storage: UTC with microseconds, a fixed-width text
// that sorts in time order on both engines.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(tsLayout)
}

const tsLayout = "2006-01-02T15:04:05.000000Z"

// parseTS reads a stored time; "" is the zero time.
func parseTS(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(tsLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// mustTS reads a stored time written by ts; a malformed one is zero.
func mustTS(s string) time.Time {
	t, _ := parseTS(s)
	return t
}

// fastTS is mustTS for the reads of many rows: the store's own layout is
// read digit by digit (a tenth of time.Parse's cost); anything else goes
// through mustTS.
func fastTS(s string) time.Time {
	if len(s) != len(tsLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return mustTS(s)
	}
	n := func(lo, hi int) int {
		v := 0
		for i := lo; i < hi; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec, us := n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 26)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || us < 0 {
		return mustTS(s)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC)
	if t.Day() != d { // 31 February and the like: as time.Parse, refuse
		return mustTS(s)
	}
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
