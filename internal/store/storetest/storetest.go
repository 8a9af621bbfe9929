// Package storetest opens fresh gongkai databases for tests: a SQLite file
// in the test's temporary directory, and a PostgreSQL schema of its own in
// the database at GONGKAI_TEST_PG (default postgres://postgres@127.0.0.1:5432/test).
//
// When PostgreSQL cannot be reached the test fails and says so. Only an
// explicit GONGKAI_SKIP_PG=1 skips it (and says so); CI never sets it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"gongkai/internal/store"
)

// DefaultPG is the PostgreSQL used by tests on this machine and in CI.
const DefaultPG = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PGURL returns the PostgreSQL test database URL.
func PGURL() string {
	if v := os.Getenv("GONGKAI_TEST_PG"); v != "" {
		return v
	}
	return DefaultPG
}

// Backends lists the engines every store test runs on.
var Backends = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per engine as a subtest, each with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Backends {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d, store.Options{}))
		})
	}
}

// DSN creates an empty database for engine d and returns its DSN; it is
// removed when the test ends.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(t.TempDir(), "gongkai.db")
	}
	if os.Getenv("GONGKAI_SKIP_PG") == "1" {
		t.Skip("GONGKAI_SKIP_PG=1：跳过 PostgreSQL 测试（CI 不允许跳过）")
	}
	admin, err := sql.Open("pgx", PGURL())
	if err != nil {
		t.Fatalf("PostgreSQL 测试库地址无效 %s: %v", PGURL(), err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("无法连接 PostgreSQL 测试库（%s）：%v。请启动 PostgreSQL，或显式设置 GONGKAI_SKIP_PG=1 跳过", PGURL(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", PGURL())
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, _ := url.Parse(PGURL())
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh, migrated database of engine d, closed when the test ends.
func Open(t testing.TB, d store.Dialect, opt store.Options) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, d), opt)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
