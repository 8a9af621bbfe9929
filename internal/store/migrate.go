package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"gongkai/internal/errs"
)

// Migrations are numbered SQL files (0001_spine.sql …), one text for both
// engines. Two macros cover the differences: {{id}} is the auto-increment
// primary key, and {{blob}} a binary column.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		// A file for one engine only ends in .sqlite.sql or .postgres.sql.
		if d, ok := dialectOf(name); ok && d != db.dialect {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %q: name must start with a number and _", name)
		}
		b, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("two migrations numbered %d", out[i].version)
		}
	}
	return out, nil
}

func dialectOf(name string) (Dialect, bool) {
	switch {
	case strings.HasSuffix(name, ".sqlite.sql"):
		return SQLite, true
	case strings.HasSuffix(name, ".postgres.sql"):
		return Postgres, true
	}
	return "", false
}

func (db *DB) expand(sqlText string) string {
	r := strings.NewReplacer(
		"{{id}}", map[Dialect]string{SQLite: "INTEGER PRIMARY KEY AUTOINCREMENT", Postgres: "BIGSERIAL PRIMARY KEY"}[db.dialect],
		"{{blob}}", map[Dialect]string{SQLite: "BLOB", Postgres: "BYTEA"}[db.dialect],
	)
	return r.Replace(sqlText)
}

// Migrate applies every pending migration, each in its own transaction, so
// that a migration is either wholly applied or not at all. Several instances
// may start at once: on PostgreSQL an advisory lock lets one migrate while
// the others wait; on SQLite the immediate transaction does the same.
func (db *DB) Migrate(ctx context.Context) error {
	if err := db.migrateTo(ctx, 0); err != nil {
		return err
	}
	// Data that a migration cannot fill in SQL (it needs the data key).
	if err := db.backfillApplicantKeys(ctx); err != nil {
		return fmt.Errorf("补填申请人标识失败: %w", err)
	}
	// The narrative of reports imported before it was kept (it needs the reader).
	if err := db.backfillHistoryText(ctx); err != nil {
		return fmt.Errorf("补存历史年报正文失败: %w", err)
	}
	return nil
}

// LatestSchema is the highest migration this build knows.
func (db *DB) LatestSchema() (int, error) {
	ms, err := db.loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

// migrateTo applies the pending migrations numbered up to max (all when max
// is 0), without the backfills: restore builds the schema a backup was
// taken at, loads its rows, then migrates the rest.
func (db *DB) migrateTo(ctx context.Context, max int) error {
	ms, err := db.loadMigrations()
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.migrationLock(ctx); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		if errs.CodeOf(err) == errs.Unavailable {
			return err
		}
		return fmt.Errorf("创建迁移记录表失败: %w", err)
	}
	for _, m := range ms {
		if max > 0 && m.version > max {
			break
		}
		err := db.inTx(ctx, func(tx *Tx) error {
			if err := tx.migrationLock(ctx); err != nil {
				return err
			}
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(db.expand(m.sql)) {
				if _, err := tx.exec(ctx, stmt); err != nil {
					return fmt.Errorf("migration %s: %w\n%s", m.name, err, stmt)
				}
			}
			_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, ts(db.Now()))
			return err
		})
		if err != nil {
			if code := errs.CodeOf(err); code == errs.Unavailable || code == errs.Invalid {
				return err
			}
			return fmt.Errorf("数据库迁移 %s 失败，已回滚: %w", m.name, err)
		}
	}
	return nil
}

// migrationLock serialises migrations across instances on PostgreSQL.
func (t *Tx) migrationLock(ctx context.Context) error {
	if t.db.dialect != Postgres {
		return nil
	}
	_, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(7263510)")
	return err
}

// SchemaVersion reports the highest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.row(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// splitStatements splits a migration on semicolons at line ends. Migration
// files keep no semicolons inside string literals; a SQLite trigger body
// (BEGIN … END;) and a PostgreSQL $$-quoted function body stay whole.
func splitStatements(s string) []string {
	var out []string
	var cur strings.Builder
	inDollar, inTrigger := false, false
	for _, line := range strings.Split(s, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		upper := strings.ToUpper(trimmed)
		if strings.Count(trimmed, "$$")%2 == 1 {
			inDollar = !inDollar
		}
		if !inDollar && (upper == "BEGIN" || strings.HasSuffix(upper, " BEGIN")) && strings.Contains(strings.ToUpper(cur.String()), "CREATE TRIGGER") {
			inTrigger = true
		} else if inTrigger && upper == "END;" {
			inTrigger = false
		}
		inBody := inDollar || inTrigger
		if !inBody && strings.HasSuffix(trimmed, ";") {
			if st := strings.TrimSpace(cur.String()); st != ";" {
				out = append(out, strings.TrimSuffix(st, ";"))
			}
			cur.Reset()
		}
	}
	if st := strings.TrimSpace(cur.String()); st != "" {
		out = append(out, st)
	}
	return out
}
